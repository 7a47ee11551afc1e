"""Scores: the QĐ 766 index and the TT 01/2018 evaluation from a unit's period figures and the catalogue in force."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any, NamedTuple

from django.db.models import Exists, OuterRef

from motcua.catalogue.models import Fee, OnlineLevel, ProcedureVersion
from motcua.catalogue.selectors import versions_in_force
from motcua.dossiers.counters import Metric, ResultMetric
from motcua.organizations.models import Unit

from .config import (
    EvaluationVersion,
    Formula,
    IndexVersion,
    Indicator,
    IndicatorGroup,
    band_for,
    band_of,
    evaluation_on,
    index_766_on,
)
from .figures import Figures
from .publication import announcements

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class Standing:
    SCORED = "scored"
    NO_DATA = "no_data"  # the system has no data for it yet: left out of the score
    NO_DOSSIERS = "no_dossiers"  # denominator 0 in the period: nothing to score (DOMAIN-2.md §1.1 "N/A")
    PROVINCE_ONLY = "province_only"  # scored for the province as a whole only: left out of a unit's score


STANDING_LABELS = {
    Standing.SCORED: "",
    Standing.NO_DATA: "chưa có dữ liệu",
    Standing.NO_DOSSIERS: "không phát sinh",
    Standing.PROVINCE_ONLY: "chỉ tính cho cấp tỉnh",
}


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def ratio_pct(numerator: int, denominator: int) -> Decimal:
    return _round(Decimal(numerator) * HUNDRED / Decimal(denominator))


def points_for(ratio: Decimal, max_points: Decimal, threshold_pct: Decimal | None) -> Decimal:
    """P = Pmax if R >= T, else R x Pmax / T; without a threshold, R x Pmax (DOMAIN-2.md §1.1)."""
    if threshold_pct is not None:
        if ratio >= threshold_pct:
            return max_points
        return _round(ratio * max_points / threshold_pct)
    return _round(ratio * max_points / HUNDRED)


NO_PROCEDURES: frozenset[int] = frozenset()


class ProcedureCounts(NamedTuple):
    """A unit's (or roll-up's) procedures in force, as indicators 1.3, 3.1 and 3.2 count them."""

    total: int = 0
    online: int = 0
    online_with_dossier: int = 0
    complete: int = 0  # published with every part indicator 1.3 checks
    fee_bearing: int = 0  # listing a fee of more than 0 đ (3.5 denominator)
    fee_with_dossier: int = 0  # ... with a dossier received owing one in the period (3.5 numerator)
    for_citizens: int = 0  # for citizens, Vietnamese abroad or foreigners (4.5a denominator)
    citizens_with_vneid: int = 0  # ... with a dossier filed through a VNeID account in the period (4.5a numerator)
    announced: int = 0  # with an announcement decision dated in the period (1.1 denominator)
    announced_on_time: int = 0  # ... all of them on time (1.1 numerator)


@dataclass(frozen=True)
class CatalogueCounts:
    """Per unit: procedures under its competence in force, those offered online (3.1, 3.2), those complete (1.3)."""

    procedures: dict[int, frozenset[int]]
    online: dict[int, frozenset[int]]
    complete: dict[int, frozenset[int]]
    fee_bearing: dict[int, frozenset[int]]
    for_citizens: dict[int, frozenset[int]]
    announced: dict[int, frozenset[int]] = field(default_factory=dict)
    announced_on_time: dict[int, frozenset[int]] = field(default_factory=dict)

    def for_units(self, units: Iterable[int], with_dossiers: Mapping[str, Mapping[int, set[int]]]) -> ProcedureCounts:
        """Procedures, online ones, complete ones, those with a fee and those for citizens, each with those among
        them that had a dossier of the kind in the period (`figures.procedures_with_dossiers`), over the units."""
        online_dossiers = with_dossiers.get(Metric.RECEIVED_ONLINE, {})
        fee_dossiers = with_dossiers.get(ResultMetric.FEE_DUE, {})
        vneid_dossiers = with_dossiers.get(ResultMetric.VNEID, {})
        counts = [0] * 10
        for unit in units:
            offered, paying = self.online.get(unit, NO_PROCEDURES), self.fee_bearing.get(unit, NO_PROCEDURES)
            citizens = self.for_citizens.get(unit, NO_PROCEDURES)
            counts[0] += len(self.procedures.get(unit, NO_PROCEDURES))
            counts[1] += len(offered)
            counts[2] += len(offered & online_dossiers.get(unit, NO_PROCEDURES))
            counts[3] += len(self.complete.get(unit, NO_PROCEDURES))
            counts[4] += len(paying)
            counts[5] += len(paying & fee_dossiers.get(unit, NO_PROCEDURES))
            counts[6] += len(citizens)
            counts[7] += len(citizens & vneid_dossiers.get(unit, NO_PROCEDURES))
            counts[8] += len(self.announced.get(unit, NO_PROCEDURES))
            counts[9] += len(self.announced_on_time.get(unit, NO_PROCEDURES))
        return ProcedureCounts(*counts)


def _listed(record: Mapping[str, Any], key: str, inner: str = "") -> bool:
    """A non-empty list in the record; with `inner`, each of its items holds a non-empty `inner` too."""
    items = record.get(key)
    if not isinstance(items, list) or not items:
        return False
    return not inner or all(isinstance(item, dict) and item.get(inner) for item in items)


def publishes_every_part(record: Mapping[str, Any]) -> bool:
    """Tell whether a national record holds the seven parts indicator 1.3 checks (ND 63/2010 art. 8(2)).

    Name; sequence (TRINHTUTHUCHIEN with its steps); channels (CACHTHUCTHUCHIEN) each with its time limits
    (THOIGIAN); papers with their numbers (THANHPHANHOSO with GIAYTO); subjects; implementing agencies.
    """
    name, subjects = str(record.get("TENTTHC") or "").strip(), str(record.get("MOTADOITUONGTHUCHIEN") or "").strip()
    return bool(
        name
        and _listed(record, "TRINHTUTHUCHIEN", "TRINHTU")
        and _listed(record, "CACHTHUCTHUCHIEN", "THOIGIAN")
        and _listed(record, "THANHPHANHOSO", "GIAYTO")
        and (_listed(record, "DOITUONGTHUCHIEN") or subjects)
        and _listed(record, "COQUANTHUCHIEN")
    )


# 4.5a's denominator: procedures for the people the population database holds — Vietnamese citizens, Vietnamese
# living abroad, foreigners (DOMAIN-2.md §1.2, 4.5a [I]) — by the subject names of the national record.
CITIZEN_SUBJECTS = frozenset({"công dân việt nam", "người việt nam định cư ở nước ngoài", "người nước ngoài"})


def serves_citizens(record: Mapping[str, Any]) -> bool:
    subjects = record.get("DOITUONGTHUCHIEN")
    if not isinstance(subjects, list):
        return False
    names = (str(s.get("TENDOITUONG") or "") for s in subjects if isinstance(s, dict))
    return any(" ".join(name.lower().split()) in CITIZEN_SUBJECTS for name in names)


# What a record says, per content fingerprint: a published record never changes, so it is read once per process.
_contents: dict[str, tuple[bool, bool]] = {}  # (holds every part 1.3 checks, serves citizens)


def _read_contents(hashes: dict[int, str]) -> tuple[set[int], set[int]]:
    """The versions (by id, with their content hash) complete for 1.3, and those serving citizens (4.5a)."""
    unknown = {pk for pk, digest in hashes.items() if digest not in _contents}
    if unknown:
        rows = ProcedureVersion.objects.filter(pk__in=unknown).values_list("content_hash", "record")
        _contents.update((digest, (publishes_every_part(record), serves_citizens(record))) for digest, record in rows)
    read = {pk: _contents.get(digest, (False, False)) for pk, digest in hashes.items()}
    complete = {pk for pk, (whole, _) in read.items() if whole}
    return complete, {pk for pk, (_, citizens) in read.items() if citizens}


def catalogue_counts(units: Iterable[Unit], on: date, since: date | None = None) -> CatalogueCounts:
    """Procedures in force on a day whose competent unit is the unit, or whose competent unit type is its type; with
    `since`, also those announced from that day to `on` (1.1)."""
    units = list(units)
    by_unit: defaultdict[int, list[tuple[int, str, int]]] = defaultdict(list)
    by_type: defaultdict[str, list[tuple[int, str, int]]] = defaultdict(list)
    columns = ("pk", "content_hash", "procedure_id", "competent_unit_id", "competent_unit_type", "online_level")
    # 3.5's denominator: procedures whose record lists a fee of more than 0 đ (DOMAIN-2.md §1.2, 3.5).
    fee = Fee.objects.filter(amount__gt=0, limit__version=OuterRef("pk"))
    versions = versions_in_force(on).annotate(charges=Exists(fee)).values_list(*columns, "charges")
    hashes: dict[int, str] = {}
    charged: set[int] = set()
    for pk, digest, procedure, competent, competent_type, level, charges in versions:
        hashes[pk] = digest
        if charges:
            charged.add(pk)
        if competent is not None:
            by_unit[competent].append((procedure, level, pk))
        else:
            by_type[competent_type].append((procedure, level, pk))
    complete, for_citizens = _read_contents(hashes)

    def sets(versions: list[tuple[int, str, int]]) -> tuple[frozenset[int], ...]:
        every = frozenset(p for p, _, _ in versions)
        offered = frozenset(p for p, level, _ in versions if level != OnlineLevel.NONE)
        whole = frozenset(p for p, _, pk in versions if pk in complete)
        paying = frozenset(p for p, _, pk in versions if pk in charged)
        return every, offered, whole, paying, frozenset(p for p, _, pk in versions if pk in for_citizens)

    # A province has hundreds of communes under the same type-level procedures: they share one set.
    of_type = {unit_type: sets(versions) for unit_type, versions in by_type.items()}
    nothing = (NO_PROCEDURES,) * 5
    counted: tuple[dict[int, frozenset[int]], ...] = ({}, {}, {}, {}, {})
    for unit in units:
        mine = of_type.get(unit.type, nothing)
        if unit.pk in by_unit:
            mine = tuple(shared | own for shared, own in zip(mine, sets(by_unit[unit.pk]), strict=True))
        if mine[0]:
            for table, procedures in zip(counted, mine, strict=True):
                table[unit.pk] = procedures
    announced, on_time = announcements(units, since, on) if since is not None else ({}, {})
    return replace(CatalogueCounts(*counted), announced=announced, announced_on_time=on_time)


class IndicatorResult(NamedTuple):
    """One indicator's result; a tuple because a province's board builds a few thousand of them."""

    group: IndicatorGroup
    indicator: Indicator
    standing: str
    numerator: int | None = None
    denominator: int | None = None
    ratio: Decimal | None = None
    points: Decimal | None = None

    @property
    def standing_label(self) -> str:
        return STANDING_LABELS[self.standing]


@dataclass(frozen=True)
class GroupResult:
    group: IndicatorGroup
    results: tuple[IndicatorResult, ...]

    @cached_property
    def points(self) -> Decimal:
        return sum((r.points for r in self.results if r.points is not None), Decimal(0))

    @cached_property
    def scored_max(self) -> Decimal:
        return sum((r.indicator.max_points for r in self.results if r.standing == Standing.SCORED), Decimal(0))


@dataclass(frozen=True)
class Score:
    """A unit's 766 result for a period: each indicator, and the total over the indicators that could be scored."""

    version: IndexVersion
    groups: tuple[GroupResult, ...]

    @cached_property
    def results(self) -> list[IndicatorResult]:
        return [r for g in self.groups for r in g.results]

    @cached_property
    def points(self) -> Decimal:
        return sum((g.points for g in self.groups), Decimal(0))

    @cached_property
    def scored_max(self) -> Decimal:
        return sum((g.scored_max for g in self.groups), Decimal(0))

    @property
    def left_out(self) -> list[IndicatorResult]:
        return [r for r in self.results if r.standing != Standing.SCORED]

    @cached_property
    def percent(self) -> Decimal | None:
        """Points as a share of the points that could be scored: what units are ranked by."""
        return ratio_pct_decimal(self.points, self.scored_max) if self.scored_max else None

    @cached_property
    def band(self) -> str:
        """The version's band for the percent; "" while no indicator could be scored."""
        if self.percent is None or not self.version.bands:
            return ""
        return band_of(self.percent, self.version.bands)

    def result(self, code: str) -> IndicatorResult:
        return next(r for r in self.results if r.indicator.code == code)


