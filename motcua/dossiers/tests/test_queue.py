"""The officers' work queue: pages in deadline order without a full count, both sides of a unit merged."""

from datetime import timedelta

import pytest
from django.db.models import F

from motcua.core import clock
from motcua.dossiers.lifecycle import OPEN, Action
from motcua.dossiers.selectors import list_dossiers_for, queue_page
from motcua.dossiers.services import perform

from .factories import TUESDAY_9AM, load_catalogue, online, receive, user

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
    assert [d for page in pages for d in page.dossiers] == expected
    assert [page.has_next for page in pages] == [True, True, False]
    everything = [d for n in (1, 2, 3) for d in queue_page(officer, statuses=None, number=n, size=3).dossiers]
    assert withdrawn in everything and len(set(everything)) == 9  # all statuses: the withdrawn one too
    assert queue_page(officer, statuses=OPEN, number=9, size=3).dossiers == []


def test_the_queue_is_scoped_like_every_other_read() -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        mine, theirs = online(), receive()
    citizen_page = queue_page(user("0912345678"), statuses=OPEN, number=1)
    assert citizen_page.dossiers == [mine]
    assert queue_page(user("stp.motcua"), statuses=OPEN, number=1).dossiers == []
    assert {*queue_page(user("quantri"), statuses=OPEN, number=1).dossiers} >= {mine, theirs}
