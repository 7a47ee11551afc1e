"""The PAR index: versioned criteria sets, rounds, each unit's assessment with its items, evidence and events.

A set published by a decision is frozen: triggers of migration 0002_par_frozen_sets refuse any change to it or its
fields, criteria and sub-criteria (a correction is a new version, as for the catalogue). BNV CV 383/384/BNV-CCHC
(28/01/2021): when a cited standard is replaced the new text applies, so each sub-criterion carries its source.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Unit

from .lifecycle import (
    INPUT_CHOICES,
    LEVEL_CHOICES,
    METHOD_CHOICES,
    NA_CHOICES,
    RULE_CHOICES,
    SIGN_CHOICES,
    STATUS_CHOICES,
    NotApplicable,
    RoundStatus,
    Sign,
    Status,
)


class ParIndexSet(models.Model):
    level = models.CharField(_("cấp đánh giá"), max_length=16, choices=LEVEL_CHOICES)
    year = models.PositiveSmallIntegerField(_("năm"))
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên bộ chỉ số"), max_length=300)
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), default=100, max_digits=7, decimal_places=2)
    survey_max = models.DecimalField(_("điểm điều tra xã hội học tối đa"), default=0, max_digits=7, decimal_places=2)
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    not_applicable = models.CharField(
        _("tiêu chí không áp dụng"), max_length=20, choices=NA_CHOICES, default=NotApplicable.REDUCE_MAX
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("bộ chỉ số cải cách hành chính")
        verbose_name_plural = _("bộ chỉ số cải cách hành chính")
        constraints = [models.UniqueConstraint(fields=["level", "year", "version"], name="par_set_version")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year}, v{self.version})"


class Field(models.Model):
    """Lĩnh vực: the first level of a set."""

    index_set = models.ForeignKey(ParIndexSet, on_delete=models.CASCADE, related_name="fields")
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên lĩnh vực"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["index_set", "code"], name="par_field_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Criterion(models.Model):
    """Tiêu chí (TC, "1.1")."""

    index_set = models.ForeignKey(ParIndexSet, on_delete=models.CASCADE, related_name="criteria")
    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên tiêu chí"), max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["index_set", "code"], name="par_criterion_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class SubCriterion(models.Model):
    """Tiêu chí thành phần (TCTP, "1.1.1"): its points, rule, input, evidence and how it is measured."""

    index_set = models.ForeignKey(ParIndexSet, on_delete=models.CASCADE, related_name="sub_criteria")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="sub_criteria")
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên tiêu chí thành phần"), max_length=1000)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2)
    sign = models.CharField(_("loại điểm"), max_length=8, choices=SIGN_CHOICES, default=Sign.NORMAL)
    rule = models.CharField(_("cách tính điểm"), max_length=16, choices=RULE_CHOICES)
    threshold = models.DecimalField(_("ngưỡng (%)"), null=True, blank=True, max_digits=7, decimal_places=2)
    bands = models.CharField(_("khoảng điểm"), max_length=300, blank=True)  # "0:0; 50:1; 80:2"
    per_count = models.DecimalField(_("điểm mỗi đơn vị đếm"), null=True, blank=True, max_digits=7, decimal_places=2)
    input_type = models.CharField(_("kiểu nhập"), max_length=16, choices=INPUT_CHOICES)
    evidence_required = models.BooleanField(_("cần tài liệu kiểm chứng"), default=True)
    method = models.CharField(_("phương pháp"), max_length=20, choices=METHOD_CHOICES)
    indicator = models.CharField(_("chỉ tiêu QĐ 766"), max_length=10, blank=True)  # for method "dữ liệu motcua"
    source = models.CharField(_("căn cứ"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tiêu chí thành phần")
        verbose_name_plural = _("tiêu chí thành phần")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["index_set", "code"], name="par_sub_criterion_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Round(models.Model):
    """Một đợt đánh giá: a set applied to one year's work."""

    index_set = models.ForeignKey(ParIndexSet, on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    open_from = models.DateTimeField(_("mở từ"))
    open_to = models.DateTimeField(_("hạn tự đánh giá"))
    appraisal_deadline = models.DateField(_("hạn thẩm định"))
    complaint_days = models.PositiveSmallIntegerField(_("số ngày tiếp nhận kiến nghị"), default=10)
    status = models.PositiveSmallIntegerField(default=RoundStatus.DRAFT)
    decision_number = models.CharField(_("quyết định công bố"), max_length=60, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đợt đánh giá chỉ số CCHC")
        verbose_name_plural = _("đợt đánh giá chỉ số CCHC")

    def __str__(self) -> str:
        return f"{self.index_set.name} — {self.year}"


class Assessment(models.Model):
    """One unit's assessment in a round; the unit list is fixed when the round opens."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    status = models.PositiveSmallIntegerField(choices=STATUS_CHOICES, default=Status.DRAFTING)
    deadline = models.DateTimeField()  # open_to, or the date Sở Nội vụ reopened it to
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    self_total = models.DecimalField(default=0, max_digits=7, decimal_places=2)
    appraised_total = models.DecimalField(null=True, blank=True, max_digits=7, decimal_places=2)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("kết quả đánh giá của đơn vị")
        verbose_name_plural = _("kết quả đánh giá của đơn vị")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="par_assessment_unit")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.unit_id}"


class Item(models.Model):
    """A sub-criterion's value, score and appraisal for one unit."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    sub_criterion = models.ForeignKey(SubCriterion, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=40, blank=True)
    self_score = models.DecimalField(null=True, blank=True, max_digits=7, decimal_places=2)
    not_applicable = models.BooleanField(default=False)
    explanation = models.TextField(blank=True)  # mandatory without evidence
    appraised_score = models.DecimalField(null=True, blank=True, max_digits=7, decimal_places=2)
    appraisal_comment = models.TextField(blank=True)
    snapshot = models.JSONField(default=dict, blank=True)  # a data-fed value's figures, version and instant
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tiêu chí của đơn vị")
        verbose_name_plural = _("tiêu chí của đơn vị")
        constraints = [models.UniqueConstraint(fields=["assessment", "sub_criterion"], name="par_item_once")]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.sub_criterion_id}"


class Evidence(models.Model):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="par/", max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)  # an Office type is 71 characters
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")

    def __str__(self) -> str:
        return self.original_name


class Event(models.Model):
    """Append-only: what happened to a round or one unit's assessment."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="events")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, null=True, related_name="events")
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("sự kiện đánh giá chỉ số CCHC")
        verbose_name_plural = _("sự kiện đánh giá chỉ số CCHC")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.action
