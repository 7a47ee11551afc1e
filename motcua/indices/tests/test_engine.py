"""Formulas against hand-computed cases: configuration, points, period figures, drill-down lists, evaluation bands."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from motcua.catalogue.models import OnlineLevel
from motcua.catalogue.selectors import versions_in_force
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.services import SupplementRequest, perform
from motcua.dossiers.tests.factories import load_catalogue, online, receive, unit, user
from motcua.indices.config import EVALUATION_V1, INDEX_766_V1, band_for, index_766_on
from motcua.indices.drilldown import FIGURES, dossier_ids
from motcua.indices.engine import Standing, evaluate, points_for, score
from motcua.indices.figures import Figures, figures_by_unit
from motcua.indices.periods import custom_period, period_of
from motcua.indices.scope import scope_for
from motcua.indices.selectors import board

D = Decimal


def test_the_index_has_five_groups_worth_100_points() -> None:
    assert [(g.name, g.max_points) for g in INDEX_766_V1.groups] == [
        ("Công khai, minh bạch", 18),
        ("Tiến độ, kết quả giải quyết", 20),
        ("Cung cấp dịch vụ trực tuyến và thanh toán trực tuyến", 22),
        ("Số hóa hồ sơ", 22),
        ("Mức độ hài lòng", 18),
    ]
    for group in INDEX_766_V1.groups:
        assert sum(i.max_points for i in group.indicators) == group.max_points
    assert all(i.source for _, i in INDEX_766_V1.indicators())
    assert index_766_on(date(2026, 6, 30)) is INDEX_766_V1
    with pytest.raises(DomainError):
        index_766_on(date(2022, 7, 31))


@pytest.mark.parametrize(
    ("ratio", "max_points", "threshold", "expected"),
    [
        (D("66.67"), D(20), None, D("13.33")),  # ratio x Pmax
        (D("50"), D(6), D(50), D(6)),  # at the threshold: full points
        (D("20"), D(6), D(50), D("2.40")),  # below: R x Pmax / T
        (D("79.99"), D(4), D(80), D("4.00")),  # 79.99 x 4 / 80 = 3.9995 -> 4.00 after rounding
        (D("0"), D(4), D(80), D("0.00")),
    ],
)
def test_points(ratio: Decimal, max_points: Decimal, threshold: Decimal | None, expected: Decimal) -> None:
    assert points_for(ratio, max_points, threshold) == expected


def test_bands_of_the_nine_indicator_evaluation() -> None:
    assert [band_for(D(p)) for p in (18, "15.5", 15, 12, "11.99", 9, 6, "5.99", 0)] == [
        "Xuất sắc", "Xuất sắc", "Tốt", "Tốt", "Khá", "Khá", "Trung bình", "Yếu", "Yếu",
    ]  # fmt: skip
    assert len(EVALUATION_V1.items) == 9


NO_DATA_YET = {"1.2", "3.5b", "4.x", "4.3", "4.4"}


def test_indicators_without_data_are_left_out_of_the_score_not_invented() -> None:
    figures = Figures(received=10, received_online=6, received_online_result=6, received_digitised=8,
                      received_digitised_result=8, ended_early=4, ended_on_time=2, ended_late=1, carried_over=2,
                      open=5, overdue=1, received_synced=7, received_vneid=5)  # fmt: skip
    result = score(figures, (10, 8, 4, 9), date(2026, 6, 30))
    # 1.3: 9/10 = 90 % x 2 -> 1.80; 1.4: 7/10 = 70 % x 6 -> 4.20; 4.5b: 5/10 = 50 % x 2 -> 1.00; 3.6: no fee owed;
    # 2.1: (4 + 2 + (5 - 1)) / (2 + 10) = 83.33 % -> 16.67; 3.1: 8/10 = 80 % >= 80
    # -> 2; 3.2: 4/8 = 50 % -> 2; 3.3: 60 % >= 50 -> 6; 4.2: 80 % >= 80 -> 4;
    # 5.4: 100 % - (1 ended late + 1 overdue + 0 unhappy) / 12 = 83.33 % < 90; no PAKN, so 5.2's and 5.3's 12
    # points are 5.4's too (DOMAIN-2.md §1.1): 83.33 x 18 / 90 = 16.67.
    points = {r.indicator.code: r.points for r in result.results if r.standing == Standing.SCORED}
    assert points == {"1.3": D("1.80"), "1.4": D("4.20"), "2.1": D("16.67"), "3.1": D(2), "3.2": D("2.00"),
                      "3.3": D(6), "4.2": D(4), "4.5b": D("1.00"), "5.4": D("16.67")}  # fmt: skip
    assert result.points == D("54.34") and result.scored_max == D(64)
    assert result.result("3.6").standing_label == "không phát sinh"
    no_data = {r.indicator.code for r in result.left_out if r.standing == Standing.NO_DATA}
    assert no_data == NO_DATA_YET
    assert all(
        r.points is None and r.standing_label == "chưa có dữ liệu"
        for r in result.left_out
        if r.indicator.code in no_data
    )
    # No dossier ended in the period: 4.1 has nothing to score, which is not "no data".
    assert result.result("4.1").standing_label == "không phát sinh"
    empty = score(Figures(), (0, 0, 0), date(2026, 6, 30))
    assert empty.result("2.1").standing == Standing.NO_DOSSIERS and empty.points == 0 and empty.percent is None


def test_evaluation_scores_only_what_it_can_and_bands_only_when_complete() -> None:
    figures = Figures(received=10, received_online=3, ended_early=2, ended_on_time=1, ended_late=1)
    evaluation = evaluate(figures, (10, 3, 1), date(2026, 6, 30))
    scored = {i.number: i.points for i in evaluation.items if i.points is not None}
    # 1: (2*2 + 1) / 4 = 1.25; 7: the same without a verified report on conduct; 8: no PAKN -> 2;
    # 9: 30 % of procedures online, 30 % online dossiers, none late -> 2.
    assert scored == {1: D("1.25"), 7: D("1.25"), 8: D(2), 9: D(2)}
    assert evaluation.scored_max == 8 and evaluation.band == "Chưa đủ dữ liệu để xếp loại"
    # 7: a verified report on an early dossier takes its 2 points back; 8: 9 of 10 PAKN on time -> 1.
    reported = replace(figures, conduct_verified=1, conduct_verified_points=2, pakn_to_handle=10, pakn_on_time=9)
    again = evaluate(reported, (10, 3, 1), date(2026, 6, 30))
    assert (again.items[6].points, again.items[7].points) == (D("0.75"), D(1))
    on = date(2026, 6, 30)
    assert evaluate(Figures(received=10, received_online=2), (10, 3, 0), on).items[8].points == 1  # 20 % online
    assert evaluate(Figures(received=10, received_online=1), (10, 3, 0), on).items[8].points == 0


def test_periods() -> None:
    assert (period_of("quy", 2026, 2).start, period_of("quy", 2026, 2).end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert period_of("6thang", 2026, 2).label == "6 tháng cuối năm 2026"
    assert period_of("thang", 2024, 2).end == date(2024, 2, 29)
    assert period_of("thang", 2026, 12).label == "Tháng 12/2026"
    for bad in (("quy", 2026, 5), ("tuan", 2026, 1), ("nam", 1800, 1)):
        with pytest.raises(DomainError):
            period_of(*bad)
    with pytest.raises(DomainError):
        custom_period(date(2026, 3, 2), date(2026, 3, 1))


def _at(day: int, month: int = 3, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=VIETNAM)


@pytest.fixture
def march(db: None) -> None:
    """Six dossiers at Phường Mỹ Tho around March 2026 (birth registration: due one working day after receipt)."""
    load_catalogue()
    officer = user("mytho.motcua")
    with clock.frozen(_at(20, 2)):
        receive()  # A: received Fri 20/02, due Mon 23/02, never finished: carried over, then overdue
    for ended in (10, 11, 12):  # B, C, D: received Tue 10/03, due Wed 11/03, ended early, on time, late
        with clock.frozen(_at(10)):
            dossier = receive()
        with clock.frozen(_at(ended, hour=16)):
            perform(dossier, Action.WITHDRAW, actor=officer, reason="Người nộp xin rút")
    with clock.frozen(_at(30, hour=20)):
        waiting = online()  # E: filed online Mon 30/03 evening, accepted Tue 31/03, due Wed 01/04
    with clock.frozen(_at(31)):
        perform(waiting, Action.ACCEPT, actor=officer)
        paused = receive()  # F: received 31/03 and waiting for papers
        component = paused.case.components.order_by("position")[0]
        perform(
            paused,
            Action.REQUEST_SUPPLEMENT,
            actor=officer,
            reason="Thiếu chữ ký",
            supplements=(SupplementRequest(component.pk, "Thiếu chữ ký"),),
        )


def test_period_figures_and_the_766_score_by_hand(march: None) -> None:
    with clock.frozen(_at(15, 4)):
        scope = scope_for(user("giamsat"))
        commune = unit("28261.UBND")
        period = period_of("thang", 2026, 3)
        figures = figures_by_unit(period, [commune.pk])[commune.pk]
        assert figures == Figures(received=5, received_online=1, ended_early=1, ended_on_time=1, ended_late=1,
                                  carried_over=1, open=3, overdue=1, paused=1)  # fmt: skip
        assert (figures.within, figures.to_handle, figures.ended) == (2, 6, 3)
        # Every number has exactly as many dossiers behind it.
        for figure in FIGURES:
            assert len(dossier_ids(scope, commune, period, [figure])) == getattr(figures, figure), figure
        result = board(scope, unit("82"), period).unit
        assert result.figures == figures  # the province rolls up its communes
        progress = result.score.result("2.1")
        assert (progress.numerator, progress.denominator, progress.ratio, progress.points) == (
            4, 6, D("66.67"), D("13.33"),
        )  # fmt: skip
        # 3.3: the one online dossier (E) is still being handled: birth registration returns a written result and
        # it has no e-result yet, so it is not in the numerator.
        online_share = result.score.result("3.3")
        assert (online_share.numerator, online_share.denominator, online_share.points) == (0, 5, D("0.00"))
        assert result.score.result("4.2").points == D("0.00")
        # 3.1 per applying unit: the catalogue's commune procedures offered online / all of them.
        online_versions = versions_in_force(date(2026, 3, 31)).exclude(online_level=OnlineLevel.NONE)
        expected = sum(
            1
            for u in scope.tree.scored_below(scope.tree.province().pk)
            for v in online_versions
            if v.competent_unit_id == u.pk or (v.competent_unit_id is None and v.competent_unit_type == u.type)
        )
        assert result.score.result("3.1").numerator == expected > 100
        assert result.evaluation.items[0].points == D("1.00")  # (2 + 1 + 0) / 3
        february = figures_by_unit(period_of("thang", 2026, 2), [commune.pk])[commune.pk]
        assert (february.received, february.open, february.overdue, february.carried_over) == (1, 1, 1, 0)
