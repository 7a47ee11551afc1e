"""Officers' view of a dossier's scans: the files behind each paper, opened in the page or downloaded."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from motcua.core.downloads import serve_untrusted
from motcua.documents.declaration import declaration_response
from motcua.dossiers.selectors import get_dossier_for, get_upload_for

from .views import staff_only


@login_required
@xframe_options_sameorigin  # the dossier page previews a PDF in a frame; other sites still cannot frame it
def dossier_file(request: HttpRequest, code: str, upload_id: int) -> FileResponse:
    """Serve a scan of a dossier in the officer's scope; ?tai-ve=1 downloads it."""
    upload = get_upload_for(staff_only(request), code, upload_id)
    if upload is None:
        raise Http404(_("Không tìm thấy tệp trong phạm vi của bạn."))
    return serve_untrusted(
        upload.file,
        content_type=upload.content_type,
        name=upload.original_name,
        as_attachment=request.GET.get("tai-ve") == "1",
    )


@login_required
@xframe_options_sameorigin
def declaration(request: HttpRequest, code: str) -> HttpResponse:
    """Print the tờ khai filed with a dossier in the officer's scope."""
    dossier = get_dossier_for(staff_only(request), code)
    response = declaration_response(dossier) if dossier is not None else None
    if response is None:
        raise Http404(_("Hồ sơ không có tờ khai điện tử trong phạm vi của bạn."))
    return response
