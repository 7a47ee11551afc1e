"""Counters: the pure event → deltas rule by hand, the in-transaction writer, and replay equality on random streams."""

import contextlib
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError
from motcua.demo.seed import seed
from motcua.dossiers import counters
from motcua.dossiers.counters import Counting, PauseRule, Traits, advance, deltas, event
from motcua.dossiers.counters import Metric as M
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, DossierCounter, UnitCounter
from motcua.dossiers.services import Inputs, StopRequest, SupplementRequest, perform

from .factories import TUESDAY_9AM, load_catalogue, online, receive, user
from .test_concurrency import in_parallel

COUNTER = Traits(unit_id=1, procedure_id=1, online=False, digitised=True)
ONLINE = Traits(unit_id=1, procedure_id=1, online=True, digitised=False)
D = date
METHOD = Counting(supplement_wait=PauseRule.ELAPSED, payment_wait=PauseRule.APPOINTMENT, late_after_requests=1)


def _on(day: int, hour: int = 9, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VIETNAM)


def _changes(
    traits: Traits, *history: tuple[int, datetime, datetime | None], rules: Counting = METHOD
) -> list[dict[tuple[date, M], int]]:
    """The counter changes each event of one dossier's history makes, in order."""
    out, before = [], None
    for status, at, due in history:
        after = advance(before, event(status, at, due), rules)
        out.append(deltas(before, after, traits))
        before = after
    return out


def _total(changes: list[dict[tuple[date, M], int]]) -> dict[tuple[date, M], int]:
    total: dict[tuple[date, M], int] = {}
    for change in changes:
        for key, value in change.items():
            total[key] = total.get(key, 0) + value
    return {key: value for key, value in total.items() if value}


def test_receiving_counts_received_open_and_overdue_from_the_day_after_the_due_date() -> None:
    assert _changes(COUNTER, (2, _on(10), _on(13, 17))) == [
        {
            (D(2026, 3, 10), M.RECEIVED): 1,
            (D(2026, 3, 10), M.RECEIVED_DIGITISED): 1,
            (D(2026, 3, 10), M.OPEN): 1,
            (D(2026, 3, 14), M.OVERDUE): 1,
        }
    ]


def test_an_online_submission_counts_nothing_until_it_is_accepted() -> None:
    submitted, accepted = _changes(ONLINE, (1, _on(10), None), (2, _on(11), _on(12, 17)))
    assert submitted == {}
    assert accepted == {
        (D(2026, 3, 11), M.RECEIVED): 1,
        (D(2026, 3, 11), M.RECEIVED_ONLINE): 1,
        (D(2026, 3, 11), M.OPEN): 1,
        (D(2026, 3, 13), M.OVERDUE): 1,
    }
    assert _changes(ONLINE, (1, _on(10), None), (3, _on(11), None))[1] == {(D(2026, 3, 11), M.REFUSED): 1}


def test_papers_asked_before_acceptance_count_nothing_and_acceptance_counts_once() -> None:
    history = _changes(ONLINE, (1, _on(10), None), (5, _on(10, 10), None), (1, _on(11), None), (2, _on(12), _on(13)))
    assert history[:3] == [{}, {}, {}]
    assert history[3][D(2026, 3, 12), M.RECEIVED] == 1 and history[3][D(2026, 3, 12), M.OPEN] == 1
    # Withdrawn (5 -> 7) or refused before acceptance: outside 2.1.
    assert _total(_changes(ONLINE, (1, _on(10), None), (5, _on(10, 10), None), (7, _on(11), None))) == {}


