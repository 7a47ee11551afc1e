"""Refusal of reception (Form 03): at the counter, and online before acceptance; never once the dossier is received."""

from datetime import date, timedelta
from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import DailySequence, Dossier, DossierEvent, UnitCounter
from motcua.dossiers.rules import available_actions
from motcua.dossiers.services import (
    Applicant,
    CounterRefusal,
    Filing,
    Inputs,
    NotHandledHereError,
    Paper,
    RefusalKind,
    SupplementRequest,
    perform,
    refusal_of,
    refuse_at_counter,
)
from motcua.notifications.models import OutgoingMessage

from .factories import PERSON, TUESDAY_9AM, birth_filing, load_catalogue, online, receive, unit, user

pytestmark = pytest.mark.django_db
CENTRE = "28261.TTPVHCC"
UNDERAGE = "Người đi đăng ký không phải cha, mẹ, ông, bà hoặc người thân thích của trẻ"
ELSEWHERE = "Người được khai sinh thường trú ở tỉnh khác; việc khai sinh thuộc Ủy ban nhân dân cấp xã nơi cư trú"
COMPETENT = "Ủy ban nhân dân phường nơi người mẹ thường trú"
TUESDAY = TUESDAY_9AM.date()


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    load_catalogue()


@pytest.fixture(autouse=True)
def frozen_clock():  # type: ignore[no-untyped-def]
    with clock.frozen(TUESDAY_9AM) as at:
        yield at


def refuse(
    refusal: CounterRefusal, filing: Filing | None = None, officer: str = "mytho.motcua", at: str = CENTRE
) -> Dossier:
    return refuse_at_counter(filing or birth_filing(), refusal, officer=user(officer), receiving_unit=unit(at)).dossier


def nothing_created() -> bool:
    return not (
        Dossier.objects.exists()
        or DossierEvent.objects.exists()
        or DailySequence.objects.exists()
        or UnitCounter.objects.exists()
        or OutgoingMessage.objects.exists()
    )


def figures(unit_code: str, day: date = TUESDAY) -> dict[str, int]:
    row = UnitCounter.objects.filter(unit__code=unit_code, span="D", start=day).values().first()
    assert row is not None
    return {k: v for k, v in row.items() if isinstance(v, int) and v and not k.endswith("id")}


def test_counter_refusal_for_eligibility_is_a_refused_record_with_its_event() -> None:
    first = Component.objects.filter(case__version__procedure__code="1.001193").order_by("position").first()
    assert first is not None
    papers = (Paper(first.pk, originals=1),)  # a refusal does not need every mandatory paper
    dossier = refuse(CounterRefusal(RefusalKind.NOT_ELIGIBLE, f"  {UNDERAGE} "), birth_filing(papers=papers))
    identifier = unit(CENTRE).agency_identifier_on(TUESDAY_9AM.date()).code
    assert dossier.code == f"{identifier}-260310-0001"  # numbered like any dossier: Form 03 and tracking need it
    assert (dossier.status, dossier.received_at, dossier.due_at, dossier.closed_at) == (
        Status.REFUSED,
        None,
        None,
        TUESDAY_9AM,
    )
    assert (dossier.fee, dossier.competent_unit.code, dossier.citizen) == (None, "28261.UBND", None)
    assert list(dossier.components.values_list("component", "originals")) == [(first.pk, 1)]
    event = dossier.events.get()
    assert (event.sequence, event.action, event.status_before, event.status_after, event.form) == (
        1,
        "refuse",
        None,
        Status.REFUSED,
        "03",
    )
    assert (event.reason, event.details, event.actor.username, event.unit.code) == (
        UNDERAGE,
        {"kind": "not_eligible"},
        "mytho.motcua",
        CENTRE,
    )
    # Outside QĐ 766 indicator 2.1: counted as refused, never received, never open.
    assert figures("28261.UBND") == {"refused": 1}
    sms = OutgoingMessage.objects.get(channel="sms")
    assert "không được tiếp nhận" in sms.body


def test_counter_refusal_for_competence_keeps_the_guidance() -> None:
    dossier = refuse(CounterRefusal(RefusalKind.NOT_COMPETENT, ELSEWHERE, f" {COMPETENT} "))
    assert dossier.events.get().details == {"kind": "not_competent", "guidance": COMPETENT}
    notice = refusal_of(dossier)
    assert notice is not None
    assert (notice.ground, notice.reason, notice.guidance) == (
        "Hồ sơ không thuộc thẩm quyền giải quyết",
        ELSEWHERE,
        COMPETENT,
    )
    assert refusal_of(receive()) is None


