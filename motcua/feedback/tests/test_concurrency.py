"""Concurrency on PostgreSQL: two handlers acting on one report at once, one wins; one form sent four times at once,
and four reports on one dossier at once, each filed once with the dossier's events in sequence; a case forwarded and
given to a lower unit at once, one move only."""

import pytest
from django.db import connection

from motcua.core import clock
from motcua.core.errors import ConflictError
from motcua.demo.seed import seed
from motcua.dossiers.lifecycle import Action as DossierAction
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, receive, user
from motcua.dossiers.tests.test_concurrency import in_parallel
from motcua.feedback.lifecycle import Action, Kind, Status, Topic
from motcua.feedback.models import FeedbackCase
from motcua.feedback.services import ExtraPaperReport, Intake, Sender, act, file_case, report_extra_paper
from motcua.organizations.models import Unit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)"),
]
SENDER = Sender("Nguyễn Văn Dân", "Số 5 Lê Lợi", "0912345678")


@pytest.fixture
def dossier():  # type: ignore[no-untyped-def]
    seed(catalogue=False)
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        return receive()


def test_two_handlers_accepting_at_once_one_wins(dossier) -> None:  # type: ignore[no-untyped-def]
    case = report_extra_paper(ExtraPaperReport(dossier, SENDER, "Sổ hộ khẩu"))
    people = iter([user("mytho.lanhdao"), user("giamsat")])
    results = in_parallel(lambda: act(case, Action.ACCEPT, actor=next(people)), 2)
    assert sum(isinstance(r, ConflictError) for r in results) == 1, results
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and [e.action for e in case.events.order_by("sequence")] == [
        "file",
        "accept",
    ]


def test_one_form_sent_four_times_at_once_files_one_case(dossier) -> None:  # type: ignore[no-untyped-def]
    report = ExtraPaperReport(dossier, SENDER, "Sổ hộ khẩu", submission_key="mot-lan")
    results = in_parallel(lambda: report_extra_paper(report).code, 4)
    assert all(isinstance(code, str) for code in results), results
    assert len(set(results)) == 1 and FeedbackCase.objects.count() == 1
    assert DossierEvent.objects.filter(action=DossierAction.REPORT).count() == 1


def test_four_reports_on_one_dossier_at_once_are_all_recorded_in_sequence(dossier) -> None:  # type: ignore[no-untyped-def]
    results = in_parallel(lambda: report_extra_paper(ExtraPaperReport(dossier, SENDER, "Sổ hộ khẩu")).code, 4)
    assert len(set(results)) == 4, results
    sequences = list(dossier.events.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    assert dossier.events.filter(action=DossierAction.REPORT).count() == 4


def test_forwarding_and_giving_a_child_at_once_one_wins(dossier) -> None:  # type: ignore[no-untyped-def]
    case = file_case(Intake(Kind.PAKN, SENDER, "Rườm rà", Topic.REGULATION, Unit.objects.get(code="82.UBND")))
    monitor = user("giamsat")
    moves = iter([
        lambda: act(case, Action.FORWARD, actor=monitor, reason="Thuộc Sở", unit=Unit.objects.get(code="82.STP")),
        lambda: act(case, Action.OPEN_CHILD, actor=monitor, unit=Unit.objects.get(code="28261.UBND")),
    ])  # fmt: skip
    results = in_parallel(lambda: next(moves)(), 2)
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1, results
    case.refresh_from_db()
    events = [e.action for e in case.events.order_by("sequence")]
    assert len(events) == 2 and events[0] == "file"
    assert FeedbackCase.objects.filter(parent=case).count() == (1 if events[1] == "open-child" else 0)
