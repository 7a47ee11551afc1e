"""The officers' work queue: pages in deadline order without a full count, both sides of a unit merged."""

from datetime import timedelta

import pytest
from django.db.models import F

from motcua.core import clock
from motcua.dossiers.lifecycle import OPEN, Action
from motcua.dossiers.selectors import list_dossiers_for, my_queue, step_page, unit_queue
from motcua.dossiers.services import Inputs, complete_step, perform
from motcua.dossiers.worklist import queue_page
from motcua.organizations.models import Unit

from .factories import TUESDAY_9AM, load_catalogue, online, receive, user
from .processing_factories import load_processing_catalogue, started

pytestmark = pytest.mark.django_db


def test_pages_follow_the_deadline_order_of_everything_the_officer_may_see() -> None:
    load_catalogue()
    for hours in range(7):
        with clock.frozen(TUESDAY_9AM + timedelta(hours=hours * 5)):
            receive()
    with clock.frozen(TUESDAY_9AM):
        pending = online()  # not accepted yet: no due instant, so it comes last
        withdrawn = receive()
        perform(withdrawn, Action.WITHDRAW, actor=user("mytho.motcua"), reason="Người nộp xin rút")
    officer = user("mytho.motcua")
    expected = list(
        list_dossiers_for(officer).filter(status__in=OPEN).order_by(F("due_at").asc(nulls_last=True), "code")
    )
    assert len(expected) == 8 and expected[-1] == pending and withdrawn not in expected

    pages = [queue_page(officer, statuses=OPEN, number=n, size=3) for n in (1, 2, 3)]
    assert [row.code for page in pages for row in page.rows] == [d.code for d in expected]
    assert [page.has_next for page in pages] == [True, True, False]
    first = pages[0].rows[0]
    assert (first.procedure, first.applicant_name, first.status) == (
        expected[0].version.name,
        expected[0].applicant_name,
        expected[0].status,
    )
    assert first.due_at == expected[0].due_at and first.competent_unit_id == expected[0].competent_unit_id
    everything = [r.code for n in (1, 2, 3) for r in queue_page(officer, statuses=None, number=n, size=3).rows]
    assert withdrawn.code in everything and len(set(everything)) == 9  # all statuses: the withdrawn one too
    assert queue_page(officer, statuses=OPEN, number=9, size=3).rows == []


def test_the_queue_is_scoped_like_every_other_read() -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        mine, theirs = online(), receive()

    def codes(username: str) -> set[str]:
        return {row.code for row in queue_page(user(username), statuses=OPEN, number=1).rows}

    assert codes("0912345678") == {mine.code}
    assert codes("stp.motcua") == set()
    assert codes("quantri") >= {mine.code, theirs.code}


def test_step_queue_pages_hold_the_same_rows_as_the_api_queues() -> None:
    load_processing_catalogue()
    for hours in range(4):
        with clock.frozen(TUESDAY_9AM + timedelta(hours=hours)):
            dossier = started()
            complete_step(dossier, actor=user("stp.motcua"))
            specialist = user("stp.chuyenvien")
            perform(dossier, Action.ASSIGN, actor=user("stp.lanhdao"), inputs=Inputs(assignee=specialist))
    unit = Unit.objects.get(code="82.STP")
    for queue, owner, expected in (
        ("unit", unit.pk, unit_queue(unit.pk)),
        ("mine", specialist.pk, my_queue(specialist)),
    ):
        page = step_page(queue, owner, 1, 3)  # a middle slice: the order and the limits both count
        assert len(page) == 2
        assert [(r.code, r.position, r.unit_id, r.due_at, r.assignee) for r in page] == [
            (s.dossier.code, s.position, s.unit_id, s.due_at, str(specialist)) for s in expected[1:3]
        ]
    history = step_page("history", unit.pk, 0, 10)
    assert len(history) == 4 and [r.completed_at for r in history] == sorted(
        (r.completed_at for r in history), reverse=True
    )
