"""An idempotency record is now written with the work it answers for, so it always holds an answer.

Records left without one (a request that died half-way under the earlier scheme) answered 409 for good; they are
removed, which frees their keys for a retry.
"""

from django.db import migrations, models


def forget_unanswered(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("api", "IdempotencyRecord").objects.filter(status_code__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("api", "0001_idempotency_records")]

    operations = [
        migrations.RunPython(forget_unanswered, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="idempotencyrecord", name="status_code", field=models.PositiveSmallIntegerField()
        ),
    ]