@pytest.mark.parametrize(
    ("refusal", "change", "error", "field", "message"),
    [
        (CounterRefusal(RefusalKind.NOT_COMPETENT, ELSEWHERE), {}, DomainError, "guidance", "cần ghi tên cơ quan"),
        (CounterRefusal(RefusalKind.NOT_COMPETENT, ELSEWHERE, "   "), {}, DomainError, "guidance", "cơ quan có thẩm"),
        (CounterRefusal(RefusalKind.NOT_ELIGIBLE, "  "), {}, DomainError, "reason", "Cần ghi rõ lý do"),
        (CounterRefusal("", UNDERAGE), {}, DomainError, "kind", "Cần chọn lý do từ chối"),
        (CounterRefusal("other", UNDERAGE), {}, DomainError, "kind", "không đủ điều kiện"),
        (CounterRefusal(RefusalKind.NOT_ELIGIBLE, UNDERAGE), {"channel": 2}, DomainError, "channel", "trực tuyến"),
        (CounterRefusal(RefusalKind.NOT_ELIGIBLE, UNDERAGE), {"case_id": 0}, DomainError, "case", "hiệu lực"),
        (
            CounterRefusal(RefusalKind.NOT_ELIGIBLE, UNDERAGE),
            {"applicant": Applicant(name=" ")},
            ValidationError,
            None,
            "Cần họ tên",
        ),
        (
            CounterRefusal(RefusalKind.NOT_ELIGIBLE, UNDERAGE),
            {"applicant": Applicant(name="A", citizen_id="123")},
            ValidationError,
            None,
            "3 chữ số",
        ),
    ],
)
def test_bad_refusal_is_refused_and_nothing_is_created(
    refusal: CounterRefusal, change: dict[str, object], error: type[Exception], field: str | None, message: str
) -> None:
    with pytest.raises(error, match=message) as raised:
        refuse(refusal, birth_filing(**change))
    if field is not None:
        assert raised.value.field == field  # type: ignore[attr-defined]
    assert nothing_created()


def test_papers_outside_the_case_are_refused_even_when_refusing() -> None:
    stranger = Component.objects.filter(case__version__procedure__code="2.001417").first()
    assert stranger is not None
    filing = birth_filing(papers=(Paper(stranger.pk, originals=1),))
    with pytest.raises(DomainError, match="không thuộc thành phần hồ sơ") as raised:
        refuse(CounterRefusal(RefusalKind.NOT_ELIGIBLE, UNDERAGE), filing)
    assert raised.value.field == "papers" and nothing_created()


@pytest.mark.parametrize("person", ["stp.motcua", "mytho.chuyenvien", "mytho.lanhdao", "0912345678", "quantri"])
def test_only_a_one_stop_officer_of_the_receiving_unit_refuses(person: str) -> None:
    refusal = CounterRefusal(RefusalKind.NOT_COMPETENT, ELSEWHERE, COMPETENT)
    with pytest.raises(NotPermittedError, match="mới được từ chối tiếp nhận hồ sơ tại đơn vị này"):
        refuse(refusal, officer=person)
    assert nothing_created()


def test_the_same_refusal_sent_twice_is_recorded_once() -> None:
    filing = birth_filing(submission_key=uuid4())
    refusal = CounterRefusal(RefusalKind.NOT_ELIGIBLE, UNDERAGE)
    first = refuse_at_counter(filing, refusal, officer=user("mytho.motcua"), receiving_unit=unit(CENTRE))
    again = refuse_at_counter(filing, refusal, officer=user("mytho.motcua"), receiving_unit=unit(CENTRE))
    assert (again.repeated, again.dossier.pk, Dossier.objects.count()) == (True, first.dossier.pk, 1)


def lltp_filing() -> Filing:
    """A criminal-record certificate: handled by the Department of Justice only, never at a ward's centre."""
    paper = Component.objects.filter(case__version__procedure__code="2.001417", code="GT1").first()
    assert paper is not None
    return Filing(paper.case_id, 1, PERSON, (Paper(paper.pk, originals=1),))


def test_a_procedure_not_handled_here_names_where_to_file_and_is_refused_for_competence() -> None:
    with pytest.raises(NotHandledHereError) as raised:
        receive(lltp_filing())
    justice = unit("82.STP")
    assert raised.value.guidance == justice.name and "phi địa giới" in raised.value.message
    with pytest.raises(DomainError, match="hãy từ chối với lý do «Hồ sơ không thuộc thẩm quyền") as eligible:
        refuse(CounterRefusal(RefusalKind.NOT_ELIGIBLE, UNDERAGE), lltp_filing())
    assert eligible.value.field == "kind" and nothing_created()
    dossier = refuse(
        CounterRefusal(RefusalKind.NOT_COMPETENT, "Thuộc thẩm quyền Sở Tư pháp", justice.name), lltp_filing()
    )
    # It went no further than this counter, which decided it: the refusal is counted here.
    assert (dossier.status, dossier.competent_unit.code) == (Status.REFUSED, CENTRE)
    assert figures(CENTRE) == {"refused": 1}


