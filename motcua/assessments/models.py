"""Question banks, campaigns, sittings, candidates, attempts and their audit rows (DOMAIN-2.md §7)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Unit

from .lifecycle import (
    ATTEMPT_STATUS_CHOICES,
    CAMPAIGN_STATUS_CHOICES,
    DIFFICULTY_CHOICES,
    DOMAIN_CHOICES,
    ITEM_STATUS_CHOICES,
    ITEM_TYPE_CHOICES,
    AttemptStatus,
    CampaignStatus,
    ItemStatus,
)


class JobTitle(models.Model):
    """A commune job title tested (Tư pháp–hộ tịch, Văn phòng–thống kê…): a list the province keeps, beside
    `organizations.Position`, since the post-2025 titles are unconfirmed [R]."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên vị trí việc làm"), max_length=200)
    excluded = models.BooleanField(_("không thuộc diện kiểm tra"), default=False)  # e.g. police, military (An Giang)

    class Meta:
        verbose_name = _("vị trí việc làm")
        verbose_name_plural = _("vị trí việc làm")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """A question's identity across its versions."""

    code = models.CharField(_("mã câu hỏi"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"))

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")

    def __str__(self) -> str:
        return self.code


class ItemVersion(models.Model):
    """One version of a question; approved, its content is frozen by the database (migration 0002)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=ITEM_STATUS_CHOICES, default=ItemStatus.DRAFT)
    domain = models.CharField(_("lĩnh vực"), max_length=16, choices=DOMAIN_CHOICES)
    difficulty = models.CharField(_("độ khó"), max_length=16, choices=DIFFICULTY_CHOICES)
    type = models.CharField(_("loại câu hỏi"), max_length=16, choices=ITEM_TYPE_CHOICES)
    job_titles = models.JSONField(_("vị trí áp dụng"), default=list, blank=True)  # codes of JobTitle; [] = every
    stem = models.TextField(_("nội dung câu hỏi"))
    options = models.JSONField(_("phương án"))  # [{"id": "a", "text": "…"}]
    key = models.JSONField(_("đáp án"))  # ["a"]: never sent to a candidate
    legal_source = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)
    source_effective_from = models.DateField(_("căn cứ hiệu lực từ"), null=True, blank=True)
    source_effective_to = models.DateField(_("căn cứ hiệu lực đến"), null=True, blank=True)
    procedure_code = models.CharField(_("thủ tục nguồn"), max_length=64, blank=True)  # drafted from the catalogue
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("tạo lúc"))
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản câu hỏi")
        verbose_name_plural = _("phiên bản câu hỏi")
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="one_item_version_number")]
        indexes = [models.Index(fields=["status", "domain", "difficulty"], name="assess_item_pool")]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"


class ItemEvent(models.Model):
    """An append-only row of an item version's workflow."""

    version = models.ForeignKey(ItemVersion, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.action} {self.version_id}"


class Campaign(models.Model):
    """A test campaign organised by Sở Nội vụ under the province's own plan (no national text was found)."""

    name = models.CharField(_("tên đợt kiểm tra"), max_length=300)
    basis_number = models.CharField(_("số kế hoạch của tỉnh"), max_length=100)
    basis_date = models.DateField(_("ngày kế hoạch"))
    job_titles = models.ManyToManyField(JobTitle, verbose_name=_("vị trí việc làm"), blank=True)
    units = models.ManyToManyField(Unit, verbose_name=_("đơn vị"), related_name="+")
    reference_date = models.DateField(_("ngày chốt danh sách"))  # candidates are memberships on this day
    opens_at = models.DateTimeField(_("mở từ"))
    closes_at = models.DateTimeField(_("đóng lúc"))
    duration_minutes = models.PositiveSmallIntegerField(_("thời gian làm bài (phút)"))
    blueprint = models.JSONField(_("ma trận đề"))  # [{"name": "Phần 1", "cells": [{domain, difficulty, count}]}]
    pass_marks = models.JSONField(_("điểm đạt"), default=dict)  # {"part": 50, "overall": 50, "weights": {}}
    publish_on = models.DateField(_("ngày công bố kết quả"))
    # The province may require one-stop staff to have passed the latest such campaign [R: its own plan].
    qualifies_one_stop = models.BooleanField(_("dùng để xét bố trí làm việc tại Bộ phận Một cửa"), default=False)
    status = models.CharField(max_length=16, choices=CAMPAIGN_STATUS_CHOICES, default=CampaignStatus.DRAFT)
    pool = models.JSONField(default=list, blank=True)  # version ids frozen when the campaign opens
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("đợt kiểm tra năng lực")
        verbose_name_plural = _("đợt kiểm tra năng lực")

    def __str__(self) -> str:
        return self.name


class Sitting(models.Model):
    """A ca thi: a room, a start and a capacity, watched by its invigilators."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="sittings")
    room = models.CharField(_("phòng thi"), max_length=200)
    starts_at = models.DateTimeField(_("bắt đầu"))
    capacity = models.PositiveSmallIntegerField(_("số chỗ"))
    invigilators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("giám thị"))

    class Meta:
        verbose_name = _("ca thi")
        verbose_name_plural = _("ca thi")

    def __str__(self) -> str:
        return f"{self.room} {self.starts_at:%d/%m/%Y %H:%M}"


class Candidate(models.Model):
    """An official called to a campaign; removed ones stay, with the reason."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="candidates")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    job_title = models.ForeignKey(JobTitle, on_delete=models.PROTECT, null=True, blank=True)
    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, null=True, blank=True, related_name="candidates")
    added_reason = models.TextField(blank=True)  # empty when called from the memberships
    removed_reason = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    second_device_allowed = models.BooleanField(default=False)  # granted by the invigilator, used once

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="one_candidacy_per_campaign")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.campaign_id}"


