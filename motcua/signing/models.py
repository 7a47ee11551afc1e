"""The signing-authority register, what each procedure's result is signed as, issued numbers and signed documents."""

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from motcua.catalogue.models import Field, ProcedureVersion
from motcua.core.errors import ConflictError
from motcua.core.formatting import format_date
from motcua.dossiers.models import Dossier
from motcua.organizations.models import Unit

from .authority import Mode, Regime


class DocumentType(models.Model):
    """A type of document with the abbreviation used in its ký hiệu (ND 30/2020 art. 7 and Phụ lục III)."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên loại văn bản"), max_length=200)
    abbreviation = models.CharField(_("chữ viết tắt"), max_length=16, blank=True, help_text=_("Trống với công văn."))
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IssuingBody(models.Model):
    """A unit that issues documents: its regime, the titles printed in its blocks and its abbreviation."""

    unit = models.OneToOneField(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="issuing_body")
    regime = models.CharField(
        _("chế độ làm việc"),
        max_length=16,
        choices=[(Regime.COLLECTIVE.value, _("Tập thể (ký TM.)")), (Regime.HEAD.value, _("Thủ trưởng"))],
    )
    collective_name = models.CharField(
        _("tên tập thể sau TM."), max_length=120, blank=True, help_text=_("Ví dụ: Ủy ban nhân dân")
    )
    head_title = models.CharField(_("chức danh người đứng đầu"), max_length=120, help_text=_("Ví dụ: Chủ tịch"))
    symbol = models.CharField(_("chữ viết tắt tên cơ quan"), max_length=20, help_text=_("Trong ký hiệu, ví dụ UBND"))
    rules_decision = models.CharField(_("quy chế làm việc (số, ngày)"), max_length=255)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ quan ban hành")
        verbose_name_plural = _("cơ quan ban hành")
        ordering = ["unit__code"]

    def __str__(self) -> str:
        return self.unit.name

    def clean(self) -> None:
        if self.regime == Regime.COLLECTIVE and not self.collective_name.strip():
            raise ValidationError({"collective_name": _("Cơ quan làm việc theo chế độ tập thể cần tên tập thể.")})
        if self.regime == Regime.HEAD and self.collective_name.strip():
            raise ValidationError({"collective_name": _("Chỉ cơ quan làm việc theo chế độ tập thể mới ký TM.")})


MODE_CHOICES = [
    (Mode.HEAD.value, _("Người đứng đầu")),
    (Mode.DEPUTY.value, _("Ký thay (KT.)")),
    (Mode.ACTING.value, _("Quyền người đứng đầu (Q.)")),
    (Mode.BY_ORDER.value, _("Thừa lệnh (TL.)")),
    (Mode.AUTHORISED.value, _("Thừa ủy quyền (TUQ.)")),
]


class RegisterEntry(models.Model):
    """Who may sign for a body, in which capacity, for what and when, and the decision that says so."""

    body = models.ForeignKey(
        IssuingBody, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="entries"
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ký"), on_delete=models.PROTECT, related_name="signing_entries"
    )
    mode = models.CharField(_("hình thức"), max_length=8, choices=MODE_CHOICES)
    title = models.CharField(_("chức danh in dưới khối chữ ký"), max_length=160, help_text=_("Ví dụ: Phó Giám đốc"))
    in_charge = models.BooleanField(
        _("được giao phụ trách, điều hành"), default=False, help_text=_("Cấp phó ký thay mọi lĩnh vực.")
    )
    fields = models.ManyToManyField(Field, verbose_name=_("lĩnh vực được phân công"), blank=True, related_name="+")
    document_types = models.ManyToManyField(DocumentType, verbose_name=_("loại văn bản"), blank=True, related_name="+")
    delegated_from = models.ForeignKey(
        "self",
        verbose_name=_("giao lại từ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegations",
        help_text=_("Chỉ thẩm quyền TL. được giao lại cho cấp phó; TUQ. không được ủy quyền lại."),
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    decision_number = models.CharField(_("số văn bản giao, ủy quyền"), max_length=60)
    decision_date = models.DateField(_("ngày văn bản"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mục sổ thẩm quyền ký")
        verbose_name_plural = _("sổ đăng ký thẩm quyền ký")
        ordering = ["body", "mode", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="register_entry_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()}: {self.official} — {self.body}"

    @property
    def decision(self) -> str:
        return f"văn bản số {self.decision_number} ngày {format_date(self.decision_date)}"

    def clean(self) -> None:
        # The register refuses what ND 30/2020 art. 13 forbids; `authority.decide` refuses it again if it got in.
        if self.mode == Mode.AUTHORISED and self.valid_to is None:
            raise ValidationError({"valid_to": _("Ủy quyền TUQ phải có thời hạn.")})
        parent = self.delegated_from
        if parent is not None and parent.mode == Mode.AUTHORISED:
            raise ValidationError({"delegated_from": _("Không được ủy quyền lại.")})
        if parent is not None and (parent.mode != Mode.BY_ORDER or self.mode != Mode.BY_ORDER):
            raise ValidationError({"delegated_from": _("Chỉ thẩm quyền TL. mới được giao lại cho cấp phó.")})


class ResultSigning(models.Model):
    """What a procedure version's result is signed as, and by which body (the dossier's competent unit if empty)."""

    version = models.OneToOneField(
        ProcedureVersion, verbose_name=_("phiên bản thủ tục"), on_delete=models.CASCADE, related_name="result_signing"
    )
    document_type = models.ForeignKey(DocumentType, verbose_name=_("loại văn bản kết quả"), on_delete=models.PROTECT)
    body = models.ForeignKey(
        IssuingBody,
        verbose_name=_("cơ quan ký kết quả"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Để trống: cơ quan có thẩm quyền giải quyết hồ sơ."),
    )
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    step_number = models.PositiveSmallIntegerField(
        _("bước ký kết quả"),
        null=True,
        blank=True,
        help_text=_(
            "Số thứ tự bước của quy trình nội bộ mà tại đó kết quả được ký số. Để trống: bước cuối cùng do lãnh đạo "
            "(người đứng đầu hoặc cấp phó) thực hiện."
        ),
    )

    class Meta:
        verbose_name = _("thẩm quyền ký kết quả thủ tục")
        verbose_name_plural = _("thẩm quyền ký kết quả thủ tục")

    def __str__(self) -> str:
        return f"{self.version}: {self.document_type}"


class AppendOnly(models.Model):
    """A row that is written once and never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ConflictError("Bản ghi này chỉ được thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ConflictError("Bản ghi này chỉ được thêm, không được xóa.")


class Refusal(AppendOnly):
    """A signing that the register did not allow, and why (an event that is never edited)."""

    at = models.DateTimeField(_("lúc"))
    official = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người ký"), on_delete=models.PROTECT)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT)
    document_type = models.ForeignKey(DocumentType, null=True, blank=True, on_delete=models.PROTECT)
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("ngày ký"))
    reason = models.TextField(_("lý do"))

    class Meta:
        verbose_name = _("lần từ chối ký")
        verbose_name_plural = _("nhật ký từ chối ký")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.official}: {self.reason}"


