"""The dashboard says what its numbers are: the ranking's local normalisation, the satisfaction indicator (5.4) as
computed, and the evaluation set in force in the period chosen."""

import re
from collections.abc import Iterator
from datetime import datetime
from html import unescape

import pytest

from motcua.conftest import browser_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import load_catalogue, online, receive, user
from motcua.indices.config import EVALUATION_TT03_CARRIED, EVALUATION_V1, INDEX_766_V1, EvaluationVersion

NOW = datetime(2026, 4, 15, 10, 0, tzinfo=VIETNAM)
MARCH = {"tu": "01/03/2026", "den": "31/03/2026"}


@pytest.fixture
def march(db: None) -> Iterator[None]:
    """Three dossiers in March at Mỹ Tho: one withdrawn the day it came, two still open and overdue at its end."""
    load_catalogue()
    with clock.frozen(datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)):
        receive()
        early = receive()
        waiting = online()
        perform(early, Action.WITHDRAW, actor=user("mytho.motcua"), reason="Người nộp xin rút")
    with clock.frozen(datetime(2026, 3, 12, 9, 0, tzinfo=VIETNAM)):
        perform(waiting, Action.ACCEPT, actor=user("mytho.motcua"))
    with clock.frozen(NOW):
        yield


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _part(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found is not None, pattern
    return _text(found.group())


def _page(query: dict[str, str]) -> str:
    response = browser_for("giamsat").get("/can-bo/chi-so/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_score_summary_and_the_ranking_say_the_ranking_is_a_local_normalisation(march: None) -> None:
    html = _page(MARCH)
    note = " ".join(INDEX_766_V1.ranking_note.split())
    assert "chuẩn hóa riêng" in note
    assert note in _part(html, r'<section class="score-summary".*?</section>')
    assert note in _part(html, r"<h2>Xếp hạng đơn vị</h2>.*?<table")


def test_the_satisfaction_row_shows_indicator_5_4_as_computed(march: None) -> None:
    html = _page(MARCH)
    # 3 to handle, 2 overdue, no unhappy rating: 33,33 % < 90 %; no PAKN, so 5.4 carries 5.2's and 5.3's points:
    # 33,33 x 18 / 90 = 6,67 points.
    row = _part(html, r'<tr data-figure="satisfaction">.*?</tr>')
    assert "Mức độ hài lòng (chỉ tiêu 5.4)" in row and "33,33% – 6,67/18 điểm" in row
    assert "chưa có dữ liệu" not in row and "Đánh giá không hài lòng 0" in row
    indicator = _part(html, r'<tr data-indicator="5.4">.*?</tr>')
    assert "33,33" in indicator and "6,67" in indicator
    assert "chi-tieu=5.4&amp;phan=numerator" in html and "so-lieu=rated_unsatisfied" in html


@pytest.mark.parametrize(
    ("query", "shown", "not_shown"),
    [
        ({"ky": "quy", "nam": "2025", "so": "1"}, EVALUATION_V1, EVALUATION_TT03_CARRIED),
        (MARCH, EVALUATION_TT03_CARRIED, EVALUATION_V1),
    ],
)
def test_the_evaluation_is_labelled_by_the_set_in_force_in_the_period(
    march: None, query: dict[str, str], shown: EvaluationVersion, not_shown: EvaluationVersion
) -> None:
    label = _part(_page(query), r'<p data-testid="evaluation">.*?</p>')
    assert shown.legal_source in label and f"phiên bản {shown.code}" in label
    assert not_shown.legal_source not in label and "TT 01/2018/TT-VPCP)" not in label


def test_the_new_lines_read_in_english(march: None) -> None:
    client = browser_for("giamsat")
    client.cookies["django_language"] = "en"
    text = _text(client.get("/can-bo/chi-so/", MARCH).content.decode())
    assert "Nine-criterion evaluation:" in text and "Basis: Thông tư 03/2025/TT-VPCP" in text
    assert "Satisfaction (indicator 5.4)" in text and "points" in text
