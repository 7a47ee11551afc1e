"""People and documents for eOffice tests: the demo commune's committee with a văn thư added."""

from datetime import date

from motcua.core.tests.samples import result_pdf
from motcua.eoffice.incoming import Received, Registration, register
from motcua.eoffice.lifecycle import Action
from motcua.eoffice.models import OutgoingDocument
from motcua.eoffice.outgoing import act, draft, issue, sign
from motcua.organizations.models import Membership, Position, Role, Unit, User, UserKind
from motcua.signing.models import DocumentType

BODY = "28261.UBND"
CLERK = "mytho.vanthu"


def clerk(username: str = CLERK, unit_code: str = BODY) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"full_name": "Tạ Thị Văn Thư", "kind": UserKind.STAFF}
    )
    Membership.objects.get_or_create(
        user=user,
        unit=Unit.objects.get(code=unit_code),
        defaults={"position": Position.CIVIL_SERVANT, "role": Role.CLERK, "valid_from": date(2020, 1, 1)},
    )
    return User.objects.get(pk=user.pk)  # fresh: posts are read once per user object


def person(username: str) -> User:
    return User.objects.get(username=username)


def body() -> Unit:
    return Unit.objects.get(code=BODY)


def incoming(
    notation: str = "12/SNV-CCHC", *, files: tuple[Received, ...] | None = None, **given: object
) -> Registration:
    fields: dict[str, object] = {
        "channel": "upload",
        "sender": "Sở Nội vụ",
        "sender_notation": notation,
        "sender_date": "2026-03-09",
        "document_type": "cong_van",
        "summary": "Về việc báo cáo cải cách hành chính quý I",
        "urgency": "thuong",
        "pages": 2,
    }
    fields.update(given)
    sent = files if files is not None else (Received("cv.pdf", result_pdf("Công văn")),)
    return register(by=clerk(), unit=body(), files=sent, **fields)  # type: ignore[arg-type]


def plan(**given: object) -> OutgoingDocument:
    fields: dict[str, object] = {
        "document_type": "ke_hoach",
        "summary": "Kế hoạch cải cách hành chính năm 2026",
        "body": "Căn cứ Nghị quyết 76/NQ-CP.\nỦy ban nhân dân phường ban hành kế hoạch như sau.",
        "recipients": "Sở Nội vụ\nCác phòng chuyên môn",
    }
    fields.update(given)
    return draft(by=person("mytho.chuyenvien"), unit=body(), **fields)  # type: ignore[arg-type]


def approved(document: OutgoingDocument | None = None) -> OutgoingDocument:
    document = document or plan()
    document = act(document, Action.SUBMIT, by=person("mytho.chuyenvien"))
    document = act(document, Action.REVIEW, by=person("mytho.truongphong"))
    return act(document, Action.APPROVE, by=person("mytho.lanhdao"))


def issued(document: OutgoingDocument | None = None) -> OutgoingDocument:
    signed = sign(approved(document), by=person("mytho.lanhdao"))
    return issue(signed, by=clerk())


__all__ = ["DocumentType", "result_pdf"]
