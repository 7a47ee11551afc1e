"""A dossier's events are its history: the database refuses to change one, and on PostgreSQL to delete one.

`DossierEvent.save()` and `delete()` already refuse; this also stops bulk updates and raw SQL. SQLite keeps deletes
possible because Django's test flush empties its tables with DELETE (PostgreSQL's uses TRUNCATE, which row triggers
do not see); dossiers themselves cannot be deleted while they have events (PROTECT).
"""

from django.db import migrations

MESSAGE = "Sự kiện của hồ sơ không được sửa hoặc xóa."


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE FUNCTION dossiers_refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation'; END $$"
        )
        schema_editor.execute(
            "CREATE TRIGGER dossiers_dossierevent_append_only BEFORE UPDATE OR DELETE ON dossiers_dossierevent "
            "FOR EACH ROW EXECUTE FUNCTION dossiers_refuse_event_change()"
        )
    else:
        schema_editor.execute(
            "CREATE TRIGGER dossiers_dossierevent_append_only BEFORE UPDATE ON dossiers_dossierevent "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER dossiers_dossierevent_append_only ON dossiers_dossierevent")
        schema_editor.execute("DROP FUNCTION dossiers_refuse_event_change()")
    else:
        schema_editor.execute("DROP TRIGGER dossiers_dossierevent_append_only")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0009_one_dossier_per_submission")]

    operations = [migrations.RunPython(create, drop)]
