"""The national portal's dossier payload (DOMAIN.md §2), read and checked field by field, before any look-up.

Field names are DVCQG's and stay in this module and its callers in the adapter; what reaches intake is ours. Every
problem is reported at once, under the payload's own field name (`TaiLieuNop[1].DuongDanTaiTepTin`).
"""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from motcua.core import clock
from motcua.core.text import clean_free_text
from motcua.core.validators import normalise_citizen_id, normalise_phone, validate_citizen_id, validate_phone

# A code on the national portal: letters, digits and the separators its codes use (`000.00.06.H56-231027-0361`).
NATIONAL_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,49}")
# Mã số thuế: 10 digits, or 13 written 10-3 for a branch (Law on Tax Administration 38/2019/QH14 art. 30).
TAX_CODE = re.compile(r"\d{10}(-\d{3})?")
ONLINE = 2
# LoaiDoiTuong: 1 công dân; 2 doanh nghiệp, 3 cơ quan nhà nước, 4 tổ chức khác (DOMAIN.md §2).
PERSON_KIND = 1
APPLICANT_KINDS = {1, 2, 3, 4}
# A portal clock a little ahead of ours is not a filing from the future.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Document:
    """One file of TaiLieuNop: the paper it is for (MAGIAYTO of the case) and where the portal serves it."""

    index: int
    component_code: str
    name: str
    url: str


@dataclass(frozen=True)
class FeeLine:
    index: int
    code: str
    amount: int


@dataclass(frozen=True)
class NationalDossier:
    """A payload that has the shape the portal promises; whether the catalogue agrees is checked after."""

    national_code: str
    procedure_code: str
    case_index: int | None
    submitted_at: datetime
    organisation: bool
    owner: str
    id_number: str
    phone: str
    email: str
    address: str
    place: str  # NoiNopHoSo: where the applicant filed (our unit code or an agency identifier); "" for the default
    documents: tuple[Document, ...]
    fees: tuple[FeeLine, ...]
    fingerprint: str


def fingerprint(raw: dict[str, Any]) -> str:
    """Return the SHA-256 of the payload in canonical JSON: equal for the same content, whatever the key order."""
    text = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def parse_national_code(raw: Any) -> str:
    """Return the payload's MaHoSo, upper-case as our codes; raise ValidationError when there is none usable."""
    if not isinstance(raw, dict):
        raise ValidationError({"non_field_errors": ["Hồ sơ phải là một đối tượng JSON theo gói dữ liệu của Cổng."]})
    code = raw.get("MaHoSo")
    if not isinstance(code, str) or not NATIONAL_CODE.fullmatch(code.strip()):
        raise ValidationError(
            {"MaHoSo": ["Cần mã hồ sơ trên Cổng (MaHoSo): chữ không dấu, chữ số, dấu chấm, gạch; tối đa 50 ký tự."]}
        )
    return code.strip().upper()


def parse(raw: Any) -> NationalDossier:
    """Read a payload; raise ValidationError with a Vietnamese reason under each faulty field."""
    national_code = parse_national_code(raw)  # without a usable one, the rest is not looked at
    reader = _Reader(raw)
    kind = reader.integer("LoaiDoiTuong", default=PERSON_KIND, allowed=APPLICANT_KINDS)
    channel = reader.integer("KenhThucHien", default=None, allowed={1, 2, 3})
    if channel is not None and channel != ONLINE:
        reader.fail("KenhThucHien", "Hồ sơ nhận từ Cổng Dịch vụ công quốc gia là hồ sơ trực tuyến (KenhThucHien = 2).")
    dossier = NationalDossier(
        national_code=national_code,
        procedure_code=reader.text("MaTTHC", required=True, max_length=40),
        case_index=reader.integer("TruongHop", default=None, allowed=None),
        submitted_at=reader.moment("NgayNopHoSo"),
        organisation=kind != PERSON_KIND,
        owner=reader.text("ChuHoSo", required=True, max_length=200),
        id_number=reader.id_number("SoGiayToChuHoSo", organisation=kind != PERSON_KIND),
        phone=reader.phone("SoDienThoai"),
        email=reader.email("Email"),
        address=reader.text("DiaChi", max_length=500),
        place=reader.text("NoiNopHoSo", max_length=32),
        documents=reader.documents(),
        fees=reader.fees(),
        fingerprint=fingerprint(raw),
    )
    if reader.errors:
        raise ValidationError(reader.errors)
    return dossier


