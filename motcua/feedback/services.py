"""The one writer of feedback cases: intake and each action, checked against `rules`, with their events.

A report about how a dossier is handled is also recorded on the dossier, in the same transaction (QĐ 766 5.4 counts
the dossiers with a PAKN from intake, DOMAIN-2.md §1.2).
"""

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from motcua.core import clock
from motcua.core.downloads import SUFFIXES
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.core.text import checked_text, clean_free_text
from motcua.core.uploads import CheckedScan
from motcua.core.validators import normalise_phone, validate_phone
from motcua.dossiers.drafts import check_scan
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import record_report
from motcua.organizations.models import AGENCY_TYPES, Unit, User

from . import answers, publication, records, routing, rules
from .clocks import after_wait, answer_due, complaint_limit_days, dues, information_requested_in_time
from .lifecycle import (
    ACTION_LABELS,
    KIND_LABELS,
    OPEN,
    Action,
    Actor,
    Channel,
    Kind,
    Rating,
    Status,
    Topic,
    transition,
)
from .models import FeedbackAttachment, FeedbackCase, FeedbackDraft
from .selectors import competent_unit_for, handling_unit_for, officials_of, second_instance_unit

MAX_CONTENT = 4_000
MAX_ATTACHMENTS = 5


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
class Intake:
    """One case as the sender states it; `services.file_case` checks it by its kind."""

    kind: Kind
    sender: Sender
    content: str
    topic: str = ""  # a PAKN's class (QĐ 766 5.1)
    subject_unit: Unit | None = None  # whose decision, act or official it is about
    about_head: bool = False  # about the head of that unit or a deputy (Luật Tố cáo 2018 art. 13)
    decision: str = ""  # a complaint's decision or act
    known_on: date | None = None  # the day the complainant received or learnt of it (art. 9)
    late_reason: str = ""  # why a complaint comes after the 90 days
    accused: str = ""  # a denunciation's person accused
    follows: FeedbackCase | None = None  # an earlier case whose answer this one disputes
    signed: bool = False  # the sender's identity is proved: a signed-in account, or a signed paper at the counter
    channel: Channel = Channel.PORTAL
    submission_key: str = ""
    dossier: Dossier | None = None
    paper_asked: str = ""
    official_id: int | None = None  # one of the officials who acted on the dossier, when the sender knows who
    addressed_unit: Unit | None = None  # where the sender sent it, when not straight to the competent unit
    attachments: tuple[tuple[str, bytes], ...] = ()  # (file name, content): papers sent with it


@dataclass(frozen=True)
class ExtraPaperReport:
    """ "Cán bộ yêu cầu giấy tờ không có trong danh mục" about one dossier (ND 63/2010 art. 18(6))."""

    dossier: Dossier
    sender: Sender
    paper_asked: str
    content: str = ""
    official_id: int | None = None
    channel: Channel = Channel.PORTAL
    submission_key: str = ""


def report_extra_paper(report: ExtraPaperReport, *, citizen: User | None = None) -> FeedbackCase:
    """File the report with the head of the unit holding the dossier and the province monitor; the same submission
    again returns the case already filed."""
    intake = Intake(
        Kind.PAKN, report.sender, report.content, Topic.CONDUCT, channel=report.channel,
        submission_key=report.submission_key, dossier=report.dossier, paper_asked=report.paper_asked,
        official_id=report.official_id,
    )  # fmt: skip
    return file_case(intake, citizen=citizen)


