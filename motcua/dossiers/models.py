"""The dossier aggregate. Only `services.py` writes these tables; events are appended, never changed."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Case, Channel, Component, Fee, ProcedureVersion
from motcua.core.errors import ConflictError
from motcua.core.validators import validate_citizen_id, validate_phone
from motcua.organizations.models import Unit

from .lifecycle import ACTION_LABELS, OPEN, STATUS_LABELS, Action

STATUS_CHOICES = [(status.value, label) for status, label in STATUS_LABELS.items()]


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class FeeCollection(models.TextChoices):
    """When the fee is paid, as Form 01 prints it (DOMAIN.md §1.4: "thu trước / thu sau")."""

    NONE = "none", _("Không thu")
    BEFORE = "before", _("Thu trước")
    AFTER = "after", _("Thu sau")


class Dossier(models.Model):
    """A dossier: what was filed, under which pinned procedure version, where it is, and by when it is due."""

    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    version = models.ForeignKey(ProcedureVersion, verbose_name=_("thủ tục (phiên bản)"), on_delete=models.PROTECT)
    case = models.ForeignKey(Case, verbose_name=_("trường hợp"), on_delete=models.PROTECT)
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel.choices)
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=STATUS_CHOICES, db_index=True)
    resume_status = models.PositiveSmallIntegerField(null=True, blank=True, choices=STATUS_CHOICES)
    receiving_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị tiếp nhận"), on_delete=models.PROTECT, related_name="received_dossiers"
    )
    competent_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị có thẩm quyền"), on_delete=models.PROTECT, related_name="competent_dossiers"
    )
    applicant_kind = models.CharField(_("người nộp là"), max_length=16, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=200)
    applicant_citizen_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, blank=True, validators=[validate_citizen_id]
    )
    applicant_phone = models.CharField(_("số điện thoại"), max_length=10, blank=True, validators=[validate_phone])
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    organisation_name = models.CharField(_("tên tổ chức"), max_length=300, blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    representative = models.CharField(_("người đại diện"), max_length=200, blank=True)
    owner_name = models.CharField(_("chủ hồ sơ"), max_length=200, blank=True)
    owner_address = models.CharField(_("địa chỉ chủ hồ sơ"), max_length=500, blank=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    submitted_at = models.DateTimeField(_("nộp lúc"))
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả"), null=True, blank=True, db_index=True)
    due_calendar_version = models.CharField(max_length=16, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    supplement_rounds = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    tracking_secret = models.CharField(max_length=32)
    # Only a fee the catalogue lists for the case and channel can be charged (services._checked_fee).
    fee = models.ForeignKey(Fee, verbose_name=_("phí, lệ phí"), null=True, blank=True, on_delete=models.PROTECT)
    fee_collection = models.CharField(
        _("thu phí"), max_length=8, choices=FeeCollection.choices, default=FeeCollection.NONE
    )

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["receiving_unit", "status", "due_at"]),
            models.Index(fields=["competent_unit", "status", "due_at"]),
            # The officers' work queue: open dossiers of a unit in deadline order (selectors.queue_page).
            models.Index(
                fields=["receiving_unit", "due_at"],
                condition=Q(status__in=[int(s) for s in sorted(OPEN)]),
                name="open_by_receiving",
            ),
            models.Index(
                fields=["competent_unit", "due_at"],
                condition=Q(status__in=[int(s) for s in sorted(OPEN)]),
                name="open_by_competent",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def tracking_url(self) -> str:
        """Return the public tracking address printed as a QR code on every form."""
        return f"{settings.MOTCUA_PUBLIC_BASE_URL}/tra-cuu/{self.code}/?k={self.tracking_secret}"


class DossierComponent(models.Model):
    """A paper handed in, always one of the pinned case's components (the FK makes anything else impossible)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(Component, on_delete=models.PROTECT)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    is_digitised = models.BooleanField(_("đã số hóa"), default=False)

    class Meta:
        verbose_name = _("giấy tờ đã nộp")
        verbose_name_plural = _("giấy tờ đã nộp")
        constraints = [models.UniqueConstraint(fields=["dossier", "component"], name="one_row_per_component")]

    def __str__(self) -> str:
        return str(self.component)


