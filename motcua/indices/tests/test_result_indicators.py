"""QĐ 766 indicators read from results, ratings and the catalogue (1.3, 3.3, 4.1, 4.2, 5.4), on hand-built dossiers;
the TT 01/2018 evaluation picked by period; the local normalisation of the ranking stated in the report."""

import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from weasyprint import HTML

from motcua.catalogue.tests.samples import BIRTH
from motcua.conftest import browser_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError
from motcua.documents.results import sign_result
from motcua.dossiers import counters
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.processing import Rating
from motcua.dossiers.services import Evaluation, Inputs, attach_result, complete_step, perform
from motcua.dossiers.tests.factories import birth_filing, load_catalogue, receive, unit, user
from motcua.feedback.lifecycle import Action as FeedbackAction
from motcua.feedback.services import ExtraPaperReport, Sender, act, report_extra_paper
from motcua.indices.config import EVALUATION_TT03_CARRIED, EVALUATION_V1, INDEX_766_V1, evaluation_on
from motcua.indices.engine import Standing, evaluate, publishes_every_part, score
from motcua.indices.figures import Figures, figures_by_unit
from motcua.indices.periods import period_of
from motcua.indices.scope import scope_for
from motcua.indices.selectors import board
from motcua.signing.models import DocumentType, ResultSigning

D = Decimal
TUESDAY = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)
MARCH = {"ky": "thang", "nam": "2026", "so": "3"}


def _pdf() -> bytes:
    pdf: bytes = HTML(string="<p>Giấy khai sinh</p>").write_pdf()
    return pdf


def _returned_and_rated(dossier: Dossier, overall: Rating) -> None:
    perform(dossier, Action.RETURN_RESULT, actor=user("mytho.motcua"), inputs=Inputs(return_channel="counter"))
    rating = Evaluation(Rating.SATISFIED, overall, "Phải chờ lâu" if overall == Rating.UNSATISFIED else "")
    perform(dossier, Action.RATE, actor=user("mytho.motcua"), inputs=Inputs(evaluation=rating))


@pytest.fixture
def handled(db: None) -> dict[str, Dossier]:
    """Four birth registrations at Phường Mỹ Tho on Tue 10/03/2026 (the procedure returns a written result).

    * unsigned: papers digitised, finished with a PDF nobody signed, returned and rated "Hài lòng";
    * signed: papers digitised, finished with a digitally signed result, returned and rated "Không hài lòng";
    * paper: nothing digitised, finished with a signed result;
    * open: papers digitised, still being handled.
    """
    load_catalogue()
    digitised = birth_filing()
    digitised = birth_filing(papers=tuple(p.__class__(p.component_id, originals=1, is_digitised=True)
                                          for p in digitised.papers))  # fmt: skip
    with clock.frozen(TUESDAY):
        dossiers = {"unsigned": receive(digitised), "signed": receive(digitised), "paper": receive(),
                    "open": receive(digitised)}  # fmt: skip
        unsigned = dossiers["unsigned"]
        perform(unsigned, Action.START, actor=user("mytho.motcua"))
        complete_step(unsigned, actor=user("mytho.motcua"))
        attach_result(unsigned, actor=user("mytho.chuyenvien"), title="Giấy khai sinh", pdf=_pdf())
        for person in ("mytho.chuyenvien", "mytho.lanhdao", "mytho.motcua"):
            complete_step(unsigned, actor=user(person))
        _returned_and_rated(unsigned, Rating.SATISFIED)
        # From here on the version's results are signed in the register (the chairman's step, step 3).
        certificate = DocumentType.objects.create(code="gks", name="Giấy khai sinh", abbreviation="GKS")
        ResultSigning.objects.create(version=unsigned.version, document_type=certificate, step_number=3)
        for name in ("signed", "paper"):
            dossier = dossiers[name]
            perform(dossier, Action.START, actor=user("mytho.motcua"))
            complete_step(dossier, actor=user("mytho.motcua"))
            attach_result(dossier, actor=user("mytho.chuyenvien"), title="Giấy khai sinh", pdf=_pdf())
            complete_step(dossier, actor=user("mytho.chuyenvien"))
            sign_result(Dossier.objects.get(pk=dossier.pk), user("mytho.lanhdao"))
            complete_step(Dossier.objects.get(pk=dossier.pk), actor=user("mytho.motcua"))
        _returned_and_rated(Dossier.objects.get(pk=dossiers["signed"].pk), Rating.UNSATISFIED)
    return dossiers


