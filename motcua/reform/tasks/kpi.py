"""Task KPIs per lead unit and period, and their publication as frozen snapshots.

The tasks a period judges are those whose deadline falls in it (the extended deadline, or the first one when
`MOTCUA_TASK_KPI_DEADLINE = "original"`); tasks without a deadline, postponed or cancelled are not judged. A task is
done on time when its completion, asked for at 100 % and confirmed, came by that deadline and it was never returned:
a returned task counts as not completed (Thanh Hóa, DOMAIN-2.md §6). One grouped query over the (unit, due) index.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.organizations.models import User
from motcua.reform.models import KpiSnapshot, Task
from motcua.reform.models.tasks import PeriodKind

from .clocks import kpi_uses_extension
from .lifecycle import OPEN, Status
from .rules import NOT_TRACKER
from .selectors import is_tracker


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int
    number: int

    @property
    def first(self) -> date:
        months = {PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6, PeriodKind.YEAR: 12}[self.kind]
        return date(self.year, (self.number - 1) * months + 1, 1)

    @property
    def last(self) -> date:
        months = {PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6, PeriodKind.YEAR: 12}[self.kind]
        end_month = self.number * months
        following = date(self.year + 1, 1, 1) if end_month == 12 else date(self.year, end_month + 1, 1)
        return following - timedelta(days=1)

    def check(self) -> None:
        limit = {PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2, PeriodKind.YEAR: 1}[self.kind]
        if not (1 <= self.number <= limit and 2000 <= self.year <= 2100):
            raise DomainError("Kỳ công bố không hợp lệ.", field="number")


@dataclass(frozen=True)
class UnitKpi:
    unit_id: int
    assigned: int
    done_on_time: int
    done_late: int
    overdue_open: int
    returned: int

    @property
    def on_time_percent(self) -> Decimal:
        if not self.assigned:
            return Decimal("0.00")
        return (Decimal(100 * self.done_on_time) / self.assigned).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time(0, 0), tzinfo=clock.VIETNAM)
    return start, datetime.combine(last + timedelta(days=1), time(0, 0), tzinfo=clock.VIETNAM)


def compute(
    first: date, last: date, *, now: datetime | None = None, unit_ids: set[int] | None = None
) -> list[UnitKpi]:
    """Each lead unit's KPIs for the tasks due from `first` to `last`, as things stand at `now`."""
    now = now or clock.now()
    due = "due_at" if kpi_uses_extension() else "original_due_at"
    start, end = _bounds(first, last)
    judged = Task.objects.filter(**{f"{due}__gte": start, f"{due}__lt": end}).exclude(
        status__in=[Status.POSTPONED, Status.CANCELLED]
    )
    if unit_ids is not None:
        judged = judged.filter(lead_unit__in=unit_ids)
    done = Q(status=Status.DONE)
    on_time = done & Q(returned_count=0, completion_asked_at__lte=F(due))
    rows = (
        judged.values("lead_unit")
        .annotate(
            assigned=Count("pk"),
            done_on_time=Count("pk", filter=on_time),
            done=Count("pk", filter=done),
            overdue_open=Count("pk", filter=Q(status__in=sorted(OPEN), **{f"{due}__lt": now})),
            returned=Count("pk", filter=Q(returned_count__gt=0)),
        )
        .order_by("lead_unit")
    )
    return [
        UnitKpi(r["lead_unit"], r["assigned"], r["done_on_time"], r["done"] - r["done_on_time"], r["overdue_open"],
                r["returned"])
        for r in rows
    ]  # fmt: skip


def publish(period: Period, *, by: User) -> list[KpiSnapshot]:
    """Publish every unit's KPIs for a period (Văn phòng UBND tỉnh): frozen rows that later events never change;
    a period is published once."""
    if not is_tracker(by):
        raise NotPermittedError(NOT_TRACKER)
    period.check()
    now = clock.now()
    if now.astimezone(clock.VIETNAM).date() <= period.last:
        raise DomainError("Chỉ công bố kết quả sau khi kỳ đã kết thúc.", field="number")
    figures = compute(period.first, period.last, now=now)
    rows = [
        KpiSnapshot(
            period_kind=period.kind, year=period.year, number=period.number, unit_id=k.unit_id, assigned=k.assigned,
            done_on_time=k.done_on_time, done_late=k.done_late, overdue_open=k.overdue_open, returned=k.returned,
            on_time_percent=k.on_time_percent, published_at=now, published_by=by,
        )
        for k in figures
    ]  # fmt: skip
    if KpiSnapshot.objects.filter(period_kind=period.kind, year=period.year, number=period.number).exists():
        raise ConflictError("Kỳ này đã được công bố; kết quả đã công bố không thay đổi.")
    try:
        with transaction.atomic():
            return KpiSnapshot.objects.bulk_create(rows)
    except IntegrityError:  # published at the same moment by someone else
        raise ConflictError("Kỳ này đã được công bố; kết quả đã công bố không thay đổi.") from None


def plan_completion(plan_id: int) -> tuple[int, int, Decimal]:
    """A plan's items, those completed, and the completion rate (%) the PAR index reads."""
    counted = (
        Task.objects.filter(plan_id=plan_id)
        .exclude(status=Status.CANCELLED)
        .aggregate(total=Count("pk"), done=Count("pk", filter=Q(status=Status.DONE, returned_count=0)))
    )
    total, done = counted["total"], counted["done"]
    rate = (Decimal(100 * done) / total).quantize(Decimal("0.01"), ROUND_HALF_UP) if total else Decimal("0.00")
    return total, done, rate
