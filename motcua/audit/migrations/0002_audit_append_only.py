"""The audit log and its digests are append-only in the database too, whoever is connected.

PostgreSQL refuses UPDATE and DELETE row by row for every role, the table owner included, and TRUNCATE for every role
but a superuser: Django's test flush empties tables with TRUNCATE as the superuser, and a superuser can disable any
trigger anyway (`motcua audit verify` is what catches that). SQLite refuses UPDATE only: Django's test flush empties
its tables with DELETE, so a DELETE there is caught by `verify`, not prevented (as for dossier events, 0010).
"""

from django.db import migrations

MESSAGE = "Nhật ký kiểm toán chỉ được ghi thêm, không được sửa hoặc xóa."
TABLES = ["audit_auditrecord", "audit_auditdigest"]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation'; END $$"
        )
        schema_editor.execute(
            "CREATE FUNCTION audit_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN "
            f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation'; END IF; RETURN NULL; END $$"
        )
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()"
            )
    else:
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            schema_editor.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        schema_editor.execute("DROP FUNCTION audit_refuse_change()")
        schema_editor.execute("DROP FUNCTION audit_refuse_truncate()")
    else:
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER {table}_append_only")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_log_and_user_history")]

    operations = [migrations.RunPython(create, drop)]
