"""Processing journeys through the one writer: steps in order, transfers, pauses, extension, stop, return, rating."""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, datetime, timedelta

import pytest

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierEvent, StepTask
from motcua.dossiers.processing import Alert, Rating, StepState
from motcua.dossiers.selectors import Indicators, indicators_of, review_list_for
from motcua.dossiers.services import (
    Evaluation,
    Inputs,
    StopRequest,
    SupplementRequest,
    attach_result,
    complete_step,
    mark_reviewed,
    perform,
    watch_deadlines,
)
from motcua.notifications.models import OutgoingMessage
from motcua.worktime.arithmetic import DeadlineStatus, status

from .factories import TUESDAY_9AM, user
from .processing_factories import PDF, department_head, department_officer, file, load_processing_catalogue

pytestmark = pytest.mark.django_db
TUESDAY_1530 = datetime(2026, 3, 10, 15, 30, tzinfo=VIETNAM)


class Travel:
    """A frozen clock that can be moved forward within one test."""

    def __init__(self, stack: ExitStack) -> None:
        self.stack = stack

    def move_to(self, at: datetime) -> None:
        self.stack.enter_context(clock.frozen(at))


@contextmanager
def travel(start: datetime) -> Iterator[Travel]:
    with ExitStack() as stack:
        traveller = Travel(stack)
        traveller.move_to(start)
        yield traveller


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    load_processing_catalogue()


def snapshot(dossier: Dossier) -> tuple[object, ...]:
    dossier.refresh_from_db()
    steps = list(
        StepTask.objects.filter(dossier=dossier).values_list("state", "assignee", "due_at").order_by("position")
    )
    return dossier.status, dossier.due_at, dossier.events.count(), steps


def test_same_day_certification_after_15h_is_due_next_working_day_and_goes_through_every_step() -> None:
    with travel(TUESDAY_1530) as frozen:
        dossier = file("2.000815", officer="mytho.motcua", at="28261.TTPVHCC")
        # Received after 15:00: due at closing time of the next working day (DOMAIN.md §1.3(b)).
        assert dossier.due_at == datetime(2026, 3, 11, 17, 0, tzinfo=VIETNAM)
        perform(dossier, Action.START, actor=user("mytho.motcua"))
        steps = list(dossier.steps.order_by("position"))
        assert [s.unit.code for s in steps] == ["28261.TTPVHCC", "28261.UBND", "28261.UBND", "28261.TTPVHCC"]
        assert [s.state for s in steps] == [StepState.ACTIVE, StepState.PENDING, StepState.PENDING, StepState.PENDING]
        assert steps[0].due_at == datetime(2026, 3, 10, 16, 30, tzinfo=VIETNAM)  # 1 working hour
        first = complete_step(dossier, actor=user("mytho.motcua"))
        assert first.event.action == Action.TRANSFER and first.event.details["to_unit"] == "28261.UBND"
        frozen.move_to(datetime(2026, 3, 11, 8, 0, tzinfo=VIETNAM))
        perform(dossier, Action.CLAIM, actor=user("mytho.chuyenvien"))
        # The check step drafts the result; the chairman may do the vice-chairman's step (ND 30/2020 art. 13).
        attach_result(dossier, actor=user("mytho.chuyenvien"), title="Bản sao có chứng thực", pdf=PDF)
        assert complete_step(dossier, actor=user("mytho.chuyenvien")).event.action == Action.COMPLETE_STEP
        assert complete_step(dossier, actor=user("mytho.lanhdao")).event.action == Action.TRANSFER
        frozen.move_to(datetime(2026, 3, 11, 16, 0, tzinfo=VIETNAM))
        done = complete_step(dossier, actor=user("mytho.motcua"))
        assert done.event.action == Action.COMPLETE and done.dossier.status == Status.FINISHED
        assert status(done.dossier.closed_at, done.dossier.statistics_due_at) is DeadlineStatus.ON_TIME
        perform(dossier, Action.RETURN_RESULT, actor=user("mytho.motcua"), inputs=Inputs(return_channel="counter"))
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.returned_at is not None
    assert list(StepTask.objects.filter(dossier=dossier).values_list("state", flat=True)) == [StepState.DONE] * 4
    results = [e.details.get("step_result") for e in dossier.events.order_by("sequence") if "step_result" in e.details]
    assert results == ["on_time"] * 4  # each step finished on the date it was due (date level, §1.6)


