"""Background delivery of the outbox through Django Tasks."""

from django_tasks import task

from motcua.notifications import services


# The worker imports this task by its module path, so it must keep the name `deliver_pending` in this module.
@task()
def deliver_pending() -> int:
    """Send the outbox messages that are due and return how many went out."""
    return services.deliver_pending()
