"""The officers' work list: open dossiers paged from the unit indexes, tabs counted cheaply, search, filters."""

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Q

from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.core.text import fold
from motcua.organizations.models import User

from .lifecycle import OPEN, Status
from .models import Dossier
from .processing import Alert
from .selectors import maybe_aware, scope_sides


@dataclass(frozen=True)
class QueueRow:
    """One line of an officer's work list: only what the page shows."""

    code: str
    status: Status
    due_at: datetime | None
    applicant_name: str
    procedure: str
    competent_unit_id: int


@dataclass(frozen=True)
class QueuePage:
    number: int
    rows: list[QueueRow]
    has_next: bool


def queue_page(
    user: User,
    *,
    statuses: Collection[int] | None,
    number: int,
    size: int = 25,
    only: "QueueFilter | None" = None,
    waiting_first: bool = False,
) -> QueuePage:
    """Return one page of the dossiers a person may see, nearest deadline first, without counting them all.

    Each side is read from its own (unit, due_at) index of open dossiers, limited to the rows up to this page, and
    the two short lists are merged by the outer query: with a million dossiers, one scan of "received here OR decided
    here" sorted the unit's whole backlog on every page. One statement, because building the ORM's queries took
    longer than the database took to answer them. With waiting_first, online dossiers not yet accepted (status 1)
    come first: each side reads them and the others as two short lists, so the indexes still give the order. Every
    status is read status by status from the (unit, status, due_at) indexes, not by sorting a unit's whole history.
    """
    return _queue_page(scope_sides(user), statuses, number, size, only, waiting_first)


# Officers' work list: search, filters and capped counts, in the same one-statement style as queue_page.
# Vietnamese vowels with their tones, and đ, in the order of _PLAIN: a name is searched without its diacritics.
_ACCENTED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_PLAIN = "a" * 17 + "e" * 11 + "i" * 5 + "o" * 17 + "u" * 11 + "y" * 5 + "d"
_CODE = re.compile(r"[0-9A-Z.]+-\d{6}-\d{4}")
_CODE_PART = re.compile(r"(?=.*\d)[0-9A-Z.-]+")
_WORD = re.compile(r"[0-9a-z]+")


@dataclass(frozen=True)
class QueueFilter:
    """What narrows an officer's list beyond statuses: a search, a procedure, received dates, deadline bounds."""

    code: str = ""  # a whole dossier code, upper-case
    code_part: str = ""  # a piece of a code, e.g. "260213-0001"
    number: str = ""  # a citizen ID or a phone number
    words: tuple[str, ...] = ()  # beginnings of words of the applicant's name, folded
    procedure: str = ""  # a procedure code
    received_from: datetime | None = None
    received_before: datetime | None = None
    due_from: datetime | None = None
    due_before: datetime | None = None
    near_due: bool = False  # flagged near-due or D-1 by the deadline watch (give due_before too: it bounds the read)

    @classmethod
    def searching(cls, text: str, **others: Any) -> "QueueFilter":
        """Read a search box: a dossier code in any case, a citizen ID or phone number, or words of a name."""
        text = text.strip()
        upper = text.upper()
        if _CODE.fullmatch(upper):
            return cls(code=upper, **others)
        if text.isdigit() and len(text) in {9, 10, 12}:  # an old ID card, a phone, a citizen ID
            return cls(number=text, **others)
        if _CODE_PART.fullmatch(upper):
            return cls(code_part=upper, **others)
        return cls(words=tuple(_WORD.findall(fold(text))), **others)


def queue_filter_sql(found: QueueFilter) -> tuple[str, list[Any]]:
    """Return the filter as " AND …" conditions on dossiers_dossier and their parameters, values never in the text."""
    parts: list[str] = []
    params: list[Any] = []
    adapt = connection.ops.adapt_datetimefield_value
    if found.code:
        parts.append("code = %s")
        params.append(found.code)
    if found.code_part:
        parts.append("code LIKE %s")
        params.append(f"%{found.code_part}%")  # only digits, letters, dots and hyphens: no wildcard of the user's
    if found.number:
        parts.append("(applicant_citizen_id = %s OR applicant_phone = %s)")
        params += [found.number, found.number]
    for word in found.words:
        parts.append(_name_starts(word))
        params.append(_name_pattern(word))
    if found.procedure:
        versions, procedures = ProcedureVersion._meta.db_table, Procedure._meta.db_table
        parts.append(
            f"version_id IN (SELECT v.id FROM {versions} v JOIN {procedures} p ON p.id = v.procedure_id "  # noqa: S608
            "WHERE p.code = %s)"
        )
        params.append(found.procedure)
    for column, bound, operator in (
        ("COALESCE(received_at, submitted_at)", found.received_from, ">="),
        ("COALESCE(received_at, submitted_at)", found.received_before, "<"),
        ("due_at", found.due_from, ">="),
        ("due_at", found.due_before, "<"),
    ):
        if bound is not None:
            parts.append(f"{column} {operator} %s")
            params.append(adapt(bound))
    if found.near_due:
        parts.append(f"alert_level IN ({Alert.NEAR_DUE:d}, {Alert.APOLOGY_DUE:d})")
    return "".join(f" AND {part}" for part in parts), params


