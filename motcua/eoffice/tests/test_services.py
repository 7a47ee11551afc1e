"""Registers, numbering, duplicates, authenticity, assignment as a reform task, signing and replacement chains."""

import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from django.test import override_settings

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.eoffice.incoming import Received, assign, present
from motcua.eoffice.lifecycle import Action, Incoming, Integrity, Outgoing, Relation
from motcua.eoffice.models import IncomingDocument, IncomingEvent, OutgoingDocument, OutgoingEvent
from motcua.eoffice.outgoing import act, comment, edit, issue, sign
from motcua.eoffice.selectors import presentation_flag
from motcua.eoffice.tests.factories import BODY, approved, body, clerk, incoming, issued, person, plan, result_pdf
from motcua.reform.models import Directive, Task
from motcua.signing.models import DocumentType, Refusal, SignedDocument
from motcua.signing.services import sign_document

pytestmark = pytest.mark.django_db
TUESDAY = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)


@pytest.fixture(autouse=True)
def at_nine() -> object:
    with clock.frozen(TUESDAY):
        yield


def test_incoming_numbers_run_from_one_and_restart_at_midnight_on_1_january_vietnam_time() -> None:
    assert [incoming(f"{n}/SNV").document.number for n in (1, 2, 3)] == [1, 2, 3]
    with clock.frozen(datetime(2026, 12, 31, 23, 59, tzinfo=VIETNAM)):
        assert incoming("4/SNV").document.number == 4
    with clock.frozen(datetime(2027, 1, 1, 0, 0, tzinfo=VIETNAM)):  # still 31 December in UTC
        first = incoming("5/SNV").document
    assert (first.year, first.number) == (2027, 1)


def test_a_second_copy_points_to_the_first_registration() -> None:
    first = incoming().document
    again = incoming(sender="  sở nội vụ ", channel="email")
    assert not again.created and again.document.pk == first.pk
    assert IncomingDocument.objects.count() == 1
    assert IncomingDocument.objects.get().copies_received == 2
    assert incoming(sender_date="2026-03-08").created  # another date: another document
    assert IncomingDocument.objects.order_by("number").last().number == 2  # type: ignore[union-attr]


def test_signed_pdf_is_checked_against_the_trust_roots_and_a_tampered_one_is_not_intact() -> None:
    signed = issued()
    content = signed.signed.pdf.open("rb").read()  # type: ignore[union-attr]
    good = incoming(files=(Received("qd.pdf", content),)).document
    assert good.integrity == Integrity.VALID and good.files.get().signature_valid is True
    tampered = bytearray(content)
    tampered[content.index(b"stream") + 20] ^= 0x01
    bad = incoming("13/SNV", files=(Received("qd.pdf", bytes(tampered)),)).document
    assert bad.integrity == Integrity.INVALID and "đã bị thay đổi" in bad.integrity_reason
    assert incoming("14/SNV").document.integrity == Integrity.UNSIGNED
    assert len(good.files.get().sha256) == 64
    assert good.receipt_confirmed_at == TUESDAY
    assert good.events.filter(action="confirm_receipt").exists()


@pytest.mark.parametrize("username", ["mytho.chuyenvien", "mytho.lanhdao", "stp.lanhdao", "quantri"])
def test_only_the_clerk_registers(username: str) -> None:
    with pytest.raises(NotPermittedError):
        from motcua.eoffice.incoming import register

        register(
            by=person(username),
            unit=body(),
            channel="paper",
            sender="Sở Nội vụ",
            sender_notation="1/SNV",
            sender_date="2026-03-09",
            document_type="cong_van",
            summary="x",
            urgency="thuong",
            pages=1,
        )
    assert not IncomingDocument.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sender", "\x00"),
        ("summary", "x" * 100_000),
        ("pages", "mười"),
        ("sender_date", "31/02/2026"),
        ("urgency", "rat_gap"),
        ("document_type", 5),
        ("sender_date", "2026-03-11"),
    ],
)
def test_hostile_input_is_refused_in_vietnamese(field: str, value: object) -> None:
    with pytest.raises(DomainError) as refused:
        incoming(**{field: value})
    assert refused.value.field == field and refused.value.message
    assert not IncomingDocument.objects.exists()


