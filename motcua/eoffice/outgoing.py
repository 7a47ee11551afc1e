"""Writes of outgoing documents (ND 30/2020/NĐ-CP arts 8, 13, 15, 18): draft, review, approve, sign, issue.

Signing goes through the signing register (`signing.services`): the block is the register's, the number the body's
`IssueSequence`; a refusal keeps its Vietnamese reason and changes nothing here. A replacement, a correction letter
and a recall are new documents linked to the original, which is only marked when they are issued.
"""

from django.conf import settings
from django.db import transaction

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.organizations.models import Unit, User
from motcua.signing import services as signing
from motcua.signing.models import IssuingBody

from . import inputs, layout, rules
from .lifecycle import OUTGOING_TRANSITIONS, Action, Outgoing, Relation, Urgency, transition
from .models import IncomingDocument, OutgoingComment, OutgoingDocument, OutgoingEvent, OutgoingVersion

MAX_BODY = 100_000
MAX_RECIPIENTS = 4_000


def _parts(summary: object, body: object, recipients: object) -> tuple[str, str, str]:
    return (
        inputs.text(summary, "summary", 500, what="trích yếu"),
        inputs.text(body, "body", MAX_BODY, what="nội dung", multiline=True),
        inputs.text(recipients, "recipients", MAX_RECIPIENTS, what="nơi nhận", multiline=True),
    )


def draft(
    *,
    by: User,
    unit: Unit,
    document_type: object,
    summary: object,
    body: object,
    recipients: object,
    urgency: object = Urgency.ORDINARY,
    original: OutgoingDocument | None = None,
    relation: object = "",
    reply_to: IncomingDocument | None = None,
) -> OutgoingDocument:
    """Start a draft; with `original`, a replacement, correction letter or recall of an issued document."""
    if not rules.may_draft(by, unit.pk):
        raise NotPermittedError(rules.NOT_DRAFTING)
    typed = inputs.document_type(document_type)
    about, text, to = _parts(summary, body, recipients)
    level = inputs.choice(urgency, Urgency, "urgency", "độ khẩn")
    kind = ""
    if original is not None:
        kind = inputs.choice(relation, Relation, "relation", "quan hệ với văn bản gốc")
        if original.unit_id != unit.pk:
            raise DomainError("Chỉ thay thế, đính chính, thu hồi văn bản đã phát hành của cơ quan.", field="original")
        if refused := rules.follow_up_refusal(original):
            raise (ConflictError(refused) if original.marked else DomainError(refused, field="original"))
    if reply_to is not None and reply_to.unit_id != unit.pk:
        raise DomainError("Văn bản đến không thuộc cơ quan này.", field="reply_to")
    now = clock.now()
    with transaction.atomic():
        document = OutgoingDocument.objects.create(
            unit=unit,
            drafter=by,
            document_type=typed,
            summary=about,
            body=text,
            recipients=to,
            urgency=level,
            status=Outgoing.DRAFT,
            created_at=now,
            original=original,
            relation=kind,
            reply_to=reply_to,
        )
        OutgoingVersion.objects.create(
            document=document, number=1, summary=about, body=text, recipients=to, at=now, by=by
        )
        OutgoingEvent.objects.create(document=document, action="draft", at=now, by=by, details={"relation": kind})
    return document


def _locked(document: OutgoingDocument, by: User, action: Action) -> OutgoingDocument:
    locked = (
        OutgoingDocument.objects.select_for_update(of=("self",)).select_related("document_type").get(pk=document.pk)
    )
    refusal = rules.refusal_of(locked, by, action)
    if refusal is None:
        raise DomainError("Thao tác không hợp lệ.", field="action")
    if refusal and refusal.startswith("Văn bản đang ở trạng thái"):
        raise ConflictError(refusal)
    if refusal:
        raise NotPermittedError(refusal)
    return locked


def edit(
    document: OutgoingDocument, *, by: User, summary: object, body: object, recipients: object
) -> OutgoingDocument:
    """A new version of the draft; earlier versions stay as they were."""
    about, text, to = _parts(summary, body, recipients)
    with transaction.atomic():
        locked = _locked(document, by, Action.EDIT)
        now = clock.now()
        locked.version += 1
        locked.summary, locked.body, locked.recipients = about, text, to
        locked.save(update_fields=["version", "summary", "body", "recipients"])
        OutgoingVersion.objects.create(
            document=locked, number=locked.version, summary=about, body=text, recipients=to, at=now, by=by
        )
        OutgoingEvent.objects.create(
            document=locked, action=Action.EDIT, at=now, by=by, details={"version": locked.version}
        )
    return locked


