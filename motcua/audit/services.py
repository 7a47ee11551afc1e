"""Append to the audit chain, check it, and keep its daily digest."""

from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.http import HttpRequest

from motcua.core import clock
from motcua.core.clientip import client_ip
from motcua.core.errors import DomainError

from .chain import GENESIS, row_hash
from .models import AuditDigest, AuditRecord, Kind

# One key for the whole chain: appends from every process and server take turns on it (PostgreSQL advisory lock).
CHAIN_LOCK_KEY = 0x6D6F_7463_7561_0A17
# The address of the request being served, for rows written by domain code that never sees the request.
request_address: ContextVar[str] = ContextVar("audit_request_address", default="")


def record(
    kind: Kind,
    *,
    actor: Any = None,
    object_type: str = "",
    object_id: Any = "",
    client_address: str = "",
    details: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one row to the chain, in the caller's transaction if there is one."""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        last = _take_chain_turn()
        sequence, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
        row = AuditRecord(
            sequence=sequence,
            at=clock.now(),
            kind=kind,
            actor_id=actor.pk if is_person else None,
            actor=_text(actor.get_username(), 150) if is_person else "",
            object_type=_text(object_type, 64),
            object_id=_text(str(object_id), 64),
            client_address=_text(client_address or request_address.get(), 64),
            details=_clean(details or {}),
            previous_hash=previous,
        )
        row.hash = row_hash(row.chained_fields(), previous)
        row.save()
        return row


def record_request(request: HttpRequest, kind: Kind, **fields: Any) -> AuditRecord:
    """Append a row for what this request's user did, from the client address the project trusts."""
    return record(kind, actor=getattr(request, "user", None), client_address=client_ip(request), **fields)


def _take_chain_turn() -> tuple[int, str] | None:
    """Hold the chain until the transaction ends, so that no two rows chain to one predecessor; return its head."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        # SQLite: transactions start IMMEDIATE (settings), which already gives one writer at a time.
        # LIMIT as a literal: a prepared statement's generic plan for a bound LIMIT may scan and sort the table.
        table = AuditRecord._meta.db_table
        cursor.execute(f"SELECT sequence, hash FROM {table} ORDER BY sequence DESC LIMIT 1")  # noqa: S608
        head = cursor.fetchone()
    return (int(head[0]), str(head[1])) if head is not None else None


def _text(value: str, limit: int) -> str:
    # PostgreSQL refuses NUL in text and JSON; the row must still be written for a hostile input.
    return value.replace("\x00", "\ufffd")[:limit]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _text(value, 1000)
    if isinstance(value, dict):
        return {_text(str(k), 100): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, bool | int):
        return value
    return _text(str(value), 1000)  # floats and others as text: jsonb would not keep their spelling


@dataclass(frozen=True)
class Verification:
    rows: int
    problems: list[str]

    @property
    def is_intact(self) -> bool:
        return not self.problems


def verify_chain(*, chunk: int = 5_000) -> Verification:
    """Walk the chain and name every row that was edited, removed or moved, and every digest it contradicts."""
    problems: list[str] = []
    expected, previous_hash, rows = 1, GENESIS, 0
    hashes_at: dict[int, str] = {}
    digest_ends = set(AuditDigest.objects.exclude(last_sequence=None).values_list("last_sequence", flat=True))
    for row in _rows(chunk):
        rows += 1
        if row.sequence > expected:
            gap = f"#{expected}" if row.sequence == expected + 1 else f"#{expected}–#{row.sequence - 1}"
            problems.append(f"Thiếu bản ghi {gap}: đã bị xóa.")
        elif row.sequence < expected:  # cannot happen with a primary key, unless the table was rebuilt
            problems.append(f"Bản ghi #{row.sequence} lặp lại hoặc sai thứ tự.")
        if row_hash(row.chained_fields(), row.previous_hash) != row.hash:
            problems.append(f"Bản ghi #{row.sequence} đã bị sửa: mã băm không khớp nội dung.")
        elif row.previous_hash != previous_hash and row.sequence == expected:
            problems.append(
                f"Bản ghi #{row.sequence} không nối tiếp bản ghi #{row.sequence - 1}: "
                "thứ tự đã bị đổi, hoặc bản ghi trước đã bị thay."
            )
        if row.sequence in digest_ends:
            hashes_at[row.sequence] = row.hash
        expected, previous_hash = row.sequence + 1, row.hash
    problems.extend(_digest_problems(hashes_at))
    return Verification(rows=rows, problems=problems)


def _rows(chunk: int) -> Iterator[AuditRecord]:
    # Keyset pages: a long chain is read in bounded memory and without one long-running cursor.
    after = 0
    while True:
        page = list(AuditRecord.objects.filter(sequence__gt=after).order_by("sequence")[:chunk])
        yield from page
        if len(page) < chunk:
            return
        after = page[-1].sequence


def _digest_problems(hashes_at: dict[int, str]) -> Iterator[str]:
    for digest in AuditDigest.objects.order_by("day"):
        day = digest.day.strftime("%d/%m/%Y")
        if digest.last_sequence is not None and hashes_at.get(digest.last_sequence) != digest.head_hash:
            yield f"Bản ghi #{digest.last_sequence} khác bản tóm lược ngày {day}: chuỗi đã bị viết lại."
        counted = AuditRecord.objects.filter(at__gte=_start(digest.day), at__lt=_start(digest.day + timedelta(1)))
        if (rows := counted.count()) != digest.rows:
            yield f"Ngày {day} có {rows} bản ghi, bản tóm lược ghi {digest.rows}."


def make_digest(day: date) -> tuple[AuditDigest, bool]:
    """Keep the chain's head at the end of a finished day; return it and whether it was made now."""
    if day >= clock.today():
        raise DomainError(f"Ngày {day.strftime('%d/%m/%Y')} chưa kết thúc: chưa lập được bản tóm lược.", field="day")
    with transaction.atomic():
        _take_chain_turn()  # the head must not move while it is read
        if (kept := AuditDigest.objects.filter(day=day).first()) is not None:
            return kept, False
        end = _start(day + timedelta(1))
        during = AuditRecord.objects.filter(at__gte=_start(day), at__lt=end).aggregate(
            rows=Count("sequence"), first=Min("sequence")
        )
        last = AuditRecord.objects.filter(at__lt=end).aggregate(last=Max("sequence"))["last"]
        head = AuditRecord.objects.get(sequence=last).hash if last is not None else GENESIS
        digest = AuditDigest(
            day=day,
            first_sequence=during["first"],
            last_sequence=last,
            rows=during["rows"],
            head_hash=head,
            made_at=clock.now(),
        )
        digest.save()
        return digest, True


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.VIETNAM)
