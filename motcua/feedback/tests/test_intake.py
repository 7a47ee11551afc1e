"""One intake for every kind: what each kind needs (ND 20/2008, Luật Khiếu nại 2011, Luật Tố cáo 2018), routing by
the competence table, the legal clocks against the official calendar (Tết 2027 inside a period), the sender's rating
and withdrawal."""

from dataclasses import replace
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.dossiers.tests.factories import load_catalogue, user
from motcua.feedback import rules, selectors
from motcua.feedback.lifecycle import Action, Kind, Rating, Status, Topic
from motcua.feedback.models import FeedbackCase, FeedbackEvent
from motcua.feedback.services import Intake, Sender, act, file_case
from motcua.notifications.models import OutgoingMessage
from motcua.organizations.models import Unit

pytestmark = pytest.mark.django_db
BEFORE_TET = datetime(2027, 1, 26, 9, 0, tzinfo=VIETNAM)  # a Tuesday; Tết 2027 is off from 04 to 10/02
SENDER = Sender("Nguyễn Văn Dân", "Số 5 Lê Lợi, Phường Mỹ Tho", "0912 345 678", "dan@example.vn")
COMMUNE = "28261.UBND"


@pytest.fixture(autouse=True)
def _world() -> None:
    load_catalogue()


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def intake(kind: Kind = Kind.PAKN, **changes: object) -> Intake:
    base = Intake(kind, SENDER, "Thủ tục đòi bản sao chứng thực dù đã có bản điện tử.", Topic.REGULATION,
                  unit(COMMUNE), signed=True)  # fmt: skip
    if kind == Kind.COMPLAINT:
        base = replace(base, decision="Quyết định 12/QĐ-UBND ngày 05/01/2027", known_on=date(2026, 11, 20))
    if kind == Kind.DENUNCIATION:
        base = replace(base, accused="Ông Nguyễn Văn B, công chức địa chính")
    return replace(base, **changes)  # type: ignore[arg-type]


def local_day(instant: datetime) -> str:
    return instant.astimezone(VIETNAM).strftime("%d/%m/%Y")


