"""A unit's total from its items, and the ranking of a round's units. Pure over the rows given.

Total = ordinary points (a "Không áp dụng" item handled as the set says) + bonus - penalty; survey points come from
the survey campaigns, not yet part of this slice. Ties share a rank (1, 1, 3).
"""

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from .lifecycle import Method, NotApplicable, Sign

CENT = Decimal("0.01")


def total(items: Iterable[tuple[str, str, Decimal, Decimal | None, bool]], not_applicable: str) -> Decimal:
    """`items`: (sign, method, max points, score, not applicable) of each sub-criterion; a None score counts 0."""
    earned = ordinary_max = applicable_max = extra = Decimal(0)
    for sign, method, max_points, points, skipped in items:
        if method == Method.SURVEY:
            continue
        if sign == Sign.BONUS:
            extra += points or 0
            continue
        if sign == Sign.PENALTY:
            extra -= points or 0
            continue
        ordinary_max += max_points
        if skipped and not_applicable == NotApplicable.FULL_POINTS:
            earned += max_points
            applicable_max += max_points
        elif not skipped:
            earned += points or 0
            applicable_max += max_points
    if applicable_max and applicable_max != ordinary_max:  # items left out: scaled back to the same maximum
        earned = earned * ordinary_max / applicable_max
    return (earned + extra).quantize(CENT, rounding=ROUND_HALF_UP)


def ranks(totals: Sequence[Decimal]) -> list[int]:
    """Competition ranking of the totals given, in their order: equal totals share a rank."""
    ordered = sorted(totals, reverse=True)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, 1):
        first.setdefault(value, position)
    return [first[value] for value in totals]