def comment(document: OutgoingDocument, *, by: User, text: object) -> OutgoingComment:
    said = inputs.text(text, "text", 4_000, what="góp ý", multiline=True)
    with transaction.atomic():
        locked = _locked(document, by, Action.COMMENT)
        return OutgoingComment.objects.create(
            document=locked, version=locked.version, text=said, at=clock.now(), by=by
        )


def act(document: OutgoingDocument, action: Action, *, by: User, reason: object = "") -> OutgoingDocument:
    """Submit, review, approve or return a draft as the lifecycle allows."""
    if action not in (Action.SUBMIT, Action.REVIEW, Action.APPROVE, Action.RETURN):
        raise DomainError("Thao tác không hợp lệ.", field="action")
    with transaction.atomic():
        locked = _locked(document, by, action)
        rule = transition(OUTGOING_TRANSITIONS, action, locked.status)
        assert rule is not None  # the rules answered allowed
        why = inputs.text(reason, "reason", 2_000, what="lý do", required=rule.needs_reason, multiline=True)
        now = clock.now()
        locked.status = rule.target
        locked.save(update_fields=["status"])
        OutgoingEvent.objects.create(document=locked, action=action, at=now, by=by, details={"reason": why})
    return locked


def sign(document: OutgoingDocument, *, by: User, passphrase: str = "") -> OutgoingDocument:
    """Sign through the register: number taken from the body's IssueSequence, block generated, PAdES signature."""
    refusal = rules.refusal_of(document, by, Action.SIGN)
    if refusal:
        raise ConflictError(refusal) if refusal.startswith("Văn bản đang") else NotPermittedError(refusal)
    unit = Unit.objects.get(pk=document.unit_id)
    if not IssuingBody.objects.filter(unit=unit).exists():
        raise DomainError(f"{unit.name} chưa có trong sổ đăng ký thẩm quyền ký.")
    # Asked outside the transaction so that a refusal stays recorded in the signing register's log.
    entitlement = signing.can_sign(by, document.document_type, unit=unit)
    if not entitlement.allowed:
        raise NotPermittedError(entitlement.reason)
    with transaction.atomic():
        locked = _locked(document, by, Action.SIGN)
        content = layout.render(locked, entitlement.block)
        original = locked.original.signed if locked.original is not None else None
        signed = signing.sign_document(
            content,
            official=by,
            document_type=locked.document_type,
            summary=locked.summary,
            unit=unit,
            passphrase=passphrase,
            supersedes=original if locked.relation == Relation.REPLACEMENT else None,
            correction=locked.summary if locked.relation == Relation.REPLACEMENT else "",
            year_in_notation=locked.document_type.code in settings.MOTCUA_EOFFICE_YEAR_IN_NOTATION_TYPES,
        )
        locked.status, locked.signed, locked.notation = Outgoing.SIGNED, signed, signed.notation
        locked.save(update_fields=["status", "signed", "notation"])
        OutgoingEvent.objects.create(
            document=locked,
            action=Action.SIGN,
            at=signed.signed_at,
            by=by,
            details={"notation": signed.notation, "block": signed.block, "layout": layout.LAYOUT_VERSION},
        )
    return locked


def issue(document: OutgoingDocument, *, by: User) -> OutgoingDocument:
    """The clerk issues the signed document to its Nơi nhận (art. 18: the signing day, next working day at the
    latest); a replacement, correction or recall then marks its original."""
    with transaction.atomic():
        locked = _locked(document, by, Action.ISSUE)
        now = clock.now()
        locked.status, locked.issued_at = Outgoing.ISSUED, now
        locked.save(update_fields=["status", "issued_at"])
        OutgoingEvent.objects.create(
            document=locked,
            action=Action.ISSUE,
            at=now,
            by=by,
            details={"recipients": layout.recipients_of(locked)},
        )
        if locked.original_id is not None:
            original = OutgoingDocument.objects.select_for_update(of=("self",)).get(pk=locked.original_id)
            if original.marked:
                raise ConflictError(f"Văn bản {original.notation} đã được đánh dấu trước đó.")
            original.marked, original.marked_by = locked.relation, locked
            original.save(update_fields=["marked", "marked_by"])
            OutgoingEvent.objects.create(
                document=original,
                action=Action.MARK,
                at=now,
                by=by,
                details={"relation": locked.relation, "by_document": locked.notation},
            )
    return locked
