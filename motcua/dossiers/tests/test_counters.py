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
from motcua.dossiers.counters import Metric as M
from motcua.dossiers.counters import State, Traits, deltas
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import DossierCounter, UnitCounter
from motcua.dossiers.services import SupplementRequest, perform

from .factories import TUESDAY_9AM, load_catalogue, online, receive, user
from .test_concurrency import in_parallel

COUNTER = Traits(unit_id=1, procedure_id=1, online=False, digitised=True)
ONLINE = Traits(unit_id=1, procedure_id=1, online=True, digitised=False)
D = date


def test_receiving_counts_received_open_and_overdue_from_the_day_after_the_due_date() -> None:
    assert deltas(None, State(2, D(2026, 3, 10), D(2026, 3, 13)), COUNTER) == {
        (D(2026, 3, 10), M.RECEIVED): 1,
        (D(2026, 3, 10), M.RECEIVED_DIGITISED): 1,
        (D(2026, 3, 10), M.OPEN): 1,
        (D(2026, 3, 14), M.OVERDUE): 1,
    }


def test_an_online_submission_counts_nothing_until_it_is_accepted() -> None:
    assert deltas(None, State(1, D(2026, 3, 10), None), ONLINE) == {}
    assert deltas(State(1, D(2026, 3, 10), None), State(2, D(2026, 3, 11), D(2026, 3, 12)), ONLINE) == {
        (D(2026, 3, 11), M.RECEIVED): 1,
        (D(2026, 3, 11), M.RECEIVED_ONLINE): 1,
        (D(2026, 3, 11), M.OPEN): 1,
        (D(2026, 3, 13), M.OVERDUE): 1,
    }
    assert deltas(State(1, D(2026, 3, 10), None), State(3, D(2026, 3, 11), None), ONLINE) == {
        (D(2026, 3, 11), M.REFUSED): 1
    }


@pytest.mark.parametrize(
    ("ended_on", "metric"),
    [(D(2026, 3, 12), M.ENDED_EARLY), (D(2026, 3, 13), M.ENDED_ON_TIME), (D(2026, 3, 16), M.ENDED_LATE)],
)
def test_ending_is_early_on_time_or_late_by_date(ended_on: date, metric: M) -> None:
    due = D(2026, 3, 13)
    changes = deltas(State(4, D(2026, 3, 10), due), State(9, ended_on, due), COUNTER)
    assert changes[ended_on, metric] == 1 and changes[ended_on, M.OPEN] == -1
    if metric is M.ENDED_LATE:
        # Overdue since the 14th, ended on the 16th: the overdue stretch is closed on the day it ended.
        assert changes[ended_on, M.OVERDUE] == -1
    else:
        # Not overdue yet: the overdue start written ahead on the 14th is cancelled.
        assert changes[D(2026, 3, 14), M.OVERDUE] == -1


def test_a_late_online_dossier_is_counted_for_the_evaluation() -> None:
    changes = deltas(State(4, D(2026, 3, 10), D(2026, 3, 11)), State(10, D(2026, 3, 12), D(2026, 3, 11)), ONLINE)
    assert changes[D(2026, 3, 12), M.ENDED_LATE_ONLINE] == 1


def test_a_pause_stops_overdue_and_the_resume_starts_it_from_the_new_due_date() -> None:
    paused = deltas(State(4, D(2026, 3, 10), D(2026, 3, 13)), State(5, D(2026, 3, 11), D(2026, 3, 13)), COUNTER)
    assert paused == {(D(2026, 3, 14), M.OVERDUE): -1, (D(2026, 3, 11), M.PAUSED): 1}
    resumed = deltas(State(5, D(2026, 3, 11), D(2026, 3, 13)), State(4, D(2026, 3, 20), D(2026, 3, 24)), COUNTER)
    assert resumed == {(D(2026, 3, 25), M.OVERDUE): 1, (D(2026, 3, 20), M.PAUSED): -1}


def test_an_event_while_overdue_keeps_the_past_and_moves_only_the_future() -> None:
    # Overdue since the 14th; on the 20th an extension moves the due date to the 27th.
    changes = deltas(State(4, D(2026, 3, 10), D(2026, 3, 13)), State(4, D(2026, 3, 20), D(2026, 3, 27)), COUNTER)
    assert changes == {(D(2026, 3, 20), M.OVERDUE): -1, (D(2026, 3, 28), M.OVERDUE): 1}
    # Same status, same due date: nothing changes.
    assert deltas(State(2, D(2026, 3, 10), D(2026, 3, 13)), State(4, D(2026, 3, 11), D(2026, 3, 13)), COUNTER) == {}


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
