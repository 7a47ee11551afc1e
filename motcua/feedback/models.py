"""A feedback case (phản ánh, kiến nghị, khiếu nại, tố cáo) and its events; the events are the history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.organizations.models import Unit
from motcua.signing.models import SignedDocument

from .lifecycle import ACTION_LABELS, KIND_LABELS, RATING_CHOICES, STATUS_CHOICES, TOPIC_CHOICES, Channel, Status


class Handler(models.TextChoices):
    SUBJECT = "subject", _("Chính đơn vị có nội dung bị phản ánh, khiếu nại, tố cáo")
    PARENT = "parent", _("Cơ quan cấp trên trực tiếp của đơn vị đó")


class Competence(models.Model):
    """Who handles a kind of case about a unit (law as data): the unit itself or its direct superior, from a day.

    Seeded: a PAKN or complaint goes to the unit whose decision, act or official it is about (ND 20/2008 art. 9;
    Luật Khiếu nại 2011 art. 17-18, first instance); a denunciation to the head of the unit managing the official
    accused, or the superior's when the accused is that head or a deputy (Luật Tố cáo 2018 art. 13).
    """

    kind = models.CharField(_("loại"), max_length=16, choices=list(KIND_LABELS.items()))
    about_head = models.BooleanField(_("về người đứng đầu hoặc cấp phó của đơn vị"), default=False)
    handler = models.CharField(_("cơ quan giải quyết"), max_length=16, choices=Handler.choices)
    effective_from = models.DateField(_("áp dụng từ"))
    source = models.CharField(_("căn cứ"), max_length=300)

    class Meta:
        verbose_name = _("thẩm quyền giải quyết")
        verbose_name_plural = _("thẩm quyền giải quyết")
        constraints = [
            models.UniqueConstraint(fields=["kind", "about_head", "effective_from"], name="one_competence_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.get_handler_display()}"


class FeedbackCase(models.Model):
    """One case, from intake to its conclusion. The sender's identity is seen only by those who handle it."""

    code = models.CharField(_("mã phản ánh"), max_length=32, unique=True)
    tracking_secret = models.CharField(max_length=32)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)  # a double submit files once
    kind = models.CharField(_("loại"), max_length=16, choices=list(KIND_LABELS.items()))
    topic = models.CharField(_("phân loại"), max_length=16, choices=TOPIC_CHOICES, blank=True)
    channel = models.CharField(_("kênh"), max_length=16, choices=[(c.value, c.name) for c in Channel])
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=STATUS_CHOICES)
    sender_name = models.CharField(_("họ và tên người gửi"), max_length=150, blank=True)
    sender_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    sender_phone = models.CharField(_("số điện thoại"), max_length=10, blank=True)
    sender_email = models.EmailField(_("thư điện tử"), blank=True)
    is_anonymous = models.BooleanField(_("ẩn danh"), default=False)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback_sent"
    )
    subject_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback_about", verbose_name=_("đơn vị")
    )  # whose decision, act or official the case is about
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback")
    instance = models.PositiveSmallIntegerField(_("lần giải quyết"), default=1)  # a complaint's first or second
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )  # the case received above the competent level, which this one handles (Luật Tiếp công dân art. 26)
    skipped_level = models.BooleanField(_("vượt cấp"), default=False)  # sent above the competent level
    # ... and after an earlier case of the same sender there was answered late or disliked
    after_lower = models.BooleanField(_("sau khi đã gửi cấp dưới"), default=False)
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="followed_by"
    )  # the earlier case whose answer this one disputes (QĐ 766 5.3)
    decision = models.CharField(_("quyết định, hành vi bị khiếu nại"), max_length=300, blank=True)
    known_on = models.DateField(_("ngày nhận hoặc biết quyết định, hành vi"), null=True, blank=True)
    late_reason = models.TextField(_("lý do gửi quá thời hiệu"), blank=True)  # Luật Khiếu nại 2011 art. 9
    accused = models.CharField(_("người bị tố cáo"), max_length=300, blank=True)
    about_head = models.BooleanField(_("về người đứng đầu hoặc cấp phó"), default=False)
    paper_asked = models.CharField(_("giấy tờ bị yêu cầu thêm"), max_length=300, blank=True)
    reported_official = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback_about"
    )
    content = models.TextField(_("nội dung"))
    handling_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="feedback_handled")
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    routed_at = models.DateTimeField(_("đến đơn vị xử lý lúc"))  # its clocks run from here (the latest transfer)
    accept_due_at = models.DateTimeField(_("hạn tiếp nhận"))
    due_at = models.DateTimeField(_("hạn xử lý"))
    accepted_at = models.DateTimeField(_("tiếp nhận xử lý lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)  # refused, concluded or withdrawn
    verified = models.BooleanField(_("phản ánh đúng"), null=True, blank=True)
    conclusion = models.TextField(_("kết luận"), blank=True)
    answer_document = models.ForeignKey(
        SignedDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("văn bản trả lời đã ký"),
    )  # fmt: skip
    rating = models.CharField(_("đánh giá của người gửi"), max_length=16, choices=RATING_CHOICES, blank=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        indexes = [
            models.Index(fields=["handling_unit", "status", "due_at"], name="feedback_by_unit_due"),
            models.Index(fields=["received_at"], name="feedback_by_received"),
            models.Index(fields=["closed_at"], name="feedback_by_closed"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_concluded(self) -> bool:
        return self.status == Status.CONCLUDED

    @property
    def public_answer_or_none(self) -> "PublicAnswer | None":
        return PublicAnswer.objects.filter(case=self).first()


class FeedbackEvent(models.Model):
    """What happened to a case: appended, never edited."""

    case = models.ForeignKey(FeedbackCase, on_delete=models.CASCADE, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=list(ACTION_LABELS.items()))
    status_after = models.PositiveSmallIntegerField(choices=STATUS_CHOICES)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["case", "sequence"]
        constraints = [models.UniqueConstraint(fields=["case", "sequence"], name="one_feedback_event_per_sequence")]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.sequence} {self.action}"


class PublicAnswer(models.Model):
    """A case's answer as published: a separate text without personal data, searchable without diacritics."""

    case = models.OneToOneField(FeedbackCase, on_delete=models.PROTECT, related_name="public_answer")
    code = models.CharField(_("mã phản ánh"), max_length=32, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị trả lời"))
    topic = models.CharField(_("phân loại"), max_length=16, choices=TOPIC_CHOICES, blank=True)
    question = models.TextField(_("nội dung phản ánh, kiến nghị"))
    answer = models.TextField(_("kết quả trả lời"))
    received_on = models.DateField(_("ngày gửi"))
    published_at = models.DateTimeField(_("công khai lúc"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    search_text = models.TextField(editable=False)  # folded question, answer and unit name

    class Meta:
        verbose_name = _("kết quả trả lời đã công khai")
        verbose_name_plural = _("kết quả trả lời đã công khai")
        indexes = [models.Index(fields=["-published_at"], name="answers_newest")]

    def __str__(self) -> str:
        return self.code


class FeedbackAttachment(models.Model):
    """A paper sent with a case, checked like a dossier's scans (type by content, size, structure, virus)."""

    case = models.ForeignKey(FeedbackCase, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to="feedback/", max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tài liệu kèm theo")
        verbose_name_plural = _("tài liệu kèm theo")

    def __str__(self) -> str:
        return self.original_name


class FeedbackDraft(models.Model):
    """What a signed-in citizen has typed on the intake form, kept as typed while they type; gone once filed."""

    citizen = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_draft")
    fields = models.JSONField(default=dict)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("bản nháp phản ánh")
        verbose_name_plural = _("bản nháp phản ánh")

    def __str__(self) -> str:
        return f"{self.citizen_id}"
