"""Officers' signing screens: the register of their units, and signing a dossier's result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from motcua.core import clock
from motcua.core.downloads import serve_untrusted
from motcua.core.errors import DomainError
from motcua.documents import results
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.rules import available_actions
from motcua.dossiers.selectors import get_dossier_for
from motcua.signing import services
from motcua.signing.authority import MODE_LABELS
from motcua.signing.providers import configured_provider
from motcua.signing.selectors import get_signed_document, next_notation, register_for, signable_dossiers_for

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
    """List what the official may sign now: dossiers at their signing step, with a result, that the register allows."""
    user = staff_only(request)
    return render(request, "office/sign_results.html", {"dossiers": signable_dossiers_for(user)})


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
def sign_result(request: HttpRequest, code: str) -> HttpResponse:
    """Show the exact document to be signed, the block and number it will take; sign it once confirmed."""
    user = staff_only(request)
    dossier = get_dossier_for(user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ trong phạm vi của bạn."))
    offer = next((o for o in available_actions(dossier, user) if o.action is Action.SIGN_RESULT), None)
    error = ""
    if request.method == "POST":  # the rules refuse (and the register records) whatever the page offered
        if request.POST.get("xac-nhan") != "1" and offer is not None and offer.allowed:
            error = _("Cần xác nhận đã xem nội dung văn bản trước khi ký.")
        else:
            try:
                document = results.sign_result(dossier, user, passphrase=request.POST.get("mat-khau", ""))
            except DomainError as refused:
                error = refused.message
            else:
                messages.success(request, _("Đã ký số văn bản số %(notation)s.") % {"notation": document.notation})
                return redirect("portal:verify", public_id=str(document.public_id))
    context: dict[str, object] = {"dossier": dossier, "offer": offer, "error": error}
    if offer is not None and offer.allowed:
        entry = dossier.version.result_signing
        verdict = services.evaluate(user, entry.document_type, dossier)
        assert verdict.body is not None  # allowed by the register
        context.update(
            result=dossier.results.order_by("-created_at", "-pk").first(),
            document_type=entry.document_type,
            signature_block=verdict.block,
            notation=next_notation(verdict.body, entry.document_type, clock.today().year),
            asks_passphrase=configured_provider().asks_passphrase,
        )
    return render(request, "office/sign_result.html", context, status=409 if error else 200)


@login_required
@xframe_options_sameorigin  # previewed in a frame of the signing page
def result_pdf(request: HttpRequest, code: str, result_id: int) -> FileResponse:
    """Serve a result PDF of a dossier in the official's scope, inline for the preview; ?tai-ve=1 downloads it."""
    dossier = get_dossier_for(staff_only(request), code)
    result = dossier.results.filter(pk=result_id).first() if dossier is not None else None
    if result is None:
        raise Http404(_("Không tìm thấy kết quả trong phạm vi của bạn."))
    name = f"{dossier.code}-{result.title}.pdf" if dossier else "ket-qua.pdf"
    return serve_untrusted(
        result.file, content_type="application/pdf", name=name, as_attachment=request.GET.get("tai-ve") == "1"
    )