def ratio_pct_decimal(numerator: Decimal, denominator: Decimal) -> Decimal:
    return _round(numerator * HUNDRED / denominator)


def parts(formula: Formula, figures: Figures, counts: ProcedureCounts) -> tuple[int, int] | None:
    """The numerator and denominator of a formula, or None when the system holds no data for it."""
    match formula:
        case Formula.PUBLISH_ON_TIME:
            return counts.announced_on_time, counts.announced
        case Formula.PUBLIC_CONTENT_FULL:
            return counts.complete, counts.total
        case Formula.PROGRESS:
            return figures.ended_early + figures.ended_on_time + figures.within, figures.to_handle
        case Formula.ONLINE_PROCEDURES:
            return counts.online, counts.total
        case Formula.PROCEDURES_WITH_ONLINE_DOSSIER:
            return counts.online_with_dossier, counts.online
        case Formula.ONLINE_DOSSIERS:
            return figures.received_online_result, figures.received
        case Formula.E_RESULTS:
            return figures.e_result, figures.result_due
        case Formula.DIGITISED_DOSSIERS:
            return figures.received_digitised_result, figures.received
        case Formula.SATISFACTION:
            # 100 % - (overdue rate + rate of dossiers disliked or reported), over the dossiers to handle, never < 0.
            failing = figures.ended_late + figures.overdue + figures.rated_unsatisfied + figures.reported
            return max(figures.to_handle - failing, 0), figures.to_handle
        case Formula.PAKN_CLASSIFIED:
            return figures.pakn_classified, figures.pakn_received
        case Formula.PAKN_PROGRESS:
            return figures.pakn_on_time, figures.pakn_to_handle
        case Formula.PAKN_SATISFACTION:
            return figures.pakn_satisfied, figures.pakn_received
        case Formula.FEE_PROCEDURES:
            return counts.fee_with_dossier, counts.fee_bearing
        case Formula.CITIZEN_DATA_PROCEDURES:
            return counts.citizens_with_vneid, counts.for_citizens
        case Formula.DOSSIER_SYNC:
            return figures.received_synced, figures.received
        case Formula.PAID_ONLINE:
            return figures.received_paid_online, figures.received_fee_due
        case Formula.VNEID_DOSSIERS:
            return figures.received_vneid, figures.received
        case Formula.NO_DATA:
            return None