def file_case(intake: Intake, *, citizen: User | None = None, taken_by: User | None = None) -> FeedbackCase:
    """Take a case in: checked by its kind, routed by competence (or to the unit holding its dossier), its clocks
    started; the same submission again returns the case already filed. Refused with every field's reason.
    `taken_by`: the official who took it at the desk or on the phone, who signs its first event."""
    if intake.submission_key:
        filed = FeedbackCase.objects.filter(submission_key=intake.submission_key).first()
        if filed is not None:
            return filed
    now = clock.now()
    today = now.astimezone(clock.VIETNAM).date()
    errors: dict[str, list[ValidationError]] = {}
    checked: dict[str, Any] = {}
    files: list[tuple[str, CheckedScan]] = []
    try:
        checked = _checked(intake, today)
    except ValidationError as refused:
        errors |= refused.error_dict
    try:
        files = _checked_files(intake.attachments)
    except ValidationError as refused:
        errors |= refused.error_dict
    if errors:  # every field's reason at once, the papers' too
        raise ValidationError(errors)
    if intake.dossier is not None:
        unit = handling_unit_for(intake.dossier)
    elif checked["instance"] == 2:
        assert intake.follows is not None  # a second instance follows the first
        unit = second_instance_unit(intake.follows)
    else:
        assert intake.subject_unit is not None  # checked
        unit = competent_unit_for(intake.kind, intake.subject_unit, about_head=intake.about_head, on=today)
    addressed = intake.addressed_unit
    above = addressed is not None and addressed.pk != unit.pk and routing.is_above(addressed, unit)
    receiving = addressed if above and addressed is not None else unit
    due = dues(intake.kind, receiving, now, checked["instance"])
    signed_in = citizen if citizen is not None and citizen.is_authenticated and citizen.is_citizen else None
    try:
        with transaction.atomic():
            case = FeedbackCase.objects.create(
                code=records.new_code(now),
                tracking_secret=secrets.token_urlsafe(12),
                submission_key=intake.submission_key or None,
                status=Status.RECEIVED,
                citizen=signed_in,
                handling_unit=receiving,
                received_at=now,
                routed_at=now,
                accept_due_at=due.accept_by,
                due_at=due.handle_by,
                skipped_level=above,
                after_lower=above and routing.after_lower(signed_in, checked["sender_phone"], unit),
                **checked,
            )
            details: dict[str, Any] = {"unit": receiving.code}
            if case.subject_unit is not None:
                details["subject"] = case.subject_unit.code
            if addressed is not None and addressed.pk != receiving.pk:  # sent sideways: taken straight where due
                details["addressed"] = addressed.code
            if intake.dossier is not None:
                details["dossier"] = intake.dossier.code
            if case.late_reason:
                details["late_filing"] = True
            for name, scan in files:
                _attach(case, name, scan, now)
            if files:
                details["attachments"] = len(files)
            records.append(case, Action.FILE, taken_by or signed_in, now, details=details)
            if intake.dossier is not None:
                record_report(intake.dossier, case.code)
            records.tell_handlers(case)
            if signed_in is not None:
                FeedbackDraft.objects.filter(citizen=signed_in).delete()  # filed: the draft has done its work
            if above:  # vượt cấp: the competent unit handles it as a child case
                routing.open_child(case, unit, None, now)
    except IntegrityError:  # the same submission, sent twice at once: the first one stands
        filed = FeedbackCase.objects.filter(submission_key=intake.submission_key).first()
        if filed is None:
            raise
        return filed
    return case


# The intake form's fields a draft keeps (never a file, a key or a secret).
DRAFT_FIELDS = frozenset({
    "kind", "topic", "subject_unit", "about_head", "addressed_unit", "content", "decision", "known_on", "late_reason",
    "accused", "anonymous", "sender_name", "sender_address", "sender_phone", "sender_email",
})  # fmt: skip


def save_draft(citizen: User, values: Mapping[str, str]) -> FeedbackDraft:
    """Keep what the citizen typed, as typed: checked only when filed, so nothing typed is refused or lost here."""
    kept = {key: value[:MAX_CONTENT] for key, value in values.items() if key in DRAFT_FIELDS}
    draft, _created = FeedbackDraft.objects.update_or_create(
        citizen=citizen, defaults={"fields": kept, "updated_at": clock.now()}
    )
    return draft


