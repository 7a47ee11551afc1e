"""The question bank's writes: draft, review by another official, approve, retire, new versions, Excel import."""

import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max

from motcua.core import clock
from motcua.core.errors import DomainError, NotPermittedError
from motcua.organizations.models import User

from . import rules
from .lifecycle import ITEM_TRANSITIONS, NEEDS_REASON, Difficulty, Domain, ItemAction, ItemStatus, ItemType
from .models import Item, ItemEvent, ItemVersion

MAX_TEXT = 5000
MAX_OPTIONS = 8
IMPORT_COLUMNS = ["ma", "linh_vuc", "do_kho", "loai", "cau_hoi", "phuong_an", "dap_an", "can_cu", "hieu_luc_tu"]


def _text(data: Mapping[str, Any], field: str, what: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = data.get(field, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError(f"{what} phải là chuỗi ký tự.", field=field)
    value = value.strip()
    if "\x00" in value:
        raise DomainError(f"{what} chứa ký tự không hợp lệ.", field=field)
    if required and not value:
        raise DomainError(f"Cần nhập {what.lower()}.", field=field)
    if len(value) > limit:
        raise DomainError(f"{what} dài quá {limit} ký tự.", field=field)
    return value


def _choice(data: Mapping[str, Any], field: str, allowed: type[Domain | Difficulty | ItemType], what: str) -> str:
    value = data.get(field)
    if not isinstance(value, str) or value not in {member.value for member in allowed}:
        raise DomainError(f"{what} không hợp lệ.", field=field)
    return value


def _date(data: Mapping[str, Any], field: str, what: str) -> date | None:
    value = data.get(field)
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise DomainError(f"{what} không phải ngày hợp lệ (yyyy-mm-dd).", field=field)


def checked_content(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a version's content; raise DomainError in Vietnamese on the first fault."""
    kind = _choice(data, "type", ItemType, "Loại câu hỏi")
    options = data.get("options")
    if not isinstance(options, list) or not 2 <= len(options) <= MAX_OPTIONS:
        raise DomainError(f"Cần từ 2 đến {MAX_OPTIONS} phương án.", field="options")
    clean_options = []
    for index, option in enumerate(options):
        if not isinstance(option, dict):
            raise DomainError("Mỗi phương án gồm mã (id) và nội dung (text).", field="options")
        clean_options.append(
            {"id": _text(option, "id", "Mã phương án", limit=8), "text": _text(option, "text", "Nội dung phương án")}
        )
        if index and clean_options[-1]["id"] in {o["id"] for o in clean_options[:-1]}:
            raise DomainError("Mã phương án bị trùng.", field="options")
    key = data.get("key")
    ids = {option["id"] for option in clean_options}
    if not isinstance(key, list) or not key or not all(isinstance(k, str) and k in ids for k in key):
        raise DomainError("Đáp án phải là danh sách mã phương án của câu hỏi.", field="key")
    if kind != ItemType.MULTIPLE and len(key) != 1:
        raise DomainError("Câu hỏi một đáp án hoặc đúng/sai chỉ có đúng một đáp án.", field="key")
    if kind == ItemType.TRUE_FALSE and len(clean_options) != 2:
        raise DomainError("Câu hỏi đúng/sai có đúng hai phương án.", field="options")
    titles = data.get("job_titles", [])
    if not isinstance(titles, list) or not all(isinstance(t, str) and len(t) <= 40 for t in titles):
        raise DomainError("Vị trí áp dụng phải là danh sách mã vị trí việc làm.", field="job_titles")
    effective_from = _date(data, "source_effective_from", "Ngày hiệu lực của căn cứ")
    effective_to = _date(data, "source_effective_to", "Ngày hết hiệu lực của căn cứ")
    if effective_from and effective_to and effective_to < effective_from:
        raise DomainError("Ngày hết hiệu lực phải sau ngày hiệu lực.", field="source_effective_to")
    return {
        "domain": _choice(data, "domain", Domain, "Lĩnh vực"),
        "difficulty": _choice(data, "difficulty", Difficulty, "Độ khó"),
        "type": kind,
        "job_titles": sorted(set(titles)),
        "stem": _text(data, "stem", "Nội dung câu hỏi"),
        "options": clean_options,
        "key": sorted(set(key)),
        "legal_source": _text(data, "legal_source", "Căn cứ pháp lý", required=False, limit=300),
        "source_effective_from": effective_from,
        "source_effective_to": effective_to,
        "procedure_code": _text(data, "procedure_code", "Mã thủ tục", required=False, limit=64),
    }


def _require_organiser(user: User) -> None:
    if not rules.is_organiser(user):
        raise NotPermittedError(rules.NOT_ORGANISER)


@transaction.atomic
def create_item(data: Mapping[str, Any], *, by: User, code: str = "") -> ItemVersion:
    """Draft a new question (version 1)."""
    _require_organiser(by)
    content = checked_content(data)
    now = clock.now()
    code = code or f"CH-{now:%Y%m%d%H%M%S%f}"
    if Item.objects.filter(code=code).exists():
        raise DomainError(f"Mã câu hỏi {code} đã có.", field="code")
    item = Item.objects.create(code=code, created_at=now)
    return ItemVersion.objects.create(item=item, number=1, author=by, created_at=now, **content)


@transaction.atomic
def new_version(version: ItemVersion, data: Mapping[str, Any], *, by: User) -> ItemVersion:
    """Edit a question: a draft in place by its author; an approved one only as a new draft version."""
    _require_organiser(by)
    content = checked_content(data)
    if version.status == ItemStatus.DRAFT and version.author_id == by.pk:
        ItemVersion.objects.filter(pk=version.pk, status=ItemStatus.DRAFT).update(**content)
        version.refresh_from_db()
        return version
    Item.objects.select_for_update().get(pk=version.item_id)
    number = (version.item.versions.aggregate(Max("number"))["number__max"] or 0) + 1
    return ItemVersion.objects.create(
        item_id=version.item_id, number=number, author=by, created_at=clock.now(), **content
    )


@transaction.atomic
def act_on_item(version: ItemVersion, action: ItemAction, *, by: User, reason: str = "") -> ItemVersion:
    """Move a version along draft → review → approved → retired; the reviewer is never the author."""
    locked = ItemVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
    refusal = rules.refusal_of(locked, action, by)
    if refusal:
        raise (NotPermittedError if refusal != rules.WRONG_STATUS else DomainError)(refusal)
    reason = _text({"reason": reason}, "reason", "Lý do", required=action in NEEDS_REASON, limit=2000)
    target = ITEM_TRANSITIONS[(ItemStatus(locked.status), action)]
    changes: dict[str, Any] = {"status": target}
    now = clock.now()
    if action == ItemAction.APPROVE:
        changes |= {"reviewer": by, "approved_at": now}
    ItemVersion.objects.filter(pk=locked.pk).update(**changes)
    ItemEvent.objects.create(version=locked, action=action, actor=by, reason=reason, at=now)
    locked.refresh_from_db()
    return locked


def draft_from_catalogue(procedure_code: str, *, by: User) -> ItemVersion:
    """Draft a multiple-choice question "which papers does this procedure need?" from its current version.

    The right options are the components the catalogue lists (ND 63/2010 art. 8); the wrong ones are papers of
    other procedures. It is only a draft: a reviewer still checks it.
    """
    from motcua.catalogue.models import Component, ProcedureVersion

    _require_organiser(by)
    version = (
        ProcedureVersion.objects.filter(procedure__code=procedure_code).order_by("-effective_from").first()
        if procedure_code
        else None
    )
    if version is None:
        raise DomainError("Không tìm thấy thủ tục trong danh mục.", field="procedure_code")
    needed = list(Component.objects.filter(case__version=version).values_list("name", flat=True).distinct()[:4])
    if not needed:
        raise DomainError("Thủ tục chưa có thành phần hồ sơ để soạn câu hỏi.", field="procedure_code")
    others = (
        Component.objects.exclude(case__version__procedure=version.procedure)
        .exclude(name__in=needed)
        .values_list("name", flat=True)
        .distinct()[:2]
    )
    names = [*needed, *others]
    options = [{"id": chr(ord("a") + index), "text": str(name)[:MAX_TEXT]} for index, name in enumerate(names)]
    if len(options) < 2:
        raise DomainError("Danh mục chưa đủ giấy tờ để soạn phương án nhiễu.", field="procedure_code")
    data = {
        "domain": Domain.DUTIES, "difficulty": Difficulty.MEDIUM, "type": ItemType.MULTIPLE,
        "stem": f"Hồ sơ của thủ tục “{version.name}” gồm những giấy tờ nào?",
        "options": options, "key": [o["id"] for o in options[: len(needed)]],
        "legal_source": f"Thủ tục {procedure_code} (danh mục thủ tục hành chính)",
        "source_effective_from": version.effective_from, "procedure_code": procedure_code,
    }  # fmt: skip
    return create_item(data, by=by)


def rows_of_workbook(content: bytes) -> list[dict[str, Any]]:
    """Read the import sheet: a header row of IMPORT_COLUMNS, then one question a row."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception:  # any unreadable file is the user's: say so in Vietnamese
        raise DomainError("Tệp không phải bảng tính Excel (.xlsx) đọc được.", field="file") from None
    rows = list(sheet.iter_rows(values_only=True))
    if not rows or [str(c or "").strip() for c in rows[0][: len(IMPORT_COLUMNS)]] != IMPORT_COLUMNS:
        raise DomainError("Dòng tiêu đề phải là: " + ", ".join(IMPORT_COLUMNS) + ".", field="file")
    return [dict(zip(IMPORT_COLUMNS, row, strict=False)) for row in rows[1:] if any(c not in (None, "") for c in row)]


class ImportError_(DomainError):
    code = "import_rows"

    def __init__(self, errors: list[str]) -> None:
        super().__init__("Không nhập câu hỏi nào vì có dòng lỗi: " + "; ".join(errors[:20]), field="file")
        self.errors = errors


def import_items(rows: Sequence[Mapping[str, Any]], *, by: User) -> list[ItemVersion]:
    """Import drafts from rows: all or nothing; every faulty row is named with its fault (row 2 = first data row)."""
    _require_organiser(by)
    prepared = []
    errors = []
    for number, row in enumerate(rows, start=2):
        options = [
            {"id": chr(ord("a") + i), "text": text.strip()}
            for i, text in enumerate(str(row.get("phuong_an") or "").split("|"))
            if text.strip()
        ]
        data = {
            "domain": row.get("linh_vuc"), "difficulty": row.get("do_kho"), "type": row.get("loai"),
            "stem": str(row.get("cau_hoi") or ""), "options": options,
            "key": [k.strip() for k in str(row.get("dap_an") or "").split(",") if k.strip()],
            "legal_source": str(row.get("can_cu") or ""), "source_effective_from": row.get("hieu_luc_tu"),
        }  # fmt: skip
        if hasattr(data["source_effective_from"], "date"):
            data["source_effective_from"] = data["source_effective_from"].date()  # type: ignore[union-attr]
        try:
            prepared.append((str(row.get("ma") or ""), checked_content(data)))
        except DomainError as error:
            errors.append(f"dòng {number}: {error.message}")
    if errors:
        raise ImportError_(errors)
    with transaction.atomic():
        return [create_item(content, by=by, code=code) for code, content in prepared]
