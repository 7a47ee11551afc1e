"""Background jobs of the reform app, run by Django Tasks workers (`motcua db_worker`, motcua-worker.service), the
way the dossiers' deadline watch runs (`motcua.dossiers.tasks.watch_deadlines`). Each has its command for cron too:
`motcua tasks-watch` every few minutes, `motcua reform_reports lock` daily."""

from django_tasks import task

from motcua.reform.reports.services import lock_figures_due
from motcua.reform.tasks.watch import watch_tasks as _watch


# Enqueue every few minutes (or run `motcua tasks-watch` from cron): it reads only near-due rows, so it is cheap.
@task()
def watch_tasks() -> dict[str, int]:
    """Flag near-due and overdue directive tasks and tell their units."""
    report = _watch()
    return {"examined": report.examined, "flagged": report.flagged}


# Enqueue daily, soon after midnight (or run `motcua reform_reports lock` from cron): a cut-off is the end of its
# day, so the figures of every report whose window closed yesterday are locked before anyone submits it; running it
# again locks nothing twice (the reports already locked are skipped).
@task()
def lock_report_figures() -> dict[str, int]:
    """Snapshot and lock the figures of every report whose cut-off day is over (BNV 581/BNV-CCHC windows)."""
    return {"locked": lock_figures_due()}
