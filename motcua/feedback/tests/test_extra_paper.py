"""The report "cán bộ yêu cầu giấy tờ không có trong danh mục": intake checks, routing to the head of the unit and the
province monitor, the reported official kept out, the clock, the record on the dossier and what QĐ 766 5.4 counts."""

from dataclasses import replace
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.dossiers import counters
from motcua.dossiers.lifecycle import Action as DossierAction
from motcua.dossiers.models import Dossier, DossierEvent, UnitCounter
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import load_catalogue, receive, user
from motcua.feedback import rules, selectors
from motcua.feedback.lifecycle import Action, Status
from motcua.feedback.models import FeedbackCase, FeedbackEvent
from motcua.feedback.services import ExtraPaperReport, Sender, act, report_extra_paper
from motcua.notifications.models import OutgoingMessage

pytestmark = pytest.mark.django_db
TUESDAY_9AM = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)
SENDER = Sender("Nguyễn Văn Dân", "Số 5 Lê Lợi, Phường Mỹ Tho", "0912 345 678", "dan@example.vn")


@pytest.fixture
def dossier() -> Dossier:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        return receive()  # at the commune's centre, by mytho.motcua


def report(dossier: Dossier, **changes: object) -> ExtraPaperReport:
    return replace(ExtraPaperReport(dossier, SENDER, "Giấy xác nhận tình trạng hôn nhân"), **changes)  # type: ignore[arg-type]


def test_the_report_goes_to_the_head_of_the_unit_and_the_monitor_and_counts_on_the_dossier(dossier: Dossier) -> None:
    officer = user("mytho.motcua")
    with clock.frozen(TUESDAY_9AM.replace(hour=10)):
        case = report_extra_paper(report(dossier, official_id=officer.pk))
    # The centre has no leader of its own: the commune's committee, whose leaders direct it, handles the report.
    assert case.handling_unit.code == "28261.UBND" and case.status == Status.RECEIVED
    assert (case.kind, case.topic, case.sender_phone) == ("pakn", "hanh_vi", "0912345678")
    # 2 and 15 working days (DOMAIN-2.md §2.2) from Tuesday 10/03/2026, 10:00.
    assert case.accept_due_at.astimezone(VIETNAM).date().isoformat() == "2026-03-12"
    assert case.due_at.astimezone(VIETNAM).date().isoformat() == "2026-03-31"
    recorded = DossierEvent.objects.get(dossier=dossier, action=DossierAction.REPORT)
    assert recorded.details == {"case": case.code} and recorded.status_after == recorded.status_before
    told = set(OutgoingMessage.objects.filter(reference=case.code).values_list("recipient", flat=True))
    leaders = {user(name).email for name in ("mytho.lanhdao", "mytho.phochutich", "giamsat")}
    assert told == leaders - {""} and officer.email not in told
    # QĐ 766 5.4: the dossier counts as one with a PAKN, live and replayed alike.
    live = UnitCounter.objects.get(unit=dossier.competent_unit, span="D", start="2026-03-10")
    assert live.reported == 1
    replayed = counters.replay()
    key = (dossier.competent_unit_id, dossier.version.procedure_id, live.start, "reported")
    assert replayed[key] == 1


def test_nd20_asks_name_address_and_phone_unless_anonymous_and_nothing_is_kept(dossier: Dossier) -> None:
    with pytest.raises(ValidationError) as refused:
        report_extra_paper(report(dossier, sender=Sender(phone="12345"), paper_asked=" "))
    assert refused.value.message_dict == {
        "sender_name": ["Nhập họ và tên."],
        "sender_address": ["Nhập địa chỉ liên hệ."],
        "sender_phone": ["Số điện thoại phải gồm 10 chữ số và bắt đầu bằng 0, ví dụ 0912345678."],
        "paper_asked": ["Nhập tên giấy tờ bị yêu cầu thêm."],
    }
    with pytest.raises(ValidationError, match="Chỉ chọn cán bộ đã xử lý hồ sơ này"):
        report_extra_paper(report(dossier, official_id=user("stp.lanhdao").pk))
    assert not FeedbackCase.objects.exists()
    assert not DossierEvent.objects.filter(action=DossierAction.REPORT).exists()
    anonymous = report_extra_paper(report(dossier, sender=Sender(anonymous=True)))
    assert anonymous.is_anonymous and anonymous.sender_name == ""
    assert (
        anonymous.content
        == "Cán bộ yêu cầu nộp thêm giấy tờ không có trong danh mục: Giấy xác nhận tình trạng hôn nhân."
    )