@pytest.mark.parametrize(
    ("ended_on", "metric"),
    [(D(2026, 3, 12), M.ENDED_EARLY), (D(2026, 3, 13), M.ENDED_ON_TIME), (D(2026, 3, 16), M.ENDED_LATE)],
)
@pytest.mark.parametrize("status", [9, 8, 7])
def test_finishing_stopping_or_withdrawal_ends_early_on_time_or_late_by_date(
    ended_on: date, metric: M, status: int
) -> None:
    due = _on(13, 17)
    ended = _changes(COUNTER, (4, _on(10), due), (status, _on(ended_on.day, 16), due))[1]
    assert ended[ended_on, metric] == 1 and ended[ended_on, M.OPEN] == -1
    assert (ended_on, M.PAUSED) not in ended
    if metric is M.ENDED_LATE:
        # Overdue since the 14th, ended on the 16th: the overdue stretch is closed on the day it ended.
        assert ended[ended_on, M.OVERDUE] == -1
    else:
        # Not overdue yet: the overdue start written ahead on the 14th is cancelled.
        assert ended[D(2026, 3, 14), M.OVERDUE] == -1


def test_a_late_online_dossier_is_counted_for_the_evaluation() -> None:
    ended = _changes(ONLINE, (4, _on(10), _on(11)), (10, _on(12), _on(11)))[1]
    assert ended[D(2026, 3, 12), M.ENDED_LATE_ONLINE] == 1


def test_a_pause_before_the_due_date_stops_overdue_and_the_resume_starts_it_again() -> None:
    # Asked on the 11th (due the 13th at 17:00), papers back on the 20th 17:00: the method adds 9 days to the end.
    _, paused, resumed = _changes(
        COUNTER, (4, _on(10), _on(13, 17)), (5, _on(11, 17), _on(13, 17)), (4, _on(20, 17), _on(24, 17))
    )
    assert paused == {(D(2026, 3, 14), M.OVERDUE): -1, (D(2026, 3, 11), M.PAUSED): 1}
    assert resumed == {(D(2026, 3, 23), M.OVERDUE): 1, (D(2026, 3, 20), M.PAUSED): -1}


def test_a_request_after_the_due_date_keeps_the_dossier_overdue_and_ends_it_late() -> None:
    _, paused, withdrawn = _changes(
        COUNTER, (4, _on(10), _on(11, 17)), (5, _on(13), _on(11, 17)), (7, _on(20), _on(11, 17))
    )
    assert paused == {(D(2026, 3, 13), M.PAUSED): 1}  # overdue since the 12th, and it stays so
    assert withdrawn[D(2026, 3, 20), M.ENDED_LATE] == 1 and withdrawn[D(2026, 3, 20), M.OVERDUE] == -1


def test_a_dossier_stopped_while_waiting_ends_at_the_request() -> None:
    # Asked on the 11th, before the due date (the 13th); stopped on the 20th: the end is the request, so early.
    ended = _changes(COUNTER, (4, _on(10), _on(13, 17)), (5, _on(11), _on(13, 17)), (8, _on(20), _on(13, 17)))[2]
    assert ended[D(2026, 3, 20), M.ENDED_EARLY] == 1 and ended[D(2026, 3, 20), M.PAUSED] == -1


def test_a_second_request_is_late_only_in_a_version_with_that_rule() -> None:
    history = (
        (4, _on(10), _on(13, 17)),
        (5, _on(10, 10), _on(13, 17)),
        (4, _on(10, 11), _on(13, 17)),
        (5, _on(10, 14), _on(13, 17)),
        (4, _on(10, 15), _on(13, 17)),
        (9, _on(11), _on(13, 17)),
    )
    late = _total(_changes(COUNTER, *history))
    assert late[D(2026, 3, 11), M.ENDED_LATE] == 1
    assert (D(2026, 3, 10), M.OVERDUE) in late  # overdue from the second request to the end
    older = Counting(PauseRule.ELAPSED, PauseRule.APPOINTMENT, late_after_requests=None)
    assert _total(_changes(COUNTER, *history, rules=older))[D(2026, 3, 11), M.ENDED_EARLY] == 1


