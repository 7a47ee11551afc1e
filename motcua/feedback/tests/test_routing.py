"""Cases across levels: sent above the competent level (vượt cấp) → a child at the competent unit, the parent waiting
and closing with its answer, counted once; forwarded sideways with the clocks restarting; the leaders' count."""

from datetime import datetime

import pytest

from motcua.conftest import browser_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError, NotPermittedError
from motcua.dossiers.tests.factories import load_catalogue, unit, user
from motcua.feedback import rules, selectors
from motcua.feedback.lifecycle import Action, Kind, Rating, Status, Topic
from motcua.feedback.models import FeedbackCase
from motcua.feedback.services import Intake, Sender, act, file_case
from motcua.indices.figures import figures_by_unit
from motcua.indices.periods import custom_period
from motcua.notifications.models import OutgoingMessage

pytestmark = pytest.mark.django_db
TUESDAY = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)
SENDER = Sender("Nguyễn Văn Dân", "Số 5 Lê Lợi", "0912345678", "dan@example.vn")


@pytest.fixture(autouse=True)
def _world() -> None:
    load_catalogue()


def pakn(**changes: object) -> Intake:
    return Intake(Kind.PAKN, SENDER, "Xã chậm trả lời.", Topic.REGULATION, unit("28261.UBND"), **changes)  # type: ignore[arg-type]


def test_a_case_sent_above_is_handled_below_and_closes_with_the_answer() -> None:
    with clock.frozen(TUESDAY):
        parent = file_case(pakn(addressed_unit=unit("82.UBND")))
    child = parent.children.get()
    assert (parent.handling_unit.code, parent.skipped_level, parent.status) == ("82.UBND", True, Status.ACCEPTED)
    assert (child.handling_unit.code, child.status, child.due_at) == ("28261.UBND", Status.RECEIVED, parent.due_at)
    assert [e.action for e in parent.events.order_by("sequence")] == ["file", "open-child"]
    # The province monitor watches the parent; it waits for the commune's answer.
    monitor, chairman = user("giamsat"), user("mytho.lanhdao")
    assert {o.refusal for o in rules.offers(parent, monitor)} == {rules.WAITING.format(code=child.code)}
    with pytest.raises(NotPermittedError):
        act(parent, Action.CONCLUDE, actor=monitor, reason="Trả lời thay", verified=True)
    routes = selectors.routes_of(parent)
    assert routes[0].details["unit"] == "28261.UBND" and routes[0].details["due_at"]
    with clock.frozen(TUESDAY.replace(day=12)):
        act(child, Action.ACCEPT, actor=chairman)
        act(child, Action.CONCLUDE, actor=chairman, reason="Đã trả lời ông Dân.", verified=True)
    parent.refresh_from_db()
    assert (parent.status, parent.conclusion, parent.verified) == (Status.CONCLUDED, "Đã trả lời ông Dân.", True)
    told = OutgoingMessage.objects.filter(reference=parent.code, recipient="dan@example.vn")
    assert told.filter(subject__contains="đã có kết luận").exists()
    # QĐ 766 counts it once, at the commune.
    with clock.frozen(datetime(2026, 4, 2, 9, 0, tzinfo=VIETNAM)):
        figures = figures_by_unit(custom_period(TUESDAY.date(), TUESDAY.date().replace(day=31)))
    assert figures[unit("28261.UBND").pk].pakn_received == 1 and unit("82.UBND").pk not in figures
    # The commune's leaders see how many of their citizens went above them.
    counted = selectors.skipped_level_by_unit(selectors.cases_for(chairman))
    assert counted == [{"handling_unit__name": unit("28261.UBND").name, "sent_above": 1, "after_lower": 0}]


def test_sent_above_after_a_disliked_answer_below_is_marked() -> None:
    earlier = file_case(pakn())
    chairman = user("mytho.lanhdao")
    act(earlier, Action.ACCEPT, actor=chairman)
    act(earlier, Action.CONCLUDE, actor=chairman, reason="Đúng quy định.", verified=False)
    act(earlier, Action.RATE, actor=None, as_sender=True, rating=Rating.UNSATISFIED)
    again = file_case(pakn(addressed_unit=unit("82.UBND")))
    assert (again.skipped_level, again.after_lower) == (True, True)
    sideways = file_case(pakn(addressed_unit=unit("82.STP")))  # not above the commune: taken straight where due
    assert (sideways.handling_unit.code, sideways.skipped_level) == ("28261.UBND", False)
    assert sideways.events.get().details["addressed"] == "82.STP"


def test_forwarded_outside_competence_with_the_clocks_restarting() -> None:
    with clock.frozen(TUESDAY):
        case = file_case(pakn())
    chairman = user("mytho.lanhdao")
    with pytest.raises(DomainError):
        act(case, Action.FORWARD, actor=chairman, reason="Không thuộc thẩm quyền", unit=unit("28261.UBND"))
    with pytest.raises(DomainError):
        act(case, Action.OPEN_CHILD, actor=chairman, unit=unit("82.STP"))  # not below the commune
    unchanged = FeedbackCase.objects.get(pk=case.pk)  # refused: nothing moved, no event, no child
    assert (unchanged.handling_unit.code, unchanged.events.count(), unchanged.children.count()) == ("28261.UBND", 1, 0)
    with clock.frozen(TUESDAY.replace(day=11)):
        act(case, Action.FORWARD, actor=chairman, reason="Thuộc lĩnh vực tư pháp", unit=unit("82.STP"))
    case = FeedbackCase.objects.get(pk=case.pk)
    assert (case.handling_unit.code, case.status) == ("82.STP", Status.RECEIVED)
    # 2 and 15 working days from Wednesday 11/03, the day it reached the department.
    assert case.accept_due_at.astimezone(VIETNAM).date().isoformat() == "2026-03-13"
    assert case.due_at.astimezone(VIETNAM).date().isoformat() == "2026-04-01"
    assert case not in selectors.cases_for(chairman) and case in selectors.cases_for(user("stp.lanhdao"))
    assert selectors.routes_of(case)[0].details["from"] == "28261.UBND"


def test_the_tracking_page_shows_where_the_case_went() -> None:
    with clock.frozen(TUESDAY):
        parent = file_case(pakn(addressed_unit=unit("82.UBND")))
    page = browser_for(None).get("/phan-anh/theo-doi/", {"ma": parent.code, "k": parent.tracking_secret})
    assert "data-routes" in page.content.decode() and unit("28261.UBND").name in page.content.decode()
