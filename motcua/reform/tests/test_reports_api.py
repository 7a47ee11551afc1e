"""The reports over HTTP: each role gets what the rules say, a denied action changes nothing, hostile input is a
400 problem, and the files are Vietnamese documents."""

import io
import json
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader

from motcua.conftest import client_for
from motcua.core import clock
from motcua.reform.models import ReportEvent, UnitReport
from motcua.reform.reports import exports, services

from .reports_world import COMMUNE, HALF_2026, REFORM_OFFICER, at, reform_officer

pytestmark = pytest.mark.django_db
URL = f"/api/v1/reform-reports/{HALF_2026}/{COMMUNE}"
ROLES = {
    "anonymous": None,
    "citizen": "0912345678",
    "officer_other_unit": "stp.motcua",
    "officer_of_unit": "mytho.motcua",
    "leader": "mytho.lanhdao",
    "admin": "quantri",
    "reform_officer": REFORM_OFFICER,
}
READERS = {"officer_of_unit", "leader", "reform_officer"}
# What a refused action answers: a visitor must sign in; a reader not entitled is told why; others see nothing.
EDITORS = {"officer_of_unit", "leader"}


@pytest.fixture
def opened() -> UnitReport:
    reform_officer()
    with clock.frozen(at(date(2026, 1, 5))):
        services.open_year(2026)
    return UnitReport.objects.get(period__year=2026, period__kind="6-thang", unit__code=COMMUNE)


def _state(report: UnitReport) -> tuple[object, ...]:
    row = UnitReport.objects.get(pk=report.pk)
    return (row.status, row.sections, row.figures, row.submitted_at, row.returned_reason, row.decided_at,
            ReportEvent.objects.count())  # fmt: skip


def _refused_as(role: str, allowed: set[str], readers: set[str] = READERS) -> int:
    if role == "anonymous":
        return 401
    return 403 if role in readers else 404


