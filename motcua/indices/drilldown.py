"""The dossiers (or procedures) behind every number: each candidate dossier is replayed with the same `deltas` the
counters use, so a list always has exactly as many rows as the number it explains."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from motcua.catalogue.models import Channel, ProcedureVersion
from motcua.catalogue.selectors import versions_in_force
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError
from motcua.dossiers.counters import ENDED_STATUSES, Metric, Traits, count, event
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent
from motcua.organizations.models import Unit

from .engine import catalogue_counts
from .figures import procedures_with_online_dossiers
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
}
# Indicator parts as unions of figures (dossiers) or as procedure lists.
PARTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("2.1", "numerator"): ("ended_early", "ended_on_time", "within"),
    ("2.1", "denominator"): ("carried_over", "received"),
    ("3.3", "numerator"): ("received_online",),
    ("3.3", "denominator"): ("received",),
    ("4.2", "numerator"): ("received_digitised",),
    ("4.2", "denominator"): ("received",),
}
PROCEDURE_PARTS = {
    ("3.1", "numerator"): "online",
    ("3.1", "denominator"): "all",
    ("3.2", "numerator"): "online_with_dossier",
    ("3.2", "denominator"): "online",
}
ENDED = tuple(sorted(ENDED_STATUSES))  # withdrawn, stopped, finished, returned: the ends of indicator 2.1


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VIETNAM)


@dataclass(frozen=True)
class Window:
    """The days a figure is read over: flows over [start, as_of], stocks at the end of a day."""

    start: date
    as_of: date

    def holds(self, figure: str, changes: Counter[tuple[date, Metric]]) -> bool:
        def flow(metric: Metric) -> int:
            return sum(v for (d, m), v in changes.items() if m is metric and self.start <= d <= self.as_of)

        def stock(metric: Metric, at: date) -> int:
            return sum(v for (d, m), v in changes.items() if m is metric and d <= at)

        match figure:
            case "carried_over":
                return stock(Metric.OPEN, self.start - timedelta(days=1)) > 0
            case "open" | "overdue" | "paused":
                return stock(Metric(figure), self.as_of) > 0
            case "within":
                return stock(Metric.OPEN, self.as_of) > 0 and stock(Metric.OVERDUE, self.as_of) <= 0
            case _:
                return flow(Metric(figure)) > 0


def _candidates(units: set[int], figure: str, window: Window) -> QuerySet[Dossier]:
    """A superset of the dossiers a figure can hold, narrow enough to replay."""
    since, until = _start_of(window.start), _start_of(window.as_of + timedelta(days=1))
    dossiers = Dossier.objects.filter(competent_unit__in=units, received_at__isnull=False)
    if figure.startswith("received"):
        return dossiers.filter(received_at__gte=since, received_at__lt=until)
    if figure.startswith("ended"):
        ended = DossierEvent.objects.filter(
            dossier=OuterRef("pk"), at__gte=since, at__lt=until, status_after__in=ENDED
        )
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
        if figure.startswith("received"):
            # Exact in SQL: a dossier is counted as received by the very event that sets `received_at`.
            received = _candidates(units, figure, window)
            if figure == "received_online":
                received = received.filter(channel=Channel.ONLINE)
            elif figure == "received_digitised":
                received = received.filter(
                    Exists(DossierComponent.objects.filter(dossier=OuterRef("pk"), is_digitised=True))
                )
            found.update(received.values_list("pk", flat=True))
            continue
        candidates = (
            _candidates(units, figure, window)
            .annotate(digitised=Exists(DossierComponent.objects.filter(dossier=OuterRef("pk"), is_digitised=True)))
            .values_list("pk", "channel", "digitised")
        )
        traits = {pk: (channel, digitised) for pk, channel, digitised in candidates}
        for pk, changes in _replay(traits):
            if window.holds(figure, changes):
                found.add(pk)
    return sorted(found)


def _replay(traits: dict[int, tuple[int, bool]]) -> Iterable[tuple[int, Counter[tuple[date, Metric]]]]:
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
            channel, digitised = traits[dossier]
            happened = [event(status, at, due) for status, at, due in events]
            yield dossier, count(happened, Traits(0, 0, channel == Channel.ONLINE, digitised))


def procedures_behind(scope: Scope, unit: Unit, period: Period, which: str) -> list[tuple[Unit, ProcedureVersion]]:
    """The (unit, procedure) pairs behind indicators 3.1 and 3.2."""
    below = scope.tree.below(unit.pk)
    members = [scope.tree.units[pk] for pk in below if scope.tree.units[pk].type in SCORED_TYPES]
    counts = catalogue_counts(members, period.as_of)
    source = counts.procedures if which == "all" else counts.online
    pairs = [(u, p) for u, procedures in source.items() for p in procedures]
    if which == "online_with_dossier":
        with_dossiers = procedures_with_online_dossiers(period, below)
        pairs = [(u, p) for u, p in pairs if p in with_dossiers.get(u, ())]
    versions = {
        v.procedure_id: v
        for v in versions_in_force(period.as_of)
        .filter(procedure_id__in={p for _, p in pairs})
        .select_related("procedure")
        .defer("record", "search_text")
    }
    rows = [(scope.tree.units[u], versions[p]) for u, p in pairs if p in versions]
    return sorted(rows, key=lambda row: (row[0].name, row[1].procedure.code))


def part_figures(indicator: str, part: str) -> tuple[str, ...] | str:
    """What a part of an indicator is made of: a tuple of figures, or the name of a procedure list."""
    if part not in {"numerator", "denominator"}:
        raise DomainError("Phần cần xem phải là «numerator» (tử số) hoặc «denominator» (mẫu số).", field="part")
    if (indicator, part) in PARTS:
        return PARTS[indicator, part]
    if (indicator, part) in PROCEDURE_PARTS:
        return PROCEDURE_PARTS[indicator, part]
    raise DomainError(
        f"Chỉ tiêu «{indicator}» chưa có dữ liệu nên không có danh sách hồ sơ để xem.", field="indicator"
    )