def _name_starts(word: str) -> str:
    """Return the condition that a word of the applicant's name starts with a folded word (one parameter)."""
    if connection.vendor == "postgresql":
        # A regular expression with every accented form of each letter: folding each row with translate() took
        # ten times longer than the table read under it.
        return "applicant_name ~ %s"
    # SQLite: Python's own fold, given to the connection (it has no translate(), and nested replace() overflow it).
    connection.ensure_connection()
    connection.connection.create_function("motcua_fold", 1, fold, deterministic=True)
    return "(' ' || motcua_fold(applicant_name)) LIKE %s"


def _name_pattern(word: str) -> str:
    if connection.vendor != "postgresql":
        return f"% {word}%"  # at the beginning of a word: "an" finds "Nguyễn Văn An" and "Anh", not "Toàn"
    forms = {letter: letter + letter.upper() for letter in set(_PLAIN) | set(word)}
    for accented, plain in zip(_ACCENTED, _PLAIN, strict=True):
        forms[plain] += accented + accented.upper()
    # After each letter, the combining marks of a name typed with a decomposing keyboard.
    return "(^|\\s)" + "".join(f"[{forms[letter]}][\u0300-\u036f]*" for letter in word)


@dataclass(frozen=True)
class Tab:
    """A tab of the work list: its statuses and filter; counted tabs show how many open dossiers are in them."""

    slug: str
    label: str
    statuses: frozenset[int] | None
    only: QueueFilter = QueueFilter()
    counted: bool = True
    total_of: tuple[str, ...] = ()  # tabs whose statuses split this one's, added up rather than counted again


@dataclass(frozen=True)
class WorkList:
    page: QueuePage
    counts: dict[str, int]  # per counted tab, cap + 1 meaning "more than cap"
    procedures: list[tuple[str, str]]  # (code, name) for the procedure filter


def work_list_for(
    user: User, *, tab: Tab, tabs: Collection[Tab], only: QueueFilter, number: int, cap: int = 1000
) -> WorkList:
    """Return a tab's page, waiting-for-acceptance first, with every tab's capped count and the units' procedures."""
    sides = scope_sides(user)  # once: each read below is scoped by it
    page = _queue_page(sides, tab.statuses, number, 25, only, True)
    return WorkList(page, _queue_counts(sides, tabs, cap), _procedures_seen(sides))


def _queue_counts(sides: list[tuple[str, list[int]]] | None, tabs: Collection[Tab], cap: int) -> dict[str, int]:
    """Count each tab in one statement: each side from its (unit, status, due_at) index, at most cap + 1 entries.

    Most units hold one side only (a service centre receives, a committee decides), and a statement's planning
    grows with its subqueries: a first probe leaves out a side without open dossiers. Where both sides hold some,
    the dossiers received and decided in the person's units are subtracted, read only when neither side passed the
    cap: excluding them from one side instead made every count read the table rows.
    """
    if sides is None:
        conditions: list[tuple[str, list[int]]] = [("1 = 1", [])]
    else:
        conditions = [(f"{key}_id IN ({', '.join(['%s'] * len(ids))})", ids) for key, ids in sides if ids]
    counted = [tab for tab in tabs if tab.counted and tab.statuses and not tab.total_of]
    if len(conditions) == 2:
        conditions = _holding(conditions)
    counts = dict.fromkeys((tab.slug for tab in counted), 0)
    if conditions and counted:
        counts = dict(zip(counts, _count_tabs(conditions, counted, cap), strict=True))
    for tab in tabs:
        if tab.counted and tab.total_of:
            counts[tab.slug] = min(sum(counts[part] for part in tab.total_of), cap + 1)
    return counts


def _holding(conditions: list[tuple[str, list[int]]]) -> list[tuple[str, list[int]]]:
    """Keep the sides that hold open dossiers (two index probes)."""
    wanted = f" AND status IN ({','.join(str(int(s)) for s in sorted(OPEN))})"
    probes = [f"EXISTS (SELECT 1 FROM dossiers_dossier WHERE {where}{wanted})" for where, _ids in conditions]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(probes)}", [unit for _where, ids in conditions for unit in ids])
        held = cursor.fetchone()
    return [condition for condition, holds in zip(conditions, held, strict=True) if holds]


