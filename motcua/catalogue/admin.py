import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.html import format_html_join
from openpyxl import Workbook

from motcua.core.errors import DomainError
from motcua.organizations.models import User

from . import excel, records
from .models import Procedure, ProcedureVersion, VersionStatus
from .records import RecordsRejected
from .selectors import diff_versions, versions_in_force
from .services import ImportReport, import_catalogue, publish_version, read_catalogue

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp danh mục (.json theo định dạng quốc gia, hoặc .xlsx theo mẫu)")
    as_draft = forms.BooleanField(label="Nhập thành dự thảo (chưa công bố)", required=False)
    reader = staticmethod(read_catalogue)  # the e-forms' admin reads the forms' sheets too

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Tệp lớn hơn 20 MB.")
        try:
            return self.reader(upload.name, upload)
        except DomainError as error:
            raise forms.ValidationError(error.message) from error


class VersionInline(admin.TabularInline[ProcedureVersion, Procedure]):
    model = ProcedureVersion
    fields = readonly_fields = ("number", "name", "status", "effective_from", "effective_to")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Procedure | None = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin[Procedure]):
    search_fields = ["code", "versions__name"]
    list_display = ["code", "current_name"]
    inlines = [VersionInline]
    change_list_template = "admin/catalogue/procedure_changelist.html"

    @admin.display(description="Tên thủ tục (phiên bản mới nhất)")
    def current_name(self, procedure: Procedure) -> str:
        latest = procedure.versions.order_by("-number").first()
        return latest.name if latest else ""

    def get_urls(self) -> list[URLPattern]:
        own = [
            path("nhap/", self.admin_site.admin_view(self.import_view), name="catalogue_import"),
            path("xuat/<str:kind>/", self.admin_site.admin_view(self.export_view), name="catalogue_export"),
        ]
        return own + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Import a file through the same all-or-nothing service as the command line."""
        if not request.user.has_perm("catalogue.add_procedureversion"):
            return HttpResponse(status=403)
        form = self.import_form(request.POST or None, request.FILES or None)
        problems: list[records.Problem] = []
        if request.method == "POST" and form.is_valid():
            try:
                done = self.import_data(
                    form.cleaned_data["file"],
                    actor=request.user,  # type: ignore[arg-type]
                    publish=not form.cleaned_data["as_draft"],
                )
            except RecordsRejected as rejected:
                problems = rejected.problems
                messages.error(request, rejected.message)
            else:
                messages.success(request, done)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "problems": problems,
            "title": "Nhập danh mục",
        }
        return TemplateResponse(request, "admin/catalogue/import.html", context)

    # What the import and export read and write; the e-forms' admin extends them with the forms the records carry.
    import_form = ImportForm

    def import_data(self, data: Any, *, actor: User, publish: bool) -> str:
        """Import all or nothing (RecordsRejected lists every problem); return what was done."""
        return self.import_done(import_catalogue(data, actor=actor, publish=publish))

    def import_done(self, report: ImportReport) -> str:
        return f"Đã tạo {len(report.created)} phiên bản mới; {len(report.unchanged)} thủ tục không đổi."

    def exported_records(self) -> list[dict[str, Any]]:
        return [v.record for v in versions_in_force().order_by("procedure__code")]

    def workbook(self, exported: list[dict[str, Any]]) -> Workbook:
        return excel.workbook_from_records(exported)

    def export_view(self, request: HttpRequest, kind: str) -> HttpResponse:
        exported = self.exported_records()
        if kind == "xlsx":
            response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            self.workbook(exported).save(response)
        else:
            document = {"format": records.FORMAT, "procedures": exported}
            response = HttpResponse(
                json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json"
            )
        response["Content-Disposition"] = (
            f'attachment; filename="danh-muc-thu-tuc.{"xlsx" if kind == "xlsx" else "json"}"'
        )
        return response


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin[ProcedureVersion]):
    """Versions are read-only here: they come from imports, and published ones never change."""

    list_display = ["procedure", "number", "name", "status", "effective_from", "effective_to"]
    list_filter = ["status", "online_level", "is_cross_boundary"]
    search_fields = ["procedure__code", "name"]
    readonly_fields = ["changes_from_previous", "record"]
    fields = ["changes_from_previous", "record"]
    actions = ["publish"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        return obj is not None and obj.status == VersionStatus.DRAFT

    def has_change_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        # A published version is shown, never saved: its model refuses any change.
        return obj is None or obj.status == VersionStatus.DRAFT

    @admin.display(description="Thay đổi so với phiên bản trước")
    def changes_from_previous(self, version: ProcedureVersion) -> str:
        previous = version.procedure.versions.filter(number__lt=version.number).order_by("-number").first()
        if previous is None:
            return "Phiên bản đầu tiên."
        rows = diff_versions(previous, version)
        return format_html_join("", "<div><code>{}</code>: {} → {}</div>", rows) or "Không có thay đổi."

    @admin.action(description="Công bố các dự thảo đã chọn")
    def publish(self, request: HttpRequest, queryset: Any) -> None:
        for version in queryset.filter(status=VersionStatus.DRAFT):
            publish_version(version, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, "Đã công bố.")