def test_presentation_clock_same_day_next_working_day_at_the_latest_urgent_at_once() -> None:
    friday_evening = datetime(2026, 3, 13, 16, 55, tzinfo=VIETNAM)
    with clock.frozen(friday_evening):
        ordinary = incoming("20/SNV").document
        urgent = incoming("21/SNV", urgency="hoa_toc").document
    assert ordinary.presentation_due_at.astimezone(VIETNAM).date().isoformat() == "2026-03-16"  # Monday
    assert urgent.presentation_due_at < ordinary.presentation_due_at
    with clock.frozen(datetime(2026, 3, 16, 16, 0, tzinfo=VIETNAM)):
        assert presentation_flag(ordinary) == "near_due"
        assert presentation_flag(urgent) == "overdue"


def test_the_leader_assigns_and_handling_becomes_a_reform_task() -> None:
    document = incoming().document
    leader = person("mytho.lanhdao")
    with pytest.raises(NotPermittedError):
        present(document, by=leader, to=leader)  # the clerk presents, not the leader
    document = present(document, by=clerk(), to=leader)
    assert document.status == Incoming.PRESENTED
    with pytest.raises(DomainError, match="Chọn người xử lý chính"):
        assign(document, by=leader, assignee=None, instruction="Xử lý")
    with pytest.raises(NotPermittedError):
        assign(document, by=person("mytho.chuyenvien"), assignee=person("mytho.chuyenvien"), instruction="x")
    assert IncomingDocument.objects.get().status == Incoming.PRESENTED and not Directive.objects.exists()
    document = assign(
        document,
        by=leader,
        assignee=person("mytho.chuyenvien"),
        co_handlers=[person("mytho.truongphong")],
        instruction="Giao Phòng Kinh tế chủ trì tham mưu báo cáo",
        deadline="2026-03-20",
    )
    assert document.status == Incoming.ASSIGNED and document.directive is not None
    assert document.directive.source_kind == "y_kien_chi_dao" and document.directive.source_number == "12/SNV-CCHC"
    task = Task.objects.get(directive=document.directive)
    assert task.lead_unit.code == BODY and str(task.deadline_on) == "2026-03-20"
    assert list(IncomingEvent.objects.filter(document=document).values_list("action", flat=True)) == [
        "register",
        "confirm_receipt",
        "present",
        "assign",
    ]


def test_outgoing_draft_review_approve_sign_issue_with_versions_comments_and_a_pdf_pdfsig_accepts(
    tmp_path: Path,
) -> None:
    document = plan()
    document = edit(
        document,
        by=person("mytho.chuyenvien"),
        summary="Kế hoạch cải cách hành chính năm 2026",
        body="Căn cứ Nghị quyết 76/NQ-CP.\nNội dung kế hoạch.",
        recipients="Sở Nội vụ\nLưu VT",
    )
    comment(document, by=person("mytho.truongphong"), text="Bổ sung chỉ tiêu.")
    with pytest.raises(NotPermittedError):
        edit(document, by=person("mytho.truongphong"), summary="x", body="x", recipients="x")
    document = approved(document)
    document = sign(document, by=person("mytho.lanhdao"))
    assert (document.status, document.notation) == (Outgoing.SIGNED, "01/KH-UBND")
    with pytest.raises(ConflictError):
        edit(document, by=person("mytho.chuyenvien"), summary="x", body="x", recipients="x")
    with pytest.raises(NotPermittedError):
        issue(document, by=person("mytho.lanhdao"))  # only the clerk issues
    document = issue(document, by=clerk())
    assert document.status == Outgoing.ISSUED and document.versions.count() == 2 and document.comments.count() == 1
    path = tmp_path / "kh.pdf"
    path.write_bytes(document.signed.pdf.open("rb").read())  # type: ignore[union-attr]
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Signature is Valid." in report and "Total document signed" in report
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    for part in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "KẾ HOẠCH",
        "Kế hoạch cải cách hành chính năm 2026",
        "ngày 10 tháng 3 năm 2026",
        "Nơi nhận",
        "Sở Nội vụ",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Đặng Văn Chủ Tịch",
        "01/KH-UBND",
    ):
        assert part in text, part