def act(
    case: FeedbackCase,
    action: Action,
    *,
    actor: User | None,
    as_sender: bool = False,
    reason: str = "",
    verified: bool | None = None,
    rating: str = "",
    public: publication.PublicText | None = None,
    unit: Unit | None = None,
    topic: str = "",
) -> None:
    """Take an action on a case as `rules.offers` allows it now; refused with its reason, nothing changed.

    `as_sender`: the caller proved to be the sender (their account, or the case's code and secret); `public`: the
    text to publish, as the approver read it beside the original (redacted again here); `unit`: where a case is
    forwarded, or the lower unit given a child case; `topic`: a PAKN's new class."""
    if action == Action.SIGN and actor is not None and Action.SIGN in rules.allowed(rules.offers(case, actor)):
        refused = answers.refusal(case, actor)  # outside the transaction: the register's record of it stays
        if refused:
            raise NotPermittedError(refused)
    with transaction.atomic():
        locked = FeedbackCase.objects.select_for_update(of=("self",)).select_related("handling_unit").get(pk=case.pk)
        offer = next((o for o in rules.offers(locked, actor, as_sender=as_sender) if o.action == action), None)
        rule = transition(action, Status(locked.status), Kind(locked.kind))
        side = Actor.SENDER if as_sender else Actor.HANDLER
        if offer is None and rule is not None and side not in rule.actors:  # the sender's, or the handler's
            raise NotPermittedError(rules.SENDER_ONLY if Actor.SENDER in rule.actors else rules.NOT_HANDLER)
        if offer is None and rule is not None:  # not for this kind of case
            raise ConflictError(f"{KIND_LABELS[Kind(locked.kind)]}: không {ACTION_LABELS[action].lower()}.")
        if offer is None or rule is None:
            raise ConflictError(
                f"Phản ánh đang ở trạng thái «{locked.status_label}»: không thể {ACTION_LABELS[action].lower()}."
            )
        if offer.refusal:
            raise NotPermittedError(offer.refusal)
        text = checked_text(reason, "reason", 2_000, required=offer.needs_reason, what="lý do hoặc nội dung kết luận")
        if action == Action.CONCLUDE and verified is None:
            raise DomainError("Chọn kết luận: phản ánh đúng hay không đúng.", field="verified")
        if action == Action.RATE and rating not in set(Rating):
            raise DomainError("Chọn mức đánh giá: hài lòng hoặc không hài lòng.", field="rating")
        if action == Action.PUBLISH:
            public = _public_text(public or publication.draft(locked))
        if action in (Action.FORWARD, Action.OPEN_CHILD):
            _check_target(locked, action, unit)
        if action == Action.CLASSIFY and (topic not in set(Topic) or topic == locked.topic):
            raise DomainError("Chọn phân loại khác phân loại hiện tại.", field="topic")
        now = clock.now()
        if rule.target is not None:
            locked.status = rule.target
        details: dict[str, Any] = {}
        match action:
            case Action.ACCEPT:
                locked.accepted_at = now
                locked.due_at = answer_due(
                    Kind(locked.kind), locked.handling_unit, locked.received_at, now, locked.instance
                )
                details["due_at"] = locked.due_at.isoformat()
            case Action.CONCLUDE:
                locked.verified, locked.conclusion, locked.closed_at = verified, text, now
                details["verified"] = verified
            case Action.REFUSE | Action.WITHDRAW:
                locked.closed_at = now
            case Action.RATE:
                locked.rating = details["rating"] = rating
            case Action.PUBLISH:
                assert public is not None and actor is not None  # checked above; a handler is signed in
                publication.create(locked, public, actor_id=actor.pk, at=now)
            case Action.FORWARD:
                assert unit is not None  # checked above
                details = routing.forward(locked, unit, now)
            case Action.SIGN:
                assert actor is not None  # a handler is signed in
                document = answers.sign(locked, actor)
                locked.answer_document = document
                details = {"document": str(document.public_id), "notation": document.notation}
            case Action.REQUEST_INFO:
                first = not locked.events.filter(action=Action.REQUEST_INFO).exists()
                if first:
                    details["in_time"] = information_requested_in_time(
                        Kind(locked.kind), locked.handling_unit, locked.routed_at, now
                    )
            case Action.SUPPLY_INFO:
                asked = locked.events.filter(action=Action.REQUEST_INFO).order_by("-sequence").first()
                assert asked is not None  # waiting means asked
                locked.due_at = after_wait(
                    Kind(locked.kind), locked.handling_unit, locked.received_at, locked.due_at, asked.at, now
                )
                details["due_at"] = locked.due_at.isoformat()
            case Action.CLASSIFY:
                details = {"from": locked.topic, "to": topic}
                locked.topic = topic
            case Action.EXTEND:
                extended = rules.extension_due(locked)
                assert extended is not None  # offered above
                details = {"from": locked.due_at.isoformat(), "due_at": extended.isoformat()}
                locked.due_at = extended
        if action == Action.OPEN_CHILD:
            assert unit is not None  # checked above
            routing.open_child(locked, unit, actor, now, text)
        else:
            locked.save()
            records.append(locked, action, actor, now, reason=text, details=details)
        if action == Action.FORWARD:
            records.tell_handlers(locked)
        if action == Action.CONCLUDE and locked.parent_id:
            routing.close_parent(locked, now)
        if not as_sender:
            records.tell_sender(locked, action, text)
        elif action == Action.SUPPLY_INFO:
            records.tell_handlers(locked, f"Người gửi đã bổ sung thông tin: {text}")
    case.refresh_from_db()


