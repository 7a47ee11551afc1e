"""API tokens are django-rest-knox tokens (a digest stored, an expiry), each bound to its account's password; DRF's
plaintext keys are erased.

rest_framework.authtoken is no longer installed, so its table (if this database has one) is emptied here: its keys
would otherwise stay readable by anyone with the database, though nothing accepts them any more.
"""

import django.db.models.deletion
from django.db import migrations, models

import motcua.core.clock


def erase_plaintext_keys(apps, schema_editor):  # type: ignore[no-untyped-def]
    if "authtoken_token" in schema_editor.connection.introspection.table_names():
        schema_editor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_answer_recorded_with_the_work"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.CreateModel(
            name="TokenBinding",
            fields=[
                (
                    "token",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="binding",
                        serialize=False,
                        to="knox.authtoken",
                    ),
                ),
                ("password_fingerprint", models.CharField(max_length=128)),
            ],
        ),
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="created_at",
            field=models.DateTimeField(db_index=True, default=motcua.core.clock.now),
        ),
        migrations.RunPython(erase_plaintext_keys, migrations.RunPython.noop),
    ]