def test_nul_and_direction_characters_are_refused_beside_the_field(dossier: Dossier) -> None:
    with pytest.raises(ValidationError) as refused:
        report_extra_paper(report(dossier, paper_asked="Giấy\u202etờ", content="Bị yêu cầu\x00 thêm"))
    assert list(refused.value.message_dict) == ["paper_asked", "content"]
    assert not FeedbackCase.objects.exists()


def test_a_double_submission_files_one_case(dossier: Dossier) -> None:
    first = report_extra_paper(report(dossier, submission_key="k-1"))
    again = report_extra_paper(report(dossier, submission_key="k-1"))
    assert first == again and FeedbackCase.objects.count() == 1
    assert DossierEvent.objects.filter(action=DossierAction.REPORT).count() == 1


def test_the_official_reported_can_neither_see_nor_handle_it(dossier: Dossier) -> None:
    chairman = user("mytho.lanhdao")
    perform(dossier, DossierAction.START, actor=user("mytho.motcua"))  # now at the committee's first step
    case = report_extra_paper(report(dossier, official_id=user("mytho.motcua").pk))
    assert case.handling_unit.code == "28261.UBND"
    assert rules.allowed(rules.offers(case, chairman)) == {
        Action.ACCEPT,
        Action.REFUSE,
        Action.FORWARD,
        Action.OPEN_CHILD,
        Action.CLASSIFY,
        Action.REQUEST_INFO,
    }
    reported = report_extra_paper(report(dossier, official_id=user("mytho.motcua").pk, submission_key="x"))
    reported.reported_official = chairman
    reported.save()
    assert not rules.may_read(chairman, reported) and reported not in selectors.cases_for(chairman)
    with pytest.raises(NotPermittedError, match="cán bộ bị phản ánh"):
        act(reported, Action.ACCEPT, actor=chairman)
    assert FeedbackEvent.objects.filter(case=reported).count() == 1  # nothing changed
    # The province monitor handles what the unit's own head may not.
    monitor = user("giamsat")
    act(reported, Action.ACCEPT, actor=monitor)
    assert reported.status == Status.ACCEPTED and reported in selectors.cases_for(monitor)


@pytest.mark.parametrize("name", ["stp.lanhdao", "mytho.chuyenvien", "quantri", "0912345678"])
def test_others_may_not_handle_it_and_nothing_changes(dossier: Dossier, name: str) -> None:
    case = report_extra_paper(report(dossier))
    person = user(name)
    assert not rules.allowed(rules.offers(case, person)) and case not in selectors.cases_for(person)
    with pytest.raises(NotPermittedError):
        act(case, Action.ACCEPT, actor=person)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED and case.events.count() == 1


def test_accept_then_conclude_with_a_finding_and_the_sender_is_told(dossier: Dossier) -> None:
    case = report_extra_paper(report(dossier))
    leader = user("mytho.lanhdao")
    with pytest.raises(ConflictError, match="không thể kết luận"):
        act(case, Action.CONCLUDE, actor=leader, reason="x", verified=True)
    act(case, Action.ACCEPT, actor=leader)
    with pytest.raises(DomainError, match="Chọn kết luận"):
        act(case, Action.CONCLUDE, actor=leader, reason="Đã xác minh")
    with pytest.raises(DomainError, match="Nhập lý do"):
        act(case, Action.CONCLUDE, actor=leader, reason="  ", verified=True)
    act(case, Action.CONCLUDE, actor=leader, reason="Đã xác minh, nhắc nhở cán bộ.", verified=True)
    assert (case.status, case.verified, case.conclusion) == (Status.CONCLUDED, True, "Đã xác minh, nhắc nhở cán bộ.")
    assert [e.action for e in case.events.order_by("sequence")] == ["file", "accept", "conclude"]
    subjects = OutgoingMessage.objects.filter(recipient__in=["dan@example.vn", "0912345678"])
    assert {m.subject for m in subjects} >= {f"Phản ánh, kiến nghị {case.code} đã có kết luận"}


def test_a_case_is_followed_by_its_code_and_secret_only(dossier: Dossier) -> None:
    case = report_extra_paper(report(dossier, sender=Sender(anonymous=True)))
    assert selectors.tracked(case.code, case.tracking_secret) == case
    assert selectors.tracked(case.code, "sai") is None and selectors.tracked("PA-000000-000000", "sai") is None
    assert selectors.tracked(case.code, "") is None
