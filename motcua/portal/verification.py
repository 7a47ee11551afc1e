"""Public verification of signed documents: the page a QR code opens, and checking an uploaded PDF."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.errors import DomainError
from motcua.core.ratelimit import over_limit
from motcua.signing.authority import MODE_LABELS, Mode
from motcua.signing.selectors import get_signed_document
from motcua.signing.services import Verification, verify_record, verify_upload


def _context(verification: Verification) -> dict[str, object]:
    document = verification.document
    entry = document.entry if document is not None else None
    return {
        "verification": verification,
        "document": document,
        "entry": entry,
        "mode_label": MODE_LABELS[Mode(entry.mode)] if entry is not None else "",
    }


def verify(request: HttpRequest, public_id: str) -> HttpResponse:
    """Show what the register and the signature say about the document a QR code points to."""
    if over_limit(request, "verify", settings.MOTCUA_TRACKING_PAGE_PER_MINUTE):
        return render(request, "portal/verify_upload.html", {"throttled": True}, status=429)
    document = get_signed_document(public_id)
    if document is None:
        raise Http404(_("Không có văn bản với mã xác thực này."))
    return render(request, "portal/verification.html", _context(verify_record(document)))


@require_http_methods(["GET", "POST"])
def verify_file(request: HttpRequest) -> HttpResponse:
    """Check an uploaded PDF: a modified file shows as invalid, with the reason."""
    if request.method == "GET":
        return render(request, "portal/verify_upload.html")
    if over_limit(request, "verify", settings.MOTCUA_TRACKING_PAGE_PER_MINUTE):
        return render(request, "portal/verify_upload.html", {"throttled": True}, status=429)
    upload = request.FILES.get("tep")
    if upload is None:
        return render(request, "portal/verify_upload.html", {"error": _("Hãy chọn tệp PDF cần kiểm tra.")}, status=400)
    try:
        verification = verify_upload(upload.read(settings.MOTCUA_MAX_UPLOAD_BYTES + 1))
    except DomainError as error:
        return render(request, "portal/verify_upload.html", {"error": error.message}, status=400)
    return render(request, "portal/verification.html", {**_context(verification), "uploaded": True})