class Attempt(models.Model):
    """A candidate's one attempt: their form (seed + pinned versions), server-side deadline, sequence, scores."""

    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="attempt")
    seed = models.BigIntegerField()
    form = models.JSONField()  # [{"name", "items": [{"version", "options"}]}]: no key
    started_at = models.DateTimeField()
    deadline_at = models.DateTimeField()
    extra_minutes = models.PositiveSmallIntegerField(default=0)
    sequence = models.PositiveIntegerField(default=0)  # the newest change accepted
    device = models.CharField(max_length=64)  # the session that holds the attempt
    status = models.CharField(max_length=16, choices=ATTEMPT_STATUS_CHOICES, default=AttemptStatus.STARTED)
    submitted_at = models.DateTimeField(null=True, blank=True)
    parts = models.JSONField(default=list, blank=True)  # [{"name", "correct", "total", "score", "passed"}]
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        indexes = [models.Index(fields=["status", "deadline_at"], name="assess_attempt_deadline")]

    def __str__(self) -> str:
        return f"bài làm {self.pk}"


class Answer(models.Model):
    """The current answer to one item of an attempt (a projection of the audit rows)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    version = models.ForeignKey(ItemVersion, on_delete=models.PROTECT, related_name="+")
    chosen = models.JSONField(default=list)
    sequence = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "version"], name="one_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.version_id}"


class AnswerAudit(models.Model):
    """Every accepted change of an answer: item, old, new, instant, address. Append-only."""

    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="audit")
    version = models.ForeignKey(ItemVersion, on_delete=models.PROTECT, related_name="+")
    old = models.JSONField(default=list)
    new = models.JSONField(default=list)
    sequence = models.PositiveIntegerField()
    at = models.DateTimeField()
    address = models.GenericIPAddressField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.version_id}#{self.sequence}"


class CampaignEvent(models.Model):
    """An append-only row of a campaign's organisation and its sittings' minutes (biên bản): who, what, why, when."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="events")
    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    action = models.CharField(max_length=32)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.action} {self.campaign_id}"