_SAME_FOR_EVERY_UNIT: dict[tuple[str, str, str], IndicatorResult] = {}


def _without_score(group: IndicatorGroup, indicator: Indicator, standing: str) -> IndicatorResult:
    """No data, or scored at province level only: the same for every unit, built once."""
    key = (group.name, indicator.code, standing)
    if key not in _SAME_FOR_EVERY_UNIT:
        _SAME_FOR_EVERY_UNIT[key] = IndicatorResult(group, indicator, standing)
    return _SAME_FOR_EVERY_UNIT[key]


def _moved_points(version: IndexVersion, split: dict[str, tuple[int, int] | None]) -> dict[str, Decimal]:
    """The points an indicator with nothing to count hands evenly to those of its `empty_to` that have something
    (DOMAIN-2.md §1.1: a unit without PAKN)."""
    has_some = {code for code, parts_ in split.items() if parts_ is not None and parts_[1] > 0}
    extra: defaultdict[str, Decimal] = defaultdict(Decimal)
    for _group, indicator in version.indicators():
        receivers = [code for code in indicator.empty_to if code in has_some]
        if indicator.code not in has_some and receivers:
            for code in receivers:
                extra[code] += indicator.max_points / len(receivers)
    return dict(extra)


def score(figures: Figures, procedures: tuple[int, ...], on: date, *, province: bool = True) -> Score:
    """Score one unit (or roll-up) from its figures and its procedure counts (`ProcedureCounts`).

    `province`: the whole province is scored, so the indicators scored at that level only count.
    """
    version = index_766_on(on)
    counts = ProcedureCounts(*procedures)
    split = {i.code: parts(i.formula, figures, counts) for _, i in version.indicators()}
    extra = _moved_points(version, split)
    groups = []
    for group in version.groups:
        results = []
        for indicator in group.indicators:
            if indicator.province_only and not province:
                results.append(_without_score(group, indicator, Standing.PROVINCE_ONLY))
                continue
            if split[indicator.code] is None:
                results.append(_without_score(group, indicator, Standing.NO_DATA))
                continue
            numerator, denominator = split[indicator.code]  # type: ignore[misc]
            if denominator == 0:
                results.append(IndicatorResult(group, indicator, Standing.NO_DOSSIERS, numerator, denominator))
                continue
            if indicator.code in extra:
                indicator = replace(indicator, max_points=indicator.max_points + extra[indicator.code])
            ratio = ratio_pct(numerator, denominator)
            points = points_for(ratio, indicator.max_points, indicator.threshold_pct)
            results.append(IndicatorResult(group, indicator, Standing.SCORED, numerator, denominator, ratio, points))
        groups.append(GroupResult(group, tuple(results)))
    return Score(version, tuple(groups))


