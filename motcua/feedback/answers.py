"""The answer to a case as the handling unit's document (công văn, quyết định, thông báo kết luận), rendered and
signed through the signing register: only whom the register entitles signs it, under the block it generates, with
the body's next number (ND 30/2020 arts 13, 15); anyone verifies it at /xac-thuc/."""

from django.conf import settings

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.formatting import format_date
from motcua.documents.letters import Letter, render_letter
from motcua.organizations.models import User
from motcua.signing.models import DocumentType, SignedDocument
from motcua.signing.services import can_sign, sign_document

from .lifecycle import KIND_LABELS, Kind
from .models import FeedbackCase

# The document type each kind's answer is registered as (ND 30/2020 art. 7, Phụ lục III). A PAKN is answered by a
# công văn; a complaint is decided by a quyết định (Luật Khiếu nại 2011 art. 31); a denunciation's conclusion (Luật
# Tố cáo 2018 art. 35) is not among the decree's types and is registered as a thông báo [R]. Setting:
# `MOTCUA_FEEDBACK_ANSWER_TYPES`.
ANSWER_TYPES = {Kind.PAKN: "cong_van", Kind.COMPLAINT: "quyet_dinh", Kind.DENUNCIATION: "thong_bao"}
TITLES = {
    Kind.PAKN: "Trả lời phản ánh, kiến nghị",
    Kind.COMPLAINT: "Quyết định giải quyết khiếu nại",
    Kind.DENUNCIATION: "Kết luận nội dung tố cáo",
}


def document_type_for(kind: Kind) -> DocumentType:
    code = {**ANSWER_TYPES, **getattr(settings, "MOTCUA_FEEDBACK_ANSWER_TYPES", {})}[kind]
    found = DocumentType.objects.filter(code=code).first()
    if found is None:
        raise DomainError(f"Danh mục loại văn bản chưa có loại «{code}» để ký văn bản trả lời.")
    return found


def letter_for(case: FeedbackCase) -> Letter:
    kind = Kind(case.kind)
    recipient = (
        f"Người gửi phản ánh mã {case.code}" if case.is_anonymous else f"{case.sender_name}, {case.sender_address}"
    )
    received = format_date(case.received_at.astimezone(clock.VIETNAM).date())
    finding = {True: "có cơ sở", False: "không có cơ sở", None: ""}[case.verified]
    paragraphs = (
        f"Ngày {received}, {case.handling_unit.name} nhận được {KIND_LABELS[kind].lower()} mã {case.code}"
        f"{' về ' + case.decision if case.decision else ''}: {case.content}",
        f"Sau khi xem xét, {case.handling_unit.name} kết luận nội dung {KIND_LABELS[kind].lower()} {finding}. "
        f"{case.conclusion}",
    )
    return Letter(case.handling_unit, TITLES[kind], f"{TITLES[kind]} mã {case.code}", recipient, paragraphs, case.code)


def refusal(case: FeedbackCase, official: User) -> str:
    """Why the register does not let this official sign the case's answer ("" when it does). Asked before the case
    is locked, so that the register keeps its record of the refusal (`signing.services.can_sign`)."""
    entitlement = can_sign(official, document_type_for(Kind(case.kind)), unit=case.handling_unit)
    return "" if entitlement.allowed else entitlement.reason


def sign(case: FeedbackCase, official: User, passphrase: str = "") -> SignedDocument:
    """Sign the answer as the unit's document; refused with the register's reason, nothing numbered or stored."""
    kind = Kind(case.kind)
    return sign_document(
        render_letter(letter_for(case)),
        official=official,
        document_type=document_type_for(kind),
        summary=f"{TITLES[kind]} mã {case.code}",
        unit=case.handling_unit,
        passphrase=passphrase,
    )