def test_results_and_ratings_make_indicators_4_1_4_2_3_3_and_5_4(handled: dict[str, Dossier]) -> None:
    commune = unit("28261.UBND")
    with clock.frozen(datetime(2026, 4, 15, 10, 0, tzinfo=VIETNAM)):
        period = period_of("thang", 2026, 3)
        figures = figures_by_unit(period, [commune.pk])[commune.pk]
        assert (figures.received, figures.received_digitised) == (4, 3)
        # Three finished (their procedure returns a written result), two of them with a signed result.
        assert (figures.result_due, figures.e_result) == (3, 2)
        # Digitised and, as the result is written, signed: only "signed" ("open" has no result yet).
        assert figures.received_digitised_result == 1 and figures.received_online_result == 0
        assert figures.rated_unsatisfied == 1
        result = board(scope_for(user("giamsat")), unit("82"), period).unit.score
    e_results = result.result("4.1")
    assert (e_results.numerator, e_results.denominator, e_results.ratio) == (2, 3, D("66.67"))
    assert e_results.points == D("4.00")  # no threshold: 66.67 % of 6
    digitised = result.result("4.2")  # 1 of 4 = 25 % < 80: 25 x 4 / 80 = 1.25
    assert (digitised.numerator, digitised.denominator, digitised.points) == (1, 4, D("1.25"))
    # 5.4: 4 to handle; none late (all due 11/03 and ended on 10/03, "open" is late from 12/03: 1 overdue);
    # 1 unhappy rating: 100 % - (1 + 1) / 4 = 50 % < 90; without PAKN it carries 5.2's and 5.3's points too:
    # 50 x 18 / 90 = 10.
    satisfaction = result.result("5.4")
    assert (satisfaction.numerator, satisfaction.denominator, satisfaction.points) == (2, 4, D("10.00"))
    assert result.result("3.3").standing == Standing.SCORED and result.result("3.3").numerator == 0


def test_rebuild_replays_the_result_and_rating_counters(handled: dict[str, Dossier]) -> None:
    replayed = counters.replay()
    detail, units = counters.bucketed(replayed)
    stored_detail, stored_units = counters.stored()
    assert counters.differences(detail, stored_detail) == [] and counters.differences(units, stored_units) == []
    written = {counters.ResultMetric.RESULT_DUE, counters.ResultMetric.E_RESULT}
    assert {key[3] for key in replayed} >= {*written, "digitised_with_result", "rated_unsatisfied"}


def test_satisfaction_is_no_data_only_without_dossiers_and_never_below_zero() -> None:
    on = date(2026, 6, 30)
    assert score(Figures(), (), on).result("5.4").standing == Standing.NO_DOSSIERS
    worst = score(Figures(received=2, ended_late=2, rated_unsatisfied=2), (), on).result("5.4")
    assert (worst.numerator, worst.denominator, worst.points) == (0, 2, D("0.00"))
    # A unit with dossiers and no rating at all is scored: no unhappy rating is data, not its absence.
    assert score(Figures(received=1, ended_on_time=1), (), on).result("5.4").points == D(18)  # 6 + 5.2's and 5.3's


def test_published_parts_decide_indicator_1_3_scored_for_the_province_only() -> None:
    assert publishes_every_part(BIRTH)
    for key in ("TRINHTUTHUCHIEN", "CACHTHUCTHUCHIEN", "THANHPHANHOSO", "COQUANTHUCHIEN"):
        assert not publishes_every_part({**BIRTH, key: []}), key
    assert not publishes_every_part({**BIRTH, "TENTTHC": " "})
    assert not publishes_every_part({**BIRTH, "DOITUONGTHUCHIEN": [], "MOTADOITUONGTHUCHIEN": ""})
    no_limits = [{**channel, "THOIGIAN": []} for channel in BIRTH["CACHTHUCTHUCHIEN"]]
    assert not publishes_every_part({**BIRTH, "CACHTHUCTHUCHIEN": no_limits})
    on = date(2026, 6, 30)
    province = score(Figures(), (10, 0, 0, 9), on)
    complete = province.result("1.3")
    assert (complete.numerator, complete.denominator, complete.points) == (9, 10, D("1.80"))
    commune = score(Figures(), (10, 0, 0, 9), on, province=False)
    assert commune.result("1.3").standing == Standing.PROVINCE_ONLY and commune.result("1.3").points is None
    assert commune.scored_max == province.scored_max - 2


