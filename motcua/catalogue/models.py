"""Procedures and their versions; a version's tables are the queryable index of the record it was published with."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import ConflictError
from motcua.organizations.models import Unit
from motcua.worktime.deadlines import LimitUnit


class Field(models.Model):
    """A field of state management (lĩnh vực), e.g. Hộ tịch, Chứng thực."""

    code = models.CharField(_("mã lĩnh vực"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """An administrative procedure, identified by its national code; its content lives in versions."""

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đã công bố")


class OnlineLevel(models.TextChoices):
    FULL = "toan_trinh", _("Toàn trình")
    PARTIAL = "mot_phan", _("Một phần")
    NONE = "", _("Chưa cung cấp trực tuyến")


class ProcedureVersion(models.Model):
    """The procedure as published for a period; dossiers pin the version they were received under.

    `record` is the national record exactly as published (what export returns); the fields and child tables below
    are derived from it by the import service, for search, filters and foreign keys. A published version never
    changes: a correction is a new version (ND 63/2010 art. 15: a procedure changes only by a new publication).
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=VersionStatus.choices)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    record = models.JSONField(_("bản ghi quốc gia"))
    content_hash = models.CharField(max_length=64)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    level_codes = models.CharField(_("cấp thực hiện"), max_length=16, help_text="Dạng ,1,3,")
    fields = models.ManyToManyField(Field, verbose_name=_("lĩnh vực"), related_name="versions")
    competent_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị có thẩm quyền"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    competent_unit_type = models.CharField(_("loại đơn vị có thẩm quyền"), max_length=32, blank=True)
    online_level = models.CharField(_("mức độ trực tuyến"), max_length=12, choices=OnlineLevel.choices, blank=True)
    is_cross_boundary = models.BooleanField(_("tiếp nhận không phụ thuộc địa giới hành chính"), default=False)
    # The publishing decision (QĐ công bố) and the latest effective date of the legal basis: QĐ 766 indicators 1.1
    # and 1.2 compare them (DOMAIN-2.md §1.2). Read from the record when imported.
    publication_number = models.CharField(_("số quyết định công bố"), max_length=60, blank=True, db_default="")
    published_on = models.DateField(_("ngày quyết định công bố"), null=True, blank=True)
    legal_basis_effective_on = models.DateField(_("ngày hiệu lực muộn nhất của căn cứ pháp lý"), null=True, blank=True)
    search_name = models.CharField(max_length=500, editable=False)
    search_text = models.TextField(editable=False)
    created_at = models.DateTimeField(_("lúc tạo"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="unique_version_number"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="version_validity_ordered",
            ),
        ]
        indexes = [models.Index(fields=["status", "effective_from", "effective_to"])]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}: {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only the closing date of a published version may still be set (when its successor is published).
        closing_only = kwargs.get("update_fields") == ["effective_to"]
        if self.pk and not closing_only and ProcedureVersion.objects.filter(pk=self.pk, status="published").exists():
            raise ConflictError("Phiên bản đã công bố không được sửa; hãy tạo phiên bản mới.")
        super().save(*args, **kwargs)

    @property
    def levels(self) -> list[int]:
        return [int(code) for code in self.level_codes.strip(",").split(",") if code]


class Case(models.Model):
    """A case (trường hợp) of a procedure version, with its own papers and internal process."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="cases")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("trường hợp"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("trường hợp")
        verbose_name_plural = _("trường hợp")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name or "Chung"


class Component(models.Model):
    """A paper of the dossier; intake and supplement requests can name nothing else."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(_("mã giấy tờ"), max_length=40)
    name = models.TextField(_("tên giấy tờ"))
    originals = models.PositiveSmallIntegerField(_("số bản chính"))
    copies = models.PositiveSmallIntegerField(_("số bản sao"))
    template_name = models.CharField(_("mẫu đơn, tờ khai"), max_length=500, blank=True)
    template_url = models.CharField(max_length=500, blank=True)
    replacing_result_code = models.CharField(_("mã kết quả thay thế"), max_length=60, blank=True)
    is_mandatory = models.BooleanField(_("bắt buộc"))

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="unique_component_code_per_case")]

    def __str__(self) -> str:
        return self.name


class Channel(models.IntegerChoices):
    COUNTER = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POST = 3, _("Qua dịch vụ bưu chính công ích")


class ChannelLimit(models.Model):
    """The processing time of a case (or of every case) through one channel, with its fees."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="limits")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="limits")
    channel = models.PositiveSmallIntegerField(_("kênh"), choices=Channel.choices)
    amount = models.DecimalField(_("thời hạn"), max_digits=7, decimal_places=2)
    unit = models.CharField(_("đơn vị tính"), max_length=16, choices=[(u.value, u.label) for u in LimitUnit])
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("thời hạn theo kênh")
        verbose_name_plural = _("thời hạn theo kênh")
        ordering = ["version", "channel", "id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.amount:g} {self.get_unit_display()}"


class Fee(models.Model):
    limit = models.ForeignKey(ChannelLimit, on_delete=models.CASCADE, related_name="fees")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(_("mã phí, lệ phí"), max_length=40, blank=True)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["limit", "position"]

    def __str__(self) -> str:
        return f"{self.amount} đ {self.description}"


class Step(models.Model):
    """A step of the approved internal process (quy trình nội bộ), in order, with its allotted working hours."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("tên bước"), max_length=500)
    unit_ref = models.CharField(_("đơn vị thực hiện"), max_length=40, help_text="receiving, competent hoặc mã đơn vị")
    staff_position = models.CharField(_("chức vụ"), max_length=32)
    hours = models.DecimalField(_("số giờ làm việc"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["case", "position"]

    def __str__(self) -> str:
        return f"{self.position + 1}. {self.name} ({self.hours:g} giờ)"
