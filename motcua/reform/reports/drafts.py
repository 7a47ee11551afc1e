"""A report's figures for its data window, read from the QĐ 766 counters as the indices screens read them: one query
on the counters for every unit at once, one for the procedures with online dossiers, one on the catalogue.

Each figure has the same name and meaning as in `indices.drilldown.FIGURES`, over the unit and the units below it,
so the drill-down for the window lists exactly the dossiers a figure counts.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from motcua.core import clock
from motcua.core.formatting import format_number
from motcua.indices.engine import catalogue_counts
from motcua.indices.figures import Figures, figures_by_unit, procedures_with_dossiers
from motcua.indices.periods import Period
from motcua.indices.scope import SCORED_TYPES, UnitTree
from motcua.organizations.models import Unit

# The figures of section II.2 (TTHC and online services), in the order the report shows them.
DOSSIER_FIGURES = {
    "carried_over": "Hồ sơ kỳ trước chuyển sang",
    "received": "Hồ sơ tiếp nhận trong kỳ",
    "received_online": "Trong đó: tiếp nhận trực tuyến",
    "received_digitised": "Trong đó: có thành phần được số hóa",
    "ended_early": "Đã giải quyết trước hạn",
    "ended_on_time": "Đã giải quyết đúng hạn",
    "ended_late": "Đã giải quyết quá hạn",
    "within": "Đang giải quyết trong hạn",
    "overdue": "Đang giải quyết quá hạn",
    "paused": "Tạm dừng (chờ bổ sung, chờ nghĩa vụ tài chính)",
    "result_due": "Hồ sơ có kết quả bằng văn bản",
    "e_result": "Trong đó: có kết quả điện tử",
}
PROCEDURE_FIGURES = {
    "procedures": "TTHC thuộc thẩm quyền đang áp dụng",
    "procedures_online": "TTHC cung cấp dịch vụ công trực tuyến",
    "procedures_online_with_dossier": "TTHC trực tuyến có phát sinh hồ sơ trực tuyến",
}
LABELS = {**DOSSIER_FIGURES, **PROCEDURE_FIGURES}
NOT_STARTED = "Kỳ số liệu chưa bắt đầu."


def window_period(cutoff_from: date, cutoff_to: date, label: str = "Kỳ chốt số liệu") -> Period:
    """The report's data window as an indices period (its figures stop at today while the window runs)."""
    return Period(cutoff_from, cutoff_to, label)


def after_period(cutoff_to: date, today: date) -> Period | None:
    """From the day after the cut-off to today: what happened after the figures were locked."""
    start = cutoff_to + timedelta(days=1)
    return Period(start, today, "Phát sinh sau chốt số liệu") if start <= today else None


def empty() -> dict[str, int]:
    return dict.fromkeys(LABELS, 0)


def compute(period: Period, units: Iterable[Unit], tree: UnitTree | None = None) -> dict[int, dict[str, int]]:
    """Each unit's figures for the window, the units below it included, with three queries whatever the number of
    units (`figures_by_unit` for all units, then sums over each unit's subtree)."""
    units = list(units)
    if period.start > min(period.end, clock.today()):
        return {unit.pk: empty() for unit in units}
    tree = tree or UnitTree.load()
    own = figures_by_unit(period)
    with_dossiers = procedures_with_dossiers(period)
    scored = [u for u in tree.units.values() if u.type in SCORED_TYPES]
    counts = catalogue_counts(scored, period.as_of)
    out: dict[int, dict[str, int]] = {}
    for unit in units:
        below = tree.below(unit.pk) if unit.pk in tree.units else {unit.pk}
        figures = sum((own[pk] for pk in below if pk in own), Figures())
        procedures = counts.for_units(below, with_dossiers)
        values: dict[str, int] = {key: int(getattr(figures, key)) for key in DOSSIER_FIGURES}
        values |= {
            "procedures": procedures.total,
            "procedures_online": procedures.online,
            "procedures_online_with_dossier": procedures.online_with_dossier,
        }
        out[unit.pk] = values
    return out


def online_share(values: dict[str, int]) -> str:
    """The share of dossiers received online, as the report writes it (15,17 %), or "—" without dossiers."""
    if not values.get("received"):
        return "—"
    return format_number(values["received_online"] * 100 / values["received"], 2, language="vi") + " %"
