"""The catalogue's rows are written once, with their version, and never changed: a correction is a new version.

ND 63/2010 art. 15: a procedure changes only by a new publication. Dossiers pin a version and the intake keeps the
terms of a version in memory (`selectors.terms_of`), so the database itself refuses an UPDATE of these rows.
"""

from django.db import migrations

TABLES = ["catalogue_case", "catalogue_component", "catalogue_channellimit", "catalogue_fee", "catalogue_step"]
MESSAGE = "Danh mục thủ tục đã ghi không được sửa; hãy công bố phiên bản mới."


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE FUNCTION catalogue_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation'; END $$"
        )
    for table in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            body = "FOR EACH ROW EXECUTE FUNCTION catalogue_refuse_update()"
        else:
            body = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        schema_editor.execute(f"CREATE TRIGGER {table}_immutable BEFORE UPDATE ON {table} {body}")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    postgresql = schema_editor.connection.vendor == "postgresql"
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER {table}_immutable" + (f" ON {table}" if postgresql else ""))
    if postgresql:
        schema_editor.execute("DROP FUNCTION catalogue_refuse_update()")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_procedures_versions_cases")]

    operations = [migrations.RunPython(create, drop)]
