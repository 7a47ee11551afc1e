"""The task watch (run by `motcua.reform.jobs.watch_tasks` and `motcua tasks-watch`): flag open tasks that come
near their deadline or pass it, and tell the lead unit's leaders (and Văn phòng UBND tỉnh when overdue).

It reads only open tasks due within the near-due horizon and not yet flagged overdue, through the partial index
`tasks_watch`, so its work grows with the tasks near their deadline, not with all open tasks.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from django.db import transaction
from django.db.models import QuerySet

from motcua.core import clock
from motcua.reform.models import Task
from motcua.worktime.arithmetic import WorkCalendar
from motcua.worktime.selectors import calendar_for

from . import messages
from .clocks import near_due_minutes
from .lifecycle import OPEN


class Alert(IntEnum):
    NONE = 0
    NEAR_DUE = 1
    OVERDUE = 2


@dataclass(frozen=True)
class WatchReport:
    examined: int
    flagged: int


def horizon(now: datetime, calendar: WorkCalendar) -> datetime:
    return calendar.add_working_minutes(now, near_due_minutes(calendar))


def candidates(now: datetime, calendar: WorkCalendar) -> QuerySet[Task]:
    """The rows the watch reads: open, not yet flagged overdue, due within the horizon (the partial index)."""
    return Task.objects.filter(
        status__in=[int(s) for s in sorted(OPEN)], alert_level__lt=Alert.OVERDUE, due_at__isnull=False,
        due_at__lte=horizon(now, calendar),
    )  # fmt: skip


def watch_tasks() -> WatchReport:
    """Flag and tell each task newly near its deadline or past it; return how many rows were read and flagged."""
    now = clock.now()
    calendar = calendar_for(None)
    examined = flagged = 0
    with transaction.atomic():
        rows = (
            candidates(now, calendar)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("lead_unit")
            .order_by("due_at", "pk")
        )
        for task in rows:
            examined += 1
            assert task.due_at is not None  # the filter reads only tasks with a deadline
            level = Alert.OVERDUE if task.due_at < now else Alert.NEAR_DUE
            if level > task.alert_level:
                task.alert_level = level
                task.save(update_fields=["alert_level"])
                messages.tell_due(task, overdue=level == Alert.OVERDUE)
                flagged += 1
    return WatchReport(examined, flagged)