# -- online: refused while it waits, before acceptance only -------------------------------------------------------


def asked_for_papers(dossier: Dossier) -> Dossier:
    paper = Component.objects.filter(case=dossier.case).order_by("position").last()
    assert paper is not None
    item = SupplementRequest(paper.pk, "Bản quét mờ")
    return perform(
        dossier, Action.REQUEST_SUPPLEMENT, actor=user("mytho.motcua"), reason="Thiếu", supplements=(item,)
    ).dossier


def test_an_online_dossier_waiting_for_papers_before_acceptance_can_be_refused() -> None:
    waiting = asked_for_papers(online())
    assert (waiting.status, waiting.received_at) == (Status.SUPPLEMENT_REQUESTED, None)
    offer = next(o for o in available_actions(waiting, user("mytho.motcua")) if o.action is Action.REFUSE)
    assert offer.allowed and offer.form == "03"
    later = TUESDAY_9AM + timedelta(days=1)
    with clock.frozen(later):
        refused = perform(
            waiting,
            Action.REFUSE,
            actor=user("mytho.motcua"),
            reason=ELSEWHERE,
            inputs=Inputs(extra={"kind": "not_competent", "guidance": COMPETENT}),
        ).dossier
    assert (refused.status, refused.closed_at, refused.resume_status, refused.paused_at) == (
        Status.REFUSED,
        later,
        None,
        None,
    )
    event = refused.events.order_by("sequence").last()
    assert event is not None
    assert (event.status_before, event.form, event.details) == (
        Status.SUPPLEMENT_REQUESTED,
        "03",
        {"kind": "not_competent", "guidance": COMPETENT},
    )
    assert figures("28261.UBND", later.date()) == {
        "refused": 1
    }  # never received: no reception, no open or paused dossier


@pytest.mark.parametrize("accepted", ["online", "counter"])
def test_once_received_a_dossier_waiting_for_papers_is_stopped_not_refused(accepted: str) -> None:
    if accepted == "online":
        dossier = online()
        perform(dossier, Action.ACCEPT, actor=user("mytho.motcua"))
    else:
        dossier = receive()
    waiting = asked_for_papers(Dossier.objects.get(pk=dossier.pk))
    message = "Hồ sơ đã được tiếp nhận lúc 09:00 10/03/2026 nên không thể từ chối tiếp nhận (Mẫu số 03)"
    offer = next(o for o in available_actions(waiting, user("mytho.motcua")) if o.action is Action.REFUSE)
    assert not offer.allowed and offer.refusal.startswith(message) and "(Mẫu số 05)" in offer.refusal
    events = waiting.events.count()
    with pytest.raises(ConflictError, match=r"Mẫu số 05"):
        perform(waiting, Action.REFUSE, actor=user("mytho.motcua"), reason=UNDERAGE)
    assert Dossier.objects.get(pk=waiting.pk).status == Status.SUPPLEMENT_REQUESTED
    assert waiting.events.count() == events


def test_online_refusal_checks_the_ground_and_guidance_and_changes_nothing_when_wrong() -> None:
    dossier = online()
    for extra, field in (({"kind": "not_competent"}, "guidance"), ({"kind": "whatever"}, "kind")):
        with pytest.raises(DomainError) as raised:
            perform(dossier, Action.REFUSE, actor=user("mytho.motcua"), reason=ELSEWHERE, inputs=Inputs(extra=extra))
        assert raised.value.field == field
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED and dossier.events.count() == 1
    # Without a ground (as before grounds were asked for), a reason is enough.
    refused = perform(dossier, Action.REFUSE, actor=user("mytho.motcua"), reason=UNDERAGE).dossier
    assert refused.status == Status.REFUSED and refused.events.order_by("sequence").last().details == {}  # type: ignore[union-attr]


def test_another_units_officer_cannot_refuse_an_online_dossier() -> None:
    dossier = asked_for_papers(online())
    for person in ("stp.motcua", "mytho.chuyenvien", "0912345678"):
        with pytest.raises(NotPermittedError):
            perform(dossier, Action.REFUSE, actor=user(person), reason=UNDERAGE)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUPPLEMENT_REQUESTED


def test_a_dossier_never_received_is_not_stopped_but_refused() -> None:
    waiting = asked_for_papers(online())
    leader = user("mytho.lanhdao")
    offer = next(o for o in available_actions(waiting, leader) if o.action is Action.STOP)
    assert not offer.allowed and "Mẫu số 03" in offer.refusal
    events = waiting.events.count()
    with pytest.raises(ConflictError, match=r"chưa được tiếp nhận"):
        perform(waiting, Action.STOP, actor=leader, reason="Người nộp đề nghị dừng")
    assert Dossier.objects.get(pk=waiting.pk).status == Status.SUPPLEMENT_REQUESTED
    assert waiting.events.count() == events