# -- TT 01/2018/TT-VPCP evaluation (DOMAIN.md §1.8) -------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationItem:
    number: int
    wording: str
    points: Decimal | None  # None: no data yet
    basis: str


@dataclass(frozen=True)
class Evaluation:
    version: EvaluationVersion
    items: tuple[EvaluationItem, ...]

    @property
    def points(self) -> Decimal:
        return sum((i.points for i in self.items if i.points is not None), Decimal(0))

    @property
    def scored_max(self) -> int:
        return 2 * sum(1 for i in self.items if i.points is not None)

    @property
    def band(self) -> str:
        """The ranking band, only when all nine indicators could be scored: a band on part of them would mislead."""
        if any(i.points is None for i in self.items):
            return "Chưa đủ dữ liệu để xếp loại"
        return band_for(self.points, self.version)


def evaluate(figures: Figures, procedures: tuple[int, ...], on: date) -> Evaluation:
    """Score the computable indicators of the 9 (each 2/1/0 points, max 18) by the version in force on `on`."""
    version = evaluation_on(on)
    total, online_procedures = procedures[0], procedures[1]
    items = []
    for number, wording, computable in version.items:
        points: Decimal | None = None
        basis = "chưa có dữ liệu"
        if computable and number == 1 and figures.ended:
            # Per dossier: earlier than the limit 2, equal 1, longer 0; the unit's value is the mean over its dossiers.
            points = _round(Decimal(2 * figures.ended_early + figures.ended_on_time) / Decimal(figures.ended))
            basis = f"trung bình trên {figures.ended} hồ sơ đã giải quyết"
        elif computable and number == 7 and figures.ended:
            # Per dossier: earlier and no verified report on conduct 2, on time 1, a verified report 0 (DOMAIN.md
            # §1.8); a late dossier scores 0 as in indicator 1 [R: the circular names only the three cases].
            kept = 2 * figures.ended_early + figures.ended_on_time - figures.conduct_verified_points
            points = _round(Decimal(kept) / Decimal(figures.ended))
            basis = (
                f"trung bình trên {figures.ended} hồ sơ đã giải quyết, {figures.conduct_verified} hồ sơ có phản ánh "
                "về thái độ được xác minh tính 0 điểm"
            )
        elif computable and number == 8:
            # None, or all handled on time: 2; at least 90 %: 1; less: 0 (DOMAIN.md §1.8).
            if not figures.pakn_to_handle:
                points, basis = Decimal(2), "không có phản ánh, kiến nghị"
            else:
                share = Decimal(figures.pakn_on_time) * HUNDRED / Decimal(figures.pakn_to_handle)
                points = Decimal(2 if share == HUNDRED else 1 if share >= 90 else 0)
                basis = (
                    f"{figures.pakn_on_time}/{figures.pakn_to_handle} phản ánh, kiến nghị đúng hạn ({_round(share)}%)"
                )
        elif computable and number == 9 and figures.received and total:
            online_share = Decimal(figures.received_online) * HUNDRED / Decimal(figures.received)
            procedure_share = Decimal(online_procedures) * HUNDRED / Decimal(total)
            if procedure_share >= 20 and online_share >= 30 and figures.ended_late_online == 0:
                points = Decimal(2)
            elif online_share >= 15:
                points = Decimal(1)
            else:
                points = Decimal(0)
            basis = (
                f"TTHC trực tuyến {_round(procedure_share)}%, hồ sơ trực tuyến {_round(online_share)}%, "
                f"{figures.ended_late_online} hồ sơ trực tuyến trễ hạn"
            )
        elif computable:
            basis = "không phát sinh"
        items.append(EvaluationItem(number, wording, points, basis))
    return Evaluation(version, tuple(items))
