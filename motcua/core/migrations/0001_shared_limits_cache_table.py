"""Create the database cache table that keeps the rate limits when no Redis is configured (see settings CACHES)."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# The same name as motcua.core.cache.TABLE; migrations do not import application code.
TABLE = "motcua_cache"


def create_table(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    command = CreateCacheTable()
    command.verbosity = 0  # set by handle(), which is not run here
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(create_table, drop_table)]
