"""A counter form's key names at most one dossier; on PostgreSQL the index is built without locking intake."""

from django.db import migrations, models

NAME = "one_dossier_per_submission"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE UNIQUE INDEX{concurrently} {NAME} ON dossiers_dossier (submission_key) "
        "WHERE submission_key IS NOT NULL"
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(f"DROP INDEX {NAME}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("dossiers", "0008_submission_key")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddConstraint(
                    model_name="dossier",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(submission_key__isnull=False), fields=("submission_key",), name=NAME
                    ),
                )
            ],
            database_operations=[migrations.RunPython(create, drop)],
        )
    ]
