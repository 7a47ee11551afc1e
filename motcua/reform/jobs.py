"""Background jobs of the reform app, run by Django Tasks workers."""

from django_tasks import task

from motcua.reform.tasks.watch import watch_tasks as _watch


# Enqueue every few minutes (or run `motcua tasks-watch` from cron): it reads only near-due rows, so it is cheap.
@task()
def watch_tasks() -> dict[str, int]:
    """Flag near-due and overdue directive tasks and tell their units."""
    report = _watch()
    return {"examined": report.examined, "flagged": report.flagged}
