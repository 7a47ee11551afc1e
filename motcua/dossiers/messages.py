"""What the applicant is told, by e-mail and SMS, when their dossier is received, refused or needs papers."""

from motcua.core.formatting import format_datetime
from motcua.notifications.services import Attachment, queue_email, queue_sms

from .lifecycle import Action
from .models import Dossier, DossierEvent


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
        case Action.REQUEST_SUPPLEMENT:
            papers = "\n".join(f"- {i.component.name}: {i.reason}" for i in event.supplement_items.all())
            return (
                f"Hồ sơ {dossier.code} cần bổ sung giấy tờ",
                f"Hồ sơ «{procedure}» cần bổ sung, hoàn thiện (nêu đủ một lần):\n{papers}\nLý do: {event.reason}",
            )
    return None
