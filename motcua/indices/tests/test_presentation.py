"""How the 766 results read: Vietnamese numbers, the total and its band first, no notes meant for developers."""

import re
import subprocess
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from motcua.conftest import browser_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.formatting import format_number
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import load_catalogue, online, receive, user
from motcua.formats.en import formats as english
from motcua.indices.config import BANDS_766, INDEX_766_V1, band_of
from motcua.indices.engine import score
from motcua.indices.figures import Figures

NOW = datetime(2026, 4, 15, 10, 0, tzinfo=VIETNAM)
MARCH = {"tu": "01/03/2026", "den": "31/03/2026"}
DEVELOPER_TEXT = re.compile(r"DOMAIN|\.md\b|§|\[[IRV]\]|SoLieuThongKe|\.json")


@pytest.mark.parametrize(
    ("value", "places", "vietnamese"),
    [
        (Decimal("15.17"), 2, "15,17"),
        (1234, 2, "1.234"),
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (Decimal("20.00"), 2, "20"),
        (Decimal("6.5"), 2, "6,50"),
        (15.175, 2, "15,18"),  # rounded half up from the decimal written, not from the binary float
        (Decimal("-1234.5"), 0, "-1.235"),
        (0, 2, "0"),
    ],
)
def test_numbers_in_vietnamese(value: int | float | Decimal, places: int, vietnamese: str) -> None:
    assert format_number(value, places, language="vi") == vietnamese


def test_english_follows_the_english_format_module() -> None:
    mark, thousands = english.DECIMAL_SEPARATOR, english.THOUSAND_SEPARATOR
    assert format_number(Decimal("1234.5"), language="en") == f"1{thousands}234{mark}50"
    with translation.override("en"):
        assert format_number(Decimal("15.17")) == f"15{mark}17"


def test_the_template_filter_uses_the_page_language() -> None:
    template = Template("{% load motcua %}{{ ratio|so }} {{ count|so }} {{ whole|so:0 }} [{{ none|so }}]")
    context = Context({"ratio": Decimal("15.17"), "count": 1234, "whole": Decimal("6.5"), "none": None})
    with translation.override("vi"):
        assert template.render(context) == "15,17 1.234 7 []"


def test_bands_are_versioned_with_their_source_and_read_from_the_top() -> None:
    assert INDEX_766_V1.bands == BANDS_766 and "QĐ 766" in INDEX_766_V1.bands_source
    cases = {"100": "Xuất sắc", "90": "Xuất sắc", "89.99": "Tốt", "80": "Tốt", "70": "Khá", "69.99": "Trung bình",
             "50": "Trung bình", "49.99": "Yếu", "0": "Yếu"}  # fmt: skip
    assert {points: band_of(Decimal(points), BANDS_766) for points in cases} == cases
    assert score(Figures(), (0, 0, 0), NOW.date()).band == ""  # nothing could be scored: no band


def test_groups_are_numbered_as_their_indicators_and_sources_speak_to_people() -> None:
    for group in INDEX_766_V1.groups:
        assert all(i.code.split(".")[0] == str(group.number) for i in group.indicators), group.name
    shown = [INDEX_766_V1.legal_source, INDEX_766_V1.bands_source] + [
        text for _, i in INDEX_766_V1.indicators() for text in (i.source, i.note, i.missing)
    ]
    assert not [text for text in shown if DEVELOPER_TEXT.search(text)]