def test_tt_01_2018_picked_by_period() -> None:
    # TT 01/2018/TT-VPCP is dated 23/11/2018; TT 03/2025/TT-VPCP takes over on 15/09/2025.
    assert evaluation_on(date(2019, 1, 8)) is EVALUATION_V1
    assert evaluation_on(date(2025, 9, 14)) is EVALUATION_V1
    assert evaluation_on(date(2025, 9, 15)) is EVALUATION_TT03_CARRIED
    assert EVALUATION_V1.effective_to == date(2025, 9, 14) and "23/11/2018" in EVALUATION_V1.legal_source
    assert "chưa đối chiếu" in EVALUATION_TT03_CARRIED.legal_source
    with pytest.raises(DomainError):
        evaluation_on(date(2018, 5, 1))  # the old configuration's date, before the circular existed
    figures = Figures(received=1, ended_on_time=1)
    assert evaluate(figures, (1, 0), date(2025, 6, 30)).version is EVALUATION_V1
    assert evaluate(figures, (1, 0), date(2025, 12, 31)).version is EVALUATION_TT03_CARRIED


def test_the_ranking_is_said_to_be_a_local_normalisation_in_the_report(db: None, tmp_path: Path) -> None:
    load_catalogue()
    assert "chuẩn hóa riêng" in INDEX_766_V1.ranking_note
    with clock.frozen(datetime(2026, 4, 15, 10, 0, tzinfo=VIETNAM)):
        response = browser_for("giamsat").get("/can-bo/chi-so/bao-cao.pdf", MARCH)
    assert response.status_code == 200
    path = tmp_path / "so-ket.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "chuẩn hóa riêng của hệ thống này" in flat and "Cổng Dịch vụ công quốc gia" in flat
    # March 2026 is evaluated by the version in force then, and the report names it.
    assert "Thông tư 03/2025/TT-VPCP" in flat and "chưa đối chiếu" in flat


def test_a_verified_report_on_conduct_takes_back_the_dossiers_points_in_tt01_indicator_7(
    handled: dict[str, Dossier],
) -> None:
    commune, leader = unit("28261.UBND"), user("mytho.lanhdao")
    sender = Sender("Nguyễn Văn Dân", "Số 5 Lê Lợi", "0912345678")
    with clock.frozen(datetime(2026, 3, 12, 9, 0, tzinfo=VIETNAM)):
        verified = report_extra_paper(ExtraPaperReport(handled["unsigned"], sender, "Sổ hộ khẩu"))
        unverified = report_extra_paper(ExtraPaperReport(handled["signed"], sender, "Giấy xác nhận cư trú"))
        for case, finding in ((verified, True), (unverified, False)):
            act(case, FeedbackAction.ACCEPT, actor=leader)
            act(case, FeedbackAction.CONCLUDE, actor=leader, reason="Đã xác minh.", verified=finding)
    with clock.frozen(datetime(2026, 4, 15, 10, 0, tzinfo=VIETNAM)):
        period = period_of("thang", 2026, 3)
        figures = figures_by_unit(period, [commune.pk])[commune.pk]
        items = evaluate(figures, (10, 3, 1), period.as_of).items
    # Three dossiers ended early (2 points each for indicator 1); the verified one scores 0 for attitude, the
    # unverified report does not count: (2 + 2 + 0) / 3 = 1.33. Indicator 8: both reports answered on time -> 2.
    assert (figures.conduct_verified, figures.conduct_verified_points) == (1, 2)
    assert (items[0].points, items[6].points, items[7].points) == (Decimal(2), Decimal("1.33"), Decimal(2))
