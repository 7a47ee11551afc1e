"""The dossier aggregate. Only `services.py` writes these tables; events are appended, never changed."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Case, Channel, Component, Fee, ProcedureVersion
from motcua.core.errors import ConflictError
from motcua.core.validators import validate_citizen_id, validate_phone
from motcua.eforms.models import FormDefinition
from motcua.organizations.models import Unit

from .lifecycle import ACTION_LABELS, OPEN, RUNNING, STATUS_LABELS, Action
from .processing import RATING_LABELS, Alert, StepState

STATUS_CHOICES = [(status.value, label) for status, label in STATUS_LABELS.items()]


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class FeeCollection(models.TextChoices):
    """When the fee is paid, as Form 01 prints it (DOMAIN.md §1.4: "thu trước / thu sau")."""

    NONE = "none", _("Không thu")
    BEFORE = "before", _("Thu trước")
    AFTER = "after", _("Thu sau")


class OnlinePayment(models.IntegerChoices):
    """DVCQG `DuocThanhToanTrucTuyen` (DOMAIN-2.md §1.2, indicator 3.6): where the fee was paid online, if it was."""

    NONE = 0, _("Không thanh toán trực tuyến")
    NATIONAL = 1, _("Thanh toán trên nền tảng thanh toán của Cổng Dịch vụ công quốc gia")
    LOCAL = 2, _("Thanh toán qua cổng thanh toán của bộ, ngành, địa phương")


class ReturnMethod(models.TextChoices):
    """How a result reaches the applicant (DOMAIN.md §1.3(e)); an online result is the signed PDF itself."""

    COUNTER = "counter", _("Nhận trực tiếp tại nơi nộp hồ sơ")
    POST = "post", _("Nhận qua dịch vụ bưu chính công ích")
    ONLINE = "online", _("Nhận kết quả điện tử trực tuyến")


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
    closed_at = models.DateTimeField(_("kết thúc xử lý lúc"), null=True, blank=True)
    # The national portal's first acknowledgement of the dossier's record (QĐ 766 indicator 1.4).
    synced_at = models.DateTimeField(_("đồng bộ lên Cổng DVCQG lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    # Form 04: the due instant before the one extension; statistics keep comparing with it (DOMAIN.md §1.3(d)).
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    alert_level = models.PositiveSmallIntegerField(default=Alert.NONE)
    tracking_secret = models.CharField(max_length=32)
    # Only a fee the catalogue lists for the case and channel can be charged (services._checked_fee).
    fee = models.ForeignKey(Fee, verbose_name=_("phí, lệ phí"), null=True, blank=True, on_delete=models.PROTECT)
    fee_collection = models.CharField(
        _("thu phí"), max_length=8, choices=FeeCollection.choices, default=FeeCollection.NONE
    )
    # Set by the payment platform's confirmed callback (motcua.integrations.payment), through `services.perform`.
    online_payment = models.PositiveSmallIntegerField(
        _("thanh toán trực tuyến"), choices=OnlinePayment.choices, default=OnlinePayment.NONE, db_default=0
    )
    # The counter form's one-time key: the same form sent twice (a double click, a reload) is received once.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    # The e-form (tờ khai) it was filed with, pinned like the version, and the answers as checked then.
    form = models.ForeignKey(
        FormDefinition, verbose_name=_("tờ khai điện tử"), null=True, blank=True, on_delete=models.PROTECT
    )
    # Database defaults: rows written in bulk by COPY (bench/dossiers_generate.py) name only the columns they fill.
    form_data = models.JSONField(_("nội dung tờ khai"), default=dict, db_default={}, blank=True)
    # Values the result step corrected (each with an event and its reason); the applicant's answers stay as filed.
    form_corrections = models.JSONField(_("thông tin tờ khai đã đính chính"), default=dict, db_default={}, blank=True)
    # How the applicant receives the result (DVCQG HinhThuc); the address is the post's.
    return_method = models.CharField(
        _("hình thức nhận kết quả"), max_length=12, choices=ReturnMethod.choices, blank=True, db_default=""
    )
    return_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True, db_default="")
    # Filed online in a session opened through VNeID (DVCQG TaiKhoanDuocXacThucVoiVNeID; QĐ 766 indicator 4.5b).
    is_vneid_verified = models.BooleanField(_("nộp bằng tài khoản xác thực VNeID"), default=False, db_default=False)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key"], condition=Q(submission_key__isnull=False), name="one_dossier_per_submission"
            )
        ]
        indexes = [
            models.Index(fields=["receiving_unit", "status", "due_at"]),
            models.Index(fields=["competent_unit", "status", "due_at"]),
            # The officers' work queue: open dossiers of a unit in deadline order (worklist.queue_page).
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
            # The deadline watch reads only running dossiers not yet flagged overdue, nearest deadline first.
            models.Index(
                fields=["due_at"],
                condition=models.Q(status__in=sorted(RUNNING), alert_level__lt=Alert.OVERDUE),
                name="dossier_deadline_watch",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def tracking_url(self) -> str:
        """Return the public tracking address printed as a QR code on every form."""
        return f"{settings.MOTCUA_PUBLIC_BASE_URL}/tra-cuu/{self.code}/?k={self.tracking_secret}"

    @property
    def statistics_due_at(self) -> "Any":
        """Return the due instant statistics compare with: the original one, even after an extension.

        The original instant still moves with later pauses and calendar changes (`original_due_at` is kept moving by
        `services.perform` and `watch.recompute_for_calendar_changes`); only the Form 04 promise leaves it behind.
        """
        return self.original_due_at or self.due_at


class StepTask(models.Model):
    """A step of the pinned case's internal process for one dossier: who holds it, since when, and by when."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("bước"), max_length=500)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT, related_name="+")
    staff_position = models.CharField(_("chức vụ"), max_length=32, blank=True)
    hours = models.DecimalField(_("số giờ làm việc"), max_digits=7, decimal_places=2)
    state = models.PositiveSmallIntegerField(default=StepState.PENDING, choices=[(s.value, s.name) for s in StepState])
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="step_tasks"
    )
    started_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn bước"), null=True, blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    alert_level = models.PositiveSmallIntegerField(default=Alert.NONE)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("bước xử lý hồ sơ")
        ordering = ["dossier", "position"]
        constraints = [models.UniqueConstraint(fields=["dossier", "position"], name="one_task_per_step")]
        indexes = [
            # A unit's queue and an officer's queue: the steps they hold now, nearest deadline first.
            models.Index(
                fields=["unit", "due_at"], condition=models.Q(state=StepState.ACTIVE), name="step_unit_queue"
            ),
            models.Index(
                fields=["assignee", "due_at"], condition=models.Q(state=StepState.ACTIVE), name="step_assignee_queue"
            ),
            models.Index(
                fields=["due_at"],
                condition=models.Q(state=StepState.ACTIVE, alert_level__lt=Alert.OVERDUE),
                name="step_deadline_watch",
            ),
            # A unit's history: the steps it finished.
            models.Index(fields=["unit", "completed_at"], name="step_unit_history"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.position + 1}. {self.name}"


def result_path(document: "ResultDocument", filename: str) -> str:
    return f"results/{document.sha256[:2]}/{document.sha256}.pdf"


class ResultDocument(models.Model):
    """A result of the dossier as a PDF: generated from a template or uploaded; signing is added on top of it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="results")
    title = models.CharField(_("tên kết quả"), max_length=300)
    file = models.FileField(_("tệp PDF"), upload_to=result_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    is_generated = models.BooleanField(_("tạo từ mẫu"), default=False)
    created_at = models.DateTimeField(_("lúc"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The signed document (signing.SignedDocument.public_id) this file is; empty for a result waiting to be signed.
    signature = models.UUIDField(_("văn bản ký số"), null=True, blank=True)
    # A signed result is never replaced in place: its correction points to it and says why.
    replaces = models.ForeignKey(
        "self", verbose_name=_("đính chính kết quả"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("lý do đính chính"), blank=True)

    class Meta:
        verbose_name = _("kết quả giải quyết")
        verbose_name_plural = _("kết quả giải quyết")
        ordering = ["dossier", "created_at"]

    def __str__(self) -> str:
        return self.title


RATING_CHOICES = [(rating.value, label) for rating, label in RATING_LABELS.items()]


class DossierRating(models.Model):
    """The applicant's evaluation after the result was returned (TT 01/2018/TT-VPCP items 10 and 11)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    convenience = models.PositiveSmallIntegerField(_("mức độ thuận tiện"), choices=RATING_CHOICES)
    overall = models.PositiveSmallIntegerField(_("đánh giá tổng thể"), choices=RATING_CHOICES)
    comment = models.TextField(_("ý kiến"), blank=True)
    at = models.DateTimeField(_("lúc"))
    reviewed_at = models.DateTimeField(_("lãnh đạo đã xem lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("đánh giá hài lòng")
        verbose_name_plural = _("đánh giá hài lòng")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.get_overall_display()}"


class CalendarRecomputation(models.Model):
    """A calendar version whose effect on open dossiers and steps has been applied (once)."""

    calendar_version = models.PositiveIntegerField(unique=True)
    at = models.DateTimeField()
    dossiers = models.PositiveIntegerField(default=0)
    steps = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"v{self.calendar_version}: {self.dossiers} hồ sơ, {self.steps} bước"


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
    due_at = models.DateTimeField(_("hẹn trả tính thống kê"), null=True, blank=True)
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
    answers = models.JSONField(default=dict)  # the e-form as typed, by path; checked only on submission
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


class NationalFiling(models.Model):
    """A dossier handed over by the national portal (DVCQG): its code there (MaHoSo), and a digest of what was sent.

    The code makes the hand-over idempotent: the same content again finds this dossier, other content is a conflict.
    """

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, primary_key=True, related_name="national")
    national_code = models.CharField(_("mã hồ sơ trên Cổng DVCQG"), max_length=50, unique=True)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the payload in canonical JSON
    received_at = models.DateTimeField(_("nhận từ Cổng DVCQG lúc"))

    class Meta:
        verbose_name = _("hồ sơ nhận từ Cổng DVCQG")
        verbose_name_plural = _("hồ sơ nhận từ Cổng DVCQG")

    def __str__(self) -> str:
        return self.national_code


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
    """The same counters summed over the unit's procedures, one column per metric (`counters.Metric`, then
    `counters.ResultMetric`): a dashboard reads one row per unit and bucket."""

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
    result_due = models.IntegerField(default=0)
    e_result = models.IntegerField(default=0)
    online_with_result = models.IntegerField(default=0)
    digitised_with_result = models.IntegerField(default=0)
    rated_unsatisfied = models.IntegerField(default=0)
    reported = models.IntegerField(default=0)
    synced = models.IntegerField(default=0)
    fee_due = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    vneid = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "span", "start"], name="one_unit_counter_per_key")]
        indexes = [models.Index(fields=["span", "start"], name="unit_counter_by_period")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.span}{self.start}"
