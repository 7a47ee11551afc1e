"""The data feed reads one province board for all units and equals the QĐ 766 drill-down for each unit and period;
the public results page shows a published ranking alone."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.test import Client

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import load_catalogue, online, receive, user
from motcua.indices import drilldown
from motcua.indices.periods import period_of
from motcua.indices.scope import Scope, UnitTree
from motcua.organizations.models import Unit
from motcua.par import feed, services
from motcua.par.lifecycle import Status
from motcua.par.models import Assessment, Criterion, Field, Item, ParIndexSet, Round, SubCriterion

from .world import reform_officer, vn

pytestmark = pytest.mark.django_db
COMMUNES = ("28261.UBND",)
INDICATORS = ("2.1", "3.3", "4.2")


def _commune_set() -> ParIndexSet:
    index_set = ParIndexSet.objects.create(
        level="xa", year=2026, name="Bộ chỉ số CCHC cấp xã", decision_number="3/QĐ-UBND",
        decision_date=date(2026, 12, 1), effective_from=date(2026, 1, 1),
    )  # fmt: skip
    field = Field.objects.create(index_set=index_set, code="1", name="Cung cấp dịch vụ công")
    criterion = Criterion.objects.create(index_set=index_set, field=field, code="1.1", name="Kết quả giải quyết")
    for order, code in enumerate(INDICATORS, 1):
        SubCriterion.objects.create(
            index_set=index_set, criterion=criterion, code=f"1.1.{order}", name=f"QĐ 766 chỉ tiêu {code}",
            max_points=Decimal(2), rule="tuyen_tinh", threshold=Decimal(100), input_type="ty_le",
            method="du_lieu_motcua", indicator=code, evidence_required=False, order=order,
        )  # fmt: skip
    return index_set


@pytest.fixture
def fed_round(db: None) -> Round:
    load_catalogue()
    with clock.frozen(datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)):
        receive()
        early = receive()
        waiting = online()
    with clock.frozen(datetime(2026, 3, 10, 16, 0, tzinfo=VIETNAM)):
        perform(early, Action.WITHDRAW, actor=user("mytho.motcua"), reason="Người nộp xin rút")
    with clock.frozen(datetime(2026, 3, 12, 9, 0, tzinfo=VIETNAM)):
        perform(waiting, Action.ACCEPT, actor=user("mytho.motcua"))
    officer = reform_officer()
    index_set = _commune_set()
    with clock.frozen(vn(2026, 12, 20)):
        services.publish_set(index_set, by=officer)
        round_ = services.create_round(
            index_set,
            year=2026,
            open_from=vn(2027, 1, 5),
            open_to=vn(2027, 1, 31),
            appraisal_deadline=date(2027, 2, 28),
            complaint_days=10,
            by=officer,
        )
        services.open_round(round_, by=officer)  # every commune of the province
    return round_


def test_the_fed_value_equals_the_766_drilldown_for_the_unit_and_period(fed_round: Round) -> None:
    unit = Unit.objects.get(code="28261.UBND")
    tree = UnitTree.load()
    scope = Scope(tree, (tree.province(),), frozenset(tree.units))
    with clock.frozen(vn(2026, 12, 20)):
        period = period_of("nam", 2026)
        parts = {
            part: len(drilldown.dossier_ids(scope, unit, period, drilldown.part_figures("2.1", part)))  # type: ignore[arg-type]
            for part in ("numerator", "denominator")
        }
    item = Item.objects.get(assessment__round=fed_round, assessment__unit=unit, sub_criterion__indicator="2.1")
    assert parts["denominator"] > 0
    assert (item.snapshot["numerator"], item.snapshot["denominator"]) == (parts["numerator"], parts["denominator"])
    ratio = Decimal(100) * parts["numerator"] / parts["denominator"]
    assert Decimal(item.value) == ratio.quantize(Decimal("0.01"))


def test_one_board_for_all_units_equals_a_board_per_unit(fed_round: Round) -> None:
    assessments = list(Assessment.objects.filter(round=fed_round).select_related("unit"))
    assert len(assessments) > 1
    with clock.frozen(vn(2026, 12, 20)):
        together = feed.ratios_for_units([a.unit for a in assessments], 2026, set(INDICATORS))
        for assessment in assessments:
            alone = feed.indicator_ratios(assessment.unit, 2026, set(INDICATORS))
            assert together[assessment.unit_id] == alone


def test_feeding_again_without_new_figures_changes_nothing(fed_round: Round) -> None:
    with clock.frozen(vn(2027, 1, 6)):
        assert services.feed_data(fed_round, by=reform_officer()) == 0


def _publish(round_: Round) -> None:
    officer = reform_officer()
    with clock.frozen(vn(2027, 3, 1)):
        Assessment.objects.filter(round=round_).update(status=Status.FINALISED)
        services.publish_ranking(round_, by=officer, decision_number="45/QĐ-UBND")


def test_the_public_page_shows_a_ranking_only_once_published(fed_round: Round) -> None:
    anyone = Client()
    before = anyone.get("/chi-so-cchc/2026/")
    assert before.status_code == 200
    names = [a.unit.name for a in Assessment.objects.filter(round=fed_round).select_related("unit")]
    assert not any(name in before.content.decode() for name in names)
    assert "Chưa có kết quả" in before.content.decode()
    _publish(fed_round)
    after = anyone.get("/chi-so-cchc/2026/").content.decode()
    assert "45/QĐ-UBND" in after and all(name in after for name in names)
    assert "45/QĐ-UBND" not in anyone.get("/chi-so-cchc/2026/?cap=so_nganh").content.decode()
    assert "45/QĐ-UBND" not in anyone.get("/chi-so-cchc/2025/").content.decode()


@pytest.mark.parametrize("query", ["?cap=tinh", "?cap=" + "x" * 100_000])
def test_a_bad_level_is_a_400_in_vietnamese(query: str, db: None) -> None:
    answer = Client().get("/chi-so-cchc/2026/" + query)
    assert answer.status_code == 400 and "Cấp đánh giá không hợp lệ" in answer.content.decode()


def test_a_nul_byte_is_a_400(db: None) -> None:
    assert Client().get("/chi-so-cchc/2026/?cap=xa%00").status_code == 400


@pytest.mark.parametrize("path", ["/chi-so-cchc/1999/", "/chi-so-cchc/99999/", "/chi-so-cchc/abc/"])
def test_a_bad_year_is_not_found(path: str, db: None) -> None:
    assert Client().get(path).status_code == 404