@pytest.mark.parametrize("role", list(ROLES))
def test_reading(opened: UnitReport, role: str) -> None:
    with clock.frozen(at(date(2026, 6, 16))):
        answer = client_for(ROLES[role]).get(URL)
    if role in READERS:
        assert answer.status_code == 200
        body = answer.json()
        assert body["period"] == HALF_2026 and body["cutoff_from"] == "2025-12-15" and body["due_on"] == "2026-06-15"
        assert body["status_label"] == "Quá hạn"  # not sent by the 15th
        offered = {a["action"]: a["allowed"] for a in body["actions"]}
        assert offered["submit"] is (role == "leader")
    else:
        assert answer.status_code == (401 if role == "anonymous" else 404)
        assert answer["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("role", list(ROLES))
def test_editing_and_submitting_change_nothing_when_denied(opened: UnitReport, role: str) -> None:
    client = client_for(ROLES[role])
    with clock.frozen(at(date(2026, 6, 16))):
        before = _state(opened)
        edit = client.patch(URL, {"sections": {"i-chi-dao": "Đã ban hành kế hoạch."}}, format="json")
        if role in EDITORS:
            assert edit.status_code == 200, edit.content
            assert edit.json()["sections"][0]["text"] == "Đã ban hành kế hoạch."
        else:
            assert edit.status_code == _refused_as(role, EDITORS), edit.content
            assert _state(opened) == before
        before = _state(opened)
        submit = client.post(f"{URL}/actions/submit", {}, format="json")
        if role == "leader":
            assert submit.status_code == 200 and submit.json()["status"] == 2
            assert submit.json()["figures"]["locked"] is True
        else:
            assert submit.status_code == _refused_as(role, {"leader"}), submit.content
            assert _state(opened) == before


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", ["return", "accept"])
def test_review_is_the_reform_offices(opened: UnitReport, role: str, action: str) -> None:
    with clock.frozen(at(date(2026, 6, 16))):
        client_for("mytho.lanhdao").post(f"{URL}/actions/submit", {}, format="json")
        before = _state(opened)
        answer = client_for(ROLES[role]).post(f"{URL}/actions/{action}", {"reason": "Thiếu phụ lục"}, format="json")
    if role == "reform_officer":
        assert answer.status_code == 200
        expected = "Trả lại, quá hạn" if action == "return" else "Đã tiếp nhận"  # returned after the 15th
        assert answer.json()["status_label"] == expected
    else:
        assert answer.status_code == _refused_as(role, {"reform_officer"}), answer.content
        assert _state(opened) == before


def test_after_the_period_is_closed_nothing_is_saved(opened: UnitReport) -> None:
    with clock.frozen(at(date(2026, 6, 20))):
        services.close_period(opened.period, actor=reform_officer())
        before = _state(opened)
        edit = client_for("mytho.lanhdao").patch(URL, {"sections": {"i-chi-dao": "Muộn"}}, format="json")
        submit = client_for("mytho.lanhdao").post(f"{URL}/actions/submit", {}, format="json")
    assert edit.status_code == submit.status_code == 409
    assert "Kỳ báo cáo đã đóng" in edit.json()["detail"]
    assert _state(opened) == before


@pytest.mark.parametrize(
    "body",
    [
        {"sections": {"i-chi-dao": "a\u0000b"}},
        {"sections": {"i-chi-dao": "x" * (services.MAX_SECTION + 1)}},
        {"sections": {"khong-co-muc-nay": "x"}},
        {"sections": {"i-chi-dao": {"nested": 1}}},
        {"sections": "text"},
    ],
    ids=["nul", "huge", "unknown-section", "nested", "not-a-dict"],
)
def test_hostile_input_is_a_400_problem(opened: UnitReport, body: dict[str, object]) -> None:
    before = _state(opened)
    with clock.frozen(at(date(2026, 3, 1))):
        answer = client_for("mytho.lanhdao").generic("PATCH", URL, json.dumps(body), content_type="application/json")
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    assert _state(opened) == before


def test_unknown_period_and_unit_are_404(opened: UnitReport) -> None:
    client = client_for("mytho.lanhdao")
    for url in ("/api/v1/reform-reports/2026-quy-9/28261.UBND", "/api/v1/reform-reports/x\u0000/28261.UBND",
                f"/api/v1/reform-reports/{HALF_2026}/{'9' * 300}"):  # fmt: skip
        assert client.get(url).status_code in {400, 404}


def test_files_are_vietnamese_documents(opened: UnitReport) -> None:
    client = client_for("mytho.lanhdao")
    with clock.frozen(at(date(2026, 6, 16))):
        client.patch(URL, {"sections": {"v-kien-nghi": "Đề nghị tăng cường đường truyền."}}, format="json")
        files = {fmt: client.get(f"{URL}.{fmt}") for fmt in ("odt", "pdf", "xlsx")}
    for fmt, answer in files.items():
        assert answer.status_code == 200, fmt
        assert answer["Content-Type"] == exports.CONTENT_TYPES[fmt]
    archive = zipfile.ZipFile(io.BytesIO(files["odt"].content))
    assert archive.namelist()[0] == "mimetype"
    content = archive.read("content.xml").decode()
    assert "Đề nghị tăng cường đường truyền." in content and "15/12/2025" in content
    text = PdfReader(io.BytesIO(files["pdf"].content)).pages[0].extract_text()
    assert "PHƯỜNG MỸ THO" in text.upper() and "14/06/2026" in text
    assert exports._number(1_000_000) == "1.000.000"


def test_the_consolidation_is_the_reform_offices(opened: UnitReport) -> None:
    with clock.frozen(at(date(2026, 6, 16))):
        client_for("mytho.lanhdao").post(f"{URL}/actions/submit", {}, format="json")
        answer = client_for(REFORM_OFFICER).get(f"/api/v1/reform-reports/{HALF_2026}")
        assert client_for("mytho.lanhdao").get(f"/api/v1/reform-reports/{HALF_2026}").status_code == 403
    assert answer.status_code == 200
    body = answer.json()
    assert body["in_hand"] == 1
    statuses = {row["unit"]["code"]: row["status_label"] for row in body["units"]}
    assert statuses[COMMUNE] == "Đã nộp" and statuses["82.STP"] == "Quá hạn"
