"""Intake at the counter, online submission and the first transitions, with their guards."""

import subprocess
from dataclasses import replace
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from motcua.catalogue.models import Component, Fee
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import DailySequence, Dossier, DossierEvent, FeeCollection
from motcua.dossiers.services import (
    Applicant,
    Filing,
    Paper,
    SupplementRequest,
    perform,
    submit_online,
)
from motcua.notifications.sms import LogOnlySms
from motcua.organizations.models import User

from .factories import PERSON, TUESDAY_9AM, birth_filing, load_catalogue, online, receive, unit, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    load_catalogue()


@pytest.fixture(autouse=True)
def frozen_clock():  # type: ignore[no-untyped-def]
    with clock.frozen(TUESDAY_9AM) as at:
        yield at


def test_counter_intake_gives_code_due_instant_and_event() -> None:
    dossier = receive()
    identifier = unit("28261.TTPVHCC").agency_identifier_on(TUESDAY_9AM.date()).code
    assert dossier.code == f"{identifier}-260310-0001"
    assert (dossier.status, dossier.competent_unit.code) == (Status.RECEIVED, "28261.UBND")
    # 1 working day from Tuesday 09:00: Wednesday 09:00 (counting starts the next day).
    assert dossier.due_at == datetime(2026, 3, 11, 9, 0, tzinfo=VIETNAM)
    assert dossier.due_calendar_version.startswith("v")
    event = dossier.events.get()
    assert (event.sequence, event.action, event.status_before, event.status_after, event.form) == (
        1,
        "receive",
        None,
        2,
        "01",
    )
    assert event.actor.username == "mytho.motcua" and event.unit.code == "28261.TTPVHCC"
    assert dossier.components.count() == 2 and len(dossier.tracking_secret) >= 16


def test_codes_are_a_daily_sequence_per_receiving_unit() -> None:
    first, second = receive(), receive()
    assert (first.code[-4:], second.code[-4:]) == ("0001", "0002")
    with clock.frozen(datetime(2026, 3, 11, 8, 0, tzinfo=VIETNAM)):
        assert receive().code.endswith("-260311-0001")


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (
            {"papers": ()},
            DomainError,
            "Còn thiếu giấy tờ bắt buộc: Tờ khai đăng ký khai sinh theo mẫu; Giấy chứng sinh.",
        ),
        ("foreign-paper", DomainError, "không thuộc thành phần hồ sơ"),
        ("duplicate-paper", DomainError, "chỉ ghi một lần"),
        ({"applicant": Applicant(name="A", citizen_id="12345")}, ValidationError, "số đã nhập có 5 chữ số"),
        ({"applicant": Applicant(name="A", phone="12345")}, ValidationError, "10 chữ số"),
        ({"applicant": Applicant(name="  ")}, ValidationError, "Cần họ tên"),
        ({"applicant": Applicant(kind="organisation", name="B")}, ValidationError, "mã số thuế"),
        ({"case_id": 0}, DomainError, "không còn hiệu lực"),
        ({"channel": 2}, DomainError, "trực tuyến"),
    ],
)
def test_bad_intake_is_refused_and_nothing_is_created(change: object, error: type[Exception], message: str) -> None:
    filing = birth_filing()
    if change == "foreign-paper":
        stranger = Component.objects.filter(case__version__procedure__code="2.001417").first()
        filing = birth_filing(papers=(*filing.papers, Paper(stranger.pk, originals=1)))
    elif change == "duplicate-paper":
        filing = birth_filing(papers=(*filing.papers, filing.papers[0]))
    else:
        filing = birth_filing(**change)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        receive(filing)
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists() and not DailySequence.objects.exists()


def test_only_one_stop_officers_of_the_receiving_unit_receive() -> None:
    for name in ("stp.motcua", "mytho.chuyenvien", "0912345678"):
        with pytest.raises(NotPermittedError, match="Chỉ công chức một cửa"):
            receive(officer=name)
    assert not Dossier.objects.exists()


