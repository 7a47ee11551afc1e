"""The inspection writer: recommendations become tasks due conclusion + 15 days, the surprise draw replays, the
self-inspection shortfall, a finding on another unit's dossier refused with nothing saved, and the role checks."""

from datetime import date

import pytest
from django.test import override_settings

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.organizations.models import Position, Role, Unit, UnitType
from motcua.reform.inspections import draws, selectors, services
from motcua.reform.inspections.lifecycle import Action, Status
from motcua.reform.inspections.services import Inputs, RecommendationDraft
from motcua.reform.models import Finding, Inspection, InspectionEvent, Recommendation, SurpriseDraw, Task
from motcua.reform.tasks.lifecycle import SourceKind

from .inspections_world import OTHER, chair, commune_inspection, dossiers, inspector, plan_2026, staff, vn

pytestmark = pytest.mark.django_db


def started() -> Inspection:
    inspection = commune_inspection(plan_2026())
    with clock.frozen(vn(2026, 4, 14)):
        return services.act(inspection, Action.START, actor=inspector())


def conclude(inspection: Inspection, on: date) -> Inspection:
    drafts = (RecommendationDraft("Khắc phục hồ sơ trễ hạn"), RecommendationDraft("Niêm yết lại thủ tục"))
    with clock.frozen(vn(on.year, on.month, on.day, 15)):
        return services.act(
            inspection,
            Action.CONCLUDE,
            actor=chair(),
            inputs=Inputs(conclusion_number="12/TB-SNV", conclusion_on=on, recommendations=drafts),
        )


def test_each_recommendation_becomes_a_task_due_15_calendar_days_after_the_conclusion() -> None:
    inspection = conclude(started(), date(2026, 4, 24))  # a Friday; + 15 days = Saturday 9 May
    assert inspection.status == Status.CONCLUDED
    tasks = list(Task.objects.filter(directive=inspection.directive).order_by("position"))
    assert [t.content for t in tasks] == ["Khắc phục hồ sơ trễ hạn", "Niêm yết lại thủ tục"]
    assert {t.deadline_on for t in tasks} == {date(2026, 5, 9)}
    assert {t.lead_unit.code for t in tasks} == {"28261.UBND"}
    assert inspection.directive is not None and inspection.directive.source_kind == SourceKind.INSPECTION_CONCLUSION
    assert inspection.directive.source_number == "12/TB-SNV"
    assert list(Recommendation.objects.values_list("task_id", flat=True)) == [t.pk for t in tasks]


@override_settings(MOTCUA_REFORM_INSPECTION_REMEDY_DAYS="working")
def test_the_due_date_counts_working_days_when_the_province_says_so() -> None:
    # Friday 24/04/2026: 15 working days skip the weekends, Monday 27/04 (Giỗ Tổ Hùng Vương falls on Sunday 26/04)
    # and the 30/04 and 01/05 holidays: 28–29/04, 04–08/05, 11–15/05, 18–20/05, ending Wednesday 20/05.
    inspection = conclude(started(), date(2026, 4, 24))
    assert set(Task.objects.filter(directive=inspection.directive).values_list("deadline_on", flat=True)) == {
        services.remedy_due(date(2026, 4, 24))
    }
    assert services.remedy_due(date(2026, 4, 24)) == date(2026, 5, 20)


def test_the_surprise_draw_is_replayed_exactly_from_its_seed() -> None:
    plan = plan_2026()
    with clock.frozen(vn(2026, 6, 1)):
        draw = services.draw_surprise(plan, count=1, scheduled_on=date(2026, 6, 10), by=chair())
    stored = SurpriseDraw.objects.get(pk=draw.pk)
    assert stored.eligible == ["28261.UBND", "82.STP"] and len(stored.seed) == 32
    assert services.replay(stored) == stored.picked
    assert draws.pick(stored.seed, list(reversed(stored.eligible)), 1) == stored.picked  # order of entry is irrelevant
    assert list(plan.inspections.filter(kind="dot_xuat").values_list("unit__code", flat=True)) == stored.picked
    # A known seed gives a known pick, on any machine.
    assert draws.pick("motcua", ["28261.UBND", "82.STP", "82.SNV"], 3) == draws.pick(
        "motcua", ["82.SNV", "82.STP", "28261.UBND"], 3
    )
    seeds = {draws.pick(str(n), stored.eligible, 1)[0] for n in range(40)}
    assert seeds == set(stored.eligible)  # both units can be drawn