class _Reader:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.errors: dict[str, list[str]] = {}

    def fail(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def text(self, key: str, *, required: bool = False, max_length: int = 0, raw: Any = None) -> str:
        value = (self.raw if raw is None else raw).get(key.rsplit(".", 1)[-1], "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(key, "Phải là chuỗi ký tự.")
            return ""
        try:
            text = clean_free_text(value).strip()
        except ValidationError as error:
            self.fail(key, error.messages[0])
            return ""
        if required and not text:
            self.fail(key, "Không được để trống.")
        elif max_length and len(text) > max_length:
            self.fail(key, f"Dài quá {max_length} ký tự.")
        return text

    def integer(self, key: str, *, default: int | None, allowed: set[int] | None) -> int | None:
        value = self.raw.get(key)
        if value is None or value == "":
            return default
        # The portal writes numbers as JSON numbers or as digit strings; booleans are neither.
        number = int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else value
        if not isinstance(number, int) or isinstance(number, bool) or (allowed is not None and number not in allowed):
            choices = ", ".join(map(str, sorted(allowed))) if allowed else "số nguyên không âm"
            self.fail(key, f"Giá trị không hợp lệ; chỉ nhận {choices}.")
            return default
        return number

    def moment(self, key: str) -> datetime:
        value = self.raw.get(key)
        moment = _moment(value) if isinstance(value, str) else None
        if moment is None:
            self.fail(key, "Ngày giờ không đúng định dạng; ví dụ 20260310090000 (năm tháng ngày giờ phút giây).")
            return clock.now()
        if moment > clock.now() + CLOCK_SKEW:
            self.fail(key, "Ngày nộp hồ sơ không được ở tương lai.")
        return moment

    def id_number(self, key: str, *, organisation: bool) -> str:
        value = self.text(key, required=True, max_length=20)
        if not value:
            return ""
        if organisation:
            if not TAX_CODE.fullmatch(value):
                self.fail(key, "Mã số thuế của tổ chức gồm 10 chữ số, hoặc 13 chữ số dạng 0123456789-001.")
            return value
        number = normalise_citizen_id(value)
        try:
            validate_citizen_id(number)
        except ValidationError as error:
            self.fail(key, error.messages[0])
        return number

    def email(self, key: str) -> str:
        value = self.text(key, max_length=254)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.fail(key, "Địa chỉ thư điện tử không hợp lệ.")
        return value

    def phone(self, key: str) -> str:
        value = normalise_phone(self.text(key, max_length=20))
        if value:
            try:
                validate_phone(value)
            except ValidationError as error:
                self.fail(key, error.messages[0])
        return value

    def items(self, key: str) -> list[Any]:
        value = self.raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, "Phải là một danh sách.")
            return []
        return value

    def documents(self) -> tuple[Document, ...]:
        found = []
        items = self.items("TaiLieuNop")
        if len(items) > settings.MOTCUA_DVCQG_MAX_FILES:
            self.fail("TaiLieuNop", f"Nhiều hơn {settings.MOTCUA_DVCQG_MAX_FILES} tệp trong một hồ sơ.")
            return ()
        for index, item in enumerate(items):
            at = f"TaiLieuNop[{index}]"
            if not isinstance(item, dict):
                self.fail(at, "Mỗi tài liệu phải là một đối tượng JSON.")
                continue
            if item.get("IsDeleted") in (True, 1, "1", "true"):
                continue  # a file the applicant removed before submitting
            found.append(
                Document(
                    index,
                    self.text(f"{at}.MaThanhPhanHoSo", required=True, max_length=40, raw=item),
                    self.text(f"{at}.TenTepDinhKem", max_length=200, raw=item) or f"tep-{index + 1}",
                    self.text(f"{at}.DuongDanTaiTepTin", required=True, max_length=2000, raw=item),
                )
            )
        return tuple(found)

    def fees(self) -> tuple[FeeLine, ...]:
        lines = []
        for index, item in enumerate(self.items("DanhSachLePhi")):
            at = f"DanhSachLePhi[{index}]"
            if not isinstance(item, dict):
                self.fail(at, "Mỗi khoản phí, lệ phí phải là một đối tượng JSON.")
                continue
            amount = item.get("Gia", 0)
            if isinstance(amount, float) and amount.is_integer():
                amount = int(amount)
            if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
                self.fail(f"{at}.Gia", "Số tiền phải là số nguyên đồng, không âm.")
                continue
            lines.append(FeeLine(index, self.text(f"{at}.MaPhiLePhi", max_length=40, raw=item), amount))
        return tuple(lines)


def _moment(text: str) -> datetime | None:
    """Read a date and time in one of MOTCUA_DVCQG_DATE_FORMATS ("iso" for ISO 8601); local time when unzoned."""
    text = text.strip()
    for form in settings.MOTCUA_DVCQG_DATE_FORMATS:
        try:
            moment = datetime.fromisoformat(text) if form == "iso" else datetime.strptime(text, form)  # noqa: DTZ007
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=clock.VIETNAM)
    return None