class IssueSequence(models.Model):
    """The last number issued by a body in a year (ND 30/2020 art. 15: 01 from 1 January)."""

    body = models.ForeignKey(IssuingBody, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="one_sequence_per_body_and_year")]

    def __str__(self) -> str:
        return f"{self.body} {self.year}: {self.last_number}"


def signed_upload_to(document: "SignedDocument", filename: str) -> str:
    return f"van-ban-da-ky/{document.year}/{document.public_id}.pdf"


class SignedDocument(AppendOnly):
    """A document issued with a digital signature; `public_id` is what its QR code points to."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(IssuingBody, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT)
    document_type = models.ForeignKey(DocumentType, verbose_name=_("loại văn bản"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    notation = models.CharField(_("số, ký hiệu"), max_length=80)
    summary = models.CharField(_("trích yếu"), max_length=500)
    official = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người ký"), on_delete=models.PROTECT)
    entry = models.ForeignKey(RegisterEntry, verbose_name=_("căn cứ thẩm quyền"), on_delete=models.PROTECT)
    block = models.CharField(_("khối chữ ký"), max_length=500)
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("ký lúc"))
    issued_on = models.DateField(_("ngày ban hành"))
    certificate_subject = models.CharField(_("chủ thể chứng thư số"), max_length=500)
    certificate_sha256 = models.CharField(max_length=64)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)
    pdf = models.FileField(upload_to=signed_upload_to, max_length=200)
    # A correction is a new document; the one it replaces stays verifiable, shown as superseded (ND 30/2020 art. 10).
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("thay thế văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    correction = models.TextField(_("lý do đính chính"), blank=True)

    class Meta:
        verbose_name = _("văn bản đã ký số")
        verbose_name_plural = _("văn bản đã ký số")
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "number"], name="one_number_per_body_and_year"),
        ]

    def __str__(self) -> str:
        return f"Số {self.notation}"

    def successor(self) -> "SignedDocument | None":
        """Return the correction that replaced this document, if any; the document itself stays verifiable."""
        try:
            return self.superseded_by
        except SignedDocument.DoesNotExist:
            return None

    def verification_url(self) -> str:
        """Return the public verification address printed as a QR code in the signature stamp."""
        return f"{settings.MOTCUA_PUBLIC_BASE_URL}/xac-thuc/{self.public_id}"
