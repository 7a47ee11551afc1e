"""What every change of a case leaves behind: its code, its events, the messages to those concerned."""

import secrets
from datetime import datetime
from typing import Any

from motcua.core import clock
from motcua.core.formatting import format_datetime
from motcua.notifications.services import queue_email, queue_sms
from motcua.organizations.models import Role, User
from motcua.organizations.selectors import memberships_on
from motcua.outbox.services import publish

from .lifecycle import KIND_LABELS, Action, Kind
from .models import FeedbackCase, FeedbackEvent, PublicAnswer


def new_code(now: datetime) -> str:
    """PA-yymmdd-NNNNNN: a random serial, so that codes reveal nothing of how many cases a day brings."""
    while True:
        code = f"PA-{now.astimezone(clock.VIETNAM):%y%m%d}-{secrets.randbelow(10**6):06d}"
        if not FeedbackCase.objects.filter(code=code).exists():
            return code


def append(
    case: FeedbackCase, action: Action, actor: User | None, at: datetime, *, reason: str = "", details: Any = None
) -> None:
    last = 0 if action == Action.FILE else case.events.count()  # a case's first event needs no look-up
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
    _publish(case, action, last + 1, at)


def _publish(case: FeedbackCase, action: Action, sequence: int, at: datetime) -> None:
    """Queue the event for subscribed systems and, once an answer is published, the answer for the national portal.

    A denunciation goes nowhere: the law protects the denouncer's identity and the matter (Luật Tố cáo 2018 art. 47).
    What leaves is the published answer, already without personal data (ND 20/2008 art. 19), and bare statuses.
    """
    if case.kind == Kind.DENUNCIATION:
        return
    national = None
    if action == Action.PUBLISH and (answer := PublicAnswer.objects.filter(case=case).first()) is not None:
        # Field names follow the dossier record's style; DVCQG's PAKN sync format is not in our sources [R].
        national = {
            "MaPAKN": case.code,
            "LoaiPAKN": case.kind,
            "NoiDungPAKN": answer.question,
            "NoiDungTraLoi": answer.answer,
            "DonViTraLoi": answer.unit.name,
            "NgayGui": answer.received_on.isoformat(),
            "NgayCongKhai": answer.published_at.astimezone(clock.VIETNAM).isoformat(),
            "MaHoSo": case.dossier.code if case.dossier is not None else None,
        }
    summary = {"code": case.code, "kind": case.kind, "sequence": sequence, "action": action, "status": case.status}
    publish("feedback", case.code, sequence, f"feedback.{action}", at=at, national=national, summary=summary)


def tell_handlers(case: FeedbackCase, news: str = "") -> None:
    """Tell the heads of the handling unit and the province monitors, never the official reported."""
    posts = memberships_on().filter(role=Role.LEADER, unit=case.handling_unit)
    watchers = memberships_on().filter(role=Role.PROVINCE_MONITOR)
    people = User.objects.filter(
        pk__in=[*posts.values_list("user", flat=True), *watchers.values_list("user", flat=True)]
    )
    if case.dossier is not None:
        subject = f"Phản ánh {case.code}: cán bộ yêu cầu giấy tờ ngoài danh mục"
        about = f"Hồ sơ {case.dossier.code}. Giấy tờ bị yêu cầu thêm: {case.paper_asked}."
    else:
        subject = f"{KIND_LABELS[Kind(case.kind)]} {case.code} gửi {case.handling_unit.name}"
        about = f"Về: {case.subject_unit.name if case.subject_unit else ''}."
    body = (
        f"{news + chr(10) if news else ''}{about}\nĐơn vị xử lý: {case.handling_unit.name}.\n"
        f"Hạn tiếp nhận: {format_datetime(case.accept_due_at)}. Hạn giải quyết: {format_datetime(case.due_at)}."
    )
    for person in people.exclude(pk=case.reported_official_id or 0):
        queue_email(person.email, subject, body, reference=case.code)


def tell_sender(case: FeedbackCase, action: Action, text: str = "") -> None:
    if case.is_anonymous:
        return  # the code and secret are the only reply channel
    said = {
        Action.ACCEPT: f"đã được tiếp nhận xử lý, hạn giải quyết {format_datetime(case.due_at)}",
        Action.REFUSE: "không được tiếp nhận",
        Action.CONCLUDE: "đã có kết luận",
        Action.PUBLISH: "đã được công khai kết quả trả lời",
        Action.FORWARD: f"đã được chuyển {case.handling_unit.name}, hạn giải quyết {format_datetime(case.due_at)}",
        Action.OPEN_CHILD: f"đã được giao cấp dưới giải quyết, hạn {format_datetime(case.due_at)}",
        Action.EXTEND: f"được gia hạn giải quyết đến {format_datetime(case.due_at)}",
        Action.SIGN: "đã có văn bản trả lời ký số",
        Action.REQUEST_INFO: "cần bổ sung thông tin (trả lời tại trang Theo dõi phản ánh)",
    }
    if action not in said:
        return  # an internal step (a new class): nothing the sender needs to hear
    subject = f"{KIND_LABELS[Kind(case.kind)]} {case.code} {said[action]}"
    queue_email(case.sender_email, subject, f"{subject}.\n{text or case.conclusion}".strip(), reference=case.code)
    queue_sms(case.sender_phone, subject, reference=case.code)