def _check_target(case: FeedbackCase, action: Action, unit: Unit | None) -> None:
    """A case is forwarded to another agency; a child goes to an agency below the case's unit."""
    if unit is None or unit.pk == case.handling_unit_id or unit.type not in AGENCY_TYPES:
        raise DomainError("Chọn cơ quan, đơn vị khác đơn vị đang xử lý.", field="unit")
    if action == Action.OPEN_CHILD and not routing.is_above(case.handling_unit, unit):
        raise DomainError("Chỉ giao cấp dưới của đơn vị đang xử lý; cơ quan khác thì chuyển.", field="unit")


def _public_text(text: publication.PublicText) -> publication.PublicText:
    question = checked_text(text.question, "question", MAX_CONTENT, required=True, what="nội dung công khai")
    answer = checked_text(text.answer, "answer", MAX_CONTENT, required=True, what="kết quả trả lời công khai")
    return publication.PublicText(question, answer)


# Whose identity a portal case must prove by a signed-in account, standing for the signature the laws ask on paper
# (Luật Khiếu nại 2011 art. 8; Luật Tố cáo 2018 art. 23): unconfirmed for electronic filing, so a setting.
def _signed_kinds() -> set[str]:
    return set(getattr(settings, "MOTCUA_FEEDBACK_SIGNED_KINDS", [Kind.COMPLAINT, Kind.DENUNCIATION]))


def _anonymous_allowed(kind: Kind, topic: str) -> bool:
    """A report about an official's conduct may be anonymous; a PAKN about a regulation only where the province
    allows it (ND 20/2008 art. 7 asks for the sender's identity); a complaint or denunciation never."""
    if kind != Kind.PAKN:
        return False
    return topic == Topic.CONDUCT or bool(getattr(settings, "MOTCUA_FEEDBACK_ANONYMOUS_PAKN", False))


OFFER_CONDUCT_REPORT = "conduct_report_instead"
ANONYMOUS_DENUNCIATION = (
    "Tố cáo phải ghi rõ họ tên, địa chỉ người tố cáo và ký tên (Luật Tố cáo 2018, Điều 23), nên không nhận tố cáo "
    "ẩn danh. Có thể gửi nội dung này thành phản ánh ẩn danh về hành vi của cán bộ."
)


