"""The national procedure record (CSDL quốc gia về TTHC) read into typed, validated values and written back.

Pure: no Django. Field names follow DOMAIN.md §6; local data the national record lacks (publication decision,
effective date, online level, reception regardless of boundary, competent unit, internal process) sits in the
"MOTCUA" extension object. Every problem in a file is collected with its record and field, so that an import can
refuse the whole file and say everything that is wrong at once.
"""

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from motcua.core.errors import DomainError
from motcua.worktime.deadlines import LimitUnit, TimeLimit

LEVELS = {0: "Cấp bộ", 1: "Cấp tỉnh", 3: "Cấp xã"}  # 2 (cấp huyện) ended on 01/07/2025 (NQ 202/2025/QH15)
CHANNELS = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Qua dịch vụ bưu chính công ích"}
UNIT_NAMES = {
    "Ngày làm việc": LimitUnit.WORKING_DAYS,
    "Ngày": LimitUnit.CALENDAR_DAYS,
    "Giờ làm việc": LimitUnit.WORKING_HOURS,
    "Trong ngày": LimitUnit.SAME_DAY,
}
ONLINE_LEVELS = {"toan_trinh": "Toàn trình", "mot_phan": "Một phần", "": "Chưa cung cấp trực tuyến"}
POSITIONS = frozenset(
    {
        "chu_tich", "pho_chu_tich", "giam_doc", "pho_giam_doc", "chanh_van_phong", "pho_chanh_van_phong",
        "truong_phong", "pho_truong_phong", "chuyen_vien", "cong_chuc_mot_cua", "cong_chuc",
    }
)  # fmt: skip
RECEIVING, COMPETENT = "receiving", "competent"
FORMAT = "motcua-national-procedures/1"
MAX_CODE_LENGTH = 40


@dataclass(frozen=True)
class Coded:
    """A (code, name) pair as the national record lists fields, subjects, results and agencies."""

    code: str
    name: str


@dataclass(frozen=True)
class LegalBasis:
    number: str
    title: str
    issued_on: date | None
    effective_on: date | None
    issuer: str


@dataclass(frozen=True)
class Fee:
    code: str
    amount: int
    currency: str
    description: str


@dataclass(frozen=True)
class ChannelLimit:
    """The time limit and fees of one case (or all cases, when `case` is "") through one channel."""

    channel: int
    case: str
    limit: TimeLimit
    description: str
    fees: tuple[Fee, ...]


@dataclass(frozen=True)
class Component:
    """A paper of the dossier (thành phần hồ sơ): the only things an officer may ask for (ND 63/2010 art. 18(6))."""

    code: str
    name: str
    originals: int
    copies: int
    template_name: str
    template_url: str
    replacing_result_code: str
    is_mandatory: bool


@dataclass(frozen=True)
class Step:
    """A step of the approved internal process: who does it and in how many working hours."""

    name: str
    unit: str  # "receiving", "competent" or a unit code
    position: str
    hours: float


