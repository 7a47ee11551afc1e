"""Background delivery of the outbox through Django Tasks, beside the long-running `motcua integrations worker`."""

import os
import socket

from django_tasks import task

from motcua.outbox import delivery


@task()
def deliver_due() -> int:
    """Send one batch of due messages and return how many were handled."""
    return delivery.deliver_due(f"task:{socket.gethostname()}:{os.getpid()}")
