"""A criteria set published by a decision is frozen: the database refuses any change to it and its rows.

Like the catalogue's versions (catalogue 0002): a correction is a new version of the set. The set's own row may be
changed until `published_at` is set (publishing is that change); its fields, criteria and sub-criteria may be added,
changed or deleted only while their set is unpublished. SQLite keeps deletes possible, as for dossier events
(dossiers 0010): Django's test flush empties its tables with DELETE, where PostgreSQL's uses TRUNCATE.
"""

from django.db import migrations

CHILDREN = ["par_field", "par_criterion", "par_subcriterion"]
SET = "par_parindexset"
MESSAGE = "Bộ chỉ số đã công bố theo quyết định không được sửa; hãy tạo phiên bản mới."
SQLITE_CHILD_TRIGGERS = (("INSERT", "NEW"), ("UPDATE", "OLD"), ("UPDATE", "NEW"))
FROZEN = f"(SELECT published_at FROM {SET} WHERE id = {{row}}.index_set_id) IS NOT NULL"

POSTGRES_FUNCTIONS = f"""
CREATE FUNCTION par_refuse_frozen_set() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF OLD.published_at IS NOT NULL THEN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation'; END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE FUNCTION par_refuse_frozen_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF TG_OP <> 'INSERT' AND {FROZEN.format(row="OLD")} THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP <> 'DELETE' AND {FROZEN.format(row="NEW")} THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
"""


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        execute(POSTGRES_FUNCTIONS)
        execute(
            f"CREATE TRIGGER {SET}_frozen BEFORE UPDATE OR DELETE ON {SET} "
            "FOR EACH ROW EXECUTE FUNCTION par_refuse_frozen_set()"
        )
        for table in CHILDREN:
            execute(
                f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION par_refuse_frozen_row()"
            )
        return
    abort = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    execute(f"CREATE TRIGGER {SET}_frozen_update BEFORE UPDATE ON {SET} WHEN OLD.published_at IS NOT NULL {abort}")
    for table in CHILDREN:
        for event, row in SQLITE_CHILD_TRIGGERS:
            name = f"{table}_frozen_{event.lower()}_{row.lower()}"
            execute(f"CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {FROZEN.format(row=row)} {abort}")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in [SET, *CHILDREN]:
            execute(f"DROP TRIGGER {table}_frozen ON {table}")
        execute("DROP FUNCTION par_refuse_frozen_set(); DROP FUNCTION par_refuse_frozen_row()")
        return
    execute(f"DROP TRIGGER {SET}_frozen_update")
    for table in CHILDREN:
        for event, row in SQLITE_CHILD_TRIGGERS:
            execute(f"DROP TRIGGER {table}_frozen_{event.lower()}_{row.lower()}")


class Migration(migrations.Migration):
    dependencies = [("par", "0001_sets_rounds_assessments")]

    operations = [migrations.RunPython(create, drop)]
