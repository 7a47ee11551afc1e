"""Indicator 1.1, procedures announced on time: the announcement decision (QĐ công bố) dated in the period, at least 5
working days before the latest effective date of the procedure's legal basis (DOMAIN-2.md §1.2, 1.1)."""

from datetime import date

import pytest

from motcua.catalogue.services import import_catalogue
from motcua.catalogue.tests.samples import BIRTH, sample
from motcua.dossiers.tests.factories import unit, user
from motcua.indices.drilldown import procedures_behind
from motcua.indices.periods import period_of
from motcua.indices.publication import latest_on_time
from motcua.indices.scope import scope_for
from motcua.indices.selectors import board
from motcua.worktime.selectors import calendar_for

pytestmark = pytest.mark.django_db


def announced(code: str, on: str, basis_effective: str) -> dict[str, object]:
    return sample(
        ("MATTHC", code),
        ("TENTTHC", f"Thủ tục thử {code}"),
        ("MOTCUA.QUYETDINHCONGBO.NGAY", on),
        ("CANCUPHAPLY.0.NGAYHIEULUC", basis_effective),
        base=BIRTH,
    )


def test_the_latest_day_is_five_working_days_before_the_basis_takes_effect() -> None:
    calendar = calendar_for()
    # Monday 9 March 2026: Friday 6, Thursday 5, Wednesday 4, Tuesday 3, Monday 2.
    assert latest_on_time(calendar, date(2026, 3, 9)) == date(2026, 3, 2)
    # Wednesday 15 April 2026: the weekend of 11–12 is skipped.
    assert latest_on_time(calendar, date(2026, 4, 15)) == date(2026, 4, 8)


def test_1_1_counts_each_procedure_announced_in_the_period_once_late_if_any_decision_is_late() -> None:
    import_catalogue(
        [
            announced("1.990001", "02/03/2026", "09/03/2026"),  # the last day: on time
            announced("1.990002", "03/03/2026", "09/03/2026"),  # one day late
            announced("1.990003", "10/03/2026", "01/01/2016"),  # after its basis took effect: late
            announced("1.990004", "10/02/2026", "01/03/2026"),  # announced before the period: not counted
        ]
    )
    import_catalogue([announced("1.990005", "05/03/2026", "")])  # no effective date: cannot be judged, left out
    scope, period = scope_for(user("giamsat")), period_of("thang", 2026, 3)
    result = board(scope, unit("82"), period).unit.score.result("1.1")
    commune = board(scope, unit("28261"), period).unit.score.result("1.1")
    assert (commune.numerator, commune.denominator) == (1, 3)  # the sample's decision (30/06/2025) is not in March
    assert result.denominator is not None and result.denominator % 3 == 0  # the same three for every commune
    listed = procedures_behind(scope, unit("28261"), period, "announced")
    on_time = procedures_behind(scope, unit("28261"), period, "announced_on_time")
    assert sorted(v.procedure.code for _u, v in listed) == ["1.990001", "1.990002", "1.990003"]
    assert [v.procedure.code for _u, v in on_time] == ["1.990001"]
