"""Reads of directives and tasks, scoped: a unit sees its own tasks and those of the units below it; Văn phòng
UBND tỉnh (directive_tracker) and the province monitor see every one."""

from datetime import datetime

from django.db.models import F, Q, QuerySet

from motcua.organizations.models import Role, Unit, User
from motcua.organizations.selectors import posts_of
from motcua.reform.models import CchcPlan, Directive, Task
from motcua.worktime.selectors import calendar_for

from .clocks import near_due_minutes
from .lifecycle import OPEN, Status, TimeState

SEES_ALL = frozenset({Role.DIRECTIVE_TRACKER, Role.PROVINCE_MONITOR})


def is_tracker(user: User) -> bool:
    return (
        user.is_authenticated
        and not user.is_citizen
        and any(post.role == Role.DIRECTIVE_TRACKER for post in posts_of(user))
    )


def sees_all_tasks(user: User) -> bool:
    return user.is_authenticated and not user.is_citizen and any(post.role in SEES_ALL for post in posts_of(user))


def units_below(unit_ids: set[int]) -> set[int]:
    """The units given and every unit under them in the tree, one query per level."""
    found, level = set(unit_ids), set(unit_ids)
    while level:
        level = set(Unit.objects.filter(parent__in=level).values_list("pk", flat=True)) - found
        found |= level
    return found


def scope_of(user: User) -> set[int] | None:
    """The units whose tasks a person sees (None: every unit); empty for citizens and the system administrator,
    who keeps the rules, never reads the work."""
    if not user.is_authenticated or user.is_citizen:
        return set()
    if sees_all_tasks(user):
        return None
    return units_below({post.unit_id for post in posts_of(user) if post.role != Role.SYSTEM_ADMIN})


def tasks_for(user: User) -> QuerySet[Task]:
    """The tasks a person sees, the nearest due first (tasks without a deadline last)."""
    tasks = Task.objects.select_related("lead_unit", "directive", "plan").order_by("due_at", "pk")
    scope = scope_of(user)
    if scope is None:
        return tasks
    return tasks.filter(Q(lead_unit__in=scope) | Q(co_units__in=scope)).distinct()


def get_task_for(user: User, task_id: int) -> Task | None:
    return tasks_for(user).filter(pk=task_id).first()


def may_read(user: User, task: Task) -> bool:
    scope = scope_of(user)
    if scope is None:
        return True
    return task.lead_unit_id in scope or task.co_units.filter(pk__in=scope).exists()


def directives_for(user: User) -> QuerySet[Directive]:
    """The directives with at least one task the person sees, the newest source first."""
    directives = Directive.objects.order_by("-source_date", "-pk")
    scope = scope_of(user)
    if scope is None:
        return directives
    return directives.filter(Q(tasks__lead_unit__in=scope) | Q(tasks__co_units__in=scope)).distinct()


def plans_for(user: User) -> QuerySet[CchcPlan]:
    plans = CchcPlan.objects.select_related("unit").order_by("-year", "unit__code")
    scope = scope_of(user)
    return plans if scope is None else plans.filter(unit__in=scope)


def with_time_state(tasks: QuerySet[Task], state: str, now: datetime) -> QuerySet[Task]:
    """Filter tasks by their derived time state, on the province's calendar (the one the watch uses)."""
    calendar = calendar_for(None)
    open_ = tasks.filter(status__in=sorted(OPEN))
    if state == TimeState.OVERDUE:
        return open_.filter(due_at__lt=now)
    if state == TimeState.NEAR_DUE:
        return open_.filter(due_at__gte=now, due_at__lte=calendar.add_working_minutes(now, near_due_minutes(calendar)))
    if state == TimeState.ON_TRACK:
        return open_.filter(due_at__gt=calendar.add_working_minutes(now, near_due_minutes(calendar)))
    if state == TimeState.NO_DEADLINE:
        return open_.filter(due_at__isnull=True)
    done = tasks.filter(status=Status.DONE)
    if state == TimeState.DONE_ON_TIME:
        return done.filter(Q(due_at__isnull=True) | Q(completion_asked_at__lte=F("due_at")))
    if state == TimeState.DONE_LATE:
        return done.filter(completion_asked_at__gt=F("due_at"))
    return tasks
