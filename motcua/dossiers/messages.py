"""What the applicant is told, by e-mail and SMS, when their dossier is received, refused or needs papers."""

from django.conf import settings

from motcua.core.formatting import format_datetime
from motcua.notifications.services import Attachment, queue_email, queue_sms
from motcua.organizations.models import Unit, User
from motcua.worktime.arithmetic import DeadlineStatus, status

from .lifecycle import Action
from .models import Dossier, DossierEvent, ReturnMethod
from .processing import Alert


def tell_applicant(dossier: Dossier, event: DossierEvent) -> None:
    """Queue the messages an event calls for; they leave only if the transaction commits."""
    text = _text(dossier, event)
    if text is None:
        return
    subject, body = text
    link = f"\nTra cứu hồ sơ: {dossier.tracking_url()}"
    # The form issued with the event (receipt 01, supplement request 02, refusal 03) goes with the e-mail.
    forms = [Attachment(f"mau-{event.form}-{dossier.code}.pdf", "dossier-form", (dossier.code, event.form))]
    attachments = forms if event.form else []
    queue_email(dossier.applicant_email, subject, body + link, reference=dossier.code, attachments=attachments)
    queue_sms(dossier.applicant_phone, f"{subject}. {link.strip()}", reference=dossier.code)


def _text(dossier: Dossier, event: DossierEvent) -> tuple[str, str] | None:
    procedure = dossier.version.name
    match event.action:
        case Action.RECEIVE | Action.ACCEPT:
            due = format_datetime(dossier.due_at) if dossier.due_at else ""
            return (
                f"Hồ sơ {dossier.code} đã được tiếp nhận",
                f"Hồ sơ «{procedure}» của ông/bà đã được tiếp nhận tại {dossier.receiving_unit.name}.\n"
                f"Mã hồ sơ: {dossier.code}. Ngày hẹn trả kết quả: {due}.",
            )
        case Action.REFUSE:
            return (
                f"Hồ sơ {dossier.code} không được tiếp nhận",
                f"Hồ sơ «{procedure}» không được tiếp nhận. Lý do: {event.reason}",
            )
        case Action.EXTEND:
            new = format_datetime(dossier.due_at) if dossier.due_at else ""
            # The unit that caused the delay apologises, as its Form 04 says (recorded with the event).
            issuer = Unit.objects.filter(code=event.details.get("issuing_unit", "")).first() or dossier.competent_unit
            return (
                f"Xin lỗi: hồ sơ {dossier.code} được hẹn lại ngày trả kết quả",
                f"{issuer.name} xin lỗi ông/bà vì chưa giải quyết xong hồ sơ «{procedure}» đúng hẹn.\n"
                f"Lý do: {event.reason}\nNgày hẹn trả mới: {new}.",
            )
        case Action.STOP:
            return (
                f"Hồ sơ {dossier.code} được dừng giải quyết",
                f"Hồ sơ «{procedure}» được dừng giải quyết. Lý do: {event.reason}",
            )
        case Action.COMPLETE:
            # Compared at date level like the statistics (DOMAIN.md §1.6): an earlier date is an early result.
            early = dossier.due_at is not None and status(event.at, dossier.due_at) is DeadlineStatus.EARLY
            when = " sớm hơn ngày hẹn" if early else ""
            return (
                f"Hồ sơ {dossier.code} đã có kết quả{when}",
                f"Hồ sơ «{procedure}» đã giải quyết xong{when}. Mời ông/bà nhận kết quả tại "
                f"{dossier.receiving_unit.name} hoặc theo hình thức đã đăng ký.",
            )
        case Action.RETURN_RESULT if event.details.get("channel", dossier.return_method) == ReturnMethod.ONLINE:
            # The e-result itself (ND 45/2020): the signed PDF on the applicant's page, verifiable by its QR code.
            result = dossier.results.order_by("-created_at", "-pk").first()
            check = f"\nKiểm tra chữ ký số: {settings.MOTCUA_PUBLIC_BASE_URL}/xac-thuc/{result.signature}" if (
                result is not None and result.signature
            ) else ""  # fmt: skip
            return (
                f"Kết quả điện tử của hồ sơ {dossier.code}",
                f"Kết quả giải quyết hồ sơ «{procedure}» là văn bản điện tử có chữ ký số. Tải về tại: "
                f"{settings.MOTCUA_PUBLIC_BASE_URL}/ca-nhan/ho-so/{dossier.code}/ (đăng nhập tài khoản đã nộp hồ sơ)."
                f"{check}",
            )
        case Action.REQUEST_PAYMENT:
            return (
                f"Hồ sơ {dossier.code}: đề nghị thực hiện nghĩa vụ tài chính",
                f"Hồ sơ «{procedure}» cần ông/bà thực hiện nghĩa vụ tài chính trước khi giải quyết tiếp. "
                f"Nội dung: {event.reason}",
            )
        case Action.REQUEST_SUPPLEMENT:
            papers = "\n".join(f"- {i.component.name}: {i.reason}" for i in event.supplement_items.all())
            return (
                f"Hồ sơ {dossier.code} cần bổ sung giấy tờ",
                f"Hồ sơ «{procedure}» cần bổ sung, hoàn thiện (nêu đủ một lần):\n{papers}\nLý do: {event.reason}",
            )
    return None


def tell_leaders(dossier: Dossier, alert: Alert, leaders: list[User]) -> None:
    """Alert a unit's leaders that a dossier needs an apology and extension (D-1), or is overdue."""
    due = format_datetime(dossier.due_at) if dossier.due_at else ""
    if alert is Alert.APOLOGY_DUE:
        subject = f"Hồ sơ {dossier.code} cần xin lỗi và gia hạn trước ngày hẹn trả"
        body = (
            f"Hồ sơ «{dossier.version.name}» hẹn trả {due} chưa giải quyết xong. Hôm nay là ngày làm việc cuối cùng "
            "để gửi Văn bản xin lỗi và đề nghị gia hạn (Mẫu số 04)."
        )
    else:
        subject = f"Hồ sơ {dossier.code} đã quá hạn"
        body = f"Hồ sơ «{dossier.version.name}» hẹn trả {due} đã quá hạn giải quyết."
    for leader in leaders:
        queue_email(leader.email, subject, body, reference=dossier.code)
