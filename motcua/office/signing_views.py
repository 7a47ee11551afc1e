"""Officers' signing screens: the register of their units, and signing a dossier's result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.errors import DomainError
from motcua.documents import results
from motcua.dossiers.selectors import get_dossier_for
from motcua.signing import services
from motcua.signing.authority import MODE_LABELS, Mode
from motcua.signing.selectors import get_signed_document, register_for, signable_dossiers_for

from .views import staff_only


@login_required
def signing_register(request: HttpRequest) -> HttpResponse:
    """Show who may sign for the official's bodies, in which capacity, for what, until when and on what decision."""
    user = staff_only(request)
    return render(
        request, "office/signing_register.html", {"registers": register_for(user), "mode_labels": MODE_LABELS}
    )


@login_required
def sign_results(request: HttpRequest) -> HttpResponse:
    """List the dossiers whose result the official could sign, with what the register says for each."""
    user = staff_only(request)
    rows = []
    for dossier in signable_dossiers_for(user)[:20]:
        document_type = dossier.version.result_signing.document_type
        try:
            verdict = services.evaluate(user, document_type, dossier)
        except DomainError as error:
            verdict = services.Entitlement(False, None, reason=error.message)
        rows.append((dossier, document_type, verdict))
    return render(request, "office/sign_results.html", {"rows": rows, "mode_labels": MODE_LABELS, "Mode": Mode})


@login_required
def signed_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    """Hand a signed document to the official who signed it or to staff who can see its dossier."""
    user = staff_only(request)
    document = get_signed_document(public_id)
    visible = document is not None and (
        document.official_id == user.pk
        or (document.dossier is not None and get_dossier_for(user, document.dossier.code) is not None)
    )
    if document is None or not visible:
        raise Http404(_("Không tìm thấy văn bản trong phạm vi của bạn."))
    with document.pdf.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.public_id}.pdf"'
    return response


@login_required
@require_POST
def sign_result(request: HttpRequest, code: str) -> HttpResponse:
    """Render the dossier's result, sign it under the register's block and open its verification page."""
    user = staff_only(request)
    dossier = signable_dossiers_for(user).filter(code=code).first()
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ trong phạm vi của bạn."))
    try:
        document = results.sign_result(dossier, user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("office:sign-results")
    messages.success(request, _("Đã ký số văn bản số %(notation)s.") % {"notation": document.notation})
    return redirect("portal:verify", public_id=str(document.public_id))