def test_the_method_subtracts_a_supplement_wait_the_appointment_keeps_a_payment_wait() -> None:
    """Waited from Wednesday 16:00 to Friday 16:45 with one working hour left: the appointment moved to Monday."""

    def history(wait: int) -> tuple[tuple[int, datetime, datetime], ...]:
        return (
            (4, _on(10), _on(11, 17)),
            (wait, _on(11, 16), _on(11, 17)),
            (4, _on(13, 16, 45), _on(16, 7, 45)),
            (9, _on(16, 10), _on(16, 7, 45)),
        )

    # Supplement (the method): Monday 10:00 - 2 days 45 minutes = Saturday, after Wednesday: late.
    assert _total(_changes(COUNTER, *history(5)))[D(2026, 3, 16), M.ENDED_LATE] == 1
    # Payment (the appointment): finished on Monday, the appointment's day: on time.
    assert _total(_changes(COUNTER, *history(6)))[D(2026, 3, 16), M.ENDED_ON_TIME] == 1


def test_an_event_while_overdue_keeps_the_past_and_moves_only_the_future() -> None:
    # Overdue since the 14th; on the 20th a calendar recomputation moves the due date to the 27th.
    moved = _changes(COUNTER, (4, _on(10), _on(13, 17)), (4, _on(20), _on(27, 17)))[1]
    assert moved == {(D(2026, 3, 20), M.OVERDUE): -1, (D(2026, 3, 28), M.OVERDUE): 1}
    # Same status, same due date (a hand-over, a result attached or signed): nothing changes.
    assert _changes(COUNTER, (2, _on(10), _on(13, 17)), (4, _on(11), _on(13, 17)), (4, _on(20), _on(13, 17)))[1:] == [
        {},
        {},
    ]


# -- through the services ---------------------------------------------------------------------------------------


@pytest.fixture
def catalogue(db: None) -> None:
    load_catalogue()


def _unit_values() -> dict[tuple[str, date, str], int]:
    return {(s, d, m): v for (_unit, s, d, m), v in counters.stored()[1].items()}


@pytest.mark.django_db
def test_intake_writes_day_month_and_year_counters_in_its_transaction(catalogue: None) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
    day = D(2026, 3, 10)
    values = _unit_values()
    for span, start in (("D", day), ("M", D(2026, 3, 1)), ("Y", D(2026, 1, 1))):
        assert values[span, start, "received"] == 1 and values[span, start, "open"] == 1
    assert DossierCounter.objects.filter(unit=dossier.competent_unit, span="D", metric="received").get().value == 1
    assert dossier.events.get().due_at == dossier.due_at


@pytest.mark.django_db
def test_a_refused_action_changes_no_counter(catalogue: None) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
        before = _unit_values()
        with pytest.raises(DomainError):
            perform(dossier, Action.WITHDRAW, actor=user("mytho.motcua"), reason="")
    assert _unit_values() == before


ACTIONS = st.sampled_from(
    [Action.ACCEPT, Action.REFUSE, Action.START, Action.REQUEST_SUPPLEMENT, Action.SUBMIT_SUPPLEMENT, Action.WITHDRAW]
)


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    streams=st.lists(
        st.tuples(st.booleans(), st.lists(st.tuples(ACTIONS, st.integers(0, 9 * 24)), max_size=6)),
        min_size=1,
        max_size=4,
    )
)
def test_replaying_the_events_gives_the_stored_counters(catalogue: None, streams: list) -> None:  # type: ignore[type-arg]
    """Random dossiers and random action streams over days and weeks: the replay equals what was written live."""
    officer = user("mytho.motcua")
    at = datetime(2026, 2, 2, 8, 0, tzinfo=VIETNAM)
    component = Component.objects.filter(case__version__procedure__code="1.001193").order_by("position")[0]
    for is_online, actions in streams:
        with clock.frozen(at):
            dossier = online() if is_online else receive()
        for action, hours in actions:
            at += timedelta(hours=hours)
            actor = user("0912345678") if action is Action.SUBMIT_SUPPLEMENT and is_online else officer
            items = (SupplementRequest(component.pk, "Thiếu chữ ký"),) if action is Action.REQUEST_SUPPLEMENT else ()
            with clock.frozen(at), contextlib.suppress(DomainError):  # not possible now: the stream goes on
                dossier = perform(dossier, action, actor=actor, reason="Lý do", supplements=items).dossier
    detail, units = counters.bucketed(counters.replay())
    stored_detail, stored_units = counters.stored()
    assert counters.differences(detail, stored_detail) == []
    assert counters.differences(units, stored_units) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