class DossierEvent(models.Model):
    """One thing that happened to a dossier; the timeline, Form 06 and the statistics are read from these."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(_("thao tác"), max_length=32, choices=[(a.value, ACTION_LABELS[a]) for a in Action])
    status_before = models.PositiveSmallIntegerField(null=True, blank=True, choices=STATUS_CHOICES)
    status_after = models.PositiveSmallIntegerField(choices=STATUS_CHOICES)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("lúc"))
    # The due instant in force after the event: the audit trail of appointment changes, and what counters replay.
    due_at = models.DateTimeField(_("hẹn trả sau sự kiện"), null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    form = models.CharField(_("mẫu"), max_length=4, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["dossier", "sequence"]
        constraints = [models.UniqueConstraint(fields=["dossier", "sequence"], name="event_sequence_per_dossier")]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            raise ConflictError("Sự kiện của hồ sơ không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ConflictError("Sự kiện của hồ sơ không được xóa.")


class SupplementItem(models.Model):
    """A paper asked for in a Form 02 request: a component of the pinned case, and why."""

    event = models.ForeignKey(DossierEvent, on_delete=models.PROTECT, related_name="supplement_items")
    component = models.ForeignKey(Component, on_delete=models.PROTECT)
    reason = models.TextField(_("lý do"))

    class Meta:
        verbose_name = _("giấy tờ cần bổ sung")
        verbose_name_plural = _("giấy tờ cần bổ sung")

    def __str__(self) -> str:
        return f"{self.component}: {self.reason}"


class DailySequence(models.Model):
    """The last dossier number a receiving unit gave on a day; locked while the next one is taken."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="one_sequence_per_unit_and_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}: {self.last}"


class Draft(models.Model):
    """An online submission being prepared; saved on every change so that nothing typed or uploaded is lost."""

    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE)
    fields = models.JSONField(default=dict)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("hồ sơ đang soạn")
        verbose_name_plural = _("hồ sơ đang soạn")
        constraints = [models.UniqueConstraint(fields=["citizen", "version"], name="one_draft_per_procedure")]

    def __str__(self) -> str:
        return f"{self.citizen_id}: {self.version_id}"


class Upload(models.Model):
    """A scanned paper: checked by content, stored under its SHA-256 before any row refers to it."""

    component = models.ForeignKey(Component, on_delete=models.PROTECT)
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads")
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="uploads")
    file = models.FileField(_("tệp"), upload_to="uploads/", max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    original_name = models.CharField(_("tên tệp"), max_length=200)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name


class Span(models.TextChoices):
    DAY = "D", _("ngày")
    MONTH = "M", _("tháng")
    YEAR = "Y", _("năm")


class DossierCounter(models.Model):
    """A counter of the indices per unit, procedure, day and metric (see `counters.py`), with the same sums kept per
    month and year so that a period reads a few rows. Written only by `counters.upsert`, in the event's transaction."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalogue.Procedure", on_delete=models.PROTECT, related_name="+")
    span = models.CharField(max_length=1, choices=Span.choices)
    start = models.DateField()  # the day, or the first day of the month or year
    metric = models.CharField(max_length=24)
    value = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "procedure", "span", "start", "metric"], name="one_counter_per_key"
            )
        ]
        # Covering: the online-procedure query (766 indicator 3.2) reads the index alone.
        indexes = [
            models.Index(
                fields=["metric", "span", "start"], include=["unit", "procedure", "value"], name="counter_by_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.procedure_id} {self.span}{self.start} {self.metric}: {self.value}"


class UnitCounter(models.Model):
    """The same counters summed over the unit's procedures, one column per metric (`counters.Metric`): a dashboard
    reads one row per unit and bucket."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    span = models.CharField(max_length=1, choices=Span.choices)
    start = models.DateField()
    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    received_digitised = models.IntegerField(default=0)
    refused = models.IntegerField(default=0)
    ended_early = models.IntegerField(default=0)
    ended_on_time = models.IntegerField(default=0)
    ended_late = models.IntegerField(default=0)
    ended_late_online = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    paused = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "span", "start"], name="one_unit_counter_per_key")]
        indexes = [models.Index(fields=["span", "start"], name="unit_counter_by_period")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.span}{self.start}"
