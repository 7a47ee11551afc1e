"""Background jobs of the dossiers context, run by Django Tasks workers."""

from django_tasks import task

from motcua.dossiers import services


# Enqueue every few minutes (or run `motcua deadlines` from cron); it reads only near-due rows, so it is cheap.
@task()
def watch_deadlines() -> dict[str, int]:
    """Flag near-due, D-1 and overdue dossiers and steps, and apply calendar changes to running dossiers."""
    report = services.watch_deadlines()
    return {
        "dossiers_examined": report.dossiers_examined,
        "steps_examined": report.steps_examined,
        "dossiers_flagged": report.dossiers_flagged,
        "steps_flagged": report.steps_flagged,
        "recomputed": report.recomputed,
    }
