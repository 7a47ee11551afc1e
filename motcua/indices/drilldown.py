"""The dossiers (or procedures) behind every number: each candidate dossier is replayed with the same `deltas` and
`result_deltas` the counters use, so a list always has exactly as many rows as the number it explains."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from motcua.catalogue.models import Channel, ProcedureVersion, VersionStatus
from motcua.catalogue.selectors import versions_in_force
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError
from motcua.dossiers.counters import (
    DONE_STATUSES,
    ENDED_STATUSES,
    RESULT_METRIC_LABELS,
    Metric,
    ResultMetric,
    State,
    Traits,
    advance,
    counting_on,
    deltas,
    event,
    result_deltas,
    returns_written_result,
)
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, ResultDocument
from motcua.dossiers.processing import Rating
from motcua.feedback.models import FeedbackCase
from motcua.organizations.models import Unit

from . import pakn
from .engine import catalogue_counts
from .figures import RESULT_FLOWS, procedures_with_dossiers
from .periods import Period
from .scope import SCORED_TYPES, Scope

FIGURES = {
    "carried_over": "Tồn kỳ trước chuyển sang",
    "received": "Tiếp nhận trong kỳ",
    "received_online": "Tiếp nhận trực tuyến",
    "received_digitised": "Có thành phần được số hóa",
    "ended_early": "Đã giải quyết trước hạn",
    "ended_on_time": "Đã giải quyết đúng hạn",
    "ended_late": "Đã giải quyết quá hạn",
    "open": "Đang giải quyết",
    "within": "Đang giải quyết trong hạn",
    "overdue": "Đang giải quyết quá hạn",
    "paused": "Tạm dừng (chờ bổ sung, chờ thực hiện nghĩa vụ tài chính)",
    # What indicators 3.3, 4.1, 4.2 and 5.4 count beside the statuses, named as the period figures name them.
    **{figure: RESULT_METRIC_LABELS[metric] for metric, figure in RESULT_FLOWS.items()},
}
RESULT_FIGURES = {figure: metric for metric, figure in RESULT_FLOWS.items()}
# Indicator parts as unions of figures (dossiers) or as procedure lists.
PARTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("1.4", "numerator"): ("received_synced",),
    ("1.4", "denominator"): ("received",),
    ("3.6", "numerator"): ("received_paid_online",),
    ("3.6", "denominator"): ("received_fee_due",),
    ("4.5b", "numerator"): ("received_vneid",),
    ("4.5b", "denominator"): ("received",),
    ("2.1", "numerator"): ("ended_early", "ended_on_time", "within"),
    ("2.1", "denominator"): ("carried_over", "received"),
    ("3.3", "numerator"): ("received_online_result",),
    ("3.3", "denominator"): ("received",),
    ("4.1", "numerator"): ("e_result",),
    ("4.1", "denominator"): ("result_due",),
    ("4.2", "numerator"): ("received_digitised_result",),
    ("4.2", "denominator"): ("received",),
    ("5.4", "denominator"): ("carried_over", "received"),
}
PROCEDURE_PARTS = {
    ("1.1", "numerator"): "announced_on_time",
    ("1.1", "denominator"): "announced",
    ("3.5", "numerator"): "fee_with_dossier",
    ("3.5", "denominator"): "fee_bearing",
    ("4.5a", "numerator"): "citizens_with_vneid",
    ("4.5a", "denominator"): "for_citizens",
    ("3.1", "numerator"): "online",
    ("3.1", "denominator"): "all",
    ("3.2", "numerator"): "online_with_dossier",
    ("3.2", "denominator"): "online",
}


@dataclass(frozen=True)
class Difference:
    """A part that is a sum of counts less other counts rather than a set of dossiers: each term has its own list."""

    plus: tuple[str, ...]
    minus: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Term:
    figure: str
    label: str
    sign: int  # +1 or -1
    count: int


# 5.4 subtracts the overdue rate and the unhappy-rating rate from 100 % over the same denominator (DOMAIN-2.md §1.2,
# 5.4), so a dossier both late and rated unhappy is subtracted twice, and a rating given in the period for a dossier
# ended before it counts too: its numerator is no list of dossiers, only each of its terms is.
DIFFERENCES = {
    ("5.4", "numerator"): Difference(
        plus=("carried_over", "received"),
        minus=("ended_late", "overdue", "rated_unsatisfied", "reported"),
        note="Tử số = hồ sơ cần xử lý (tồn kỳ trước + tiếp nhận trong kỳ) − hồ sơ quá hạn (đã giải quyết quá hạn, "
        "đang giải quyết quá hạn) − hồ sơ bị đánh giá không hài lòng hoặc có phản ánh, kiến nghị trong kỳ (hồ sơ đã "
        "bị đánh giá không hài lòng rồi mới bị phản ánh chỉ trừ một lần), không nhỏ hơn 0. Hai tỷ lệ được trừ riêng "
        "nên một hồ sơ vừa quá hạn vừa bị đánh giá không hài lòng bị trừ hai lần; tử số vì vậy không phải một danh "
        "sách hồ sơ, mỗi số hạng có danh sách riêng.",
    ),
}
ENDED = tuple(sorted(ENDED_STATUSES))  # withdrawn, stopped, finished, returned: the ends of indicator 2.1
DONE = tuple(sorted(DONE_STATUSES))  # finished, returned: processing ended with a result (4.1)
# Figures read exactly in SQL: a dossier is counted as received by the very event that sets `received_at`, and an
# unhappy rating on the day it is given (a dossier is rated once).
SQL_FIGURES = frozenset(
    {"received", "received_online", "received_digitised", "received_synced", "received_fee_due"}
    | {"received_paid_online", "received_vneid", "rated_unsatisfied", "reported"}
)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VIETNAM)


@dataclass(frozen=True)
class Window:
    """The days a figure is read over: flows over [start, as_of], stocks at the end of a day."""

    start: date
    as_of: date

    def holds(self, figure: str, changes: Counter[tuple[date, str]]) -> bool:
        def flow(metric: str) -> int:
            return sum(v for (d, m), v in changes.items() if m == metric and self.start <= d <= self.as_of)

        def stock(metric: str, at: date) -> int:
            return sum(v for (d, m), v in changes.items() if m == metric and d <= at)

        match figure:
            case "carried_over":
                return stock(Metric.OPEN, self.start - timedelta(days=1)) > 0
            case "open" | "overdue" | "paused":
                return stock(Metric(figure), self.as_of) > 0
            case "within":
                return stock(Metric.OPEN, self.as_of) > 0 and stock(Metric.OVERDUE, self.as_of) <= 0
            case _:
                return flow(RESULT_FIGURES.get(figure) or Metric(figure)) > 0


def _candidates(units: set[int], figure: str, window: Window) -> QuerySet[Dossier]:
    """A superset of the dossiers a figure can hold, narrow enough to replay."""
    since, until = _start_of(window.start), _start_of(window.as_of + timedelta(days=1))
    if figure == "rated_unsatisfied":
        rated = {"rating__overall": Rating.UNSATISFIED, "rating__at__gte": since, "rating__at__lt": until}
        return Dossier.objects.filter(competent_unit__in=units, **rated)
    if figure == "reported":  # the first report in the window, unless the dossier was disliked before it
        reports = DossierEvent.objects.filter(dossier=OuterRef("pk"), action=Action.REPORT).order_by("sequence")
        first = Dossier.objects.filter(competent_unit__in=units).annotate(first=Subquery(reports.values("at")[:1]))
        disliked = Q(rating__overall=Rating.UNSATISFIED, rating__at__lt=F("first"))
        return first.filter(first__gte=since, first__lt=until).exclude(disliked)
    dossiers = Dossier.objects.filter(competent_unit__in=units, received_at__isnull=False)
    if figure.startswith("received"):
        received = dossiers.filter(received_at__gte=since, received_at__lt=until)
        if figure.startswith("received_online"):
            received = received.filter(channel=Channel.ONLINE)
        elif figure.startswith("received_digitised"):
            received = received.filter(Exists(_digitised()))
        elif figure == "received_synced":
            received = received.filter(synced_at__isnull=False)
        elif figure == "received_fee_due":
            received = received.filter(fee__amount__gt=0)
        elif figure == "received_paid_online":
            received = received.exclude(online_payment=0)
        elif figure == "received_vneid":
            received = received.filter(is_vneid_verified=True)
        return received
    if figure.startswith("ended") or figure in {"result_due", "e_result"}:
        ends = DONE if figure in {"result_due", "e_result"} else ENDED
        ended = DossierEvent.objects.filter(dossier=OuterRef("pk"), at__gte=since, at__lt=until, status_after__in=ends)
        return dossiers.filter(Exists(ended))
    cutoff = since if figure == "carried_over" else until
    later = DossierEvent.objects.filter(dossier=OuterRef("pk"), at__gte=cutoff - timedelta(days=1))
    return dossiers.filter(received_at__lt=cutoff).filter(~Q(status__in=ENDED) | Exists(later))


def dossier_ids(scope: Scope, unit: Unit, period: Period, figures: Iterable[str]) -> list[int]:
    """The ids of the dossiers behind a union of figures, in filing order."""
    units = scope.tree.below(unit.pk)
    window = Window(period.start, period.as_of)
    wanted = list(figures)
    unknown = [f for f in wanted if f not in FIGURES]
    if unknown:
        raise DomainError(f"Không có số liệu «{unknown[0]}».", field="figure")
    found: set[int] = set()
    for figure in wanted:
        if figure in SQL_FIGURES:
            found.update(_candidates(units, figure, window).values_list("pk", flat=True))
            continue
        candidates = (
            _candidates(units, figure, window)
            .annotate(
                digitised=Exists(_digitised()),
                signed=Exists(ResultDocument.objects.filter(dossier=OuterRef("pk"), signature__isnull=False)),
            )
            .values_list("pk", "channel", "digitised", "version_id", "signed")
        )
        rows = list(candidates)
        written = _written({version for _, _, _, version, _ in rows})
        # The traits `counters.replay` reads: the results and scans as they stand now.
        traits = {
            pk: Traits(0, 0, channel == Channel.ONLINE, digitised, version in written, version in written and signed)
            for pk, channel, digitised, version, signed in rows
        }
        for pk, changes in _replay(traits):
            if window.holds(figure, changes):
                found.add(pk)
    return sorted(found)


def _digitised() -> QuerySet[DossierComponent]:
    return DossierComponent.objects.filter(dossier=OuterRef("pk"), is_digitised=True)


def _written(versions: set[int]) -> set[int]:
    """The procedure versions among these whose record lists a written result."""
    records = ProcedureVersion.objects.filter(pk__in=versions).values_list("pk", "record")
    return {pk for pk, record in records if returns_written_result(record)}


def _changes(events: Iterable[tuple[int, datetime, datetime | None]], traits: Traits) -> Counter[tuple[date, str]]:
    """Every counter change of one dossier's events, status and result metrics alike, as `counters.replay` makes."""
    changes: Counter[tuple[date, str]] = Counter()
    before: State | None = None
    received_on: date | None = None
    for status, at, due in events:
        happened = event(status, at, due)
        after = advance(before, happened, counting_on(happened.day))
        for (day, metric), value in deltas(before, after, traits).items():
            changes[day, metric.value] += value
        received_on = received_on or (after.day if after.accepted else None)
        for (day, result), value in result_deltas(before, after, traits, received_on).items():
            changes[day, result.value] += value
        before = after
    return changes