def test_parallel_intake_counts_every_dossier_once() -> None:
    seed(catalogue=False)
    load_catalogue()
    results = in_parallel(lambda: receive().code, 8)
    assert all(isinstance(code, str) for code in results), results
    assert UnitCounter.objects.get(span="D", start=TUESDAY_9AM.date()).received == 8
    detail, units = counters.bucketed(counters.replay())
    assert counters.differences(detail, counters.stored()[0]) == []
    assert counters.differences(units, counters.stored()[1]) == []


# -- the rules of QĐ 766 indicator 2.1 (DOMAIN-2.md §1.2), through the services ---------------------------------------

OFFICER, LEADER, CITIZEN = "mytho.motcua", "mytho.lanhdao", "0912345678"


def _act(dossier: Dossier, action: Action, at: datetime, actor: str = OFFICER) -> Dossier:
    """Perform an action at an instant, with the reason, papers and stop request (Form 05) the action asks for."""
    component = dossier.case.components.order_by("position")[0]
    items = (SupplementRequest(component.pk, "Thiếu chữ ký"),) if action is Action.REQUEST_SUPPLEMENT else ()
    inputs = Inputs(stop=stop_request(dossier)) if action is Action.STOP else None
    with clock.frozen(at):
        return perform(dossier, action, actor=user(actor), reason="Lý do", supplements=items, inputs=inputs).dossier


def stop_request(dossier: Dossier) -> StopRequest:
    """The applicant's written request to stop, dated the day they filed the dossier; no fee was paid."""
    return StopRequest("Đơn đề nghị dừng giải quyết của người nộp", dossier.submitted_at.astimezone(VIETNAM).date())


def _figures(day: date) -> dict[str, int]:
    """The unit's figures at the end of a day, from the day counters: flows of that day, stocks as of that day."""
    out: dict[str, int] = {}
    for (_unit, span, start, metric), value in counters.stored()[1].items():
        if span == "D" and (start == day or (metric in counters.STOCKS and start <= day)):
            out[metric] = out.get(metric, 0) + value
    return {metric: value for metric, value in out.items() if value}


@pytest.mark.django_db
@pytest.mark.parametrize(("stopped_on", "figure"), [(10, "ended_early"), (11, "ended_on_time"), (13, "ended_late")])
def test_a_stopped_dossier_has_ended_early_on_time_or_late_by_its_stop(
    catalogue: None, stopped_on: int, figure: str
) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()  # due Wednesday 11/03 09:00
    _act(dossier, Action.START, _on(10, 10))
    stopped = _act(dossier, Action.STOP, _on(stopped_on, 16), actor=LEADER)
    assert stopped.closed_at == _on(stopped_on, 16)
    ended = _figures(D(2026, 3, stopped_on))
    assert ended.get(figure) == 1
    assert "open" not in ended and "paused" not in ended and "overdue" not in ended
    assert _figures(D(2026, 4, 30)) == {}  # nothing stays open, paused or overdue afterwards


@pytest.mark.django_db
def test_reception_is_counted_once_when_the_dossier_is_accepted(catalogue: None) -> None:
    with clock.frozen(_on(10, 8)):
        dossier = online()
    _act(dossier, Action.REQUEST_SUPPLEMENT, _on(10, 9))  # 1 → 5: sent back for papers before acceptance
    assert _figures(D(2026, 3, 10)) == {}
    _act(dossier, Action.SUBMIT_SUPPLEMENT, _on(11, 9), actor=CITIZEN)  # 5 → 1
    assert _figures(D(2026, 3, 11)) == {}
    _act(dossier, Action.ACCEPT, _on(12, 9))  # 1 → 2
    assert _figures(D(2026, 3, 12)) == {"received": 1, "received_online": 1, "open": 1}


