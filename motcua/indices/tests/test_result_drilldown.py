"""The lists behind indicators 3.3, 4.1, 4.2 and 5.4 hold exactly the dossiers their numbers count, on hand-built
dossiers where "received online" or "with a digitised paper" is not enough to be counted."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

import pytest
from weasyprint import HTML

from motcua.catalogue.models import Component
from motcua.catalogue.services import import_catalogue
from motcua.catalogue.tests.samples import sample
from motcua.conftest import browser_for, client_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.documents.results import sign_result
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.processing import Rating
from motcua.dossiers.services import Evaluation, Inputs, Paper, attach_result, complete_step, perform, submit_online
from motcua.dossiers.tests.factories import birth_filing, load_catalogue, online, receive, unit, user
from motcua.indices import drilldown
from motcua.indices.engine import Score
from motcua.indices.periods import Period, period_of
from motcua.indices.scope import Scope, scope_for
from motcua.indices.selectors import board
from motcua.signing.models import DocumentType, ResultSigning

TUESDAY = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)
LATER = datetime(2026, 3, 20, 9, 0, tzinfo=VIETNAM)  # after the birth registrations' due dates
NOW = datetime(2026, 4, 15, 10, 0, tzinfo=VIETNAM)
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
NO_WRITTEN_RESULT = "1.009001"  # a procedure whose record lists no result (KETQUATHUCHIEN empty)
OFFICER, SPECIALIST, CHAIRMAN = "mytho.motcua", "mytho.chuyenvien", "mytho.lanhdao"


def _pdf() -> bytes:
    pdf: bytes = HTML(string="<p>Giấy khai sinh</p>").write_pdf()
    return pdf


def _to_result(dossier: Dossier, *, signed: bool) -> None:
    """Take a received dossier through its steps to completion, with a signed result or an unsigned PDF."""
    perform(dossier, Action.START, actor=user(OFFICER))
    complete_step(dossier, actor=user(OFFICER))
    attach_result(dossier, actor=user(SPECIALIST), title="Giấy khai sinh", pdf=_pdf())
    complete_step(dossier, actor=user(SPECIALIST))
    if signed:
        sign_result(Dossier.objects.get(pk=dossier.pk), user(CHAIRMAN))
    else:
        complete_step(dossier, actor=user(CHAIRMAN))
    complete_step(Dossier.objects.get(pk=dossier.pk), actor=user(OFFICER))


def _returned(dossier: Dossier, overall: Rating | None = None) -> None:
    dossier = Dossier.objects.get(pk=dossier.pk)
    perform(dossier, Action.RETURN_RESULT, actor=user(OFFICER), inputs=Inputs(return_channel="counter"))
    if overall is not None:
        rating = Evaluation(Rating.SATISFIED, overall, "Phải chờ lâu" if overall == Rating.UNSATISFIED else "")
        perform(dossier, Action.RATE, actor=user(OFFICER), inputs=Inputs(evaluation=rating))


@pytest.fixture
def march(db: None) -> Iterator[dict[str, Dossier]]:
    """Seven dossiers received at Phường Mỹ Tho on Tue 10/03/2026.

    * unsigned: papers digitised, finished with a PDF nobody signed, returned, rated "Hài lòng";
    * signed_online: filed online, finished with a signed result, returned, rated "Không hài lòng";
    * late: papers digitised, finished with a signed result on 20/03 (late), returned, rated "Không hài lòng";
    * open_online: filed online, accepted, still being handled (overdue by the end of March);
    * no_result_online: filed online for a procedure that returns no written result, accepted, still open;
    * withdrawn_1, withdrawn_2: withdrawn the day they came (ended early).
    """
    load_catalogue()
    import_catalogue([sample(("MATTHC", NO_WRITTEN_RESULT), ("TENTTHC", "Thủ tục không có kết quả"),
                             ("KETQUATHUCHIEN", []))])  # fmt: skip
    filing = birth_filing()
    digitised = replace(filing, papers=tuple(replace(p, is_digitised=True) for p in filing.papers))
    components = Component.objects.filter(case__version__procedure__code=NO_WRITTEN_RESULT).order_by("position")
    no_result = birth_filing(
        channel=2, case_id=components[0].case_id, papers=tuple(Paper(c.pk, originals=1) for c in components)
    )
    with clock.frozen(TUESDAY):
        made = {"unsigned": receive(digitised), "signed_online": online(), "late": receive(digitised),
                "open_online": online(), "withdrawn_1": receive(), "withdrawn_2": receive(),
                "no_result_online": submit_online(no_result, citizen=user("0912345678"),
                                                  receiving_unit=unit("28261.TTPVHCC")).dossier}  # fmt: skip
        for name in ("signed_online", "open_online", "no_result_online"):
            perform(made[name], Action.ACCEPT, actor=user(OFFICER))
        for name in ("withdrawn_1", "withdrawn_2"):
            perform(made[name], Action.WITHDRAW, actor=user(OFFICER), reason="Người nộp xin rút")
        _to_result(made["unsigned"], signed=False)
        _returned(made["unsigned"], Rating.SATISFIED)
        # From here on the birth registration's results are signed in the register (the chairman's step, step 3).
        certificate = DocumentType.objects.create(code="gks", name="Giấy khai sinh", abbreviation="GKS")
        ResultSigning.objects.create(version=made["late"].version, document_type=certificate, step_number=3)
        _to_result(made["signed_online"], signed=True)
        _returned(made["signed_online"], Rating.UNSATISFIED)
    with clock.frozen(LATER):
        _to_result(made["late"], signed=True)
        _returned(made["late"], Rating.UNSATISFIED)
    with clock.frozen(NOW):
        yield made


def _scored() -> tuple[Scope, Period, Score]:
    scope, period = scope_for(user("giamsat")), period_of("thang", 2026, 3)
    return scope, period, board(scope, unit("82"), period).unit.score


def _listed(scope: Scope, period: Period, figures: tuple[str, ...]) -> list[int]:
    return drilldown.dossier_ids(scope, unit("82"), period, figures)


@pytest.mark.parametrize(("code", "part"), sorted(drilldown.PARTS))
def test_each_list_has_as_many_dossiers_as_its_number(march: dict[str, Dossier], code: str, part: str) -> None:
    scope, period, score = _scored()
    result = score.result(code)
    assert len(_listed(scope, period, drilldown.PARTS[code, part])) == getattr(result, part)


def test_the_lists_hold_what_the_results_condition_counts(march: dict[str, Dossier]) -> None:
    scope, period, score = _scored()

    def names(figures: tuple[str, ...]) -> set[str]:
        ids = set(_listed(scope, period, figures))
        return {name for name, dossier in march.items() if dossier.pk in ids}

    # 3.3: online and, where the procedure returns a written result, finished with a signed one; not the open one.
    assert names(drilldown.PARTS["3.3", "numerator"]) == {"signed_online", "no_result_online"}
    assert names(("received_online",)) == {"signed_online", "open_online", "no_result_online"}
    # 4.2: a digitised paper and a signed result; the unsigned PDF does not count.
    assert names(drilldown.PARTS["4.2", "numerator"]) == {"late"}
    assert names(("received_digitised",)) == {"unsigned", "late"}
    # 4.1: finished with a written result, signed or not; the open and withdrawn ones have none.
    assert names(drilldown.PARTS["4.1", "numerator"]) == {"signed_online", "late"}
    assert names(drilldown.PARTS["4.1", "denominator"]) == {"signed_online", "late", "unsigned"}
    assert names(("rated_unsatisfied",)) == {"signed_online", "late"}
    assert (score.result("3.3").numerator, score.result("4.2").numerator) == (2, 1)


def test_the_satisfaction_numerator_is_explained_term_by_term(march: dict[str, Dossier]) -> None:
    scope, period, score = _scored()
    terms, value = drilldown.terms(scope, unit("82"), period, drilldown.DIFFERENCES["5.4", "numerator"])
    counts = {term.figure: term.sign * term.count for term in terms}
    # 7 to handle - 1 ended late - 2 overdue - 2 unhappy ratings ("late" is subtracted twice, as the method does).
    expected = {"carried_over": 0, "received": 7, "ended_late": -1, "overdue": -2, "rated_unsatisfied": -2}
    assert counts == expected | {"reported": 0}  # no PAKN in this month
    assert value == score.result("5.4").numerator == 2
    figures = board(scope, unit("82"), period).unit.figures
    assert all(abs(count) == getattr(figures, figure) for figure, count in counts.items())


def test_the_drill_down_page_and_api_show_the_satisfaction_terms(march: dict[str, Dossier]) -> None:
    query = {"tu": "01/03/2026", "den": "31/03/2026", "chi-tieu": "5.4"}
    page = browser_for("giamsat").get("/can-bo/chi-so/chi-tiet/", {**query, "phan": "numerator"}).content.decode()
    assert "Giá trị: 2" in page and "trừ hai lần" in page
    assert 'data-figure="rated_unsatisfied"' in page and "so-lieu=rated_unsatisfied" in page
    unhappy = browser_for("giamsat").get("/can-bo/chi-so/chi-tiet/", {**query, "so-lieu": "rated_unsatisfied"})
    assert "2 mục" in unhappy.content.decode() and march["late"].code in unhappy.content.decode()
    api = client_for("giamsat")
    terms = api.get("/api/v1/indices/766/drilldown", {**MARCH, "indicator": "5.4", "part": "numerator"}).json()
    assert terms["kind"] == "terms" and terms["value"] == 2
    assert [(t["figure"], t["sign"], t["count"]) for t in terms["results"]][-2:] == [
        ("rated_unsatisfied", -1, 2),
        ("reported", -1, 0),
    ]
    e_results = api.get("/api/v1/indices/766/drilldown", {**MARCH, "indicator": "4.1", "part": "numerator"}).json()
    assert sorted(r["code"] for r in e_results["results"]) == sorted((march["signed_online"].code, march["late"].code))