def _replay(traits: dict[int, Traits]) -> Iterable[tuple[int, Counter[tuple[date, str]]]]:
    ids = list(traits)
    for offset in range(0, len(ids), 2000):
        batch = ids[offset : offset + 2000]
        rows = (
            DossierEvent.objects.filter(dossier_id__in=batch)
            .order_by("dossier_id", "sequence")
            .values_list("dossier_id", "status_after", "at", "due_at")
        )
        by_dossier: dict[int, list[tuple[int, datetime, datetime | None]]] = {}
        for dossier, status, at, due in rows:
            by_dossier.setdefault(dossier, []).append((status, at, due))
        for dossier, events in by_dossier.items():
            yield dossier, _changes(events, traits[dossier])


def procedures_behind(scope: Scope, unit: Unit, period: Period, which: str) -> list[tuple[Unit, ProcedureVersion]]:
    """The (unit, procedure) pairs behind indicators 1.1, 3.1, 3.2, 3.5 and 4.5a."""
    below = scope.tree.below(unit.pk)
    members = [scope.tree.units[pk] for pk in below if scope.tree.units[pk].type in SCORED_TYPES]
    counts = catalogue_counts(members, period.as_of, since=period.start)
    among = {
        "all": counts.procedures,
        "announced": counts.announced,
        "announced_on_time": counts.announced_on_time,
        "fee_bearing": counts.fee_bearing,
        "fee_with_dossier": counts.fee_bearing,
        "for_citizens": counts.for_citizens,
        "citizens_with_vneid": counts.for_citizens,
    }
    pairs = [(u, p) for u, procedures in among.get(which, counts.online).items() for p in procedures]
    flows = {
        "online_with_dossier": Metric.RECEIVED_ONLINE,
        "fee_with_dossier": ResultMetric.FEE_DUE,
        "citizens_with_vneid": ResultMetric.VNEID,
    }
    if which in flows:
        with_dossiers = procedures_with_dossiers(period, below)[flows[which].value]
        pairs = [(u, p) for u, p in pairs if p in with_dossiers.get(u, ())]
    # 1.1 lists the version announced in the period (the latest, if several), which may not be in force yet.
    announcements = ProcedureVersion.objects.filter(
        status=VersionStatus.PUBLISHED, published_on__range=(period.start, period.as_of)
    )
    in_force = versions_in_force(period.as_of)
    listed = announcements.order_by("published_on") if which.startswith("announced") else in_force
    versions = {
        v.procedure_id: v
        for v in listed.filter(procedure_id__in={p for _, p in pairs})
        .select_related("procedure")
        .defer("record", "search_text")
    }
    rows = [(scope.tree.units[u], versions[p]) for u, p in pairs if p in versions]
    return sorted(rows, key=lambda row: (row[0].name, row[1].procedure.code))