@pytest.mark.django_db
@pytest.mark.parametrize("sent_back", [True, False])
def test_a_dossier_withdrawn_before_acceptance_is_outside_the_index(catalogue: None, sent_back: bool) -> None:
    with clock.frozen(_on(10, 8)):
        dossier = online()
    if sent_back:
        _act(dossier, Action.REQUEST_SUPPLEMENT, _on(10, 9))
    withdrawn = _act(dossier, Action.WITHDRAW, _on(11, 9), actor=CITIZEN)  # 5 → 7 or 1 → 7
    assert withdrawn.closed_at is not None
    assert counters.stored() == ({}, {})


@pytest.mark.django_db
def test_a_refusal_before_acceptance_counts_only_as_refused(catalogue: None) -> None:
    with clock.frozen(_on(10, 8)):
        dossier = online()
    _act(dossier, Action.REFUSE, _on(10, 9))
    assert _figures(D(2026, 3, 10)) == {"refused": 1}


@pytest.mark.django_db
def test_waiting_for_papers_asked_after_the_due_date_leaves_the_dossier_late(catalogue: None) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()  # due Wednesday 11/03 09:00
    _act(dossier, Action.START, _on(10, 10))
    assert _figures(D(2026, 3, 12))["overdue"] == 1
    _act(dossier, Action.REQUEST_SUPPLEMENT, _on(13, 9))  # Friday, two days late
    waiting = _figures(D(2026, 3, 16))
    assert (waiting["open"], waiting["paused"], waiting["overdue"]) == (1, 1, 1)
    _act(dossier, Action.WITHDRAW, _on(20, 9))  # the papers never came: end = the time of the request
    assert _figures(D(2026, 3, 20)).get("ended_late") == 1


@pytest.mark.django_db
def test_a_second_supplement_request_makes_the_dossier_late_whatever_its_dates(catalogue: None) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()  # due Wednesday 11/03 09:00
    _act(dossier, Action.START, _on(10, 10))
    _act(dossier, Action.REQUEST_SUPPLEMENT, _on(10, 11))
    _act(dossier, Action.SUBMIT_SUPPLEMENT, _on(10, 14))
    assert "overdue" not in _figures(D(2026, 3, 10))
    dossier = _act(dossier, Action.REQUEST_SUPPLEMENT, _on(10, 15))
    assert dossier.supplement_rounds == 2
    assert _figures(D(2026, 3, 10))["overdue"] == 1  # late from the second request on, though not due yet
    _act(dossier, Action.SUBMIT_SUPPLEMENT, _on(11, 8))
    _act(dossier, Action.WITHDRAW, _on(11, 9))
    assert _figures(D(2026, 3, 11)).get("ended_late") == 1


@pytest.mark.django_db
def test_the_index_subtracts_the_elapsed_wait_where_the_appointment_moves_by_working_time(catalogue: None) -> None:
    """DOMAIN-2.md §1.2, 2.1: end time -= (papers back - request); the appointment keeps the working time left."""
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()  # due Wednesday 11/03 09:00
    _act(dossier, Action.START, _on(10, 10))
    _act(dossier, Action.REQUEST_SUPPLEMENT, _on(11, 8))  # one working hour left
    resumed = _act(dossier, Action.SUBMIT_SUPPLEMENT, _on(13, 16, 30))  # Friday 16:30: waited 2 days 8 h 30
    # The dossier's appointment: 30 minutes on Friday, 30 on Monday morning.
    assert resumed.due_at == _on(16, 7, 30)
    # The method: overdue once (end of day - 2 days 8 h 30) passes Wednesday, i.e. from Saturday 14/03.
    assert "overdue" not in _figures(D(2026, 3, 13))
    assert _figures(D(2026, 3, 14))["overdue"] == 1
    _act(dossier, Action.WITHDRAW, _on(16, 10))  # Monday 10:00 - 2 days 8 h 30 = Saturday: late
    assert _figures(D(2026, 3, 16)).get("ended_late") == 1
