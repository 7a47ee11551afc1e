"""The intake form of every kind of case, shared by the portal and the reception desk: it only collects; which
fields each kind needs, and every other rule, are the service's (`services.file_case`)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Unit, UnitType, User

from . import selectors, services
from .lifecycle import KIND_LABELS, TOPIC_CHOICES, Channel, Kind
from .models import FeedbackCase

COMMUNE_AGENCY_TYPES = {UnitType.COMMUNE_COMMITTEE, UnitType.COMMUNE_SERVICE_CENTRE}


KIND_CHOICES = [(kind.value, label) for kind, label in KIND_LABELS.items()]


class SenderForm(forms.Form):
    """Who sends a case (ND 20/2008 art. 7: name, address, phone), or that they send it anonymously."""

    anonymous = forms.BooleanField(
        label=_("Gửi ẩn danh"),
        required=False,
        help_text=_(
            "Chỉ với phản ánh về hành vi của cán bộ: không ghi họ tên, địa chỉ; theo dõi kết quả bằng mã phản ánh "
            "và mã bí mật."
        ),
    )
    sender_name = forms.CharField(label=_("Họ và tên"), required=False, max_length=150)
    sender_address = forms.CharField(label=_("Địa chỉ liên hệ"), required=False, max_length=300)
    sender_phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=20)
    sender_email = forms.CharField(label=_("Thư điện tử"), required=False, max_length=254)
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)  # a double submit

    def sender(self) -> services.Sender:
        typed = self.cleaned_data
        return services.Sender(
            typed["sender_name"], typed["sender_address"], typed["sender_phone"], typed["sender_email"],
            typed["anonymous"],
        )  # fmt: skip


class CaseForm(SenderForm):
    """Phản ánh, kiến nghị, khiếu nại or tố cáo: which fields each kind needs is the service's rule."""

    kind = forms.ChoiceField(label=_("Loại"), choices=KIND_CHOICES, widget=forms.RadioSelect, initial=Kind.PAKN)
    topic = forms.ChoiceField(
        label=_("Phân loại phản ánh, kiến nghị"), choices=TOPIC_CHOICES, widget=forms.RadioSelect, required=False
    )
    subject_unit = forms.ChoiceField(label=_("Cơ quan, đơn vị bị phản ánh, khiếu nại, tố cáo"), required=False)
    about_head = forms.BooleanField(label=_("Về người đứng đầu hoặc cấp phó của cơ quan, đơn vị này"), required=False)
    addressed_unit = forms.ChoiceField(
        label=_("Gửi đến"),
        help_text=_("Để trống: gửi thẳng cơ quan có thẩm quyền. Gửi cấp trên: cấp trên giao cơ quan có thẩm quyền."),
        required=False,
    )
    content = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    decision = forms.CharField(
        label=_("Quyết định hoặc hành vi bị khiếu nại"),
        help_text=_("Chỉ với khiếu nại: số, ngày quyết định hoặc hành vi bị khiếu nại."),
        required=False,
        max_length=300,
    )
    known_on = forms.DateField(
        label=_("Ngày nhận được quyết định hoặc biết được hành vi"),
        help_text=_("Chỉ với khiếu nại; dạng dd/mm/yyyy."),
        required=False,
        input_formats=["%d/%m/%Y"],
        error_messages={"invalid": _("Nhập ngày dạng dd/mm/yyyy, ví dụ 05/11/2026.")},
    )
    late_reason = forms.CharField(
        label=_("Lý do gửi sau 90 ngày"),
        help_text=_("Chỉ khi quá thời hiệu khiếu nại vì ốm đau, thiên tai, đi công tác xa hoặc trở ngại khách quan."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tep = forms.FileField(
        label=_("Tài liệu kèm theo"),
        help_text=_("Tùy chọn: một tệp PDF, JPEG hoặc PNG (đơn, ảnh chụp giấy tờ), kiểm tra như bản quét hồ sơ."),
        required=False,
    )
    accused = forms.CharField(
        label=_("Người bị tố cáo"), help_text=_("Chỉ với tố cáo: họ tên, chức vụ."), required=False, max_length=300
    )
    follows = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    follows_secret = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    field_order = [
        *("kind", "topic", "subject_unit", "about_head", "addressed_unit", "content", "decision", "known_on"),
        *("late_reason", "accused", "tep"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        units = selectors.subject_units(settings.MOTCUA_PROVINCE_CODE)
        province = [(u.code, u.name) for u in units if u.type not in COMMUNE_AGENCY_TYPES]
        communes = [(u.code, u.name) for u in units if u.type in COMMUNE_AGENCY_TYPES]
        self.fields["subject_unit"].choices = [  # type: ignore[attr-defined]
            ("", _("Chọn cơ quan, đơn vị")),
            (_("Cấp tỉnh"), province),
            (_("Cấp xã"), communes),
        ]
        self.fields["addressed_unit"].choices = [("", _("Cơ quan có thẩm quyền")), *province]  # type: ignore[attr-defined]

    def intake(
        self,
        *,
        signed: bool,
        follows: FeedbackCase | None = None,
        channel: Channel = Channel.PORTAL,
        received_at: Unit | None = None,
    ) -> services.Intake:
        """The typed intake; `received_at`: the desk's unit, where a case given in person was sent."""
        typed = self.cleaned_data
        sender = services.Sender(
            typed["sender_name"],
            typed["sender_address"],
            typed["sender_phone"],
            typed["sender_email"],
            typed["anonymous"],
        )
        addressed = Unit.objects.filter(code=typed["addressed_unit"] or "-").first() or received_at
        return services.Intake(
            Kind(typed["kind"]),
            sender,
            typed["content"],
            typed["topic"],
            Unit.objects.filter(code=typed["subject_unit"]).first(),
            typed["about_head"],
            typed["decision"],
            typed["known_on"],
            typed["late_reason"],
            typed["accused"],
            follows,
            signed=signed,
            channel=channel,
            submission_key=typed["submission_key"],
            addressed_unit=addressed,
            attachments=self._attachments(),
        )

    def _attachments(self) -> tuple[tuple[str, bytes], ...]:
        sent = self.cleaned_data.get("tep")
        limit = settings.MOTCUA_MAX_UPLOAD_BYTES + 1
        return ((sent.name, sent.read(limit)),) if sent else ()  # one byte over is enough to refuse it

    def file(
        self, intake: services.Intake, *, citizen: User | None = None, taken_by: User | None = None
    ) -> FeedbackCase | None:
        """File the case, or put the service's reasons beside their fields and return None."""
        try:
            return services.file_case(intake, citizen=citizen, taken_by=taken_by)
        except ValidationError as refused:
            for field, errors in refused.error_dict.items():  # with their codes
                field = "tep" if field == "attachments" else field
                self.add_error(field if field in self.fields else None, errors)
            return None

    @property
    def offers_conduct_report(self) -> bool:
        """Whether the service refused an anonymous denunciation, which may go as a conduct report instead."""
        return self.has_error("anonymous", code=services.OFFER_CONDUCT_REPORT)


class ReceptionForm(CaseForm):
    """A case given at the desk or on the published phone line, written down by the official (ND 20/2008 art. 7)."""

    channel = forms.ChoiceField(
        label=_("Cách gửi"),
        choices=[
            (Channel.COUNTER.value, _("Trực tiếp tại nơi tiếp nhận")),
            (Channel.PHONE.value, _("Qua điện thoại")),
        ],
        widget=forms.RadioSelect,
        initial=Channel.COUNTER,
    )
    signed_paper = forms.BooleanField(
        label=_("Người gửi đã ký tên hoặc điểm chỉ vào đơn (hoặc biên bản ghi lời trình bày)"),
        help_text=_("Bắt buộc với khiếu nại, tố cáo (Luật Khiếu nại 2011, Điều 8; Luật Tố cáo 2018, Điều 23)."),
        required=False,
    )
    field_order = ["channel", *CaseForm.field_order, "signed_paper"]
