"""Background jobs of the competency tests, run by Django Tasks workers."""

from django_tasks import task

from motcua.assessments import services


# Enqueue every minute during a campaign (or run `motcua assessments_expire` from cron): it reads only started
# attempts past their deadline, so it is cheap; the deadline itself is enforced on every answer regardless.
@task()
def submit_expired() -> dict[str, int]:
    """Hand in and score every attempt past its server-side deadline."""
    return {"submitted": services.submit_expired()}