def test_routing_by_competence_and_boundary() -> None:
    lltp = Component.objects.filter(case__version__procedure__code="2.001417", code="GT1").first()
    fee = Fee.objects.filter(limit__version=lltp.case.version_id, limit__channel=1).first()
    papers = (Paper(lltp.pk, originals=1),)
    filing = Filing(lltp.case_id, 1, PERSON, papers, fee_id=fee.pk, fee_collection=FeeCollection.BEFORE)
    with pytest.raises(DomainError, match="không nhận hồ sơ phi địa giới"):
        receive(filing)
    dossier = receive(filing, officer="stp.motcua", at="82.STP")
    assert dossier.competent_unit.code == "82.STP"
    assert dossier.due_at == datetime(2026, 3, 24, 9, 0, tzinfo=VIETNAM)  # 10 working days
    # A cross-boundary commune procedure goes to the applicant's commune, whichever centre received it.
    sa_dec = receive(birth_filing(commune_code="29905"))
    assert sa_dec.competent_unit.code == "29905.UBND" and sa_dec.receiving_unit.code == "28261.TTPVHCC"


def test_only_a_fee_the_catalogue_lists_is_charged_and_its_collection_is_stated() -> None:
    lltp = Component.objects.get(case__version__procedure__code="2.001417", case__position=0, code="GT1")
    full, student = Fee.objects.filter(limit__version=lltp.case.version_id, limit__channel=1).order_by("position")
    foreign = Fee.objects.exclude(pk__in=[full.pk, student.pk]).first()  # listed for another channel or procedure
    filing = Filing(lltp.case_id, 1, PERSON, (Paper(lltp.pk, originals=1),))
    at_stp = {"officer": "stp.motcua", "at": "82.STP"}
    for change, message in [
        ({}, "Cần chọn mức phí, lệ phí"),
        ({"fee_id": foreign.pk, "fee_collection": "before"}, "không có trong danh mục đã công bố"),
        ({"fee_id": student.pk}, "trước hay thu sau"),
    ]:
        with pytest.raises(DomainError, match=message):
            receive(replace(filing, **change), **at_stp)
    assert not Dossier.objects.exists()
    dossier = receive(replace(filing, fee_id=student.pk, fee_collection=FeeCollection.AFTER), **at_stp)
    assert (dossier.fee, dossier.fee_collection) == (student, FeeCollection.AFTER) and full.amount == 200_000
    free = receive()  # birth registration on time is free: nothing to choose, nothing collected
    assert (free.fee, free.fee_collection) == (None, FeeCollection.NONE)


def test_online_submission_then_acceptance_starts_the_clock() -> None:
    dossier = online()
    assert (dossier.status, dossier.due_at, dossier.citizen.username) == (Status.SUBMITTED, None, "0912345678")
    with clock.frozen(datetime(2026, 3, 10, 14, 0, tzinfo=VIETNAM)):
        accepted = perform(dossier, Action.ACCEPT, actor=user("mytho.motcua")).dossier
    assert accepted.status == Status.RECEIVED and accepted.due_at == datetime(2026, 3, 11, 14, 0, tzinfo=VIETNAM)
    assert [e.action for e in accepted.events.all()] == ["submit", "accept"]
    with pytest.raises(NotPermittedError, match="Chỉ tài khoản công dân"):
        submit_online(birth_filing(channel=2), citizen=user("mytho.motcua"), receiving_unit=unit("28261.TTPVHCC"))


def test_refusal_needs_a_reason_and_closes_the_dossier() -> None:
    dossier = online()
    with pytest.raises(DomainError, match="Cần ghi rõ lý do"):
        perform(dossier, Action.REFUSE, actor=user("mytho.motcua"), reason="   ")
    assert Dossier.objects.get().status == Status.SUBMITTED and dossier.events.count() == 1
    refused = perform(dossier, Action.REFUSE, actor=user("mytho.motcua"), reason="Không thuộc thẩm quyền").dossier
    assert (refused.status, refused.closed_at) == (Status.REFUSED, TUESDAY_9AM)
    assert refused.events.last().form == "03"
    with pytest.raises(ConflictError, match="Không thể «Tiếp nhận hồ sơ trực tuyến» khi hồ sơ đang ở trạng thái"):
        perform(refused, Action.ACCEPT, actor=user("mytho.motcua"))


