"""Values of sub-criteria measured by motcua itself (method "dữ liệu motcua"), read from the QĐ 766 indices.

A sub-criterion names its QĐ 766 indicator ("2.1", "4.2"...); the value is the indicator's ratio for the unit and
the round's year, computed by `motcua.indices` from its counters, and stored with a snapshot of the figures (the
evidence): units cannot edit it; recomputing shows the difference.

One indices board of the province covers every scored unit (its ranking holds each unit's results), so a round's
feed costs one board, whatever the number of units; a unit outside the ranking gets its own board.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from motcua.core import clock
from motcua.indices.engine import Score
from motcua.indices.periods import period_of
from motcua.indices.scope import Scope, UnitTree
from motcua.indices.selectors import board
from motcua.organizations.models import Unit

UNKNOWN = "Không có chỉ tiêu này trong bộ chỉ số QĐ 766 đang áp dụng."


def _snapshots(result: Score, codes: set[str], period_label: str, at: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for code in sorted(codes):
        try:
            indicator = result.result(code)
        except StopIteration:
            found[code] = {"indicator": code, "error": UNKNOWN}
            continue
        found[code] = {
            "indicator": code,
            "version": result.version.code,
            "period": period_label,
            "numerator": indicator.numerator,
            "denominator": indicator.denominator,
            "ratio": str(indicator.ratio) if indicator.ratio is not None else None,
            "at": at,
        }
    return found


def ratios_for_units(units: Iterable[Unit], year: int, codes: set[str]) -> dict[int, dict[str, dict[str, Any]]]:
    """Each unit's named indicators (percent, with their parts) over the year, from one province board."""
    tree = UnitTree.load()
    province = tree.province()
    scope = Scope(tree, (province,), frozenset(tree.units))
    period = period_of("nam", year)
    whole = board(scope, province, period)
    scores = {row.unit.pk: row.score for row in whole.ranking}
    scores[province.pk] = whole.unit.score
    at = clock.now().isoformat()
    found = {}
    for unit in units:
        score = scores.get(unit.pk)
        if score is None:  # not a scored type (rare): its own board
            score = board(scope, tree.units.get(unit.pk, unit), period).unit.score
        found[unit.pk] = _snapshots(score, codes, period.label, at)
    return found


def indicator_ratios(unit: Unit, year: int, codes: set[str]) -> dict[str, dict[str, Any]]:
    """One unit's named indicators, from a board of that unit alone (the naive per-unit path)."""
    tree = UnitTree.load()
    scope = Scope(tree, (tree.province(),), frozenset(tree.units))
    period = period_of("nam", year)
    return _snapshots(board(scope, unit, period).unit.score, codes, period.label, clock.now().isoformat())


def ratio_of(snapshot: dict[str, Any]) -> Decimal | None:
    ratio = snapshot.get("ratio")
    return Decimal(ratio) if ratio is not None else None
