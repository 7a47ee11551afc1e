"""How far a unit has inspected its own divisions in a year, against the share the plan requires. Pure.

Each department and commune inspects itself and covers at least 50 % of its divisions or subordinate units each year
(UBND tỉnh's 2025 CCHC inspection plan, DOMAIN-2.md §5 [V]); the share is kept here by effective date.
"""

import math
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

# (effective from, share of divisions, source)
SHARE_RULES = ((date(2025, 1, 1), Fraction(1, 2), "Kế hoạch kiểm tra CCHC năm 2025 của UBND tỉnh"),)


def share_on(day: date) -> tuple[Fraction, str]:
    """The share of divisions a unit must self-inspect in the year of `day`, and its source."""
    in_force = [rule for rule in SHARE_RULES if rule[0] <= day] or [SHARE_RULES[0]]
    _from, share, source = max(in_force, key=lambda rule: rule[0])
    return share, source


@dataclass(frozen=True)
class Coverage:
    divisions: int
    inspected: int  # divisions with a concluded self-inspection in the year
    required: int
    share: Fraction
    source: str

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.inspected)

    @property
    def percent(self) -> int:
        return round(100 * self.inspected / self.divisions) if self.divisions else 100


def coverage(year: int, divisions: int, inspected: int) -> Coverage:
    """The coverage of a unit with `divisions` divisions of which `inspected` were self-inspected in `year`."""
    share, source = share_on(date(year, 12, 31))
    return Coverage(divisions, inspected, math.ceil(share * divisions), share, source)