def _checked(intake: Intake, today: date) -> dict[str, Any]:
    """The case's fields from an intake, or every field's reason it is refused (ValidationError)."""
    errors: dict[str, str] = {}

    def field(value: str, key: str, limit: int, required: bool, what: str) -> str:
        try:
            return checked_text(value, key, limit, required=required, what=what)
        except DomainError as refused:
            errors[key] = refused.message
            return ""

    kind, sender = intake.kind, intake.sender
    topic = intake.topic if kind == Kind.PAKN else ""
    if kind == Kind.PAKN and topic not in set(Topic):
        errors["topic"] = "Chọn phân loại: về quy định, thủ tục hành chính hay về hành vi của cán bộ."
    if sender.anonymous and not _anonymous_allowed(kind, topic):
        errors["anonymous"] = {
            Kind.DENUNCIATION: ANONYMOUS_DENUNCIATION,
            Kind.COMPLAINT: "Khiếu nại phải ghi rõ họ tên, địa chỉ người khiếu nại (Luật Khiếu nại 2011, Điều 8).",
        }.get(kind, "Phản ánh, kiến nghị về quy định hành chính phải ghi rõ họ tên, địa chỉ, số điện thoại.")
    elif kind in _signed_kinds() and not intake.signed and intake.channel == Channel.PORTAL:
        errors["signed"] = (
            f"{KIND_LABELS[kind]} gửi trực tuyến cần đăng nhập tài khoản công dân: tài khoản đã xác thực thay cho chữ "
            "ký trên đơn. Hoặc nộp đơn có chữ ký tại Bộ phận Một cửa."
        )
    elif kind in _signed_kinds() and not intake.signed:
        errors["signed_paper"] = (
            f"{KIND_LABELS[kind]} cần chữ ký hoặc điểm chỉ của người gửi trên đơn hoặc biên bản ghi lời trình bày "
            "(Luật Khiếu nại 2011, Điều 8; Luật Tố cáo 2018, Điều 23)."
        )
    if intake.channel == Channel.PHONE and kind != Kind.PAKN:
        errors["channel"] = (
            "Khiếu nại, tố cáo không nhận qua điện thoại: hướng dẫn người gửi nộp đơn hoặc đến trình bày trực tiếp "
            "(Luật Khiếu nại 2011, Điều 8; Luật Tố cáo 2018, Điều 22)."
        )
    named = not sender.anonymous
    name = field(sender.name, "sender_name", 150, named, "họ và tên")
    address = field(sender.address, "sender_address", 300, named, "địa chỉ liên hệ")
    phone = normalise_phone(field(sender.phone, "sender_phone", 20, named and kind == Kind.PAKN, "số điện thoại"))
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
    if intake.dossier is None and intake.subject_unit is None:
        errors["subject_unit"] = "Chọn cơ quan, đơn vị có nội dung phản ánh, khiếu nại, tố cáo."
    paper = field(intake.paper_asked, "paper_asked", 300, intake.dossier is not None, "tên giấy tờ bị yêu cầu thêm")
    first = intake.follows if kind == Kind.COMPLAINT and intake.follows is not None else None
    if first is not None and first.kind != Kind.COMPLAINT:
        first = None  # a complaint about a PAKN's answer is a first complaint
    decision = field(intake.decision, "decision", 300, kind == Kind.COMPLAINT and first is None,
                     "quyết định hoặc hành vi bị khiếu nại")  # fmt: skip
    accused = field(intake.accused, "accused", 300, kind == Kind.DENUNCIATION, "họ tên, chức vụ người bị tố cáo")
    late_reason = field(intake.late_reason, "late_reason", 2_000, False, "lý do")
    known_on = intake.known_on if kind == Kind.COMPLAINT else None
    if first is not None:
        known_on = _second_instance_from(first, today, errors)
        if known_on is not None:
            _check_time_limit(known_on, late_reason, today, errors, instance=2)
        decision = decision or f"Giải quyết lần đầu của {first.handling_unit.name}, mã {first.code}"
    elif kind == Kind.COMPLAINT:
        _check_time_limit(known_on, late_reason, today, errors)
    content = field(intake.content, "content", MAX_CONTENT, intake.dossier is None, "nội dung")
    official = None
    if intake.official_id is not None and intake.dossier is not None:
        official = next((u for u in officials_of(intake.dossier) if u.pk == intake.official_id), None)
        if official is None:
            errors["official"] = "Chỉ chọn cán bộ đã xử lý hồ sơ này, hoặc để trống nếu không biết."
    if errors:
        # The one refusal a page answers with an offer: an anonymous denunciation, sent as a conduct report instead.
        raise ValidationError(
            {key: [ValidationError(message, code=OFFER_CONDUCT_REPORT if message == ANONYMOUS_DENUNCIATION else None)]
             for key, message in errors.items()}
        )  # fmt: skip
    if not content:
        content = f"Cán bộ yêu cầu nộp thêm giấy tờ không có trong danh mục: {paper}."
    return {
        "kind": kind, "topic": topic, "channel": intake.channel, "sender_name": name, "sender_address": address,
        "sender_phone": phone, "sender_email": email, "is_anonymous": sender.anonymous, "dossier": intake.dossier,
        "subject_unit": intake.subject_unit, "about_head": intake.about_head, "paper_asked": paper,
        "reported_official": official, "decision": decision, "accused": accused, "follows": intake.follows,
        "known_on": known_on, "instance": 2 if first is not None else 1,
        "late_reason": late_reason if kind == Kind.COMPLAINT else "", "content": content,
    }  # fmt: skip


