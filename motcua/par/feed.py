"""Values of sub-criteria measured by motcua itself (method "dữ liệu motcua"), read from the QĐ 766 indices.

A sub-criterion names its QĐ 766 indicator ("2.1", "4.2"...); the value is the indicator's ratio for the unit and
the round's year, computed by `motcua.indices` from its counters, and stored with a snapshot of the figures (the
evidence): units cannot edit it; recomputing shows the difference.
"""

from decimal import Decimal
from typing import Any

from motcua.core import clock
from motcua.indices.periods import period_of
from motcua.indices.scope import Scope, UnitTree
from motcua.indices.selectors import board
from motcua.organizations.models import Unit


def indicator_ratios(unit: Unit, year: int, codes: set[str]) -> dict[str, dict[str, Any]]:
    """Each named indicator's ratio (percent) for the unit and everything below it over the year, with its parts."""
    tree = UnitTree.load()
    scope = Scope(tree, (tree.province(),), frozenset(tree.units))
    period = period_of("nam", year)
    result = board(scope, unit, period).unit.score
    found: dict[str, dict[str, Any]] = {}
    for code in codes:
        try:
            indicator = result.result(code)
        except StopIteration:
            found[code] = {"indicator": code, "error": "Không có chỉ tiêu này trong bộ chỉ số QĐ 766 đang áp dụng."}
            continue
        found[code] = {
            "indicator": code,
            "version": result.version.code,
            "period": period.label,
            "numerator": indicator.numerator,
            "denominator": indicator.denominator,
            "ratio": str(indicator.ratio) if indicator.ratio is not None else None,
            "at": clock.now().isoformat(),
        }
    return found


def ratio_of(snapshot: dict[str, Any]) -> Decimal | None:
    ratio = snapshot.get("ratio")
    return Decimal(ratio) if ratio is not None else None