def test_a_surprise_draw_is_refused_to_others_and_nothing_is_drawn() -> None:
    plan = plan_2026()
    with pytest.raises(NotPermittedError):
        services.draw_surprise(plan, count=1, scheduled_on=date(2026, 6, 10), by=inspector())
    with pytest.raises(DomainError):
        services.draw_surprise(plan, count=3, scheduled_on=date(2026, 6, 10), by=chair())
    assert not SurpriseDraw.objects.exists()


def test_the_self_inspection_shortfall_against_half_of_the_divisions() -> None:
    parent = Unit.objects.get(code=OTHER)
    divisions = [
        Unit.objects.create(
            code=f"82.STP.P{n}", name=f"Phòng {n}", type=UnitType.DEPARTMENT, parent=parent, province_code="82"
        )
        for n in range(1, 6)
    ]
    leader = staff("stp.giamdoc", OTHER, Role.LEADER, Position.DIRECTOR)
    assert selectors.coverage_of(parent, 2026).required == 3  # 50 % of 5, rounded up
    with clock.frozen(vn(2026, 3, 2)):
        first = services.schedule_self_inspection(division=divisions[0], scheduled_on=date(2026, 3, 9), by=leader)
        services.schedule_self_inspection(division=divisions[1], scheduled_on=date(2026, 3, 16), by=leader)
    with clock.frozen(vn(2026, 3, 9)):
        services.act(first, Action.START, actor=leader)
        services.act(
            first,
            Action.CONCLUDE,
            actor=leader,
            inputs=Inputs(conclusion_number="1/TB-STP", conclusion_on=date(2026, 3, 9)),
        )
    shown = selectors.coverage_of(parent, 2026)
    assert (shown.divisions, shown.inspected, shown.required, shown.shortfall) == (5, 1, 3, 2)
    assert selectors.coverage_of(parent, 2025).inspected == 0
    with pytest.raises(NotPermittedError):
        services.schedule_self_inspection(division=divisions[2], scheduled_on=date(2026, 3, 9), by=chair())


def test_a_finding_linking_another_units_dossier_is_refused_and_nothing_is_saved() -> None:
    own, other = dossiers()
    inspection = started()
    events = InspectionEvent.objects.filter(inspection=inspection).count()
    asked = Inputs(
        content_item="tthc", finding_kind="tre_han", text="Hồ sơ trả muộn", dossier_codes=(own.code, other.code)
    )
    with clock.frozen(vn(2026, 4, 15)), pytest.raises(DomainError) as refused:
        services.act(inspection, Action.ADD_FINDING, actor=inspector(), inputs=asked)
    assert "không thuộc đơn vị được kiểm tra" in refused.value.message
    assert not Finding.objects.exists()
    assert InspectionEvent.objects.filter(inspection=inspection).count() == events
    with clock.frozen(vn(2026, 4, 15)):
        services.act(
            inspection,
            Action.ADD_FINDING,
            actor=inspector(),
            inputs=Inputs(
                content_item="tthc", finding_kind="tre_han", text="Hồ sơ trả muộn", dossier_codes=(own.code,)
            ),
        )
    assert list(Finding.objects.get().dossiers.values_list("code", flat=True)) == [own.code]


def test_only_the_chair_concludes_and_a_refusal_changes_nothing() -> None:
    inspection = started()
    before = Inspection.objects.filter(pk=inspection.pk).values().get()
    with clock.frozen(vn(2026, 4, 24)):
        for someone in (inspector(), staff("mytho.lanhdao", "28261.UBND", Role.LEADER)):
            with pytest.raises(NotPermittedError):
                services.act(
                    inspection,
                    Action.CONCLUDE,
                    actor=someone,
                    inputs=Inputs(conclusion_number="1", conclusion_on=date(2026, 4, 24)),
                )
        with pytest.raises(ConflictError):
            services.act(inspection, Action.START, actor=chair())
    assert Inspection.objects.filter(pk=inspection.pk).values().get() == before
    assert not Task.objects.exists()


def test_the_plan_needs_a_reform_officer_as_chair_and_inspectors_as_members() -> None:
    with pytest.raises(DomainError):
        services.create_plan(
            year=2026,
            decision_number="1",
            decision_on=date(2026, 1, 2),
            title="KH",
            chair=inspector(),
            members=[],
            by=chair(),
            schedule=[services.Scheduled(Unit.objects.get(code=OTHER), date(2026, 5, 1))],
        )
    with pytest.raises(DomainError):
        services.create_plan(
            year=2026,
            decision_number="1",
            decision_on=date(2026, 1, 2),
            title="KH",
            chair=chair(),
            members=[chair()],
            by=chair(),
            schedule=[services.Scheduled(Unit.objects.get(code=OTHER), date(2026, 5, 1))],
        )
    assert not Inspection.objects.exists()