def _checked_files(attachments: tuple[tuple[str, bytes], ...]) -> list[tuple[str, CheckedScan]]:
    """Each paper checked as a dossier's scans are (size, type by content, structure, virus), or every refusal."""
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": [f"Gửi kèm tối đa {MAX_ATTACHMENTS} tệp."]})
    checked, refused = [], []
    for name, content in attachments:
        try:
            checked.append((clean_free_text(name or "tep").strip()[:200] or "tep", check_scan(content)))
        except (DomainError, ValidationError) as error:
            message = error.message if isinstance(error, DomainError) else error.messages[0]
            refused.append(f"{name[:100]}: {message}")
    if refused:
        raise ValidationError({"attachments": refused})
    return checked


def _attach(case: FeedbackCase, name: str, scan: CheckedScan, at: datetime) -> None:
    digest = hashlib.sha256(scan.content).hexdigest()
    FeedbackAttachment.objects.create(
        case=case, file=ContentFile(scan.content, name=f"{digest}{SUFFIXES.get(scan.content_type, ('',))[0]}"),
        original_name=name, content_type=scan.content_type, size=len(scan.content), sha256=digest, uploaded_at=at,
    )  # fmt: skip


def _second_instance_from(first: FeedbackCase, today: date, errors: dict[str, str]) -> date | None:
    """The day a second complaint's time runs from: the first decision's, or the first time limit's end when no
    decision came (Luật Khiếu nại 2011 art. 33); None, with the reason, when a second complaint is not yet open."""
    if first.instance != 1:
        errors["follows"] = "Quyết định giải quyết khiếu nại lần hai có hiệu lực; không khiếu nại lần ba."
        return None
    if first.status == Status.CONCLUDED and first.closed_at is not None:
        return first.closed_at.astimezone(clock.VIETNAM).date()
    if first.status in OPEN and first.due_at.astimezone(clock.VIETNAM).date() < today:
        return first.due_at.astimezone(clock.VIETNAM).date()
    errors["follows"] = (
        "Khiếu nại lần hai chỉ gửi khi đã có quyết định giải quyết lần đầu hoặc đã hết thời hạn giải quyết lần đầu "
        "(Luật Khiếu nại 2011, Điều 33)."
    )
    return None


def _check_time_limit(
    known_on: date | None, late_reason: str, today: date, errors: dict[str, str], *, instance: int = 1
) -> None:
    """A complaint is filed within its time limit from the day the decision was received or the act learnt of,
    unless the complainant states the obstacle that kept them (Luật Khiếu nại 2011 art. 9)."""
    if known_on is None:
        errors["known_on"] = "Nhập ngày nhận được quyết định hoặc biết được hành vi bị khiếu nại."
        return
    if known_on > today:
        errors["known_on"] = "Ngày nhận hoặc biết quyết định, hành vi không thể sau hôm nay."
        return
    limit = complaint_limit_days(today, instance)
    article = "Điều 9" if instance == 1 else "Điều 33"
    if (today - known_on).days > limit and not late_reason:
        errors["late_reason"] = (
            f"Đã quá {limit} ngày kể từ ngày nhận hoặc biết quyết định, hành vi (Luật Khiếu nại 2011, {article}). "
            "Nếu vì ốm đau, thiên tai, địch họa, đi công tác, học tập ở nơi xa hoặc trở ngại khách quan khác, hãy ghi "
            "lý do."
        )