def terms(scope: Scope, unit: Unit, period: Period, difference: Difference) -> tuple[list[Term], int]:
    """Each term of a difference with the number of dossiers in its list, and the part's value (never below 0)."""
    listed = [
        Term(figure, FIGURES[figure], sign, len(dossier_ids(scope, unit, period, (figure,))))
        for sign, figures in ((1, difference.plus), (-1, difference.minus))
        for figure in figures
    ]
    return listed, max(sum(term.sign * term.count for term in listed), 0)


@dataclass(frozen=True)
class CaseFigure:
    """A part of a group-5 indicator: a list of feedback cases, not of dossiers (`pakn.cases_behind`)."""

    figure: str


CASE_PARTS = {
    ("5.1", "numerator"): CaseFigure("pakn_classified"),
    ("5.1", "denominator"): CaseFigure("pakn_received"),
    ("5.2", "numerator"): CaseFigure("pakn_on_time"),
    ("5.2", "denominator"): CaseFigure("pakn_to_handle"),
    ("5.3", "numerator"): CaseFigure("pakn_satisfied"),
    ("5.3", "denominator"): CaseFigure("pakn_received"),
}


def cases_behind(scope: Scope, unit: Unit, period: Period, part: CaseFigure) -> list[FeedbackCase]:
    """The feedback cases a group-5 part counts for a unit and everything below it."""
    everything = unit.code == settings.MOTCUA_PROVINCE_CODE
    return pakn.cases_behind(period, None if everything else scope.tree.below(unit.pk), part.figure)


def drillable() -> dict[str, set[str]]:
    """The codes of the indicators whose numerator, and whose denominator, have a list behind them."""
    parts = (*PARTS, *PROCEDURE_PARTS, *DIFFERENCES, *CASE_PARTS)
    return {part: {code for code, of in parts if of == part} for part in ("numerator", "denominator")}


def part_figures(indicator: str, part: str) -> tuple[str, ...] | str | Difference | CaseFigure:
    """What a part of an indicator is made of: a tuple of figures, the name of a procedure list, or a difference."""
    if part not in {"numerator", "denominator"}:
        raise DomainError("Phần cần xem phải là «numerator» (tử số) hoặc «denominator» (mẫu số).", field="part")
    if (indicator, part) in PARTS:
        return PARTS[indicator, part]
    if (indicator, part) in PROCEDURE_PARTS:
        return PROCEDURE_PARTS[indicator, part]
    if (indicator, part) in DIFFERENCES:
        return DIFFERENCES[indicator, part]
    if (indicator, part) in CASE_PARTS:
        return CASE_PARTS[indicator, part]
    raise DomainError(
        f"Chỉ tiêu «{indicator}» chưa có dữ liệu nên không có danh sách hồ sơ để xem.", field="indicator"
    )
