"""Citizens' view of the scans of their own dossiers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from motcua.core.downloads import serve_untrusted
from motcua.documents.declaration import declaration_response
from motcua.dossiers.selectors import get_dossier_for, get_upload_for
from motcua.organizations.models import User


@login_required
@xframe_options_sameorigin  # the dossier page previews a PDF in a frame; other sites still cannot frame it
def dossier_file(request: HttpRequest, code: str, upload_id: int) -> FileResponse:
    """Serve a scan of the citizen's own dossier; ?tai-ve=1 downloads it."""
    user: User = request.user  # type: ignore[assignment]
    if not user.is_citizen:  # officials open scans from their own pages, within their units' scope
        raise PermissionDenied(_("Trang này chỉ dành cho tài khoản công dân, tổ chức."))
    upload = get_upload_for(user, code, upload_id)
    if upload is None:
        raise Http404(_("Không tìm thấy tệp của hồ sơ này."))
    return serve_untrusted(
        upload.file,
        content_type=upload.content_type,
        name=upload.original_name,
        as_attachment=request.GET.get("tai-ve") == "1",
    )


@login_required
@xframe_options_sameorigin
def declaration(request: HttpRequest, code: str) -> HttpResponse:
    """Print the tờ khai the citizen filed with their dossier."""
    user: User = request.user  # type: ignore[assignment]
    if not user.is_citizen:
        raise PermissionDenied(_("Trang này chỉ dành cho tài khoản công dân, tổ chức."))
    dossier = get_dossier_for(user, code)
    response = declaration_response(dossier) if dossier is not None else None
    if response is None:
        raise Http404(_("Hồ sơ này không có tờ khai điện tử."))
    return response
