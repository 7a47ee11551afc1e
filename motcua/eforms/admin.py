from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from openpyxl import Workbook

from motcua.catalogue.admin import ImportForm, ProcedureAdmin
from motcua.catalogue.models import Procedure, ProcedureVersion, VersionStatus
from motcua.core.errors import DomainError
from motcua.organizations.models import User

from . import excel
from .exchange import export_with_forms, import_with_forms, read_file
from .models import FormDefinition, ResultTemplate
from .services import checked, checked_result, publish, publish_result


class ImportWithFormsForm(ImportForm):
    reader = staticmethod(read_file)  # a workbook's "Biểu mẫu" sheet is read with its records


admin.site.unregister(Procedure)


@admin.register(Procedure)
class ProcedureWithFormsAdmin(ProcedureAdmin):
    """The catalogue's import and export, carrying the e-forms of its records (MOTCUA.BIEUMAU) as the command does."""

    import_form = ImportWithFormsForm

    def import_data(self, data: Any, *, actor: User, publish: bool) -> str:
        report = import_with_forms(data, actor=actor, publish_versions=publish)
        return f"{self.import_done(report.catalogue)} {report.summary()}"

    def exported_records(self) -> list[dict[str, Any]]:
        return export_with_forms()

    def workbook(self, exported: list[dict[str, Any]]) -> Workbook:
        return excel.workbook_from_records(exported)


class PublishForm(forms.ModelForm[Any]):
    """Publish a document (a definition, motcua-eform/1, or a result template, motcua-result/1; docs/eforms.md) for
    a published procedure version, checked as publishing checks it."""

    version = forms.ModelChoiceField(
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("procedure"),
        label="Phiên bản thủ tục",
    )
    document = forms.JSONField(label="Nội dung (JSON)", widget=forms.Textarea(attrs={"rows": 30}))
    check: Callable[[Any, ProcedureVersion], object] = staticmethod(checked)

    class Meta:
        model = FormDefinition
        fields = ["version", "document"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "version" in data and "document" in data:
            try:
                self.check(data["document"], data["version"])
            except DomainError as refused:
                raise forms.ValidationError(refused.message) from refused
        return data


class PublishResultForm(PublishForm):
    check = staticmethod(checked_result)

    class Meta:
        model = ResultTemplate
        fields = ["version", "document"]


class PublishedAdmin(admin.ModelAdmin[Any]):
    """Published documents are never edited: a correction is a new version, and what was filed or generated keeps
    the one it used. Adding one publishes it through the service."""

    publish_form: type[PublishForm] = PublishForm
    publish: Callable[..., FormDefinition | ResultTemplate] = staticmethod(publish)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = self.publish_form
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ["version", "document"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        published = self.publish(data["document"], version=data["version"], by=request.user)  # staff, signed in
        obj.pk, obj.number = published.pk, published.number  # the admin's message and redirect name what was published

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FormDefinition)
class FormDefinitionAdmin(PublishedAdmin):
    list_display = ["title", "version", "case_name", "number", "form_number", "published_at"]
    list_filter = ["published_at"]
    search_fields = ["title", "version__procedure__code", "form_number"]
    readonly_fields = ["version", "case_name", "number", "title", "form_number", "legal_basis", "document",
                       "content_hash", "published_at", "published_by"]  # fmt: skip


@admin.register(ResultTemplate)
class ResultTemplateAdmin(PublishedAdmin):
    publish_form = PublishResultForm
    publish = staticmethod(publish_result)
    list_display = ["title", "version", "number", "legal_basis", "published_at"]
    list_filter = ["published_at"]
    search_fields = ["title", "version__procedure__code"]
    readonly_fields = ["version", "number", "title", "legal_basis", "document", "content_hash", "published_at",
                       "published_by"]  # fmt: skip
