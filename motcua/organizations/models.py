"""Units, agency identifiers, successions after the 2025 reform, people, memberships and roles."""

import re
from datetime import date

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from motcua.core.text import fold
from motcua.core.validators import validate_citizen_id, validate_phone


class UnitType(models.TextChoices):
    # Administrative divisions (QĐ 19/2025/QĐ-TTg).
    PROVINCE = "province", _("Tỉnh")
    CENTRAL_CITY = "central_city", _("Thành phố trực thuộc trung ương")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    # Agencies that receive or decide procedures (ND 118/2025 art. 1-2).
    PROVINCIAL_COMMITTEE = "provincial_committee", _("UBND cấp tỉnh")
    PROVINCIAL_OFFICE = "provincial_office", _("Văn phòng UBND cấp tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành cấp tỉnh")
    PROVINCIAL_SERVICE_CENTRE = "provincial_service_centre", _("Trung tâm Phục vụ hành chính công cấp tỉnh")
    COMMUNE_COMMITTEE = "commune_committee", _("UBND cấp xã")
    COMMUNE_SERVICE_CENTRE = "commune_service_centre", _("Trung tâm Phục vụ hành chính công cấp xã")
    # Units that ceased to exist (pre-2025 provinces and districts), kept so that old records still resolve.
    HISTORIC_PROVINCE = "historic_province", _("Tỉnh (trước 01/07/2025)")
    HISTORIC_DISTRICT = "historic_district", _("Huyện, quận, thị xã, thành phố thuộc tỉnh (trước 01/07/2025)")


DIVISION_TYPES = frozenset(
    {UnitType.PROVINCE, UnitType.CENTRAL_CITY, UnitType.COMMUNE, UnitType.WARD, UnitType.SPECIAL_ZONE}
)
COMMUNE_LEVEL_TYPES = frozenset({UnitType.COMMUNE, UnitType.WARD, UnitType.SPECIAL_ZONE})
SERVICE_CENTRE_TYPES = frozenset({UnitType.PROVINCIAL_SERVICE_CENTRE, UnitType.COMMUNE_SERVICE_CENTRE})
AGENCY_TYPES = frozenset(
    {
        UnitType.PROVINCIAL_COMMITTEE,
        UnitType.PROVINCIAL_OFFICE,
        UnitType.DEPARTMENT,
        UnitType.PROVINCIAL_SERVICE_CENTRE,
        UnitType.COMMUNE_COMMITTEE,
        UnitType.COMMUNE_SERVICE_CENTRE,
    }
)