def papers_of(dossier: Dossier) -> list[Component]:
    return list(Component.objects.filter(case=dossier.case).order_by("position"))


def test_supplement_pauses_the_clock_and_names_only_catalogue_papers() -> None:
    dossier = receive()  # due Wednesday 11/03 09:00, 8 working hours left
    officer = user("mytho.motcua")
    certificate = papers_of(dossier)[1]
    stranger = Component.objects.filter(case__version__procedure__code="2.001417").first()
    for items, message in [
        ((), "nêu đủ một lần"),
        ((SupplementRequest(stranger.pk, "Thiếu"),), "thành phần hồ sơ đã công bố"),
        ((SupplementRequest(certificate.pk, " "),), "phải có lý do"),
    ]:
        with pytest.raises(DomainError, match=message):
            perform(dossier, Action.REQUEST_SUPPLEMENT, actor=officer, reason="Thiếu giấy tờ", supplements=items)
    assert Dossier.objects.get().status == Status.RECEIVED
    with clock.frozen(datetime(2026, 3, 10, 15, 0, tzinfo=VIETNAM)):  # 4 working hours left: 15-17, 07-09
        paused = perform(
            dossier,
            Action.REQUEST_SUPPLEMENT,
            actor=officer,
            reason="Giấy chứng sinh bị mờ",
            supplements=(SupplementRequest(certificate.pk, "Bản chụp không đọc được"),),
        )
    assert paused.dossier.status == Status.SUPPLEMENT_REQUESTED and paused.event.form == "02"
    assert [(i.component.code, i.reason) for i in paused.event.supplement_items.all()] == [
        ("GT2", "Bản chụp không đọc được")
    ]
    with clock.frozen(datetime(2026, 3, 13, 10, 0, tzinfo=VIETNAM)):  # Friday 10:00 + 4 working hours
        resumed = perform(dossier, Action.SUBMIT_SUPPLEMENT, actor=user("mytho.motcua")).dossier
    assert resumed.status == Status.RECEIVED
    assert resumed.due_at == datetime(2026, 3, 13, 16, 0, tzinfo=VIETNAM)
    assert (resumed.paused_at, resumed.supplement_rounds) == (None, 1)


@override_settings(MOTCUA_MAX_SUPPLEMENT_ROUNDS=2)
def test_supplement_rounds_are_limited() -> None:
    dossier = receive()
    officer = user("mytho.motcua")
    item = (SupplementRequest(papers_of(dossier)[0].pk, "Sai thông tin"),)
    for _ in range(2):
        perform(dossier, Action.REQUEST_SUPPLEMENT, actor=officer, reason="Sai", supplements=item)
        perform(dossier, Action.SUBMIT_SUPPLEMENT, actor=officer)
    with pytest.raises(ConflictError, match=r"không được yêu cầu quá 2 lần.*dừng giải quyết \(Mẫu 05\)"):
        perform(dossier, Action.REQUEST_SUPPLEMENT, actor=officer, reason="Sai", supplements=item)
    assert Dossier.objects.get().supplement_rounds == 2 and dossier.events.count() == 5


def test_withdrawal_by_the_applicant_only() -> None:
    dossier = online()
    other = User.objects.create(username="0987654321", phone="0987654321")
    for stranger in (other, user("stp.motcua"), user("mytho.chuyenvien")):
        with pytest.raises(NotPermittedError, match="không có quyền"):
            perform(dossier, Action.WITHDRAW, actor=stranger, reason="Không cần nữa")
    assert Dossier.objects.get().status == Status.SUBMITTED
    withdrawn = perform(dossier, Action.WITHDRAW, actor=user("0912345678"), reason="Không cần nữa").dossier
    assert withdrawn.status == Status.WITHDRAWN and withdrawn.events.last().actor.username == "0912345678"


