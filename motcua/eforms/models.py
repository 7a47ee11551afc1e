"""Form definitions: a procedure version's tờ khai as published data; a published definition never changes."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import ProcedureVersion
from motcua.core.errors import ConflictError


class FormDefinition(models.Model):
    """One published version of a procedure version's e-form (for one case, or every case when `case_name` is "").

    `document` is the definition exactly as published (`motcua-eform/1`, docs/eforms.md); the columns beside it are
    its source, for lists and the procedure page. Dossiers pin the definition they were filed with, so a new version
    never changes filed data.
    """

    version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="form_definitions")
    case_name = models.CharField(_("trường hợp"), max_length=500, blank=True)
    number = models.PositiveIntegerField(_("phiên bản biểu mẫu"))
    title = models.CharField(_("tên biểu mẫu"), max_length=300)
    document = models.JSONField(_("định nghĩa"))
    content_hash = models.CharField(max_length=64)
    form_number = models.CharField(_("số mẫu"), max_length=100)
    legal_basis = models.CharField(_("văn bản ban hành mẫu"), max_length=500)
    published_at = models.DateTimeField(_("công bố lúc"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("biểu mẫu điện tử")
        verbose_name_plural = _("biểu mẫu điện tử")
        ordering = ["version", "case_name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "case_name", "number"], name="unique_form_number"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            raise ConflictError("Biểu mẫu đã công bố không được sửa; hãy công bố phiên bản mới.")
        super().save(*args, **kwargs)


class ResultTemplate(models.Model):
    """One published version of a procedure version's result template (`motcua-result/1`, docs/eforms.md).

    `document` is the template exactly as published; the result step renders the latest one, and the generated
    result records which one it came from. Like a form definition, a published template never changes.
    """

    version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="result_templates")
    number = models.PositiveIntegerField(_("phiên bản mẫu"))
    title = models.CharField(_("tên giấy tờ kết quả"), max_length=300)
    document = models.JSONField(_("mẫu"))
    content_hash = models.CharField(max_length=64)
    legal_basis = models.CharField(_("văn bản quy định mẫu"), max_length=500)
    published_at = models.DateTimeField(_("công bố lúc"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("mẫu kết quả")
        verbose_name_plural = _("mẫu kết quả")
        ordering = ["version", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="unique_result_template_number"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            raise ConflictError("Mẫu kết quả đã công bố không được sửa; hãy công bố phiên bản mới.")
        super().save(*args, **kwargs)
