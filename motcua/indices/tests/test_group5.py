"""QĐ 766 group 5 from real cases against a hand-computed fixture: 5.1 classified, 5.2 on time, 5.3 satisfied, and
the points of the PAKN indicators moved when a unit has none (DOMAIN-2.md §1.1, §1.2, §2.2)."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.test import override_settings

from motcua.conftest import browser_for, client_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dossiers.tests.factories import load_catalogue, unit, user
from motcua.feedback.lifecycle import Action, Kind, Rating, Topic
from motcua.feedback.models import FeedbackCase
from motcua.feedback.services import Intake, Sender, act, file_case
from motcua.indices.engine import Standing, score
from motcua.indices.figures import Figures, figures_by_unit
from motcua.indices.pakn import cases_behind
from motcua.indices.periods import custom_period
from motcua.indices.scope import scope_for
from motcua.indices.selectors import board

pytestmark = pytest.mark.django_db
SENDER = Sender("Nguyễn Văn Dân", "Số 5 Lê Lợi", "0912345678")
MARCH = custom_period(date(2026, 3, 1), date(2026, 3, 31))


def at(day: int, month: int = 3, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=VIETNAM)


def pakn(on: datetime, **changes: object) -> FeedbackCase:
    with clock.frozen(on):
        return file_case(Intake(Kind.PAKN, SENDER, "Nội dung", Topic.REGULATION, unit("28261.UBND"), **changes))  # type: ignore[arg-type]


def answer(case: FeedbackCase, on: datetime) -> None:
    leader = user("mytho.lanhdao")
    with clock.frozen(on):
        act(case, Action.ACCEPT, actor=leader)
        act(case, Action.CONCLUDE, actor=leader, reason="Đã trả lời.", verified=True)


@pytest.fixture
def cases() -> dict[str, FeedbackCase]:
    load_catalogue()
    made = {name: pakn(at(day, month)) for name, day, month in (
        ("A", 2, 3), ("B", 3, 3), ("C", 10, 3), ("D", 20, 3), ("E", 2, 3), ("F", 26, 2), ("G", 5, 3), ("H", 9, 3),
    )}  # fmt: skip
    answer(made["A"], at(5))  # on time
    answer(made["B"], at(30))  # 15 working days from 03/03 end on 24/03: late
    with clock.frozen(at(11)):
        act(made["C"], Action.REFUSE, actor=user("mytho.lanhdao"), reason="Không thuộc phạm vi.")  # by 12/03
    # D (due 10/04) is open within its deadline on 31/03; E (due 23/03) is open and overdue.
    answer(made["F"], at(4))  # received in February, handled in March, on time
    answer(made["G"], at(6))
    act(made["G"], Action.RATE, actor=None, as_sender=True, rating=Rating.UNSATISFIED)
    answer(made["H"], at(10))
    with clock.frozen(at(12)):  # the answer to H is disputed by a complaint
        file_case(Intake(Kind.COMPLAINT, SENDER, "Không đồng ý", subject_unit=unit("28261.UBND"), decision="Trả lời H",
                         known_on=date(2026, 3, 10), follows=made["H"], signed=True))  # fmt: skip
    return made


def test_group_5_counts_the_cases_as_computed_by_hand(cases: dict[str, FeedbackCase]) -> None:
    figures = figures_by_unit(MARCH)[unit("28261.UBND").pk]
    # First received in March: A B C D E G H (F came in February; the complaint is not a PAKN).
    assert (figures.pakn_received, figures.pakn_classified) == (7, 7)
    # 5.2: received or handled in March = the 7 + F; on time: A, C (refused in time), D (open, within), F, G, H.
    assert (figures.pakn_on_time, figures.pakn_to_handle) == (6, 8)
    # 5.3: of the 7, B is late, E overdue, G disliked, H disputed: A, C, D remain.
    assert figures.pakn_satisfied == 3
    result = score(figures, (), MARCH.as_of)
    assert (result.result("5.1").ratio, result.result("5.1").points) == (D("100.00"), D("0.00"))
    assert (result.result("5.2").ratio, result.result("5.2").points) == (D("75.00"), D("4.50"))
    assert (result.result("5.3").ratio, result.result("5.3").points) == (D("42.86"), D("2.57"))
    # The lists behind the numbers have exactly as many cases (the same conditions, read the ORM's way).
    commune = [unit("28261.UBND").pk]
    for figure in ("pakn_received", "pakn_classified", "pakn_to_handle", "pakn_on_time", "pakn_satisfied"):
        assert len(cases_behind(MARCH, commune, figure)) == getattr(figures, figure), figure
    assert {c.code for c in cases_behind(MARCH, commune, "pakn_satisfied")} == {cases[n].code for n in "ACD"}
    # The province's board counts the commune's cases too.
    province = board(scope_for(user("giamsat")), unit("82"), MARCH).unit.figures
    assert (province.pakn_received, province.pakn_on_time, province.pakn_to_handle) == (7, 6, 8)


def test_anonymous_reports_count_only_where_the_province_says_so() -> None:
    load_catalogue()
    with clock.frozen(at(2)):
        file_case(Intake(Kind.PAKN, Sender(anonymous=True), "Cán bộ gây khó dễ", Topic.CONDUCT, unit("28261.UBND")))
    assert unit("28261.UBND").pk not in figures_by_unit(MARCH)
    with override_settings(MOTCUA_FEEDBACK_ANONYMOUS_PAKN=True):
        assert figures_by_unit(MARCH)[unit("28261.UBND").pk].pakn_received == 1
        assert len(cases_behind(MARCH, None, "pakn_received")) == 1


def test_a_period_before_the_cases_has_none() -> None:
    load_catalogue()
    pakn(at(2))
    assert unit("28261.UBND").pk not in figures_by_unit(custom_period(date(2026, 2, 1), date(2026, 2, 28)))


def test_without_pakn_their_points_move_to_5_2_and_5_4() -> None:
    on = date(2026, 6, 30)
    dossiers = Figures(received=10, ended_on_time=10)
    nothing = score(dossiers, (), on)
    assert nothing.result("5.2").standing == Standing.NO_DOSSIERS == nothing.result("5.3").standing
    assert nothing.result("5.4").indicator.max_points == D(18) and nothing.result("5.4").points == D(18)
    # Cases handled in the period but none first received in it: 5.3's 6 points go half to 5.2, half to 5.4.
    handled_only = score(Figures(received=10, ended_on_time=10, pakn_to_handle=2, pakn_on_time=1), (), on)
    assert handled_only.result("5.2").indicator.max_points == D(9) and handled_only.result("5.2").points == D("4.50")
    assert handled_only.result("5.4").indicator.max_points == D(9)
    assert handled_only.scored_max == nothing.scored_max  # the group keeps its 18 points


def test_the_leaders_see_the_cases_behind_5_3(cases: dict[str, FeedbackCase]) -> None:
    query = {"tu": "01/03/2026", "den": "31/03/2026", "chi-tieu": "5.3", "phan": "numerator"}
    page = browser_for("giamsat").get("/can-bo/chi-so/chi-tiet/", query).content.decode()
    assert all(f'data-case="{cases[n].code}"' in page for n in "ACD") and cases["B"].code not in page
    api = (
        client_for("giamsat")
        .get(
            "/api/v1/indices/766/drilldown",
            {"from": "2026-03-01", "to": "2026-03-31", "indicator": "5.2", "part": "numerator"},
        )
        .json()
    )
    assert api["kind"] == "cases" and api["count"] == 6 and "sender_name" not in str(api)
