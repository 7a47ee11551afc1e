"""The one writer of feedback cases: intake and each action, checked against `rules`, with their events.

A report about how a dossier is handled is also recorded on the dossier, in the same transaction (QĐ 766 5.4 counts
the dossiers with a PAKN from intake, DOMAIN-2.md §1.2).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.core.formatting import format_datetime
from motcua.core.text import clean_free_text
from motcua.core.validators import normalise_phone, validate_phone
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import record_report
from motcua.notifications.services import queue_email, queue_sms
from motcua.organizations.models import Role, User
from motcua.organizations.selectors import memberships_on

from . import rules
from .clocks import dues
from .lifecycle import ACTION_LABELS, Action, Channel, Kind, Status, Topic, transition
from .models import FeedbackCase, FeedbackEvent
from .selectors import handling_unit_for, officials_of

MAX_CONTENT = 4_000


@dataclass(frozen=True)
class Sender:
    """Who sends a case. ND 20/2008 art. 7 asks for name, address and phone; a report about an official's conduct
    may be anonymous, its code and secret then being the only way to follow it."""

    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    anonymous: bool = False


@dataclass(frozen=True)
class ExtraPaperReport:
    """ "Cán bộ yêu cầu giấy tờ không có trong danh mục" about one dossier (ND 63/2010 art. 18(6))."""

    dossier: Dossier
    sender: Sender
    paper_asked: str
    content: str = ""
    official_id: int | None = None  # one of the officials who acted on the dossier, when the sender knows who
    channel: Channel = Channel.PORTAL
    submission_key: str = ""


def report_extra_paper(report: ExtraPaperReport, *, citizen: User | None = None) -> FeedbackCase:
    """File the report with the head of the unit holding the dossier and the province monitor; the same submission
    again returns the case already filed."""
    if report.submission_key:
        filed = FeedbackCase.objects.filter(submission_key=report.submission_key).first()
        if filed is not None:
            return filed
    sender, paper, content, official = _checked(report)
    unit = handling_unit_for(report.dossier)
    now = clock.now()
    due = dues(unit, now)
    try:
        with transaction.atomic():
            case = FeedbackCase.objects.create(
                code=_new_code(now),
                tracking_secret=secrets.token_urlsafe(12),
                submission_key=report.submission_key or None,
                kind=Kind.PAKN,
                topic=Topic.CONDUCT,
                channel=report.channel,
                status=Status.RECEIVED,
                sender_name=sender.name,
                sender_address=sender.address,
                sender_phone=sender.phone,
                sender_email=sender.email,
                is_anonymous=sender.anonymous,
                citizen=citizen if citizen is not None and citizen.is_authenticated else None,
                dossier=report.dossier,
                paper_asked=paper,
                reported_official=official,
                content=content,
                handling_unit=unit,
                received_at=now,
                accept_due_at=due.accept_by,
                due_at=due.handle_by,
            )
            _append(case, Action.FILE, case.citizen, now, details={"dossier": report.dossier.code, "unit": unit.code})
            record_report(report.dossier, case.code)
            _tell_handlers(case)
    except IntegrityError:  # the same submission, sent twice at once: the first one stands
        filed = FeedbackCase.objects.filter(submission_key=report.submission_key).first()
        if filed is None:
            raise
        return filed
    return case


def act(case: FeedbackCase, action: Action, *, actor: User, reason: str = "", verified: bool | None = None) -> None:
    """Take an action on a case as `rules.offers` allows it now; refused with its reason, nothing changed."""
    with transaction.atomic():
        locked = FeedbackCase.objects.select_for_update().get(pk=case.pk)
        offer = next((o for o in rules.offers(locked, actor) if o.action == action), None)
        if offer is None:
            raise ConflictError(
                f"Phản ánh đang ở trạng thái «{locked.status_label}»: không thể {ACTION_LABELS[action].lower()}."
            )
        if offer.refusal:
            raise NotPermittedError(offer.refusal)
        text = _text(reason, "reason", 2_000, required=offer.needs_reason, what="lý do hoặc nội dung kết luận")
        if action == Action.CONCLUDE and verified is None:
            raise DomainError("Chọn kết luận: phản ánh đúng hay không đúng.", field="verified")
        rule = transition(action, Status(locked.status))
        assert rule is not None  # offered above
        now = clock.now()
        locked.status = rule.target
        if action == Action.CONCLUDE:
            locked.verified, locked.conclusion, locked.concluded_at = verified, text, now
        locked.save()
        _append(
            locked, action, actor, now, reason=text, details={"verified": verified} if verified is not None else {}
        )
        _tell_sender(locked, action)
    case.refresh_from_db()


def _checked(report: ExtraPaperReport) -> tuple[Sender, str, str, User | None]:
    errors: dict[str, str] = {}

    def field(value: str, key: str, limit: int, required: bool, what: str) -> str:
        try:
            return _text(value, key, limit, required=required, what=what)
        except DomainError as refused:
            errors[key] = refused.message
            return ""

    sender = report.sender
    named = not sender.anonymous
    name = field(sender.name, "sender_name", 150, named, "họ và tên")
    address = field(sender.address, "sender_address", 300, named, "địa chỉ liên hệ")
    phone = normalise_phone(field(sender.phone, "sender_phone", 20, named, "số điện thoại"))
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as error:
            errors["sender_phone"] = error.messages[0]
    email = field(sender.email, "sender_email", 254, False, "thư điện tử")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["sender_email"] = "Thư điện tử không đúng dạng, ví dụ ten@example.vn."
    paper = field(report.paper_asked, "paper_asked", 300, True, "tên giấy tờ bị yêu cầu thêm")
    content = field(report.content, "content", MAX_CONTENT, False, "nội dung")
    official = None
    if report.official_id is not None:
        official = next((u for u in officials_of(report.dossier) if u.pk == report.official_id), None)
        if official is None:
            errors["official"] = "Chỉ chọn cán bộ đã xử lý hồ sơ này, hoặc để trống nếu không biết."
    if errors:
        raise ValidationError({key: [message] for key, message in errors.items()})
    kept = Sender(name, address, phone, email, sender.anonymous)
    return kept, paper, content or f"Cán bộ yêu cầu nộp thêm giấy tờ không có trong danh mục: {paper}.", official


def _text(value: str, key: str, limit: int, *, required: bool, what: str) -> str:
    try:
        text = clean_free_text(value or "", multiline=True).strip()
    except ValidationError as error:
        raise DomainError(error.messages[0], field=key) from None
    if required and not text:
        raise DomainError(f"Nhập {what}.", field=key)
    if len(text) > limit:
        raise DomainError(f"Tối đa {limit:,} ký tự; đã nhập {len(text):,}.".replace(",", "."), field=key)
    return text


def _new_code(now: datetime) -> str:
    """PA-yymmdd-NNNNNN: a random serial, so that codes reveal nothing of how many cases a day brings."""
    while True:
        code = f"PA-{now.astimezone(clock.VIETNAM):%y%m%d}-{secrets.randbelow(10**6):06d}"
        if not FeedbackCase.objects.filter(code=code).exists():
            return code


def _append(
    case: FeedbackCase, action: Action, actor: User | None, at: datetime, *, reason: str = "", details: Any = None
) -> None:
    last = case.events.count()
    FeedbackEvent.objects.create(
        case=case,
        sequence=last + 1,
        action=action,
        status_after=case.status,
        actor=actor,
        at=at,
        reason=reason,
        details=details or {},
    )


def _tell_handlers(case: FeedbackCase) -> None:
    """Tell the heads of the handling unit and the province monitors, never the official reported."""
    posts = memberships_on().filter(role=Role.LEADER, unit=case.handling_unit)
    watchers = memberships_on().filter(role=Role.PROVINCE_MONITOR)
    people = User.objects.filter(
        pk__in=[*posts.values_list("user", flat=True), *watchers.values_list("user", flat=True)]
    )
    subject = f"Phản ánh {case.code}: cán bộ yêu cầu giấy tờ ngoài danh mục"
    body = (
        f"Hồ sơ {case.dossier.code if case.dossier else ''} — {case.handling_unit.name}.\n"
        f"Giấy tờ bị yêu cầu thêm: {case.paper_asked}.\nHạn xử lý: {format_datetime(case.due_at)}."
    )
    for person in people.exclude(pk=case.reported_official_id or 0):
        queue_email(person.email, subject, body, reference=case.code)


def _tell_sender(case: FeedbackCase, action: Action) -> None:
    if case.is_anonymous:
        return  # the code and secret are the only reply channel
    said = {
        Action.ACCEPT: "đã được tiếp nhận xử lý",
        Action.REFUSE: "không được tiếp nhận",
        Action.CONCLUDE: "đã có kết luận",
    }
    subject = f"Phản ánh {case.code} {said[action]}"
    queue_email(case.sender_email, subject, f"{subject}.\n{case.conclusion}".strip(), reference=case.code)
    queue_sms(case.sender_phone, subject, reference=case.code)