def _count_tabs(conditions: list[tuple[str, list[int]]], tabs: list[Tab], cap: int) -> list[int]:
    columns, params = [], []
    for tab in tabs:
        extra, extra_params = queue_filter_sql(tab.only)
        wanted = f" AND status IN ({','.join(str(int(s)) for s in sorted(tab.statuses or ()))}){extra}"
        if len(conditions) == 1:
            where, ids = conditions[0]
            text, values = _capped_count(where + wanted, [*ids, *extra_params], cap)
        else:
            (first, first_ids), (second, second_ids) = conditions
            a, a_params = _capped_count(first + wanted, [*first_ids, *extra_params], cap)
            b, b_params = _capped_count(second + wanted, [*second_ids, *extra_params], cap)
            both, both_params = _capped_count(
                f"{first} AND {second}{wanted}", [*first_ids, *second_ids, *extra_params], cap
            )
            # OFFSET 0 keeps PostgreSQL from copying each side's count into every place the CASE names it.
            fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
            text = (
                f"(SELECT CASE WHEN x.a > %s OR x.b > %s THEN %s ELSE x.a + x.b - {both} END "  # noqa: S608
                f"FROM (SELECT {a} AS a, {b} AS b{fence}) AS x)"
            )
            values = [cap, cap, cap + 1, *both_params, *a_params, *b_params]
        columns.append(text)
        params += values
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        row = cursor.fetchone()
    return [min(int(value), cap + 1) for value in row]


def _capped_count(where: str, params: list[Any], cap: int) -> tuple[str, list[Any]]:
    text = f"(SELECT count(*) FROM (SELECT 1 FROM dossiers_dossier WHERE {where} LIMIT %s) AS c)"  # noqa: S608
    return text, [*params, cap + 1]


def _procedures_seen(sides: list[tuple[str, list[int]]] | None) -> list[tuple[str, str]]:
    """Return (code, name) of the procedures of the units' open dossiers, kept five minutes per set of units.

    It reads every open dossier of the units, which the list itself never does.
    """
    key = "procedures-seen:" + ("all" if sides is None else ";".join(f"{k}={'.'.join(map(str, i))}" for k, i in sides))
    cached: list[tuple[str, str]] | None = cache.get(key)
    if cached is not None:
        return cached
    dossiers = Dossier.objects.filter(status__in=sorted(OPEN))
    if sides is not None:
        scopes = [Q(**{f"{side}__in": ids}) for side, ids in sides if ids]
        dossiers = dossiers.filter(reduce(or_, scopes)) if scopes else dossiers.none()
    versions = ProcedureVersion.objects.filter(pk__in=dossiers.values("version_id").distinct())
    names: dict[str, str] = {}
    for code, name in versions.order_by("procedure__code", "-number").values_list("procedure__code", "name"):
        names.setdefault(code, name)  # the newest version's name
    found = list(names.items())
    cache.set(key, found, timeout=300)
    return found


def _queue_page(
    sides: list[tuple[str, list[int]]] | None,
    statuses: Collection[int] | None,
    number: int,
    size: int,
    only: QueueFilter | None,
    waiting_first: bool,
) -> QueuePage:
    number = max(number, 1)
    # Statuses are our own integers, written into the text so that the partial indexes' condition is seen to hold.
    waiting_first = waiting_first and (statuses is None or Status.SUBMITTED in statuses)
    if statuses is None:
        groups = [f" AND status = {s:d}" for s in Status] if sides is not None else [""]
    else:
        groups = [f" AND status IN ({','.join(str(int(s)) for s in sorted(statuses))})"]
    others = sorted(set(statuses or ()) - {Status.SUBMITTED})
    if waiting_first and len(groups) == 1 and (statuses is None or others):
        rest = f" AND status IN ({','.join(str(int(s)) for s in others)})" if others else " AND status > 1"
        groups = [f" AND status = {Status.SUBMITTED:d}", rest]
    extra, extra_params = queue_filter_sql(only) if only else ("", [])
    if sides is None:
        conditions: list[tuple[str, list[int]]] = [("1 = 1", [])]
    else:
        conditions = [(f"{key}_id IN ({', '.join(['%s'] * len(ids))})", ids) for key, ids in sides if ids]
    if not conditions:
        return QueuePage(number, [], False)
    parts, params = [], []
    # The text holds only column names, placeholders and integers of ours; every value from outside is a parameter.
    for index, (where, ids) in enumerate(conditions):
        for group, wanted in enumerate(groups):
            parts.append(
                f"SELECT id FROM (SELECT id FROM dossiers_dossier WHERE {where}{wanted}{extra} "  # noqa: S608
                f"ORDER BY due_at ASC NULLS LAST, code ASC LIMIT %s) AS side{index}_{group}"
            )
            params += [*ids, *extra_params, number * size + 1]  # one more than the page tells if a next page exists
    first = f"CASE WHEN d.status = {Status.SUBMITTED:d} THEN 0 ELSE 1 END, " if waiting_first else ""
    sql = (
        "SELECT d.code, d.status, d.due_at, d.applicant_name, v.name, d.competent_unit_id FROM dossiers_dossier d "  # noqa: S608
        f"JOIN catalogue_procedureversion v ON v.id = d.version_id WHERE d.id IN ({' UNION '.join(parts)}) "
        f"ORDER BY {first}d.due_at ASC NULLS LAST, d.code ASC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, size + 1, (number - 1) * size])
        found = cursor.fetchall()
    rows = [
        QueueRow(code, Status(state), maybe_aware(due_at), applicant, procedure, unit)
        for code, state, due_at, applicant, procedure, unit in found
    ]
    return QueuePage(number, rows[:size], len(rows) > size)