@pytest.fixture
def march(db: None):  # type: ignore[no-untyped-def]
    """Three dossiers in March at Mỹ Tho: one withdrawn the day it came, two still open at the end of the month."""
    load_catalogue()
    with clock.frozen(datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)):
        receive()
        early = receive()
        waiting = online()
    with clock.frozen(datetime(2026, 3, 10, 16, 0, tzinfo=VIETNAM)):
        perform(early, Action.WITHDRAW, actor=user("mytho.motcua"), reason="Người nộp xin rút")
    with clock.frozen(datetime(2026, 3, 12, 9, 0, tzinfo=VIETNAM)):
        perform(waiting, Action.ACCEPT, actor=user("mytho.motcua"))
    with clock.frozen(NOW):
        yield


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_dashboard_leads_with_the_total_and_its_band_in_vietnamese_numbers(march: None) -> None:
    html = browser_for("giamsat").get("/can-bo/chi-so/", MARCH).content.decode()
    # 2.1: 1 of 3 dossiers early or on time = 33,33 % of 20 points = 6,67 points.
    row = re.search(r'<tr data-indicator="2.1">.*?</tr>', html, re.S)
    assert row is not None and "33,33" in row.group() and "6,67" in row.group()
    numbers = [_text(cell) for cell in re.findall(r'<td[^>]* class="n"[^>]*>(.*?)</td>', html, re.S)]
    assert numbers and not [n for n in numbers if re.search(r"\d\.\d{1,2}(?!\d)", n)]  # never 33.33
    score_at, band_at = html.index('data-testid="score"'), html.index('data-testid="band"')
    assert score_at < band_at < html.index('id="nhom-chi-so"') < html.index('id="chi-tieu"')
    assert html.index('id="nhom-chi-so"') < html.index('class="filters"')
    summary = _text(html[score_at : html.index('id="nhom-chi-so"')])
    assert "Xếp loại: Yếu" in summary and "/ 68 điểm" in summary
    assert not DEVELOPER_TEXT.search(_text(html))
    # Each filter's label sits right before its own field.
    pairs = re.findall(r'<p class="field"><label for="([\w-]+)">[^<]+</label>\s*<(?:select|input) id="([\w-]+)"', html)
    assert [a for a, b in pairs if a == b] == ["don-vi", "ky", "nam", "so", "tu", "den"]


def test_the_dashboard_in_english_keeps_the_numbers_and_translates_the_band(march: None) -> None:
    client = browser_for("giamsat")
    client.cookies["django_language"] = "en"
    html = client.get("/can-bo/chi-so/", MARCH).content.decode()
    assert "Band" in html and "Poor" in html
    assert format_number(Decimal("33.33"), language="en") in html


def test_the_dashboard_costs_the_same_queries_whatever_the_dossiers(
    march: None, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = browser_for("giamsat")
    client.get("/can-bo/chi-so/", MARCH)  # warm the per-process caches (calendar, catalogue terms)
    with CaptureQueriesContext(connection) as few:
        client.get("/can-bo/chi-so/", MARCH)
    with clock.frozen(datetime(2026, 3, 20, 9, 0, tzinfo=VIETNAM)):
        for _ in range(6):
            receive()
        online()
    with django_assert_max_num_queries(len(few)):
        assert client.get("/can-bo/chi-so/", MARCH).status_code == 200
    assert len(few) <= 13  # 1.1 reads the announcements of the period: one query


def test_the_review_pdf_prints_vietnamese_numbers_and_the_band(march: None, tmp_path: Path) -> None:
    client = browser_for("giamsat")
    client.cookies["django_language"] = "en"  # an administrative document is Vietnamese whatever the page's language
    pdf = client.get("/can-bo/chi-so/bao-cao.pdf", MARCH)
    assert pdf.status_code == 200
    path = tmp_path / "so-ket.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "33,33" in text and "6,67" in text and "33.33" not in text and "6.67" not in text
    assert "Xếp loại: Yếu" in text and "2. Tiến độ, kết quả giải quyết" in text
    assert not DEVELOPER_TEXT.search(text)


def test_the_review_workbook_holds_numbers_with_a_number_format(march: None) -> None:
    xlsx = browser_for("giamsat").get("/can-bo/chi-so/bao-cao.xlsx", MARCH)
    book = load_workbook(BytesIO(xlsx.content))
    summary = book["Sơ kết"]
    header = [cell.value for cell in summary[5]]
    points = summary.cell(row=6, column=header.index("Điểm 766") + 1)
    assert isinstance(points.value, (int, float)) and points.number_format == "#,##0.00"
    assert summary.cell(row=6, column=header.index("Xếp loại 766") + 1).value == "Yếu"
    assert summary.cell(row=6, column=header.index("Tiếp nhận trong kỳ") + 1).number_format == "#,##0"
    scores = book["Chỉ số 766"]
    progress = next(row for row in scores.iter_rows(min_row=6) if row[1].value == "2.1")
    assert progress[0].value == "2. Tiến độ, kết quả giải quyết"
    assert (progress[6].value, progress[7].value) == (33.33, 6.67)
    cells = [str(c.value) for row in book.worksheets for line in row.iter_rows() for c in line if c.value]
    assert not [c for c in cells if DEVELOPER_TEXT.search(c)]