def test_start_by_competent_staff() -> None:
    dossier = receive()
    started = perform(dossier, Action.START, actor=user("mytho.chuyenvien")).dossier
    assert started.status == Status.PROCESSING and started.events.last().unit.code == "28261.UBND"


def test_events_are_never_changed_or_deleted() -> None:
    event = receive().events.get()
    event.reason = "sửa"
    with pytest.raises(ConflictError, match="không được sửa"):
        event.save()
    with pytest.raises(ConflictError, match="không được xóa"):
        event.delete()
    with pytest.raises(IntegrityError, match="không được sửa hoặc xóa"), transaction.atomic():
        DossierEvent.objects.update(reason="sửa hàng loạt")  # the database refuses what bypasses the model
    if connection.vendor == "postgresql":  # SQLite keeps DELETE for Django's test flush (migration 0010)
        refused = pytest.raises(IntegrityError, match="không được sửa hoặc xóa")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM dossiers_dossierevent WHERE id = %s", [event.pk])
    assert DossierEvent.objects.get().reason == ""


def test_the_applicant_is_told_after_commit(django_capture_on_commit_callbacks, mailoutbox, tmp_path) -> None:  # type: ignore[no-untyped-def]
    LogOnlySms.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive(birth_filing(applicant=Applicant(name="Bà Tư", phone="0912345678", email="tu@example.vn")))
    assert [m.subject for m in mailoutbox] == [f"Hồ sơ {dossier.code} đã được tiếp nhận"]
    assert "Ngày hẹn trả kết quả: 09:00 11/03/2026" in mailoutbox[0].body
    assert dossier.tracking_url() in mailoutbox[0].body
    assert [m.phone for m in LogOnlySms.outbox] == ["0912345678"]
    [(filename, pdf, mimetype)] = mailoutbox[0].attachments  # the receipt itself, Form 01
    assert (filename, mimetype) == (f"mau-01-{dossier.code}.pdf", "application/pdf")
    receipt = tmp_path / filename
    receipt.write_bytes(pdf)
    text = subprocess.run(["pdftotext", receipt, "-"], capture_output=True, text=True, check=True).stdout
    assert dossier.code in text and "GIẤY TIẾP NHẬN HỒ SƠ" in text.upper()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        receive(birth_filing(papers=(), applicant=Applicant(name="X", email="x@example.vn")))
    assert len(mailoutbox) == 1  # nothing is sent for an intake that failed


def test_the_applicant_is_told_of_a_supplement_request_and_of_a_refusal_with_the_form(  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks, mailoutbox
) -> None:
    applicant = Applicant(name="Bà Tư", phone="0912345678", email="tu@example.vn")
    officer = user("mytho.motcua")
    with django_capture_on_commit_callbacks(execute=True):
        received = receive(birth_filing(applicant=applicant))
        certificate = papers_of(received)[1]
        asked = (SupplementRequest(certificate.pk, "Thiếu chữ ký của bác sĩ"),)
        perform(
            received, Action.REQUEST_SUPPLEMENT, actor=officer, reason="Giấy chứng sinh chưa hợp lệ", supplements=asked
        )
        waiting = submit_online(
            birth_filing(channel=2, applicant=applicant),
            citizen=user("0912345678"),
            receiving_unit=unit("28261.TTPVHCC"),
        ).dossier
        perform(waiting, Action.REFUSE, actor=officer, reason="Không thuộc thẩm quyền của phường")
    supplement, refusal = mailoutbox[1], mailoutbox[-1]
    assert supplement.subject == f"Hồ sơ {received.code} cần bổ sung giấy tờ"
    assert f"- {certificate.name}: Thiếu chữ ký của bác sĩ" in supplement.body
    assert [a[0] for a in supplement.attachments] == [f"mau-02-{received.code}.pdf"]
    assert refusal.subject == f"Hồ sơ {waiting.code} không được tiếp nhận"
    assert "Lý do: Không thuộc thẩm quyền của phường" in refusal.body
    assert [a[0] for a in refusal.attachments] == [f"mau-03-{waiting.code}.pdf"]