@dataclass(frozen=True)
class Case:
    name: str
    components: tuple[Component, ...]
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class ProcedureRecord:
    code: str
    name: str
    description: str
    keywords: str
    conditions: str
    subjects_description: str
    levels: tuple[int, ...]
    fields: tuple[Coded, ...]
    subjects: tuple[Coded, ...]
    results: tuple[Coded, ...]
    legal_bases: tuple[LegalBasis, ...]
    implementing_agencies: tuple[Coded, ...]
    competent_agencies: tuple[Coded, ...]
    coordinating_agencies: tuple[Coded, ...]
    sequence: tuple[tuple[str, tuple[str, ...]], ...]
    cases: tuple[Case, ...]
    limits: tuple[ChannelLimit, ...]
    publication_number: str
    publication_date: date | None
    effective_from: date
    online_level: str
    is_cross_boundary: bool
    competent_unit_code: str
    competent_unit_type: str

    def limit_for(self, case: str, channel: int) -> ChannelLimit | None:
        """Return the limit of a case through a channel (a case-less entry applies to every case)."""
        for entry in self.limits:
            if entry.channel == channel and entry.case in (case, ""):
                return entry
        return None

    def unit_codes(self) -> set[str]:
        """Return the unit codes this record names, which must exist where it is imported."""
        codes = {step.unit for case in self.cases for step in case.steps} - {RECEIVING, COMPETENT}
        return codes | ({self.competent_unit_code} if self.competent_unit_code else set())

    def content_hash(self) -> str:
        """Return a fingerprint of the content: re-importing an unchanged record is recognised by it."""
        canonical = json.dumps(to_record(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an import file, said in Vietnamese with where it is."""

    record: str  # "#3 (1.001193)"
    path: str  # "THANHPHANHOSO[0].GIAYTO[2].SOBANCHINH"
    message: str

    def __str__(self) -> str:
        return f"Thủ tục {self.record}, trường {self.path}: {self.message}"


class RecordsRejected(DomainError):
    """A file was refused as a whole; `problems` lists everything wrong in it."""

    code = "catalogue_rejected"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"Tệp có {len(problems)} lỗi; không có thay đổi nào được ghi.")
        self.problems = problems


@dataclass
class _Reader:
    """Walks one raw record, collecting problems instead of stopping at the first."""

    label: str
    problems: list[Problem] = field(default_factory=list)
    path: list[str] = field(default_factory=list)

    def fail(self, message: str, key: str = "") -> None:
        where = ".".join([*self.path, key] if key else self.path).replace(".[", "[") or "(bản ghi)"
        self.problems.append(Problem(self.label, where, message))

    @contextmanager
    def at(self, key: str) -> Iterator[None]:
        self.path.append(key)
        try:
            yield
        finally:
            self.path.pop()

    def text(self, raw: dict[str, Any], key: str, *, required: bool = False, max_length: int = 0) -> str:
        value = raw.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(f"phải là chuỗi ký tự, không phải {type(value).__name__}.", key)
            return ""
        text: str = value.strip()
        if required and not text:
            self.fail("bắt buộc, không được để trống.", key)
        if max_length and len(text) > max_length:
            self.fail(f"dài quá {max_length} ký tự.", key)
        return text

    def number(self, raw: dict[str, Any], key: str, *, whole: bool = True, minimum: float = 0) -> float:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or (whole and value != int(value)):
            self.fail("phải là số nguyên." if whole else "phải là số.", key)
            return 0
        if value < minimum:
            self.fail(f"không được nhỏ hơn {minimum:g}.", key)
        return value

    def flag(self, raw: dict[str, Any], key: str) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            self.fail("phải là true hoặc false.", key)
            return False
        return value

    def day(self, raw: dict[str, Any], key: str, *, required: bool = False) -> date | None:
        value = self.text(raw, key, required=required)
        if not value:
            return None
        try:
            return datetime.strptime(value, "%d/%m/%Y").date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            self.fail(f"'{value}' không phải ngày hợp lệ dạng dd/mm/yyyy.", key)
            return None

    def items(self, raw: dict[str, Any], key: str, *, required: bool = False) -> list[dict[str, Any]]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.fail("phải là danh sách các đối tượng.", key)
            return []
        if required and not value:
            self.fail("cần ít nhất một mục.", key)
        return value

    def each(self, raw: dict[str, Any], key: str, *, required: bool = False) -> Iterator[dict[str, Any]]:
        for index, item in enumerate(self.items(raw, key, required=required)):
            with self.at(f"{key}[{index}]"):
                yield item

    def coded(self, raw: dict[str, Any], key: str, code_key: str, name_key: str) -> tuple[Coded, ...]:
        return tuple(Coded(self.text(i, code_key), self.text(i, name_key, required=True)) for i in self.each(raw, key))


def parse_record(raw: Any, position: int) -> tuple[ProcedureRecord | None, list[Problem]]:
    """Read one raw record; return it, or None with every problem found."""
    code = raw.get("MATTHC") if isinstance(raw, dict) else None
    reader = _Reader(f"#{position}" + (f" ({code})" if isinstance(code, str) and code else ""))
    if not isinstance(raw, dict):
        reader.fail("mỗi thủ tục phải là một đối tượng JSON.")
        return None, reader.problems
    code = reader.text(raw, "MATTHC", required=True, max_length=MAX_CODE_LENGTH)
    levels = []
    for item in reader.each(raw, "CAPTHUCHIEN", required=True):
        level = int(reader.number(item, "CAPTHUCHIEN"))
        if level not in LEVELS:
            reader.fail("chỉ nhận 0 (bộ), 1 (tỉnh) hoặc 3 (xã); cấp huyện không còn từ 01/07/2025.", "CAPTHUCHIEN")
        levels.append(level)
    cases = _cases(reader, raw)
    limits = _limits(reader, raw, {case.name for case in cases})
    extension = raw.get("MOTCUA")
    if not isinstance(extension, dict):
        reader.fail("thiếu phần mở rộng MOTCUA (hiệu lực, thẩm quyền, quy trình nội bộ).", "MOTCUA")
        extension = {}
    with reader.at("MOTCUA"):
        local = _local(reader, extension)
        steps = _processes(reader, extension, {case.name for case in cases})
    if not (local["publication_number"] or local["publication_date"]):
        local |= _national_decision(reader, raw.get("QUYETDINH"))
    record = ProcedureRecord(
        code=code,
        name=reader.text(raw, "TENTTHC", required=True),
        description=reader.text(raw, "MOTA"),
        keywords=reader.text(raw, "TUKHOA"),
        conditions=reader.text(raw, "YEUCAU"),
        subjects_description=reader.text(raw, "MOTADOITUONGTHUCHIEN"),
        levels=tuple(levels),
        fields=reader.coded(raw, "LINHVUCTHUCHIEN", "MALINHVUC", "TENLINHVUC"),
        subjects=reader.coded(raw, "DOITUONGTHUCHIEN", "MADOITUONG", "TENDOITUONG"),
        results=reader.coded(raw, "KETQUATHUCHIEN", "MAKETQUA", "TENKETQUA"),
        legal_bases=tuple(
            LegalBasis(
                number=reader.text(item, "SOVANBAN", required=True),
                title=reader.text(item, "TENVANBAN", required=True),
                issued_on=reader.day(item, "NGAYBANHANH"),
                effective_on=reader.day(item, "NGAYHIEULUC"),
                issuer=reader.text(item, "COQUANBANHANH"),
            )
            for item in reader.each(raw, "CANCUPHAPLY")
        ),
        implementing_agencies=reader.coded(raw, "COQUANTHUCHIEN", "MADONVI", "TENDONVI"),
        competent_agencies=reader.coded(raw, "COQUANCOTHAMQUYEN", "MADONVI", "TENDONVI"),
        coordinating_agencies=reader.coded(raw, "COQUANPHOIHOP", "MADONVI", "TENDONVI"),
        sequence=tuple(
            (
                reader.text(item, "TRUONGHOP"),
                tuple(reader.text(s, "TENTRINHTU", required=True) for s in reader.each(item, "TRINHTU")),
            )
            for item in reader.each(raw, "TRINHTUTHUCHIEN")
        ),
        cases=tuple(Case(c.name, c.components, steps.get(c.name, ())) for c in cases),
        limits=limits,
        **local,
    )
    if not reader.problems:
        _check_process_sums(reader, record)
    return (None if reader.problems else record), reader.problems


def _cases(reader: _Reader, raw: dict[str, Any]) -> list[Case]:
    cases: list[Case] = []
    for item in reader.each(raw, "THANHPHANHOSO", required=True):
        name = reader.text(item, "TRUONGHOP")
        if name in {case.name for case in cases}:
            reader.fail(f"trường hợp '{name}' bị lặp.", "TRUONGHOP")
        components: list[Component] = []
        for paper in reader.each(item, "GIAYTO", required=True):
            component = Component(
                code=reader.text(paper, "MAGIAYTO", required=True),
                name=reader.text(paper, "TENGIAYTO", required=True),
                originals=int(reader.number(paper, "SOBANCHINH")),
                copies=int(reader.number(paper, "SOBANSAO")),
                template_name=reader.text(paper, "TENMAUDON"),
                template_url=reader.text(paper, "URL"),
                replacing_result_code=reader.text(paper, "MA_KQ_THAYTHE"),
                is_mandatory=reader.flag(paper, "BATBUOC"),
            )
            if component.code in {c.code for c in components}:
                reader.fail(f"mã giấy tờ '{component.code}' bị lặp trong trường hợp.", "MAGIAYTO")
            components.append(component)
        cases.append(Case(name, tuple(components), ()))
    return cases


def _limits(reader: _Reader, raw: dict[str, Any], case_names: set[str]) -> tuple[ChannelLimit, ...]:
    limits: list[ChannelLimit] = []
    for channel_item in reader.each(raw, "CACHTHUCTHUCHIEN", required=True):
        channel = int(reader.number(channel_item, "KENH"))
        if channel not in CHANNELS:
            reader.fail("kênh chỉ nhận 1 (trực tiếp), 2 (trực tuyến), 3 (bưu chính).", "KENH")
        for item in reader.each(channel_item, "THOIGIAN", required=True):
            case = reader.text(item, "TRUONGHOP")
            if case and case not in case_names:
                reader.fail(f"trường hợp '{case}' không có trong THANHPHANHOSO.", "TRUONGHOP")
            unit_name = reader.text(item, "DONVITINH", required=True)
            if unit_name not in UNIT_NAMES:
                reader.fail(f"đơn vị tính chỉ nhận: {', '.join(UNIT_NAMES)}.", "DONVITINH")
                continue
            unit = UNIT_NAMES[unit_name]
            amount = reader.number(item, "THOIGIANGIAIQUYET", whole=unit is not LimitUnit.WORKING_HOURS)
            try:
                limit = TimeLimit(amount if unit is not LimitUnit.SAME_DAY else 0, unit)
            except DomainError as error:
                reader.fail(error.message, "THOIGIANGIAIQUYET")
                continue
            fees = tuple(
                Fee(
                    code=reader.text(fee, "MAPHILEPHI"),
                    amount=int(reader.number(fee, "SOTIEN")),
                    currency=reader.text(fee, "DONVI") or "Đồng",
                    description=reader.text(fee, "MOTA"),
                )
                for fee in reader.each(item, "PHILEPHI")
            )
            if any(entry.channel == channel and entry.case == case for entry in limits):
                reader.fail("thời hạn của kênh và trường hợp này bị khai báo hai lần.", "TRUONGHOP")
            limits.append(ChannelLimit(channel, case, limit, reader.text(item, "MOTA"), fees))
    return tuple(limits)


def _local(reader: _Reader, extension: dict[str, Any]) -> dict[str, Any]:
    publication = extension.get("QUYETDINHCONGBO") or {}
    if not isinstance(publication, dict):
        reader.fail("phải là đối tượng {SO, NGAY}.", "QUYETDINHCONGBO")
        publication = {}
    with reader.at("QUYETDINHCONGBO"):
        publication_number = reader.text(publication, "SO", max_length=60)
        publication_date = reader.day(publication, "NGAY")
    online_level = reader.text(extension, "MUCDO")
    if online_level not in ONLINE_LEVELS:
        reader.fail("chỉ nhận 'toan_trinh', 'mot_phan' hoặc để trống.", "MUCDO")
    competence = extension.get("THAMQUYEN")
    if not isinstance(competence, dict) or len([k for k in ("MADONVI", "LOAIDONVI") if competence.get(k)]) != 1:
        reader.fail("cần đúng một trong MADONVI (mã đơn vị) hoặc LOAIDONVI (loại đơn vị có thẩm quyền).", "THAMQUYEN")
        competence = {}
    with reader.at("THAMQUYEN"):
        unit_code, unit_type = reader.text(competence, "MADONVI"), reader.text(competence, "LOAIDONVI")
    return {
        "publication_number": publication_number,
        "publication_date": publication_date,
        "effective_from": reader.day(extension, "HIEULUCTU", required=True) or date.min,
        "online_level": online_level,
        "is_cross_boundary": reader.flag(extension, "PHIDIAGIOI"),
        "competent_unit_code": unit_code,
        "competent_unit_type": unit_type,
    }


# The national record's own QUYETDINH [R: its shape is not in our sources]: {SO, NGAY} as MOTCUA's, or a text such as
# "Quyết định số 1872/QĐ-BTP ngày 30/06/2025", read for its number and its date.
_DECISION_NUMBER = re.compile(r"\d+[\w./-]*/Q[ĐD][\w./-]*", re.IGNORECASE)
_DECISION_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def _national_decision(reader: _Reader, decision: Any) -> dict[str, Any]:
    """Read the publishing decision from the national record's QUYETDINH, when the MOTCUA extension has none."""
    if isinstance(decision, dict):
        with reader.at("QUYETDINH"):
            said = reader.text(decision, "SO", max_length=60)
            return {"publication_number": said, "publication_date": reader.day(decision, "NGAY")}
    if not isinstance(decision, str) or not decision.strip():
        return {}
    number = _DECISION_NUMBER.search(decision)
    day = _DECISION_DATE.search(decision[number.end() :] if number else decision)
    try:
        on = date(int(day.group(3)), int(day.group(2)), int(day.group(1))) if day else None
    except ValueError:
        reader.fail(f"ngày {day.group(0) if day else ''} không có thật.", "QUYETDINH")
        on = None
    return {"publication_number": number.group(0)[:60] if number else "", "publication_date": on}


def _processes(reader: _Reader, extension: dict[str, Any], case_names: set[str]) -> dict[str, tuple[Step, ...]]:
    processes: dict[str, tuple[Step, ...]] = {}
    for item in reader.each(extension, "QUYTRINH", required=True):
        case = reader.text(item, "TRUONGHOP")
        if case not in case_names:
            reader.fail(f"trường hợp '{case}' không có trong THANHPHANHOSO.", "TRUONGHOP")
        steps = []
        for raw_step in reader.each(item, "BUOC", required=True):
            step = Step(
                name=reader.text(raw_step, "TENBUOC", required=True),
                unit=reader.text(raw_step, "DONVI", required=True),
                position=reader.text(raw_step, "CHUCVU", required=True),
                hours=reader.number(raw_step, "SOGIO", whole=False),
            )
            if step.position and step.position not in POSITIONS:
                reader.fail(f"chức vụ '{step.position}' không có trong danh mục chức vụ.", "CHUCVU")
            if step.hours <= 0:
                reader.fail("số giờ của bước phải lớn hơn 0.", "SOGIO")
            steps.append(step)
        processes[case] = tuple(steps)
    for missing in sorted(case_names - set(processes)):
        reader.fail(f"trường hợp '{missing}' chưa có quy trình nội bộ.", "QUYTRINH")
    return processes


def legal_hours(limit: TimeLimit) -> float:
    """Return the working hours a limit allows its internal steps (8 working hours = 1 working day)."""
    match limit.unit:
        case LimitUnit.WORKING_DAYS | LimitUnit.CALENDAR_DAYS:
            return limit.amount * 8
        case LimitUnit.WORKING_HOURS:
            return limit.amount
        case LimitUnit.SAME_DAY:
            return 8
    raise AssertionError(limit.unit)


def _check_process_sums(reader: _Reader, record: ProcedureRecord) -> None:
    # The approved internal process divides the legal limit among the steps (ND 61/2018 art. 23, carried over;
    # ND 118/2025 article not confirmed): working-day and hour limits are used exactly; calendar-day limits bound
    # the sum from above.
    for index, case in enumerate(record.cases):
        entry = record.limit_for(case.name, 1) or next((e for e in record.limits if e.case in (case.name, "")), None)
        if entry is None:
            reader.fail(f"trường hợp '{case.name}' chưa có thời hạn giải quyết.", "CACHTHUCTHUCHIEN")
            continue
        allowed, total = legal_hours(entry.limit), sum(step.hours for step in case.steps)
        exact = entry.limit.unit is not LimitUnit.CALENDAR_DAYS
        if (exact and abs(total - allowed) > 1e-9) or total > allowed + 1e-9:
            relation = "bằng" if exact else "không quá"
            reader.fail(
                f"tổng số giờ các bước là {total:g} giờ, phải {relation} thời hạn {entry.limit} = {allowed:g} giờ "
                f"làm việc (trường hợp '{case.name or 'chung'}').",
                f"MOTCUA.QUYTRINH[{index}].BUOC",
            )


def parse_records(raws: Any) -> tuple[list[ProcedureRecord], list[Problem]]:
    """Read a whole file's records; duplicate codes are problems too."""
    numbered, problems = parse_numbered(raws)
    return [record for _position, record in numbered], problems


def parse_numbered(raws: Any) -> tuple[list[tuple[int, ProcedureRecord]], list[Problem]]:
    """Read a whole file's records with their positions in the file (from 1), for messages about them."""
    if isinstance(raws, dict) and "procedures" in raws:
        raws = raws["procedures"]
    if not isinstance(raws, list):
        return [], [Problem("(tệp)", "procedures", "tệp phải chứa danh sách thủ tục.")]
    records: list[tuple[int, ProcedureRecord]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for position, raw in enumerate(raws, start=1):
        record, found = parse_record(raw, position)
        problems += found
        code = raw.get("MATTHC") if isinstance(raw, dict) else None
        if isinstance(code, str) and code.strip():
            if code.strip() in seen:
                problems.append(Problem(f"#{position} ({code.strip()})", "MATTHC", "mã thủ tục bị lặp trong tệp."))
            seen.add(code.strip())
        if record is not None:
            records.append((position, record))
    return records, problems


def _day_text(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _amount(value: float) -> int | float:
    return int(value) if value == int(value) else value


def to_record(record: ProcedureRecord) -> dict[str, Any]:
    """Write a record back in the national format (the exact inverse of parse_record)."""
    unit_names = {unit: name for name, unit in UNIT_NAMES.items()}
    return {
        "MATTHC": record.code,
        "TENTTHC": record.name,
        "MOTA": record.description,
        "TUKHOA": record.keywords,
        "YEUCAU": record.conditions,
        "MOTADOITUONGTHUCHIEN": record.subjects_description,
        "CAPTHUCHIEN": [{"CAPTHUCHIEN": level, "TENCAP": LEVELS[level]} for level in record.levels],
        "LINHVUCTHUCHIEN": [{"MALINHVUC": f.code, "TENLINHVUC": f.name} for f in record.fields],
        "DOITUONGTHUCHIEN": [{"MADOITUONG": s.code, "TENDOITUONG": s.name} for s in record.subjects],
        "KETQUATHUCHIEN": [{"MAKETQUA": r.code, "TENKETQUA": r.name} for r in record.results],
        "CANCUPHAPLY": [
            {
                "SOVANBAN": b.number,
                "TENVANBAN": b.title,
                "NGAYBANHANH": _day_text(b.issued_on),
                "NGAYHIEULUC": _day_text(b.effective_on),
                "COQUANBANHANH": b.issuer,
            }
            for b in record.legal_bases
        ],
        "COQUANTHUCHIEN": [{"MADONVI": a.code, "TENDONVI": a.name} for a in record.implementing_agencies],
        "COQUANCOTHAMQUYEN": [{"MADONVI": a.code, "TENDONVI": a.name} for a in record.competent_agencies],
        "COQUANPHOIHOP": [{"MADONVI": a.code, "TENDONVI": a.name} for a in record.coordinating_agencies],
        "TRINHTUTHUCHIEN": [
            {"TRUONGHOP": case, "TRINHTU": [{"TENTRINHTU": step} for step in steps]} for case, steps in record.sequence
        ],
        "THANHPHANHOSO": [
            {
                "TRUONGHOP": case.name,
                "GIAYTO": [
                    {
                        "MAGIAYTO": c.code,
                        "TENGIAYTO": c.name,
                        "SOBANCHINH": c.originals,
                        "SOBANSAO": c.copies,
                        "TENMAUDON": c.template_name,
                        "URL": c.template_url,
                        "MA_KQ_THAYTHE": c.replacing_result_code,
                        "BATBUOC": c.is_mandatory,
                    }
                    for c in case.components
                ],
            }
            for case in record.cases
        ],
        "CACHTHUCTHUCHIEN": [
            {
                "KENH": channel,
                "THOIGIAN": [
                    {
                        "TRUONGHOP": e.case,
                        "THOIGIANGIAIQUYET": _amount(e.limit.amount),
                        "DONVITINH": unit_names[e.limit.unit],
                        "MOTA": e.description,
                        "PHILEPHI": [
                            {"MAPHILEPHI": f.code, "SOTIEN": f.amount, "DONVI": f.currency, "MOTA": f.description}
                            for f in e.fees
                        ],
                    }
                    for e in record.limits
                    if e.channel == channel
                ],
            }
            for channel in dict.fromkeys(e.channel for e in record.limits)
        ],
        "MOTCUA": {
            "QUYETDINHCONGBO": {"SO": record.publication_number, "NGAY": _day_text(record.publication_date)},
            "HIEULUCTU": _day_text(record.effective_from),
            "MUCDO": record.online_level,
            "PHIDIAGIOI": record.is_cross_boundary,
            "THAMQUYEN": (
                {"MADONVI": record.competent_unit_code}
                if record.competent_unit_code
                else {"LOAIDONVI": record.competent_unit_type}
            ),
            "QUYTRINH": [
                {
                    "TRUONGHOP": case.name,
                    "BUOC": [
                        {"TENBUOC": s.name, "DONVI": s.unit, "CHUCVU": s.position, "SOGIO": _amount(s.hours)}
                        for s in case.steps
                    ],
                }
                for case in record.cases
            ],
        },
    }
