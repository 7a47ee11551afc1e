"""Generate N realistic dossiers with their events and papers, written with COPY into a demo database.

Run after `motcua demo --no-serve`, with DATABASE_URL pointing at that PostgreSQL database as a superuser (the
foreign-key triggers are switched off for the load):

    .venv/bin/python bench/dossiers_generate.py --count 1000000

Dossiers are spread over the demo province's commune service centres and its departments, over the procedure
versions in force with their cases, channels and papers, received over the last 12 months. Each dossier follows a
planned path through the lifecycle (receive or submit and accept, start, perhaps a supplement round, then refusal,
withdrawal or a result) that is cut off at the present, so its status always matches its last event. Started
dossiers get the step tasks of their case's internal process: done, active or pending as far as the dossier got,
each hand-over an event, and the deadline watch's flags as it would have left them. Codes are
taken only for days before today, and the daily sequences are written, so today's intakes start at 0001.
"""

import argparse
import base64
import itertools
import multiprocessing
import os
import random
import sys
import time
import unicodedata
from bisect import bisect
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")

import django

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.db.models import F  # noqa: E402

from motcua.catalogue.models import Channel, ChannelLimit, Component, OnlineLevel, Step  # noqa: E402
from motcua.catalogue.selectors import versions_in_force  # noqa: E402
from motcua.core import clock  # noqa: E402
from motcua.dossiers.lifecycle import RUNNING, Action, Status  # noqa: E402
from motcua.dossiers.processing import Alert, StepState  # noqa: E402
from motcua.organizations.models import AgencyIdentifier, Membership, Role, Unit, UnitType  # noqa: E402
from motcua.worktime.arithmetic import VIETNAM  # noqa: E402
from motcua.worktime.deadlines import LimitUnit, TimeLimit, compute_deadline  # noqa: E402
from motcua.worktime.selectors import calendar_for  # noqa: E402

DOSSIER_COLUMNS = (
    "id, code, version_id, case_id, channel, status, resume_status, receiving_unit_id, competent_unit_id, "
    "applicant_kind, applicant_name, applicant_citizen_id, applicant_phone, applicant_email, applicant_address, "
    "organisation_name, tax_code, representative, owner_name, owner_address, citizen_id, submitted_at, received_at, "
    "due_at, due_calendar_version, paused_at, supplement_rounds, closed_at, tracking_secret, returned_at, "
    "original_due_at, alert_level, fee_id, fee_collection"
)
STEP_COLUMNS = (
    "dossier_id, position, name, unit_id, staff_position, hours, state, assignee_id, started_at, due_at, "
    "completed_at, completed_by_id, alert_level"
)
EVENT_COLUMNS = (
    "id, dossier_id, sequence, action, status_before, status_after, actor_id, unit_id, at, due_at, reason, form, "
    "details"
)
COMPONENT_COLUMNS = "dossier_id, component_id, originals, copies, is_digitised"
ITEM_COLUMNS = "event_id, component_id, reason"