def test_fifteen_day_provincial_procedure_with_transfer_supplement_and_extension() -> None:
    specialist, leader, counter = user("stp.chuyenvien"), user("stp.lanhdao"), user("stp.motcua")
    other = department_officer()
    leader.email = "giamdoc.stp@example.vn"
    leader.save(update_fields=["email"])
    with travel(TUESDAY_9AM) as frozen:
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        assert dossier.due_at == datetime(2026, 3, 31, 9, 0, tzinfo=VIETNAM)  # 15 working days
        perform(dossier, Action.START, actor=counter)
        assert complete_step(dossier, actor=counter).event.action == Action.COMPLETE_STEP  # same unit
        perform(dossier, Action.CLAIM, actor=specialist)
        # The specialist cannot contact the applicant: the supplement goes out through the one-stop counter.
        with pytest.raises(NotPermittedError):
            perform(dossier, Action.REQUEST_SUPPLEMENT, actor=specialist, reason="Thiếu giấy tờ")
        component = dossier.case.components.first()
        frozen.move_to(datetime(2026, 3, 12, 9, 0, tzinfo=VIETNAM))
        perform(
            dossier,
            Action.REQUEST_SUPPLEMENT,
            actor=counter,
            reason="Tờ khai chưa ký",
            supplements=(SupplementRequest(component.pk, "Tờ khai chưa ký"),),  # type: ignore[union-attr]
        )
        frozen.move_to(datetime(2026, 3, 16, 9, 0, tzinfo=VIETNAM))  # two working days later (Thu, Fri paused)
        perform(dossier, Action.SUBMIT_SUPPLEMENT, actor=counter)
        dossier.refresh_from_db()
        assert dossier.status == Status.PROCESSING
        assert dossier.due_at == datetime(2026, 4, 2, 9, 0, tzinfo=VIETNAM)  # moved by the two paused days
        attach_result(dossier, actor=specialist, title="Văn bản thẩm định", pdf=PDF)
        transfer = complete_step(dossier, actor=specialist)
        assert transfer.event.action == Action.TRANSFER and transfer.event.details["to_unit"] == "82.SNNMT"
        # The other department now holds the dossier; the first department's specialist cannot act on it.
        with pytest.raises(NotPermittedError):
            complete_step(dossier, actor=specialist)
        frozen.move_to(datetime(2026, 3, 30, 9, 0, tzinfo=VIETNAM))
        complete_step(dossier, actor=other)
        frozen.move_to(datetime(2026, 4, 1, 8, 0, tzinfo=VIETNAM))  # D-1 of Thu 02/04
        report = watch_deadlines()
        assert report.dossiers_flagged == 1
        dossier.refresh_from_db()
        assert dossier.alert_level == Alert.APOLOGY_DUE
        assert OutgoingMessage.objects.filter(recipient=leader.email, reference=dossier.code).exists()
        new_due = datetime(2026, 4, 8, 17, 0, tzinfo=VIETNAM)
        with pytest.raises(NotPermittedError):  # only the competent unit's leader signs Form 04
            perform(dossier, Action.EXTEND, actor=specialist, reason="Chờ ý kiến", inputs=Inputs(new_due_at=new_due))
        # The other department's step ran over its time: that department issues the apology, its director signs.
        with pytest.raises(DomainError, match="cần chọn người ký của Sở Nông nghiệp và Môi trường"):
            perform(dossier, Action.EXTEND, actor=leader, reason="Chờ ý kiến", inputs=Inputs(new_due_at=new_due))
        extended = perform(
            dossier,
            Action.EXTEND,
            actor=leader,
            reason="Chờ ý kiến của Sở Nông nghiệp và Môi trường",
            inputs=Inputs(new_due_at=new_due, signer=department_head()),
        )
        assert extended.event.details["issuing_unit"] == "82.SNNMT"
        assert extended.event.details["signer"] == "snnmt.giamdoc"
        dossier.refresh_from_db()
        assert dossier.due_at == new_due and dossier.original_due_at == datetime(2026, 4, 2, 9, 0, tzinfo=VIETNAM)
        assert dossier.alert_level == Alert.NONE and watch_deadlines().dossiers_flagged == 0  # no second alert
        with pytest.raises(ConflictError, match="một lần"):
            perform(dossier, Action.EXTEND, actor=leader, reason="Lần hai", inputs=Inputs(new_due_at=new_due))
        frozen.move_to(datetime(2026, 4, 6, 9, 0, tzinfo=VIETNAM))
        complete_step(dossier, actor=leader)
        done = complete_step(dossier, actor=counter)
    assert done.dossier.status == Status.FINISHED
    # Late against the original date for statistics, although on time against the extended date (§1.3(d)).
    assert status(done.dossier.closed_at, done.dossier.statistics_due_at) is DeadlineStatus.LATE
    assert status(done.dossier.closed_at, done.dossier.due_at) is DeadlineStatus.EARLY
    early = OutgoingMessage.objects.filter(reference=done.dossier.code, body__contains="sớm hơn ngày hẹn")
    assert early.exists()  # an early result is announced (DOMAIN.md §1.3(d))
    actions = list(done.dossier.events.order_by("sequence").values_list("action", flat=True))
    assert actions.count("transfer") == 2 and actions.count("extend") == 1


