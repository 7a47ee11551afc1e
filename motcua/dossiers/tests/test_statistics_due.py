"""The date statistics compare with (QĐ 766, NgayHenTra): the original appointment, moved by pauses and calendar
changes even after a Form 04 extension promised a later date; and when the national record says a dossier ended."""

from datetime import date, datetime

import pytest

from motcua.core.clock import VIETNAM
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.national import sync_record
from motcua.dossiers.services import Inputs, StopRequest, SupplementRequest, perform, watch_deadlines
from motcua.worktime.models import DayKind
from motcua.worktime.services import set_calendar_day

from .factories import TUESDAY_9AM, user
from .processing_factories import load_processing_catalogue, started
from .test_processing import travel

pytestmark = pytest.mark.django_db
DUE = datetime(2026, 3, 31, 9, 0, tzinfo=VIETNAM)  # 15 working days after Tuesday 10/03/2026 09:00
PROMISED = datetime(2026, 4, 8, 17, 0, tzinfo=VIETNAM)


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    load_processing_catalogue()


def extended(frozen: object) -> Dossier:
    """A dossier of 1.999015 whose leader promised 08/04/2026 in Form 04 on Friday 20/03."""
    dossier = started()
    assert dossier.due_at == DUE
    frozen.move_to(datetime(2026, 3, 20, 9, 0, tzinfo=VIETNAM))  # type: ignore[attr-defined]
    perform(dossier, Action.EXTEND, actor=user("stp.lanhdao"), reason="Chờ ý kiến", inputs=Inputs(new_due_at=PROMISED))
    dossier.refresh_from_db()
    assert (dossier.statistics_due_at, dossier.due_at) == (DUE, PROMISED)
    return dossier


def test_a_supplement_pause_after_an_extension_moves_the_statistics_date_too() -> None:
    with travel(TUESDAY_9AM) as frozen:
        dossier = extended(frozen)
        paper = dossier.case.components.first()
        assert paper is not None
        frozen.move_to(datetime(2026, 3, 23, 9, 0, tzinfo=VIETNAM))  # Monday
        reason = "Tờ khai chưa ký"
        asked = (SupplementRequest(paper.pk, reason),)
        perform(dossier, Action.REQUEST_SUPPLEMENT, actor=user("stp.motcua"), reason=reason, supplements=asked)
        frozen.move_to(datetime(2026, 3, 25, 9, 0, tzinfo=VIETNAM))  # Wednesday: two working days paused
        perform(dossier, Action.SUBMIT_SUPPLEMENT, actor=user("stp.motcua"))
    dossier.refresh_from_db()
    assert dossier.statistics_due_at == datetime(2026, 4, 2, 9, 0, tzinfo=VIETNAM)
    assert dossier.due_at == datetime(2026, 4, 10, 17, 0, tzinfo=VIETNAM)  # the promise moves as well
    record = sync_record(dossier)
    assert record["NgayHenTra"].startswith("2026-04-02")  # the original appointment, not the promise


def test_a_calendar_change_after_an_extension_moves_the_statistics_date_and_keeps_the_promise() -> None:
    with travel(TUESDAY_9AM) as frozen:
        dossier = extended(frozen)
        set_calendar_day(day=date(2026, 3, 27), kind=DayKind.OFF, name="Nghỉ đột xuất", legal_basis="Thử", actor=None)
        assert watch_deadlines().recomputed == 1
    dossier.refresh_from_db()
    assert dossier.statistics_due_at == datetime(2026, 4, 1, 9, 0, tzinfo=VIETNAM)  # one working day later
    assert dossier.due_at == PROMISED
    event = dossier.events.get(action=Action.RECOMPUTE_DUE)
    assert event.details["new_original_due_at"].startswith("2026-04-01")


@pytest.mark.parametrize(
    ("action", "actor", "ended"),
    [(Action.WITHDRAW, "stp.motcua", Status.WITHDRAWN), (Action.STOP, "stp.lanhdao", Status.STOPPED)],
)
def test_the_national_record_ends_withdrawn_and_stopped_dossiers(action: Action, actor: str, ended: Status) -> None:
    with travel(TUESDAY_9AM) as frozen:
        dossier = started()
        assert sync_record(dossier)["NgayKetThucXuLy"] is None
        frozen.move_to(datetime(2026, 3, 12, 10, 0, tzinfo=VIETNAM))
        stop = StopRequest("Đơn đề nghị dừng của người nộp", date(2026, 3, 12), 0, "Không thu phí")
        inputs = Inputs(stop=stop) if action is Action.STOP else Inputs()
        perform(dossier, action, actor=user(actor), reason="Người nộp đề nghị", inputs=inputs)
    dossier.refresh_from_db()
    assert dossier.status == ended
    assert sync_record(dossier)["NgayKetThucXuLy"].startswith("2026-03-12T10:00")