def refused(fields: Intake, **kwargs: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        file_case(fields, **kwargs)  # type: ignore[arg-type]
    assert not FeedbackCase.objects.exists() and not FeedbackEvent.objects.exists()
    assert not OutgoingMessage.objects.exists()
    return error.value.message_dict


def test_a_pakn_runs_2_and_15_working_days_across_tet() -> None:
    with clock.frozen(BEFORE_TET):
        case = file_case(intake())
    # 27, 28/01 → accept by Thursday 28/01; then 29/01, 01-03/02, Tết off 04-10/02, 11/02 … → the 15th is 23/02.
    assert (local_day(case.accept_due_at), local_day(case.due_at)) == ("28/01/2027", "23/02/2027")
    assert case.handling_unit.code == COMMUNE and case.status == Status.RECEIVED


def test_a_complaint_is_accepted_within_10_days_then_answered_within_30_from_acceptance() -> None:
    with clock.frozen(datetime(2027, 2, 1, 9, 0, tzinfo=VIETNAM)):
        case = file_case(intake(Kind.COMPLAINT))
    # Working days by default: 02, 03/02, Tết, 11 … 22/02 is the 10th.
    assert local_day(case.accept_due_at) == "22/02/2027"
    with clock.frozen(datetime(2027, 2, 23, 10, 0, tzinfo=VIETNAM)):
        act(case, Action.ACCEPT, actor=user("mytho.lanhdao"))
    # The 30 days run from acceptance (Luật Khiếu nại 2011 art. 28): 24/02 … 06/04/2027.
    assert (case.status, local_day(case.due_at)) == (Status.ACCEPTED, "06/04/2027")
    assert FeedbackEvent.objects.get(case=case, action=Action.ACCEPT).details["due_at"]


@override_settings(MOTCUA_FEEDBACK_CLOCKS={"khieu_nai": {"working_days": False}})
def test_the_province_may_count_complaint_days_as_calendar_days() -> None:
    with clock.frozen(datetime(2027, 2, 1, 9, 0, tzinfo=VIETNAM)):
        case = file_case(intake(Kind.COMPLAINT))
    # 10 calendar days → Thursday 11/02/2027, the first working day after Tết, at closing time.
    assert local_day(case.accept_due_at) == "11/02/2027"


def test_a_regulation_pakn_needs_name_address_and_phone() -> None:
    errors = refused(intake(sender=Sender()))
    assert set(errors) == {"sender_name", "sender_address", "sender_phone"}
    errors = refused(intake(sender=Sender(anonymous=True)))
    assert "phải ghi rõ họ tên" in errors["anonymous"][0]


@override_settings(MOTCUA_FEEDBACK_ANONYMOUS_PAKN=True)
def test_the_province_may_take_anonymous_regulation_pakn() -> None:
    case = file_case(intake(sender=Sender(anonymous=True)))
    assert case.is_anonymous and case.sender_name == ""


def test_a_conduct_report_may_be_anonymous() -> None:
    case = file_case(intake(topic=Topic.CONDUCT, sender=Sender(anonymous=True), signed=False))
    assert (case.is_anonymous, case.topic) == (True, "hanh_vi")


def test_an_anonymous_denunciation_is_refused_and_offered_as_a_conduct_report() -> None:
    errors = refused(intake(Kind.DENUNCIATION, sender=Sender(anonymous=True)))
    assert "Luật Tố cáo 2018, Điều 23" in errors["anonymous"][0] and "phản ánh ẩn danh" in errors["anonymous"][0]
    assert set(refused(intake(Kind.DENUNCIATION, accused=""))) == {"accused"}


def test_a_complaint_or_denunciation_online_needs_a_signed_in_account() -> None:
    for kind in (Kind.COMPLAINT, Kind.DENUNCIATION):
        assert "đăng nhập tài khoản công dân" in refused(intake(kind, signed=False))["signed"][0]


def test_a_complaint_after_90_days_needs_the_obstacle_stated() -> None:
    late = intake(Kind.COMPLAINT, known_on=date(2026, 10, 1))
    with clock.frozen(BEFORE_TET):  # 117 days later
        assert "Luật Khiếu nại 2011, Điều 9" in refused(late)["late_reason"][0]
        assert "known_on" in refused(intake(Kind.COMPLAINT, known_on=None))
        assert "known_on" in refused(intake(Kind.COMPLAINT, known_on=date(2027, 2, 1)))
        case = file_case(replace(late, late_reason="Điều trị tại bệnh viện từ 01/10 đến 20/01."))
    assert case.late_reason and FeedbackEvent.objects.get(case=case).details["late_filing"] is True


def test_routing_follows_the_competence_table() -> None:
    province = Unit.objects.get(code="82.UBND")
    # A service centre nobody leads: the commune's committee, which directs it.
    assert file_case(intake(subject_unit=unit("28261.TTPVHCC"))).handling_unit.code == COMMUNE
    # A complaint about the chairman's own decision: the chairman decides the first instance (art. 18).
    assert file_case(intake(Kind.COMPLAINT, about_head=True)).handling_unit.code == COMMUNE
    # A denunciation of the head of a commune or a department: the superior's head (Luật Tố cáo 2018 art. 13(1)(b)).
    assert file_case(intake(Kind.DENUNCIATION, about_head=True)).handling_unit == province
    head_of_department = intake(Kind.DENUNCIATION, about_head=True, subject_unit=unit("82.STP"))
    assert file_case(head_of_department).handling_unit == province
    assert file_case(intake(Kind.DENUNCIATION, subject_unit=unit("82.STP"))).handling_unit.code == "82.STP"


def test_the_sender_rates_the_answer_once_and_may_dispute_it() -> None:
    case = file_case(intake())
    leader = user("mytho.lanhdao")
    assert [o.action for o in rules.offers(case, None, as_sender=True)] == []
    act(case, Action.ACCEPT, actor=leader)
    act(case, Action.CONCLUDE, actor=leader, reason="Đã bỏ yêu cầu bản sao.", verified=True)
    with pytest.raises(NotPermittedError):
        act(case, Action.RATE, actor=leader, rating=Rating.UNSATISFIED)  # not the sender
    assert selectors.tracked(case.code, "sai") is None
    proved = selectors.tracked(case.code, case.tracking_secret)
    assert proved is not None
    act(proved, Action.RATE, actor=None, as_sender=True, rating=Rating.UNSATISFIED)
    with pytest.raises(NotPermittedError):
        act(proved, Action.RATE, actor=None, as_sender=True, rating=Rating.SATISFIED)
    proved.refresh_from_db()
    assert (proved.rating, proved.status) == ("khong_hai_long", Status.CONCLUDED)
    dispute = file_case(intake(Kind.COMPLAINT, follows=proved))
    assert list(proved.followed_by.all()) == [dispute]


def test_a_complaint_is_withdrawn_by_its_sender_a_pakn_is_not() -> None:
    complaint = file_case(intake(Kind.COMPLAINT))
    act(complaint, Action.WITHDRAW, actor=None, as_sender=True, reason="Đã được giải thích thỏa đáng.")
    assert complaint.status == Status.WITHDRAWN and complaint.closed_at is not None
    pakn = file_case(intake())
    with pytest.raises(ConflictError):
        act(pakn, Action.WITHDRAW, actor=None, as_sender=True, reason="Không cần nữa")
    assert FeedbackCase.objects.get(pk=pakn.pk).status == Status.RECEIVED


def test_a_double_submission_files_once() -> None:
    first = file_case(intake(submission_key="k-1"))
    assert file_case(intake(submission_key="k-1")) == first and FeedbackCase.objects.count() == 1


def test_a_complex_case_is_extended_as_many_times_as_the_law_allows() -> None:
    leader = user("mytho.lanhdao")
    with clock.frozen(datetime(2027, 2, 1, 9, 0, tzinfo=VIETNAM)):
        complaint = file_case(intake(Kind.COMPLAINT))
        denunciation = file_case(intake(Kind.DENUNCIATION))
    with clock.frozen(datetime(2027, 2, 23, 10, 0, tzinfo=VIETNAM)):
        for case in (complaint, denunciation):
            act(case, Action.ACCEPT, actor=leader)
        with pytest.raises(DomainError):
            act(complaint, Action.EXTEND, actor=leader)  # the reason is required: in writing
        act(complaint, Action.EXTEND, actor=leader, reason="Vụ việc phức tạp, cần xác minh tại chỗ.")
    # 45 days from thụ lý instead of 30 (Luật Khiếu nại 2011 art. 28): 15 more working days after 06/04/2027, the
    # Hùng Kings' day (Friday 16/04/2027) off.
    assert local_day(complaint.due_at) == "28/04/2027"
    assert any(o.action == Action.EXTEND and o.refusal == rules.EXTENDED for o in rules.offers(complaint, leader))
    with pytest.raises(NotPermittedError):
        act(complaint, Action.EXTEND, actor=leader, reason="Lần nữa")
    refused = FeedbackCase.objects.get(pk=complaint.pk)
    assert (local_day(refused.due_at), refused.events.filter(action=Action.EXTEND).count()) == ("28/04/2027", 1)
    # A denunciation: twice 30 days (especially complex, Luật Tố cáo 2018 art. 30), not a third time.
    for _ in range(2):
        act(denunciation, Action.EXTEND, actor=leader, reason="Đặc biệt phức tạp")
    with pytest.raises(NotPermittedError):
        act(denunciation, Action.EXTEND, actor=leader, reason="Lần ba")
    assert [e.action for e in denunciation.events.order_by("sequence")].count("extend") == 2
    assert Action.EXTEND not in {o.action for o in rules.offers(file_case(intake()), leader)}  # a PAKN: never


def test_the_handler_classifies_a_pakn_anew_which_5_1_reads() -> None:
    case = file_case(intake())
    leader = user("mytho.lanhdao")
    with pytest.raises(DomainError):
        act(case, Action.CLASSIFY, actor=leader, reason="Giữ nguyên", topic=Topic.REGULATION)  # not a new class
    act(case, Action.CLASSIFY, actor=leader, reason="Nội dung là thái độ cán bộ.", topic=Topic.CONDUCT)
    case.refresh_from_db()
    assert (case.topic, case.status) == ("hanh_vi", Status.RECEIVED)
    assert FeedbackEvent.objects.get(case=case, action=Action.CLASSIFY).details == {
        "from": "quy_dinh",
        "to": "hanh_vi",
    }
    complaint = file_case(intake(Kind.COMPLAINT))
    assert Action.CLASSIFY not in {o.action for o in rules.offers(complaint, leader)}


def test_the_sender_is_asked_for_more_and_answers_from_tracking() -> None:
    leader = user("mytho.lanhdao")
    with clock.frozen(BEFORE_TET):
        case = file_case(intake())
    due = case.due_at
    with clock.frozen(BEFORE_TET.replace(day=28)):
        act(case, Action.REQUEST_INFO, actor=leader, reason="Ông/bà cho biết tên giấy tờ và ngày nộp hồ sơ.")
    assert case.status == Status.WAITING_INFO
    # The first request within 5 working days of the case reaching the unit (DOMAIN-2.md §2.2).
    assert FeedbackEvent.objects.get(case=case, action=Action.REQUEST_INFO).details == {"in_time": True}
    assert selectors.question_of(case) == "Ông/bà cho biết tên giấy tờ và ngày nộp hồ sơ."
    told = OutgoingMessage.objects.filter(reference=case.code, recipient="dan@example.vn").order_by("-pk").first()
    assert told is not None and "cần bổ sung thông tin" in told.subject and "tên giấy tờ" in told.body
    with pytest.raises(NotPermittedError):
        act(case, Action.SUPPLY_INFO, actor=leader, reason="Thay người gửi")
    with clock.frozen(datetime(2027, 2, 11, 9, 0, tzinfo=VIETNAM)):
        act(case, Action.SUPPLY_INFO, actor=None, as_sender=True, reason="Giấy xác nhận cư trú, nộp ngày 20/01.")
    assert (case.status, case.due_at) == (Status.ACCEPTED, due)  # the wait does not stop the clock by default


@override_settings(MOTCUA_FEEDBACK_CLOCKS={"pakn": {"pause_for_information": True}})
def test_where_the_province_says_so_the_wait_stops_the_clock() -> None:
    leader = user("mytho.lanhdao")
    with clock.frozen(BEFORE_TET):
        case = file_case(intake())
    with clock.frozen(BEFORE_TET.replace(day=27)):
        act(case, Action.REQUEST_INFO, actor=leader, reason="Cần thêm thông tin.")
    with clock.frozen(BEFORE_TET.replace(day=29)):  # two working days later
        act(case, Action.SUPPLY_INFO, actor=None, as_sender=True, reason="Đây là thông tin.")
    assert local_day(case.due_at) == "25/02/2027"  # 23/02 moved by the two working days waited


def test_a_complaint_decided_first_goes_to_the_superior_the_second_time() -> None:
    chairman, monitor = user("mytho.lanhdao"), user("giamsat")
    with clock.frozen(datetime(2027, 2, 1, 9, 0, tzinfo=VIETNAM)):
        first = file_case(intake(Kind.COMPLAINT))
    errors = refused_keep(intake(Kind.COMPLAINT, follows=first, decision=""))  # not decided, not late yet
    assert "Điều 33" in errors["follows"][0] and FeedbackCase.objects.count() == 1
    with clock.frozen(datetime(2027, 2, 23, 10, 0, tzinfo=VIETNAM)):
        act(first, Action.ACCEPT, actor=chairman)
        act(first, Action.CONCLUDE, actor=chairman, reason="Giữ nguyên quyết định.", verified=False)
    with clock.frozen(datetime(2027, 3, 1, 9, 0, tzinfo=VIETNAM)):
        second = file_case(intake(Kind.COMPLAINT, follows=first, decision=""))
    # Above the commune's committee: the provincial committee, watched by the province monitor while no one leads it.
    assert (second.instance, second.handling_unit.code) == (2, "82.UBND")
    assert second.known_on == date(2027, 2, 23) and "mã " + first.code in second.decision
    with clock.frozen(datetime(2027, 3, 2, 9, 0, tzinfo=VIETNAM)):
        act(second, Action.ACCEPT, actor=monitor)
    # 45 days from thụ lý (Luật Khiếu nại 2011 art. 37), in working days by default, from 03/03/2027: the Hùng
    # Kings' day (16/04), 30/04 and Monday 03/05 (for Saturday 01/05) off.
    assert local_day(second.due_at) == "07/05/2027"
    with clock.frozen(datetime(2027, 4, 20, 9, 0, tzinfo=VIETNAM)):  # more than 30 days after the first decision
        late = intake(Kind.COMPLAINT, follows=first, decision="", submission_key="late")
        assert "Điều 33" in refused_keep(late)["late_reason"][0]


def refused_keep(fields: Intake) -> dict[str, list[str]]:
    """The reasons a case is refused, whatever is already filed."""
    with pytest.raises(ValidationError) as error:
        file_case(fields)
    return error.value.message_dict
