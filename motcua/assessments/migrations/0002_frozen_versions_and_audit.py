"""An approved question version never changes, and the audit and event rows are never edited: the database refuses.

An approved (or retired) version may only move from approved to retired; its content stays as it was, since attempts
pin it and a complaint is checked against it. An edit is a new version (services.new_version).
"""

from django.db import migrations

FROZEN = "Câu hỏi đã duyệt không được sửa; hãy tạo phiên bản mới."
APPEND_ONLY = "Nhật ký bài làm không được sửa hay xoá."
CONTENT = ["domain", "difficulty", "type", "job_titles", "stem", "options", "key", "legal_source",
           "source_effective_from", "source_effective_to", "item_id", "number", "author_id", "reviewer_id",
           "approved_at"]  # fmt: skip


def _changed(vendor: str) -> str:
    if vendor == "postgresql":
        return " OR ".join(f"OLD.{c}::text IS DISTINCT FROM NEW.{c}::text" for c in CONTENT)
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in CONTENT)


def _guard(vendor: str) -> str:
    return (
        f"OLD.status IN ('approved', 'retired') AND ({_changed(vendor)} "
        "OR (OLD.status = 'retired' AND NEW.status <> 'retired') "
        "OR (OLD.status = 'approved' AND NEW.status NOT IN ('approved', 'retired')))"
    )


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    if vendor == "postgresql":
        run(
            "CREATE FUNCTION assessments_refuse_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{FROZEN}' USING ERRCODE = 'restrict_violation'; END $$"
        )
        run(
            "CREATE FUNCTION assessments_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'restrict_violation'; END $$"
        )
        run(
            "CREATE TRIGGER assessments_itemversion_frozen BEFORE UPDATE ON assessments_itemversion FOR EACH ROW "
            f"WHEN ({_guard(vendor)}) EXECUTE FUNCTION assessments_refuse_frozen()"
        )
        run(
            "CREATE TRIGGER assessments_itemversion_kept BEFORE DELETE ON assessments_itemversion FOR EACH ROW "
            "WHEN (OLD.status IN ('approved', 'retired')) EXECUTE FUNCTION assessments_refuse_frozen()"
        )
        for table in ("assessments_answeraudit", "assessments_itemevent"):
            run(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW "
                "EXECUTE FUNCTION assessments_refuse_change()"
            )
        return
    run(
        "CREATE TRIGGER assessments_itemversion_frozen BEFORE UPDATE ON assessments_itemversion "
        f"WHEN {_guard(vendor)} BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END"
    )
    # SQLite keeps deletes possible, as for dossier events (dossiers 0010): Django's test flush empties its tables
    # with DELETE, where PostgreSQL's uses TRUNCATE, which row triggers do not see.
    for table in ("assessments_answeraudit", "assessments_itemevent"):
        run(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    postgresql = schema_editor.connection.vendor == "postgresql"
    triggers = [("assessments_itemversion_frozen", "assessments_itemversion")]
    if postgresql:
        triggers.append(("assessments_itemversion_kept", "assessments_itemversion"))
    for table in ("assessments_answeraudit", "assessments_itemevent"):
        suffixes = ["append_only"] if postgresql else ["no_update"]
        triggers += [(f"{table}_{suffix}", table) for suffix in suffixes]
    for name, table in triggers:
        schema_editor.execute(f"DROP TRIGGER {name}" + (f" ON {table}" if postgresql else ""))
    if postgresql:
        schema_editor.execute("DROP FUNCTION assessments_refuse_frozen()")
        schema_editor.execute("DROP FUNCTION assessments_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_banks_campaigns_attempts")]

    operations = [migrations.RunPython(create, drop)]