SURNAMES = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9, "Phạm": 7, "Huỳnh": 5, "Võ": 4, "Phan": 4, "Trương": 2, "Đặng": 2,
    "Bùi": 2, "Đỗ": 1.5, "Hồ": 1.5, "Ngô": 1.3, "Dương": 1, "Lý": 1, "Lâm": 1, "Mai": 0.7, "Đinh": 0.6, "Tô": 0.4,
}  # fmt: skip
MIDDLE = {
    "m": ["Văn", "Minh", "Hoàng", "Quốc", "Thanh", "Đức", "Hữu", "Công", "Tấn", "Thành", "Hoài", "Trọng"],
    "f": ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích", "Hồng", "Phương", "Thùy", "Diễm", "Cẩm"],
}  # fmt: skip
GIVEN = {
    "m": ["An", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khang", "Khoa",
        "Kiệt", "Long", "Lộc", "Nam", "Nghĩa", "Nhân", "Phát", "Phong", "Phúc", "Quang", "Sơn", "Tài", "Tâm",
        "Thắng", "Thịnh", "Tiến", "Toàn", "Trí", "Trung", "Tuấn", "Vinh"],
    "f": ["Anh", "Châu", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Huyền", "Lan",
        "Linh", "Loan", "Mai", "My", "Ngân", "Ngọc", "Nhung", "Nhi", "Oanh", "Phượng", "Quyên", "Thảo", "Thủy",
        "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến"],
}  # fmt: skip
STREETS = [
    "Ấp Bắc", "Nguyễn Huệ", "Lê Lợi", "Hùng Vương", "Trần Hưng Đạo", "Nguyễn Trãi", "Lý Thường Kiệt", "30 Tháng 4",
    "Đinh Bộ Lĩnh", "Nam Kỳ Khởi Nghĩa", "Lê Thị Hồng Gấm", "Nguyễn Thị Thập", "Tết Mậu Thân",
]  # fmt: skip
HAMLETS = [
    "Bình Tạo", "Tân Hòa", "Long Hưng", "Mỹ Lợi", "Phú Thạnh", "Hòa Khánh", "Tân Phong", "Thới Sơn", "Bình Hòa",
    "Long Thạnh",
]  # fmt: skip
COMPANIES = [
    "Công ty TNHH {} {}",
    "Công ty Cổ phần {} {}",
    "Hợp tác xã Nông nghiệp {} {}",
    "Doanh nghiệp tư nhân {} {}",
]
COMPANY_WORDS = [
    "Mê Kông", "Sen Hồng", "Phú Lợi", "Cửu Long", "Tân Phát", "Hưng Thịnh", "Đồng Tiến", "Thành Công", "Xoài Cát",
    "Nam Bộ", "Sa Đéc", "Gò Công",
]  # fmt: skip
MOBILE_PREFIXES = [
    "090", "091", "093", "094", "096", "097", "098", "086", "088", "070", "076", "077", "078", "079", "081", "083",
    "084", "085", "032", "033", "034", "035", "036", "037",
]  # fmt: skip
# Birth-registration place codes of the IDs seen in the province: mostly Tiền Giang (082) and Đồng Tháp (087).
ID_PLACES = ["082"] * 8 + ["087"] * 7 + ["080", "083", "086", "079", "089", "092"]
REFUSALS = [
    "Hồ sơ không thuộc thẩm quyền giải quyết của đơn vị.",
    "Thông tin trên tờ khai không khớp với Cơ sở dữ liệu quốc gia về dân cư.",
    "Hồ sơ trùng với hồ sơ đã được giải quyết trước đó.",
    "Người nộp không cung cấp đủ giấy tờ theo hướng dẫn.",
]
SUPPLEMENT_REASONS = [
    "Bản sao chưa được chứng thực.",
    "Giấy tờ bị mờ, không đọc được nội dung.",
    "Thông tin không khớp với tờ khai.",
    "Thiếu chữ ký của người yêu cầu.",
    "Giấy tờ đã hết hiệu lực.",
]
WITHDRAWALS = [
    "Người nộp đề nghị rút hồ sơ để điều chỉnh thông tin.",
    "Người nộp không còn nhu cầu giải quyết.",
    "Người nộp xin rút hồ sơ để nộp tại nơi khác.",
]


# Submit, accept, start, request-supplement, submit-supplement, one hand-over per step and the return: event ids are
# reserved by this many per dossier (the generator adds the longest internal process).
FIXED_EVENTS = 6
TABLES = [
    ("dossiers_dossier", DOSSIER_COLUMNS),
    ("dossiers_dossierevent", EVENT_COLUMNS),
    ("dossiers_dossiercomponent", COMPONENT_COLUMNS),
    ("dossiers_supplementitem", ITEM_COLUMNS),
    ("dossiers_steptask", STEP_COLUMNS),
]


@dataclass(frozen=True)
class Route:
    """A procedure case that can be filed: what the dossier pins, its papers, limits and who decides it."""

    version_id: int
    case_id: int
    components: tuple[tuple[int, bool, int, int], ...]  # (id, mandatory, originals, copies)
    limits: dict[int, TimeLimit]  # by channel
    online: bool
    department: int | None  # the competent department, or None for the applicant's commune committee
    cross_boundary: bool
    steps: tuple[
        tuple[str, str, str, float], ...
    ] = ()  # (name, unit: receiving, competent or a code, position, hours)


@dataclass
class Plan:
    """The lifecycle path a dossier took up to the present."""

    events: list[tuple]
    status: int
    received_at: datetime | None = None
    due_at: datetime | None = None
    paused_at: datetime | None = None
    closed_at: datetime | None = None
    returned_at: datetime | None = None
    rounds: int = 0
    # Working from this instant on, uninterrupted, the steps were done (start, or the supplement's return).
    working_since: datetime | None = None
    finished_at: datetime | None = None