def test_steps_cannot_be_skipped_or_done_by_the_wrong_unit_or_position() -> None:
    with travel(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        perform(dossier, Action.START, actor=user("stp.motcua"))
        before = snapshot(dossier)
        # The specialist's step is second; the first (one-stop) step is not theirs to complete.
        with pytest.raises(NotPermittedError):
            complete_step(dossier, actor=user("stp.chuyenvien"))
        # Jumping to the end is refused: the last-step rule names the step still ahead.
        with pytest.raises(ConflictError, match="không được bỏ qua"):
            perform(dossier, Action.COMPLETE, actor=user("stp.motcua"))
        with pytest.raises(ConflictError, match="cùng đơn vị"):
            perform(dossier, Action.TRANSFER, actor=user("stp.motcua"))
        # Another unit's staff and a citizen have no capacity on this step.
        for name in ("mytho.chuyenvien", "mytho.lanhdao", "0912345678"):
            with pytest.raises(NotPermittedError):
                complete_step(dossier, actor=user(name))
        assert snapshot(dossier) == before
        # Sending back needs a reason and a previous step.
        with pytest.raises(ConflictError, match="bước đầu tiên"):
            perform(dossier, Action.RETURN_STEP, actor=user("stp.motcua"), reason="Sai")
        complete_step(dossier, actor=user("stp.motcua"))
        with pytest.raises(DomainError, match="lý do"):
            perform(dossier, Action.RETURN_STEP, actor=user("stp.chuyenvien"))
        back = perform(dossier, Action.RETURN_STEP, actor=user("stp.chuyenvien"), reason="Thiếu bản chụp CCCD")
    assert back.event.details["to_step"] == "Tiếp nhận"
    first = StepTask.objects.get(dossier=dossier, position=0)
    assert first.state == StepState.ACTIVE and first.assignee == user("stp.motcua")


def test_assignment_by_the_leader_binds_the_step_to_one_person() -> None:
    with travel(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        perform(dossier, Action.START, actor=user("stp.motcua"))
        complete_step(dossier, actor=user("stp.motcua"))
        with pytest.raises(DomainError, match="không thuộc"):
            perform(
                dossier, Action.ASSIGN, actor=user("stp.lanhdao"), inputs=Inputs(assignee=user("mytho.chuyenvien"))
            )
        with pytest.raises(NotPermittedError):  # only the holding unit's leader assigns
            perform(
                dossier, Action.ASSIGN, actor=user("stp.chuyenvien"), inputs=Inputs(assignee=user("stp.chuyenvien"))
            )
        other = department_officer("stp.chuyenvien2", "82.STP")
        perform(dossier, Action.ASSIGN, actor=user("stp.lanhdao"), inputs=Inputs(assignee=other))
        with pytest.raises(NotPermittedError, match="đã được giao"):
            complete_step(dossier, actor=user("stp.chuyenvien"))
        assert complete_step(dossier, actor=other).event.action == Action.TRANSFER


def test_extension_only_until_d_minus_one_and_stop_by_the_leader() -> None:
    with travel(TUESDAY_9AM) as frozen:
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        perform(dossier, Action.START, actor=user("stp.motcua"))
        frozen.move_to(datetime(2026, 3, 31, 8, 0, tzinfo=VIETNAM))  # the due date itself: too late for Form 04
        before = snapshot(dossier)
        with pytest.raises(ConflictError, match="chậm nhất ngày 30/03/2026"):
            perform(
                dossier,
                Action.EXTEND,
                actor=user("stp.lanhdao"),
                reason="Chậm",
                inputs=Inputs(new_due_at=datetime(2026, 4, 3, 17, 0, tzinfo=VIETNAM)),
            )
        assert snapshot(dossier) == before
        request = Inputs(stop=StopRequest("Đơn của người nộp", date(2026, 3, 30), 0, "Không hoàn trả phí"))
        with pytest.raises(NotPermittedError):
            perform(
                dossier, Action.STOP, actor=user("stp.chuyenvien"), reason="Người nộp đề nghị dừng", inputs=request
            )
        stopped = perform(
            dossier, Action.STOP, actor=user("stp.lanhdao"), reason="Người nộp đề nghị dừng", inputs=request
        )
    assert stopped.dossier.status == Status.STOPPED and stopped.event.form == "05"
    assert not StepTask.objects.filter(dossier=dossier, state=StepState.ACTIVE).exists()


def test_completion_needs_a_result_and_return_and_rating_are_recorded() -> None:
    with travel(TUESDAY_9AM):
        dossier = file("2.000815", officer="mytho.motcua", at="28261.TTPVHCC")
        perform(dossier, Action.START, actor=user("mytho.motcua"))
        complete_step(dossier, actor=user("mytho.motcua"))
        with pytest.raises(DomainError, match="PDF"):
            attach_result(dossier, actor=user("mytho.chuyenvien"), title="Kết quả", pdf=b"not a pdf")
        complete_step(dossier, actor=user("mytho.chuyenvien"))
        with pytest.raises(ConflictError, match="chỉ được đính kèm"):  # later steps never make the result
            attach_result(dossier, actor=user("mytho.lanhdao"), title="Kết quả", pdf=PDF)
        complete_step(dossier, actor=user("mytho.lanhdao"))
        with pytest.raises(ConflictError, match="đính kèm kết quả"):
            complete_step(dossier, actor=user("mytho.motcua"))
        # Back to the check step, which attaches the result; then forward again.
        perform(dossier, Action.RETURN_STEP, actor=user("mytho.motcua"), reason="Chưa có kết quả")
        perform(dossier, Action.RETURN_STEP, actor=user("mytho.lanhdao"), reason="Chưa có kết quả")
        attach_result(dossier, actor=user("mytho.chuyenvien"), title="Bản sao có chứng thực", pdf=PDF)
        complete_step(dossier, actor=user("mytho.chuyenvien"))
        complete_step(dossier, actor=user("mytho.lanhdao"))
        complete_step(dossier, actor=user("mytho.motcua"))
        with pytest.raises(DomainError, match="hình thức trả"):
            perform(dossier, Action.RETURN_RESULT, actor=user("mytho.motcua"))
        perform(dossier, Action.RETURN_RESULT, actor=user("mytho.motcua"), inputs=Inputs(return_channel="post"))
        ready = OutgoingMessage.objects.filter(reference=dossier.code, body__contains="đã có kết quả")
        assert ready.exists() and "sớm hơn" not in ready.first().body  # type: ignore[union-attr]  # same date
        rating = Evaluation(convenience=Rating.SATISFIED, overall=Rating.UNSATISFIED, comment="Chờ lâu")
        perform(dossier, Action.RATE, actor=user("mytho.motcua"), inputs=Inputs(evaluation=rating))
        with pytest.raises(ConflictError, match="đã được đánh giá"):
            perform(dossier, Action.RATE, actor=user("mytho.motcua"), inputs=Inputs(evaluation=rating))
    dossier.refresh_from_db()
    assert dossier.rating.overall == Rating.UNSATISFIED
    assert [r.dossier for r in review_list_for(user("mytho.lanhdao"))] == [dossier]
    assert list(review_list_for(user("stp.lanhdao"))) == []
    # Finished on the due date, each step within its allotment, no supplement, only the one-stop desk.
    assert indicators_of(dossier) == Indicators(total_time=1, agency_time=2, contacts=2, agencies=1)
    mark_reviewed(dossier.rating, leader=user("mytho.lanhdao"))
    assert list(review_list_for(user("mytho.lanhdao"))) == []
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.RETURN_RESULT).get().details["channel"] == "post"


def test_deadline_watch_reads_only_near_due_rows_and_flags_overdue_once() -> None:
    with travel(TUESDAY_9AM) as frozen:
        far = file("1.999015", officer="stp.motcua", at="82.STP")
        near = file("2.000815", officer="mytho.motcua", at="28261.TTPVHCC")
        perform(near, Action.START, actor=user("mytho.motcua"))
        frozen.move_to(TUESDAY_9AM + timedelta(hours=2))
        first = watch_deadlines()
        assert (first.dossiers_examined, first.steps_examined) == (1, 1)  # the 15-day dossier is not read
        frozen.move_to(datetime(2026, 3, 11, 9, 0, tzinfo=VIETNAM))
        second = watch_deadlines()
        third = watch_deadlines()
    near.refresh_from_db()
    far.refresh_from_db()
    assert near.alert_level == Alert.OVERDUE and far.alert_level == Alert.NONE
    assert second.dossiers_flagged == 1 and third.dossiers_examined == 0 and third.steps_examined == 0


def test_a_calendar_change_recomputes_running_dossiers_and_steps_with_an_event() -> None:
    from motcua.worktime.models import DayKind
    from motcua.worktime.services import set_calendar_day

    with travel(TUESDAY_9AM) as frozen:
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        untouched = file(
            "2.000815", officer="mytho.motcua", at="28261.TTPVHCC"
        )  # due tomorrow, before the new day off
        perform(dossier, Action.START, actor=user("stp.motcua"))
        frozen.move_to(TUESDAY_9AM + timedelta(hours=1))
        set_calendar_day(
            day=datetime(2026, 3, 20).date(), kind=DayKind.OFF, name="Nghỉ đột xuất", legal_basis="Thử", actor=None
        )
        report = watch_deadlines()
        again = watch_deadlines()
    dossier.refresh_from_db()
    untouched.refresh_from_db()
    assert report.recomputed == 1 and again.recomputed == 0
    assert dossier.due_at == datetime(2026, 4, 1, 9, 0, tzinfo=VIETNAM)  # one working day later
    event = dossier.events.get(action=Action.RECOMPUTE_DUE)
    assert event.actor is None and event.details["new_due_at"].startswith("2026-04-01")
    assert not untouched.events.filter(action=Action.RECOMPUTE_DUE).exists()


def test_who_suits_a_step_follows_the_position_rules() -> None:
    from django.test import override_settings

    from motcua.dossiers.processing import suits

    assert suits("chu_tich", "chu_tich") and suits("pho_chu_tich", "chu_tich")  # the head does the deputy's step
    assert suits("cong_chuc", "chuyen_vien") and not suits("cong_chuc_mot_cua", "chuyen_vien")
    assert suits("chu_tich", "pho_chu_tich") and not suits("chu_tich", "pho_chu_tich", deputies=False)
    assert not suits("giam_doc", "truong_phong") and suits("", "cong_chuc")
    with travel(TUESDAY_9AM), override_settings(MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD=False):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        perform(dossier, Action.START, actor=user("stp.motcua"))
        deputy = department_officer("stp.phogiamdoc", "82.STP")
        deputy.memberships.update(position="pho_giam_doc", role="leader")
        for name in ("stp.motcua", "stp.chuyenvien"):
            complete_step(dossier, actor=user(name))
        complete_step(dossier, actor=department_officer())
        with pytest.raises(NotPermittedError):
            complete_step(dossier, actor=deputy)