class Unit(models.Model):
    """A province, commune, agency or service centre; `code` is the stable key used everywhere."""

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=255, blank=True)
    type = models.CharField(_("loại"), max_length=32, choices=UnitType.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def agency_identifier_on(self, day: date) -> "AgencyIdentifier | None":
        """Return the agency identifier in force on a day, if any."""
        return (
            self.agency_identifiers.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .order_by("-valid_from")
            .first()
        )


AGENCY_IDENTIFIER_SHAPE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.[HG]\d{2}")


def validate_agency_identifier(value: str) -> None:
    """Check the shape xxx.xx.xx.Hnn (local) or xxx.xx.xx.Gnn (ministry) of QĐ 20/2020/QĐ-TTg."""
    if not AGENCY_IDENTIFIER_SHAPE.fullmatch(value):
        raise ValidationError(
            _("Mã định danh điện tử phải có dạng xxx.xx.xx.Hnn (ví dụ 000.00.06.H56), theo QĐ 20/2020/QĐ-TTg."),
            code="agency_identifier_format",
        )


class AgencyIdentifier(models.Model):
    """An electronic agency identifier (mã định danh điện tử) held by a unit over a period.

    QĐ 20/2020/QĐ-TTg, amended by QĐ 09/2025/QĐ-TTg: identifiers were reissued for the 2025 units, so a unit keeps
    the history and a dossier code built from an old identifier still resolves.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="agency_identifiers")
    code = models.CharField(_("mã định danh"), max_length=16, validators=[validate_agency_identifier], db_index=True)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mã định danh điện tử")
        verbose_name_plural = _("mã định danh điện tử")
        ordering = ["unit", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="one_identifier_per_unit_and_start"),
        ]

    def __str__(self) -> str:
        return self.code


class UnitSuccession(models.Model):
    """A unit that took over (all or part of) another's territory or duties on a date (NQ 202/2025/QH15 etc.)."""

    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessions")
    effective_on = models.DateField(_("ngày hiệu lực"))
    legal_basis = models.CharField(_("căn cứ"), max_length=255)

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_succession")]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class UserKind(models.TextChoices):
    STAFF = "staff", _("Cán bộ, công chức")
    CITIZEN = "citizen", _("Công dân, tổ chức")


class User(AbstractUser):
    """An account: a civil servant (with memberships) or a citizen (signs in with phone or email)."""

    kind = models.CharField(_("loại tài khoản"), max_length=16, choices=UserKind.choices, default=UserKind.CITIZEN)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(
        _("số điện thoại"), max_length=10, null=True, blank=True, unique=True, validators=[validate_phone]
    )
    citizen_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, null=True, blank=True, unique=True, validators=[validate_citizen_id]
    )
    # Set once the account is proved to belong to its citizen_id's holder through VNeID: made by a VNeID sign-in, or
    # linked after the holder entered a code sent to the contact on file. VNeID opens only such accounts (issue 20 b).
    vneid_verified_at = models.DateTimeField(_("liên kết VNeID lúc"), null=True, blank=True)
    vneid_subject = models.CharField(_("mã tài khoản VNeID"), max_length=255, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="unique_nonblank_email"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_citizen(self) -> bool:
        return self.kind == UserKind.CITIZEN


class Position(models.TextChoices):
    """Positions (chức vụ) that matter for routing and signing; ND 30/2020 art. 13 signs by position."""

    CHAIRMAN = "chu_tich", _("Chủ tịch")
    VICE_CHAIRMAN = "pho_chu_tich", _("Phó Chủ tịch")
    DIRECTOR = "giam_doc", _("Giám đốc")
    DEPUTY_DIRECTOR = "pho_giam_doc", _("Phó Giám đốc")
    CHIEF_OF_OFFICE = "chanh_van_phong", _("Chánh Văn phòng")
    DEPUTY_CHIEF_OF_OFFICE = "pho_chanh_van_phong", _("Phó Chánh Văn phòng")
    HEAD_OF_DIVISION = "truong_phong", _("Trưởng phòng")
    DEPUTY_HEAD_OF_DIVISION = "pho_truong_phong", _("Phó Trưởng phòng")
    SPECIALIST = "chuyen_vien", _("Chuyên viên")
    ONE_STOP_OFFICER = "cong_chuc_mot_cua", _("Công chức một cửa")
    CIVIL_SERVANT = "cong_chuc", _("Công chức")


def position_label(code: str) -> str:
    """Return a position's name in the active language ("Công chức một cửa") for its code; "" for none."""
    if not code:
        return ""
    try:
        return str(Position(code).label)
    except ValueError:
        return code  # the catalogue import refuses unknown codes; an old one is shown rather than hidden


LEADERSHIP_POSITIONS = frozenset(
    {
        Position.CHAIRMAN,
        Position.VICE_CHAIRMAN,
        Position.DIRECTOR,
        Position.DEPUTY_DIRECTOR,
        Position.CHIEF_OF_OFFICE,
        Position.DEPUTY_CHIEF_OF_OFFICE,
        Position.HEAD_OF_DIVISION,
        Position.DEPUTY_HEAD_OF_DIVISION,
    }
)


class Role(models.TextChoices):
    ONE_STOP_OFFICER = "one_stop_officer", _("Công chức tiếp nhận và trả kết quả")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo đơn vị")
    PROVINCE_MONITOR = "province_monitor", _("Giám sát, theo dõi cấp tỉnh")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    # Reform management (motcua.reform): Văn phòng UBND tỉnh tracks directives and confirms tasks; Sở Nội vụ runs the
    # CCHC reports, plans and the PAR index; inspectors carry out the yearly CCHC inspections.
    DIRECTIVE_TRACKER = "directive_tracker", _("Theo dõi chỉ đạo, nhiệm vụ (Văn phòng UBND tỉnh)")
    REFORM_OFFICER = "reform_officer", _("Cải cách hành chính (Sở Nội vụ)")
    INSPECTOR = "inspector", _("Kiểm tra công tác cải cách hành chính")
    # A system account, not a person: the national portal (DVCQG) handing over dossiers filed there; it may do that
    # alone (motcua.api.national_inbound).
    NATIONAL_CHANNEL = "national_channel", _("Kênh Cổng Dịch vụ công quốc gia (tài khoản hệ thống)")
    # eOffice (motcua.eoffice): the văn thư registers incoming documents and issues outgoing ones (ND 30/2020 arts 16,
    # 22).
    CLERK = "clerk", _("Văn thư")


class Membership(models.Model):
    """A person's place in a unit: position and role, over a period."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    position = models.CharField(_("chức vụ"), max_length=32, choices=Position.choices)
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("công tác tại đơn vị")
        verbose_name_plural = _("công tác tại đơn vị")
        ordering = ["user", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role", "valid_from"], name="unique_membership_start"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_position_display()}, {self.unit}"

    def clean(self) -> None:
        if self.position in LEADERSHIP_POSITIONS or self.role != Role.LEADER:
            return
        raise ValidationError({"role": _("Vai trò lãnh đạo chỉ gán cho người giữ chức vụ lãnh đạo.")})


class PasswordResetCode(models.Model):
    """A one-time code sent by SMS so that a citizen can choose a new password; one per account at a time."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="password_reset_code")
    # An HMAC keyed with SECRET_KEY, never the code: six digits are a million guesses, which no slow hash hides once
    # the table leaks, but without the key there is nothing to try them against.
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("gửi lúc"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    failed_tries = models.PositiveSmallIntegerField(_("số lần nhập sai"), default=0)

    class Meta:
        verbose_name = _("mã đặt lại mật khẩu")
        verbose_name_plural = _("mã đặt lại mật khẩu")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"
