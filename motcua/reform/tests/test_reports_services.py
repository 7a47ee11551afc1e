"""Drafts filled from the 766 counters equal the drill-down; the cut-off locks the figures; a submitted report is
never rewritten; a report after its lock or after the period is closed is refused with nothing saved."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.dossiers.tests.factories import receive, user
from motcua.indices import drilldown
from motcua.indices.scope import Scope, UnitTree
from motcua.organizations.models import Unit
from motcua.reform.models import ReportEvent, ReportPeriod, UnitReport
from motcua.reform.reports import drafts, selectors, services
from motcua.reform.reports.lifecycle import Action, Status

from .reports_world import COMMUNE, HALF_2026, at, dossiers_around_half_2026, reform_officer

pytestmark = pytest.mark.django_db
AFTER_CUTOFF = date(2026, 6, 16)


def _report(code: str = COMMUNE, period: str = HALF_2026) -> UnitReport:
    year, kind = selectors.parse_period_code(period)
    return UnitReport.objects.select_related("period", "unit").get(
        period__year=year, period__kind=kind, unit__code=code
    )


def _state(report: UnitReport) -> tuple[object, ...]:
    row = UnitReport.objects.get(pk=report.pk)
    return (row.status, row.sections, row.figures, row.figures_at, row.submitted_at, row.returned_reason,
            ReportEvent.objects.filter(report=report).count())  # fmt: skip


def test_open_year_makes_each_units_draft_once() -> None:
    with clock.frozen(at(date(2026, 1, 5))):
        services.open_year(2026)
        services.open_year(2026)
    assert ReportPeriod.objects.filter(year=2026).count() == 12
    half = ReportPeriod.objects.get(year=2026, kind="6-thang", level="xa")
    assert (half.cutoff_from, half.cutoff_to, half.due_on) == (
        date(2025, 12, 15),
        date(2026, 6, 14),
        date(2026, 6, 15),
    )
    communes = Unit.objects.filter(type="commune_committee", province_code="82").count()
    assert half.reports.count() == communes > 0
    assert ReportPeriod.objects.get(year=2026, kind="nam", level="tinh").reports.get().unit.code == "82.UBND"
    report = _report()
    assert report.status == Status.DRAFT and report.figures is None
    assert list(report.events.values_list("action", flat=True)) == ["open"]


def test_draft_figures_equal_the_766_drilldown_for_the_window() -> None:
    dossiers_around_half_2026()
    with clock.frozen(at(date(2026, 1, 5))):
        services.open_year(2026)
    with clock.frozen(at(date(2026, 6, 20))):
        report = _report()
        shown = selectors.view(report)
        window = drafts.window_period(report.period.cutoff_from, report.period.cutoff_to)
        tree = UnitTree.load()
        unit = report.unit
        scope = Scope(tree, (unit,), frozenset(tree.below(unit.pk)))
        for figure in drafts.DOSSIER_FIGURES:
            listed = drilldown.dossier_ids(scope, unit, window, (figure,))
            assert shown.values[figure] == len(listed), figure
        listed_online = drilldown.procedures_behind(scope, unit, window, "online")
        assert shown.values["procedures_online"] == len(listed_online)
    # Hand-counted: the 10/12 dossier carried over; 15/12 (first day, previous year), 10/03 online and withdrawn.
    assert shown.values["carried_over"] == 1
    assert shown.values["received"] == 3
    assert shown.values["received_online"] == 1
    assert shown.values["ended_early"] == 1
    assert not shown.locked


def test_an_event_after_the_cutoff_never_rewrites_the_submitted_report() -> None:
    dossiers_around_half_2026()
    with clock.frozen(at(date(2026, 1, 5))):
        services.open_year(2026)
    leader = user("mytho.lanhdao")
    with clock.frozen(at(AFTER_CUTOFF)):
        submitted = services.act(_report(), Action.SUBMIT, actor=leader)
    locked = dict(submitted.figures or {})
    assert locked["values"]["received"] == 3 and locked["to"] == "2026-06-14"
    with clock.frozen(at(date(2026, 6, 17))):
        receive()  # after the cut-off
        services.lock_figures_due()
    with clock.frozen(at(date(2026, 6, 18))):
        report = _report()
        shown = selectors.view(report)
        assert report.figures == locked and report.status == Status.SUBMITTED
        assert shown.locked and shown.values == locked["values"]
        assert shown.after_cutoff is not None and shown.after_cutoff["received"] == 1
        consolidated = selectors.consolidation_for(reform_officer(), HALF_2026)
        assert consolidated.totals["received"] == 3 and consolidated.in_hand == 1


def test_the_cutoff_job_locks_the_figures_once() -> None:
    dossiers_around_half_2026()
    with clock.frozen(at(date(2026, 1, 5))):
        services.open_year(2026)
    with clock.frozen(at(date(2026, 6, 14), 23)):
        services.lock_figures_due()  # the first quarter's
        assert _report().figures is None  # the window's last day is not over
    with clock.frozen(at(AFTER_CUTOFF)):
        first = services.lock_figures_due()
        assert first > 0 and services.lock_figures_due() == 0
        report = _report()
        assert report.figures is not None and report.figures["values"]["received"] == 3
        assert report.figures["computed_at"].startswith("2026-06-16")
        assert list(report.events.values_list("action", flat=True)) == ["open", "lock"]


def test_a_report_after_its_lock_is_refused_and_nothing_is_saved() -> None:
    with clock.frozen(at(date(2026, 1, 5))):
        services.open_year(2026)
    leader, officer = user("mytho.lanhdao"), reform_officer()
    with clock.frozen(at(AFTER_CUTOFF)):
        report = services.act(_report(), Action.EDIT, actor=user("mytho.chuyenvien"),
                              sections={"i-chi-dao": "Đã ban hành kế hoạch CCHC năm 2026."})  # fmt: skip
        services.act(report, Action.SUBMIT, actor=leader)
        before = _state(report)
        with pytest.raises(ConflictError, match="đã nộp nên đã khóa"):
            services.act(report, Action.EDIT, actor=leader, sections={"i-chi-dao": "Sửa sau khi nộp"})
        with pytest.raises(ConflictError):
            services.act(report, Action.SUBMIT, actor=leader)
        assert _state(report) == before
        with pytest.raises(DomainError, match="lý do"):
            services.act(report, Action.RETURN, actor=officer, reason="  ")
        assert _state(report) == before
        services.act(report, Action.RETURN, actor=officer, reason="Thiếu số liệu kiểm soát TTHC")
        returned = _report()
        assert returned.status == Status.RETURNED and returned.returned_reason == "Thiếu số liệu kiểm soát TTHC"
        assert returned.figures == before[2]  # returned, the locked figures stay
        services.close_period(returned.period, actor=officer)
        closed = _state(returned)
        for action, actor in ((Action.EDIT, leader), (Action.SUBMIT, leader), (Action.ACCEPT, officer)):
            with pytest.raises(DomainError):
                services.act(returned, action, actor=actor, sections={"i-chi-dao": "x"})
        assert _state(returned) == closed


def test_submitting_before_the_cutoff_is_over_is_refused() -> None:
    with clock.frozen(at(date(2026, 1, 5))):
        services.open_year(2026)
    with clock.frozen(at(date(2026, 6, 14), 16)):
        report = _report()
        before = _state(report)
        with pytest.raises(ConflictError, match="Chưa hết ngày chốt số liệu"):
            services.act(report, Action.SUBMIT, actor=user("mytho.lanhdao"))
        assert _state(report) == before


@pytest.mark.parametrize(
    "text",
    ["a\x00b", "x" * (services.MAX_SECTION + 1), "\u202eabc"],
    ids=["nul", "huge", "bidi"],
)
def test_hostile_section_text_is_refused(text: str) -> None:
    with clock.frozen(at(date(2026, 1, 5))):
        services.open_year(2026)
        report = _report()
        before = _state(report)
        with pytest.raises(ValidationError):
            services.act(report, Action.EDIT, actor=user("mytho.chuyenvien"), sections={"i-chi-dao": text})
        with pytest.raises(ValidationError):
            services.act(report, Action.EDIT, actor=user("mytho.chuyenvien"), sections={"khong-co": "x"})
        assert _state(report) == before


def test_who_may_act() -> None:
    with clock.frozen(at(date(2026, 1, 5))):
        services.open_year(2026)
    with clock.frozen(at(AFTER_CUTOFF)):
        report = _report()
        before = _state(report)
        for name in ("stp.lanhdao", "quantri", "giamsat", "0912345678"):
            with pytest.raises(NotPermittedError):
                services.act(report, Action.SUBMIT, actor=user(name))
        with pytest.raises(NotPermittedError):
            services.act(report, Action.SUBMIT, actor=user("mytho.chuyenvien"))  # staff, not the leader
        with pytest.raises(NotPermittedError):
            services.act(report, Action.EDIT, actor=reform_officer(), sections={"i-chi-dao": "x"})
        assert _state(report) == before