@dataclass
class Chunk:
    """A run of consecutive days generated by one process, with the ids reserved for it."""

    days: list[tuple[date, int]]  # (day, dossiers that day)
    first_dossier: int
    first_event: int
    seed: int


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=118)
    # Generating rows in Python costs more than PostgreSQL's COPY: one process per core, days split between them.
    parser.add_argument("--processes", type=int, default=min(os.cpu_count() or 1, 4))
    args = parser.parse_args()
    generate(args.count, args.seed, args.processes)


def generate(count: int, seed: int, processes: int) -> None:
    global _generator
    url = os.environ["DATABASE_URL"]
    _generator = Generator(random.Random(seed))
    began = time.perf_counter()
    with psycopg.connect(url) as conn:
        next_dossier, next_event = conn.execute(
            "SELECT (SELECT coalesce(max(id), 0) + 1 FROM dossiers_dossier), "
            "(SELECT coalesce(max(id), 0) + 1 FROM dossiers_dossierevent)"
        ).fetchone()  # type: ignore[misc]
        existing = conn.execute("SELECT unit_id, day, last FROM dossiers_dailysequence").fetchall()
    _generator.sequences = {(unit, day): last for unit, day, last in existing}
    days = _generator.days(count)
    chunks = []
    for index in range(processes):
        share = days[len(days) * index // processes : len(days) * (index + 1) // processes]
        chunks.append(Chunk(share, next_dossier, next_event, seed * 100 + index))
        dossiers = sum(n for _, n in share)
        next_dossier += dossiers
        next_event += dossiers * _generator.max_events
    connections.close_all()  # the children must not share the parent's connection
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.map(_write_chunk, chunks)
    written = time.perf_counter() - began
    totals = {key: sum(result[0][key] for result in results) for key in results[0][0]}
    sequences = {key: last for result in results for key, last in result[1].items()}
    with psycopg.connect(url, autocommit=True) as conn:
        for table in ("dossiers_dossier", "dossiers_dossierevent"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        _write_sequences(conn, sequences)
        # Due instants were computed with the calendar as it is now: every calendar version is already applied.
        conn.execute(
            "INSERT INTO dossiers_calendarrecomputation (calendar_version, at, dossiers, steps) "
            "SELECT id, now(), 0, 0 FROM worktime_calendarversion ON CONFLICT (calendar_version) DO NOTHING"
        )
        # VACUUM as well as ANALYZE: fresh rows would otherwise get their hint bits and visibility map from the
        # first readers, and autovacuum would run in the middle of the measurements.
        conn.execute(f"VACUUM (ANALYZE) {', '.join(table for table, _ in TABLES)}, dossiers_dailysequence")
    rows = sum(totals.values())
    print(
        f"{totals['dossiers']:,} dossiers, {totals['events']:,} events, {totals['components']:,} papers, "
        f"{totals['items']:,} supplement items, {totals['steps']:,} steps: "
        f"{rows:,} rows in {written:.0f} s ({rows / written:,.0f} rows/s, "
        f"{totals['dossiers'] / written:,.0f} dossiers/s, {processes} processes); "
        f"vacuum and analyze {time.perf_counter() - began - written:.0f} s"
    )


_generator: "Generator"


def _write_chunk(chunk: Chunk) -> tuple[dict[str, int], dict[tuple[int, date], int]]:
    url = os.environ["DATABASE_URL"]
    with ExitStack() as stack:
        # One connection per table, so that PostgreSQL parses and indexes the streams in parallel.
        conns = [stack.enter_context(psycopg.connect(url)) for _ in TABLES]
        for conn in conns:
            # Rows are consistent by construction; per-row foreign-key triggers would cost more than the COPY and
            # could not see the rows other connections have not committed yet.
            conn.execute("SET session_replication_role = replica")
        copies = [
            stack.enter_context(conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN"))
            for conn, (table, columns) in zip(conns, TABLES, strict=True)
        ]
        return _generator.write(chunk, copies)


def _write_sequences(conn: psycopg.Connection, sequences: dict[tuple[int, date], int]) -> None:
    conn.execute("CREATE TEMP TABLE new_sequence (unit_id bigint, day date, last integer)")
    with conn.cursor().copy("COPY new_sequence (unit_id, day, last) FROM STDIN") as copy:
        for (unit, day), last in sequences.items():
            copy.write_row((unit, day, last))
    conn.execute(
        "INSERT INTO dossiers_dailysequence (unit_id, day, last) SELECT unit_id, day, last FROM new_sequence "
        "ON CONFLICT (unit_id, day) DO UPDATE SET last = greatest(dossiers_dailysequence.last, EXCLUDED.last)"
    )


class Generator:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = clock.now()
        self.today = self.now.astimezone(VIETNAM).date()
        self.sequences: dict[tuple[int, date], int] = {}
        self._load_units()
        self._load_catalogue()
        # Built here, not in the children: they have no Django connection.
        self.calendars = {unit: calendar_for(Unit.objects.get(pk=unit)) for unit in self.competent_units}
        self.working = next(iter(self.calendars.values()))
        self.surnames, self.surname_weights = list(SURNAMES), list(itertools.accumulate(SURNAMES.values()))
        self.max_events = FIXED_EVENTS + max((len(r.steps) for r in self.routes), default=0)

    # -- reference data -----------------------------------------------------------------------------------------

    def _load_units(self) -> None:
        units = {u.pk: u for u in Unit.objects.filter(province_code=settings.MOTCUA_PROVINCE_CODE, valid_to=None)}
        self.unit_by_code = {u.code: pk for pk, u in units.items()}
        self.unit_code = {pk: u.code for pk, u in units.items()}
        spans: dict[int, list[tuple[date, date | None, str]]] = {}
        for row in AgencyIdentifier.objects.filter(unit__in=units).order_by("-valid_from"):
            spans.setdefault(row.unit_id, []).append((row.valid_from, row.valid_to, row.code))
        self.identifier_spans = spans
        committees = {pk: u for pk, u in units.items() if u.type == UnitType.COMMUNE_COMMITTEE}
        # A commune committee receives through its own service centre (a child unit).
        self.centre_of = {
            u.parent_id: pk
            for pk, u in units.items()
            if u.type == UnitType.COMMUNE_SERVICE_CENTRE and u.parent_id in committees and pk in spans
        }
        self.committees = sorted(self.centre_of)
        commune = {pk: units[committees[pk].parent_id] for pk in self.committees}
        self.commune_names = {pk: c.name for pk, c in commune.items()}
        self.is_ward = {pk: c.type == UnitType.WARD for pk, c in commune.items()}
        # Wards see more people than rural communes, and the provincial seat (Phường Mỹ Tho) the most.
        weights = {pk: self.rng.lognormvariate(0, 0.6) * (1.6 if self.is_ward[pk] else 1) for pk in self.committees}
        seat = next((pk for pk in self.committees if committees[pk].code == "28261.UBND"), None)
        if seat:
            weights[seat] = 2 * max(weights.values())
        self.committee_weights = list(itertools.accumulate(weights[pk] for pk in self.committees))
        self.provincial_centre = next(pk for pk, u in units.items() if u.type == UnitType.PROVINCIAL_SERVICE_CENTRE)
        officers = Membership.objects.filter(role=Role.ONE_STOP_OFFICER, valid_to=None)
        self.officer_of = dict(officers.values_list("unit_id", "user_id"))

    def _load_catalogue(self) -> None:
        versions = list(versions_in_force(self.today).select_related("procedure").prefetch_related("cases"))
        components: dict[int, list[tuple[int, bool, int, int]]] = {}
        for row in Component.objects.filter(case__version__in=versions).order_by("case", "position"):
            components.setdefault(row.case_id, []).append((row.pk, row.is_mandatory, row.originals, row.copies))
        # As the intake service reads them: the case's own limit first, then the one shared by every case.
        limits = list(ChannelLimit.objects.filter(version__in=versions).order_by(F("case").asc(nulls_last=True), "id"))
        steps: dict[int, list[tuple[str, str, str, float]]] = {}
        for row in Step.objects.filter(case__version__in=versions).order_by("case", "position"):
            steps.setdefault(row.case_id, []).append((row.name, row.unit_ref, row.staff_position, float(row.hours)))
        self.routes: list[Route] = []
        weights = []
        for version in versions:
            # Birth registration is filed far more often than anything else; department procedures are few.
            weight = self.rng.lognormvariate(0, 1.2) * (6 if version.procedure.code == "1.001193" else 1)
            weight *= 0.5 if version.competent_unit_id else 1
            cases = list(version.cases.all())
            for case in cases:
                by_channel: dict[int, TimeLimit] = {}
                for limit in limits:
                    if limit.version_id == version.pk and limit.case_id in (case.pk, None):
                        by_channel.setdefault(limit.channel, TimeLimit(float(limit.amount), LimitUnit(limit.unit)))
                if Channel.COUNTER not in by_channel:
                    continue  # the intake service would refuse it: no limit to compute a due date with
                route = Route(
                    version.pk,
                    case.pk,
                    tuple(components.get(case.pk, ())),
                    by_channel,
                    version.online_level != OnlineLevel.NONE,
                    version.competent_unit_id,
                    version.is_cross_boundary,
                    tuple(steps.get(case.pk, ())),
                )
                self.routes.append(route)
                weights.append(weight / len(cases) * (0.5 if case.position else 1))
        self.route_weights = list(itertools.accumulate(weights))
        departments = {r.department for r in self.routes if r.department is not None}
        self.competent_units = [*self.committees, *sorted(departments)]
        self.max_events = FIXED_EVENTS + max((len(r.steps) for r in self.routes), default=0)

    def identifier(self, unit: int, day: date) -> str:
        """Return the unit's agency identifier in force on the day, as the code generator reads it."""
        return next(code for start, end, code in self.identifier_spans[unit] if start <= day <= (end or day))

    def days(self, count: int) -> list[tuple[date, int]]:
        """Spread the dossiers over the last 365 days before today; offices are closed at weekends."""
        days = [self.today - timedelta(days=n) for n in range(365, 0, -1)]
        weights = [1.0 if self.working.is_working_day(day) else 0.06 for day in days]
        return list(zip(days, _apportion(count, weights), strict=True))

    # -- writing ------------------------------------------------------------------------------------------------

    def write(self, chunk: Chunk, copies: list) -> tuple[dict[str, int], dict[tuple[int, date], int]]:
        self.rng = rng = random.Random(chunk.seed)
        dossiers, events, components, items, step_rows = copies
        totals = dict.fromkeys(("dossiers", "events", "components", "items", "steps"), 0)
        sequences: dict[tuple[int, date], int] = {}
        dossier_id, event_id = chunk.first_dossier, chunk.first_event
        for day, n in chunk.days:
            is_working = self.working.is_working_day(day)
            stamp = f"{day:%y%m%d}"
            identifiers: dict[int, str] = {}
            # Sorted by time, so that ids and each unit's daily numbers follow the order of filing.
            for submitted_at, route, channel, receiving, competent, commune in sorted(
                (self._filing(day, is_working) for _ in range(n)), key=lambda filing: filing[0]
            ):
                key = (receiving, day)
                number = sequences[key] = sequences.get(key, self.sequences.get(key, 0)) + 1
                if receiving not in identifiers:
                    identifiers[receiving] = self.identifier(receiving, day)
                plan = self._plan(route, channel, submitted_at, receiving, competent)
                tasks = self._steps(plan, route, receiving, competent)
                running = plan.status in RUNNING and plan.due_at is not None and plan.due_at < self.now
                dossiers.write_row(
                    (
                        dossier_id, f"{identifiers[receiving]}-{stamp}-{number:04d}", route.version_id,
                        route.case_id, channel, plan.status,
                        Status.PROCESSING if plan.status == Status.SUPPLEMENT_REQUESTED else None,
                        receiving, competent, *self._applicant(commune), None, submitted_at, plan.received_at,
                        plan.due_at, self.calendars[competent].version if plan.due_at else "", plan.paused_at,
                        plan.rounds, plan.closed_at, base64.urlsafe_b64encode(rng.randbytes(12)).decode(),
                        plan.returned_at, None, Alert.OVERDUE if running else Alert.NONE, None, "none",
                    )
                )  # fmt: skip
                for task in tasks:
                    step_rows.write_row((dossier_id, *task))
                totals["steps"] += len(tasks)
                for sequence, (action, before, after, actor, unit, at, due, reason, form, asked, details) in enumerate(
                    plan.events, start=1
                ):
                    row = (event_id, dossier_id, sequence, action, before, after, actor, unit, at, due, reason, form)
                    row += (details,)
                    events.write_row(row)
                    for component in asked:
                        items.write_row((event_id, component, rng.choice(SUPPLEMENT_REASONS)))
                    totals["items"] += len(asked)
                    event_id += 1
                digitised = channel == Channel.ONLINE
                for component, mandatory, originals, copies_ in route.components:
                    if mandatory or rng.random() < 0.15:
                        components.write_row(
                            (dossier_id, component, originals, copies_, digitised or rng.random() < 0.6)
                        )
                        totals["components"] += 1
                totals["events"] += len(plan.events)
                dossier_id += 1
            totals["dossiers"] += n
        assert event_id <= chunk.first_event + totals["dossiers"] * self.max_events
        return totals, sequences

    # -- one dossier --------------------------------------------------------------------------------------------

    def _filing(self, day: date, is_working: bool) -> tuple[datetime, Route, int, int, int, int]:
        """Choose what is filed, where, through which channel and when on this day."""
        rng = self.rng
        while True:
            route = self.routes[bisect(self.route_weights, rng.random() * self.route_weights[-1])]
            if is_working or route.online:
                break  # offices are closed: only procedures offered online are filed
        if not is_working:
            channel = Channel.ONLINE
        elif route.online:
            channel = rng.choices((Channel.COUNTER, Channel.ONLINE, Channel.POST), (58, 37, 5))[0]
        else:
            channel = rng.choices((Channel.COUNTER, Channel.POST), (94, 6))[0]
        commune = self._commune()
        if route.department is None:
            competent = commune
            receiving = self.centre_of[commune]
            if route.cross_boundary and rng.random() < 0.12:
                receiving = self.centre_of[self._commune()]  # filed away from home (ND 118/2025 art. 1)
        else:
            competent = route.department
            draw = rng.random()
            if draw < 0.6:
                receiving = self.provincial_centre
            elif (draw < 0.85 or not route.cross_boundary) and competent in self.identifier_spans:
                receiving = competent
            else:
                receiving = self.centre_of[commune]
        if channel == Channel.ONLINE:
            minute = rng.choices(range(24), _ONLINE_HOURS)[0] * 60 + rng.randrange(60)
        else:
            minute = rng.choice(_OFFICE_MINUTES)
        at = datetime(day.year, day.month, day.day, minute // 60, minute % 60, rng.randrange(60), tzinfo=VIETNAM)
        return at, route, channel, receiving, competent, commune

    def _commune(self) -> int:
        return self.committees[bisect(self.committee_weights, self.rng.random() * self.committee_weights[-1])]

    def _plan(self, route: Route, channel: int, submitted_at: datetime, receiving: int, competent: int) -> Plan:
        """Walk the dossier through the lifecycle as it would have gone, stopping at the present."""
        rng, now = self.rng, self.now
        calendar = self.calendars[competent]
        officer = self.officer_of.get(receiving)
        events: list[tuple] = []
        plan = Plan(events, Status.SUBMITTED)

        def step(
            action: Action, after: int, at: datetime, actor: int | None, unit: int | None, **extra: object
        ) -> bool:
            if at > now:
                return False
            reason, form, asked = extra.get("reason", ""), extra.get("form", ""), extra.get("asked", ())
            due = extra.get("due", plan.due_at)  # the due instant in force after the event, as the service records it
            details = extra.get("details", "{}")
            before = plan.status if events else None
            events.append((action.value, before, after, actor, unit, at, due, reason, form, asked, details))
            plan.status = after
            return True

        fate = rng.random()  # one draw decides how it ends: refused, withdrawn, stuck, or a result
        if channel == Channel.ONLINE:
            step(Action.SUBMIT, Status.SUBMITTED, submitted_at, None, receiving)
            decided = calendar.add_working_minutes(submitted_at, rng.randint(15, 600))
            if fate < 0.04:
                if step(
                    Action.REFUSE, Status.REFUSED, decided, officer, receiving, reason=rng.choice(REFUSALS), form="03"
                ):
                    plan.closed_at = decided
                return plan
            limit = route.limits.get(channel) or route.limits[Channel.COUNTER]
            due = compute_deadline(calendar, decided, limit).due_at
            if not step(Action.ACCEPT, Status.RECEIVED, decided, officer, receiving, form="01", due=due):
                return plan
            received = decided
        else:
            limit = route.limits.get(channel) or route.limits[Channel.COUNTER]
            due = compute_deadline(calendar, submitted_at, limit).due_at
            step(Action.RECEIVE, Status.RECEIVED, submitted_at, officer, receiving, form="01", due=due)
            received = submitted_at
        plan.received_at = received
        plan.due_at = due
        last = calendar.add_working_minutes(received, rng.randint(5, 120))
        if not step(Action.START, Status.PROCESSING, last, officer, receiving):
            return plan
        plan.working_since = last
        if rng.random() < 0.14 and route.components:
            span = max(calendar.working_minutes_between(last, plan.due_at), 60)
            asked_at = calendar.add_working_minutes(last, rng.randint(30, span))
            papers = [component[0] for component in route.components]
            asked = tuple(rng.sample(papers, min(len(papers), rng.choice((1, 1, 2)))))
            reason = "Hồ sơ chưa đầy đủ, hợp lệ; đề nghị bổ sung, hoàn thiện theo Phiếu yêu cầu."
            if not step(
                Action.REQUEST_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED, asked_at, officer, receiving,
                reason=reason, form="02", asked=asked,
            ):  # fmt: skip
                return plan
            plan.rounds, plan.paused_at = 1, asked_at
            back = calendar.add_working_minutes(asked_at, rng.randint(240, 4800))
            # Some applicants never come back: the dossier stays paused.
            resumed = calendar.resume(plan.due_at, asked_at, back)
            if fate > 0.85 or not step(Action.SUBMIT_SUPPLEMENT, Status.PROCESSING, back, None, None, due=resumed):
                return plan
            plan.due_at = resumed
            plan.paused_at, last = None, back
            plan.working_since = back
        elif 0.04 <= fate < 0.06:
            withdrawn = calendar.add_working_minutes(last, rng.randint(60, 1200))
            if step(Action.WITHDRAW, Status.WITHDRAWN, withdrawn, officer, receiving, reason=rng.choice(WITHDRAWALS)):
                plan.closed_at = withdrawn
            return plan
        if 0.06 <= fate < 0.075:
            return plan  # still processing, probably overdue
        # The completion event is written with the steps' hand-overs (see _steps), the return here.
        span = max(calendar.working_minutes_between(last, plan.due_at), 30)
        finished = calendar.add_working_minutes(last, int(span * rng.uniform(0.3, 1.12)))
        if finished > now:
            return plan
        plan.status, plan.finished_at, plan.closed_at = Status.FINISHED, finished, finished
        returned = calendar.add_working_minutes(finished, rng.randint(10, 1500))
        if fate < 0.1 or returned > now:
            return plan  # the result waits to be collected
        plan.status, plan.returned_at = Status.RETURNED, returned
        channel_name = "online" if channel == Channel.ONLINE else "post" if channel == Channel.POST else "counter"
        plan.events.append(
            (Action.RETURN_RESULT.value, Status.FINISHED, Status.RETURNED, officer, receiving, returned, plan.due_at,
             "", "", (), f'{{"channel": "{channel_name}"}}')
        )  # fmt: skip
        return plan

    def _steps(self, plan: Plan, route: Route, receiving: int, competent: int) -> list[tuple]:
        """Return the dossier's step rows as far as it got, and add their hand-over events to the plan.

        Steps are done one after another from the moment the dossier was last worked on uninterrupted; a finished
        dossier has done them all by its completion, a processing one is somewhere along, weighted by hours.
        """
        if plan.working_since is None or not route.steps:
            return []
        calendar = self.calendars[competent]
        units = {"receiving": receiving, "competent": competent}
        where = [units.get(ref) or self.unit_by_code.get(ref, competent) for _name, ref, _pos, _hours in route.steps]
        total = sum(hours for *_rest, hours in route.steps)
        start = plan.working_since
        if plan.status in {Status.FINISHED, Status.RETURNED}:
            end, reached = plan.finished_at, len(route.steps)
        elif plan.status == Status.PROCESSING:
            end = self.now
            elapsed = calendar.working_minutes_between(start, end) / 60
            reached, used = 0, 0.0
            while reached < len(route.steps) - 1 and used + route.steps[reached][3] <= elapsed:
                used += route.steps[reached][3]
                reached += 1
        else:
            # Paused, withdrawn or stopped: the first step holds it (closing a dossier puts its step back to pending).
            end, reached = start, 0
        assert end is not None
        span = max(calendar.working_minutes_between(start, end), 1)
        rows, handed, cursor = [], [], start
        for index, (name, _ref, position, hours) in enumerate(route.steps):
            unit = where[index]
            if index < reached:
                done = calendar.add_working_minutes(
                    start, int(span * sum(s[3] for s in route.steps[: index + 1]) / total)
                )
                done = min(max(done, cursor), end)
                due = calendar.add_working_minutes(cursor, round(hours * 60))
                if plan.due_at is not None:
                    due = min(due, plan.due_at)
                officer = self.officer_of.get(unit)
                rows.append(
                    (index, name, unit, position, hours, StepState.DONE, officer, cursor, due, done, officer, 0)
                )
                handed.append((index, unit, cursor, due, done, hours, officer))
                cursor = done
            elif index == reached and plan.status in {Status.PROCESSING, Status.SUPPLEMENT_REQUESTED}:
                due = calendar.add_working_minutes(cursor, round(hours * 60))
                if plan.due_at is not None:
                    due = min(due, plan.due_at)
                alert = Alert.OVERDUE if due < self.now and plan.status == Status.PROCESSING else Alert.NONE
                rows.append(
                    (index, name, unit, position, hours, StepState.ACTIVE, None, cursor, due, None, None, alert)
                )
            else:
                rows.append((index, name, unit, position, hours, StepState.PENDING, None, None, None, None, None, 0))
        self._hand_overs(plan, handed, where)
        return rows

    def _hand_overs(self, plan: Plan, handed: list[tuple], where: list[int]) -> None:
        """Insert the hand-over events of the done steps before the return (their times are all earlier)."""
        tail = plan.events[-1:] if plan.status == Status.RETURNED else []
        body = plan.events[: len(plan.events) - len(tail)]
        for index, unit, started, due, done, hours, officer in handed:
            last = index == len(where) - 1
            if last:
                action, after = Action.COMPLETE, Status.FINISHED
            else:
                action = Action.COMPLETE_STEP if where[index + 1] == unit else Action.TRANSFER
                after = Status.PROCESSING
            result = "early" if done.date() < due.date() else "on_time" if done.date() == due.date() else "late"
            to_unit = "" if last else f', "to_unit": "{self.unit_code.get(where[index + 1], "")}"'
            details = (
                f'{{"step": {index}, "from_unit": "{self.unit_code.get(unit, "")}"{to_unit}, '
                f'"step_started_at": "{started.isoformat()}", "step_due_at": "{due.isoformat()}", '
                f'"step_hours": "{hours:g}", "step_result": "{result}"}}'
            )
            event = (action.value, Status.PROCESSING, after, officer, unit, done, plan.due_at, "", "", (), details)
            body.append(event)
        plan.events[:] = body + tail

    def _applicant(self, committee: int) -> tuple:
        """Return applicant_kind .. owner_address: a person, or now and then an organisation."""
        rng = self.rng
        sex = "m" if rng.random() < 0.5 else "f"
        surname = self.surnames[bisect(self.surname_weights, rng.random() * self.surname_weights[-1])]
        name = f"{surname} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
        year = rng.randint(1950, 2006)
        # Digit 4 is century and sex, digits 5-6 the year of birth (Circular 59/2021/TT-BCA art. 12).
        century = (year // 100 - 19) * 2 + (sex == "f")
        citizen_id = f"{rng.choice(ID_PLACES)}{century}{year % 100:02d}{rng.randrange(1_000_000):06d}"
        phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10_000_000):07d}"
        email = f"{_ascii(name)}{rng.randrange(100)}@gmail.com" if rng.random() < 0.25 else ""
        commune = self.commune_names[committee]
        if self.is_ward[committee]:
            address = f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}, {commune}, tỉnh Đồng Tháp"
        else:
            address = f"Ấp {rng.choice(HAMLETS)}, {commune}, tỉnh Đồng Tháp"
        if rng.random() < 0.08:
            organisation = rng.choice(COMPANIES).format(*rng.sample(COMPANY_WORDS, 2))
            tax_code = rng.choice(("12", "14")) + f"{rng.randrange(100_000_000):08d}"
            return ("organisation", name, citizen_id, phone, email, address, organisation, tax_code, name, "", "")
        return ("person", name, citizen_id, phone, email, address, "", "", "", "", "")


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split a total over weights in whole numbers that add up exactly (largest remainder)."""
    shares = [w * total / sum(weights) for w in weights]
    counts = [int(share) for share in shares]
    for index in sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])[: total - sum(counts)]:
        counts[index] += 1
    return counts


def _ascii(name: str) -> str:
    name = name.replace("Đ", "D").replace("đ", "d").replace(" ", "")
    return "".join(c for c in unicodedata.normalize("NFD", name) if unicodedata.category(c) != "Mn").lower()


_ONLINE_HOURS = [1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 10, 9, 6, 7, 9, 9, 8, 7, 6, 7, 8, 7, 4, 2]
# Counter hours 07:00-11:30 and 13:30-17:00, busier in the morning.
_OFFICE_MINUTES = [m for m in range(7 * 60, 11 * 60 + 30) for _ in range(3)] + [
    m for m in range(13 * 60 + 30, 17 * 60) for _ in range(2)
]


if __name__ == "__main__":
    main()
