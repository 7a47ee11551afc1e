"""KPIs per unit, computed by hand, and a published quarter that later events leave as it was."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.reform.models import KpiSnapshot, Task
from motcua.reform.models.tasks import PeriodKind
from motcua.reform.tasks import kpi
from motcua.reform.tasks.lifecycle import Action
from motcua.reform.tasks.services import Inputs, TaskDraft, act, create_plan

from .conftest import person, unit, vn

pytestmark = pytest.mark.django_db
Q1 = kpi.Period(PeriodKind.QUARTER, 2026, 1)


def step(task: Task, action: Action, who: str, at: datetime, **inputs: object) -> None:
    with clock.frozen(at):
        act(task, action, actor=person(who), inputs=Inputs(**inputs))  # type: ignore[arg-type]


def ask(task: Task, at: datetime, who: str = "stp.chuyenvien") -> None:
    task.refresh_from_db()
    if task.accepted_at is None and task.status == 1:
        step(task, Action.ACCEPT, who, vn(2026, 3, 11))
    step(task, Action.REPORT, who, at, percent=100, text="Xong", document_number="1/BC")
    step(task, Action.ASK_COMPLETION, who, at)
    task.refresh_from_db()


@pytest.fixture
def quarter(make_task, tracker):  # type: ignore[no-untyped-def]
    """Sở Tư pháp: A on time, B late, C returned then done, D overdue open, E next quarter, F without deadline,
    G cancelled. Phường Mỹ Tho: H on time."""
    t = tracker.username
    a, b, c, d = (make_task(date(2026, 3, day)) for day in (20, 20, 25, 31))
    e, f, g = make_task(date(2026, 4, 15)), make_task(None), make_task(date(2026, 3, 10))
    h = make_task(date(2026, 2, 27), lead="28261.UBND")
    ask(a, vn(2026, 3, 18))
    step(a, Action.CONFIRM, t, vn(2026, 3, 19))
    ask(b, vn(2026, 3, 25))
    step(b, Action.CONFIRM, t, vn(2026, 3, 26))
    ask(c, vn(2026, 3, 20))
    step(c, Action.RETURN, t, vn(2026, 3, 21), reason="Thiếu số liệu")
    ask(c, vn(2026, 3, 24))
    step(c, Action.CONFIRM, t, vn(2026, 3, 24, 15))
    step(d, Action.ACCEPT, "stp.lanhdao", vn(2026, 3, 12))
    step(g, Action.CANCEL, t, vn(2026, 3, 12), reason="Không còn phù hợp")
    ask(h, vn(2026, 2, 26), who="mytho.chuyenvien")
    step(h, Action.CONFIRM, t, vn(2026, 2, 27))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g, "h": h}


def test_kpis_as_computed_by_hand(quarter) -> None:  # type: ignore[no-untyped-def]
    figures = {k.unit_id: k for k in kpi.compute(Q1.first, Q1.last, now=vn(2026, 4, 5))}
    stp, mytho = figures[unit("82.STP").pk], figures[unit("28261.UBND").pk]
    # A, B, C, D are due in the quarter; A alone on time; B late, C returned (never on time); D open past its day.
    assert (stp.assigned, stp.done_on_time, stp.done_late, stp.overdue_open, stp.returned) == (4, 1, 2, 1, 1)
    assert stp.on_time_percent == Decimal("25.00")
    assert (mytho.assigned, mytho.done_on_time, mytho.on_time_percent) == (1, 1, Decimal("100.00"))
    assert set(figures) == {stp.unit_id, mytho.unit_id}


def test_kpis_follow_the_deadline_the_setting_names(quarter, tracker, settings) -> None:  # type: ignore[no-untyped-def]
    d = quarter["d"]
    step(d, Action.EXTEND, "stp.lanhdao", vn(2026, 3, 20), reason="Chờ ý kiến", new_deadline=date(2026, 4, 10))
    step(d, Action.DECIDE_EXTENSION, tracker.username, vn(2026, 3, 23), approve=True)
    stp = unit("82.STP").pk
    extended = {k.unit_id: k for k in kpi.compute(Q1.first, Q1.last, now=vn(2026, 4, 5))}[stp]
    assert (extended.assigned, extended.overdue_open) == (3, 0)  # D now judged in the second quarter
    settings.MOTCUA_TASK_KPI_DEADLINE = "original"
    original = {k.unit_id: k for k in kpi.compute(Q1.first, Q1.last, now=vn(2026, 4, 5))}[stp]
    assert (original.assigned, original.overdue_open) == (4, 1)


def test_a_published_quarter_is_unchanged_by_later_events(quarter, tracker) -> None:  # type: ignore[no-untyped-def]
    with clock.frozen(vn(2026, 4, 5)):
        kpi.publish(Q1, by=tracker)
    published = list(KpiSnapshot.objects.order_by("unit").values())
    stp = KpiSnapshot.objects.get(unit__code="82.STP")
    assert (stp.assigned, stp.done_on_time, stp.overdue_open, stp.on_time_percent) == (4, 1, 1, Decimal("25.00"))
    ask(quarter["d"], vn(2026, 4, 8))  # D finished late, after publication
    step(quarter["d"], Action.CONFIRM, tracker.username, vn(2026, 4, 9))
    now = {k.unit_id: k for k in kpi.compute(Q1.first, Q1.last, now=vn(2026, 4, 10))}[stp.unit_id]
    assert (now.done_late, now.overdue_open) == (3, 0)  # the live figures moved
    with clock.frozen(vn(2026, 4, 10)), pytest.raises(ConflictError):
        kpi.publish(Q1, by=tracker)
    assert list(KpiSnapshot.objects.order_by("unit").values()) == published


def test_only_a_finished_period_is_published_and_only_by_the_tracker(quarter, tracker) -> None:  # type: ignore[no-untyped-def]
    with clock.frozen(vn(2026, 3, 31, 16)), pytest.raises(DomainError):
        kpi.publish(Q1, by=tracker)
    with clock.frozen(vn(2026, 4, 5)), pytest.raises(NotPermittedError):
        kpi.publish(Q1, by=person("stp.lanhdao"))
    with clock.frozen(vn(2026, 4, 5)), pytest.raises(DomainError):
        kpi.publish(kpi.Period(PeriodKind.QUARTER, 2026, 5), by=tracker)
    assert not KpiSnapshot.objects.exists()


def test_periods() -> None:
    assert (Q1.first, Q1.last) == (date(2026, 1, 1), date(2026, 3, 31))
    half = kpi.Period(PeriodKind.HALF_YEAR, 2026, 2)
    assert (half.first, half.last) == (date(2026, 7, 1), date(2026, 12, 31))
    year = kpi.Period(PeriodKind.YEAR, 2026, 1)
    assert (year.first, year.last) == (date(2026, 1, 1), date(2026, 12, 31))


def test_annual_plan_completion_rate(tracker) -> None:  # type: ignore[no-untyped-def]
    items = [TaskDraft(f"Mục {i}", unit("82.STP"), (), date(2026, 12, 15), "Báo cáo", "100 %") for i in range(4)]
    with clock.frozen(vn(2026, 1, 15)):
        plan = create_plan(unit=unit("82.STP"), year=2026, number="05/KH-STP", issued_on=date(2026, 1, 10),
                           title="Kế hoạch CCHC năm 2026", by=tracker, items=items)  # fmt: skip
        with pytest.raises(ConflictError):
            create_plan(unit=unit("82.STP"), year=2026, number="06/KH-STP", issued_on=date(2026, 1, 12),
                        title="Lần hai", by=tracker, items=items)  # fmt: skip
    first = plan.tasks.order_by("position")[0]
    assert first.target == "100 %" and first.plan_id == plan.pk and first.directive_id is None
    ask(first, vn(2026, 6, 1))
    step(first, Action.CONFIRM, tracker.username, vn(2026, 6, 2))
    assert kpi.plan_completion(plan.pk) == (4, 1, Decimal("25.00"))