def test_signing_refused_without_authority_shows_the_reason_and_changes_nothing() -> None:
    document = approved()
    before = OutgoingEvent.objects.count()
    with pytest.raises(NotPermittedError) as refused:
        sign(document, by=person("mytho.phochutich"))
    assert refused.value.message == "Phó Chủ tịch không được giao ký thay loại văn bản Kế hoạch."
    assert OutgoingDocument.objects.get().status == Outgoing.APPROVED and not SignedDocument.objects.exists()
    assert OutgoingEvent.objects.count() == before
    assert Refusal.objects.filter(official__username="mytho.phochutich").exists()  # the register keeps the attempt
    assert sign(document, by=person("mytho.lanhdao")).notation == "01/KH-UBND"  # no number was used up


def test_numbers_are_shared_with_the_body_sequence_and_legal_normative_ones_carry_the_year() -> None:
    sign_document(
        result_pdf(),
        official=person("mytho.lanhdao"),
        document_type=DocumentType.objects.get(code="quyet_dinh"),
        summary="Quyết định",
        unit=body(),
    )
    assert sign(approved(), by=person("mytho.lanhdao")).notation == "02/KH-UBND"
    DocumentType.objects.create(code="quyet_dinh_qppl", name="Quyết định (quy phạm pháp luật)", abbreviation="QĐ")
    with override_settings(MOTCUA_EOFFICE_YEAR_IN_NOTATION_TYPES=("quyet_dinh_qppl",)):
        normative = sign(approved(plan(document_type="quyet_dinh_qppl")), by=person("mytho.lanhdao"))
    assert normative.notation == "03/2026/QĐ-UBND"


@pytest.mark.parametrize("relation", list(Relation))
def test_replacement_correction_and_recall_are_new_numbered_documents_and_the_original_is_only_marked(
    relation: Relation,
) -> None:
    original = issued()
    frozen = {f: getattr(original, f) for f in ("summary", "body", "recipients", "notation", "signed_id", "version")}
    follower = plan(
        summary=f"V/v {relation.value} văn bản 01/KH-UBND",
        original=original,
        relation=relation.value,
        document_type="cong_van",
    )
    with pytest.raises(ConflictError):  # the original is never edited
        edit(original, by=person("mytho.chuyenvien"), summary="sửa", body="sửa", recipients="x")
    follower = issued(follower)
    assert follower.notation == "02/UBND" and follower.original_id == original.pk
    again = OutgoingDocument.objects.get(pk=original.pk)
    assert {f: getattr(again, f) for f in frozen} == frozen
    assert (again.marked, again.marked_by_id) == (relation.value, follower.pk)
    with pytest.raises(ConflictError):
        plan(original=again, relation="recall")


def test_a_denied_outgoing_action_changes_nothing() -> None:
    document = plan()
    for username, action in [
        ("mytho.truongphong", Action.SUBMIT),
        ("mytho.chuyenvien", Action.REVIEW),
        ("stp.lanhdao", Action.SUBMIT),
        ("mytho.lanhdao", Action.REVIEW),
    ]:
        with pytest.raises((NotPermittedError, ConflictError)):
            act(document, action, by=person(username))
    assert OutgoingDocument.objects.get().status == Outgoing.DRAFT
    assert list(OutgoingEvent.objects.values_list("action", flat=True)) == ["draft"]
