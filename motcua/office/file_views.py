"""Officers' view of a dossier's scans: the files behind each paper, opened in the page or downloaded."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from motcua.core.downloads import serve_untrusted
from motcua.dossiers.selectors import get_upload_for

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
