"""Screens, API and exports of the indices, for every role: who sees which units, and that bad input is explained."""

import subprocess
from datetime import datetime
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from motcua.conftest import ROLES, client_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import DossierCounter, DossierEvent, UnitCounter
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import load_catalogue, online, receive, user

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 4, 15, 10, 0, tzinfo=VIETNAM)
QUERY = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture(autouse=True)
def dossiers(db: None):  # type: ignore[no-untyped-def]
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


def _rows() -> tuple[int, int, int]:
    return DossierCounter.objects.count(), UnitCounter.objects.count(), DossierEvent.objects.count()


EXPECTED = {"anonymous": 401, "citizen": 403, "officer_other_unit": 403, "officer_of_unit": 403, "leader": 200,
            "admin": 200}  # fmt: skip


def test_api_index_by_role(role_client: tuple[str, APIClient]) -> None:
    role, client = role_client
    before = _rows()
    response = client.get("/api/v1/indices/766", QUERY)
    assert response.status_code == EXPECTED[role], response.content
    assert _rows() == before
    if response.status_code != 200:
        assert response["Content-Type"].startswith("application/problem+json")
        return
    body = response.json()
    if role == "leader":  # Sở Tư pháp: its own unit, nothing from the communes
        assert body["unit"]["code"] == "82.STP" and body["figures"]["received"] == 0
        assert client.get("/api/v1/indices/766", {**QUERY, "unit": "28261.UBND"}).status_code == 404
    else:
        assert body["unit"]["code"] == "82" and body["figures"]["received"] == 3
        # One withdrawn the day it came (early); the other two still open at 31/03, due 11/03 and 13/03: overdue.
        assert (body["figures"]["ended_early"], body["figures"]["overdue"], body["figures"]["within"]) == (1, 2, 0)
        progress = body["groups"][1]["indicators"][0]
        assert (progress["code"], progress["numerator"], progress["denominator"]) == ("2.1", 1, 3)
        assert body["version"]["code"] == "766-2022.1"
        # Ranked by points over the points that could be scored, best first (a local normalisation, stated).
        ranking = body["ranking"]
        assert [r["rank"] for r in ranking] == list(range(1, len(ranking) + 1))
        shares = [float(r["percent"]) if r["percent"] is not None else -1.0 for r in ranking]
        assert shares == sorted(shares, reverse=True) and any(r["unit"]["code"] == "28261.UBND" for r in ranking)
        no_data = [i for g in body["groups"] for i in g["indicators"] if i["standing"] == "no_data"]
        assert no_data and all(i["points"] is None for i in no_data)


def test_the_province_monitor_sees_everything_and_a_commune_leader_only_below_its_unit() -> None:
    monitor = client_for("giamsat")
    assert monitor.get("/api/v1/indices/766", {**QUERY, "unit": "82.STP"}).status_code == 200
    commune = client_for("mytho.lanhdao")
    assert commune.get("/api/v1/indices/766", QUERY).json()["figures"]["received"] == 3
    assert commune.get("/api/v1/indices/766", {**QUERY, "unit": "82"}).status_code == 404
    assert commune.get("/api/v1/indices/766", {**QUERY, "unit": "82.STP"}).status_code == 404


def test_drilldown_lists_the_dossiers_behind_numerator_and_denominator() -> None:
    monitor = client_for("giamsat")
    numerator = monitor.get("/api/v1/indices/766/drilldown", {**QUERY, "indicator": "2.1", "part": "numerator"})
    denominator = monitor.get("/api/v1/indices/766/drilldown", {**QUERY, "indicator": "2.1", "part": "denominator"})
    assert numerator.json()["count"] == 1 and denominator.json()["count"] == 3
    assert {r["status"] for r in denominator.json()["results"]} == {2, 4, 7} - {4} | {7}
    # The online dossier has no signed result yet: received online, but not in 3.3's numerator, as the index says.
    online_share = monitor.get("/api/v1/indices/766/drilldown", {**QUERY, "indicator": "3.3", "part": "numerator"})
    index = monitor.get("/api/v1/indices/766", QUERY).json()
    scored = {i["code"]: i for g in index["groups"] for i in g["indicators"]}["3.3"]
    assert online_share.json()["count"] == scored["numerator"] == 0
    received_online = monitor.get("/api/v1/indices/766/drilldown", {**QUERY, "figure": "received_online"}).json()
    assert [r["channel"] for r in received_online["results"]] == [2]
    procedures = monitor.get("/api/v1/indices/766/drilldown", {**QUERY, "indicator": "3.1", "part": "denominator"})
    assert procedures.json()["kind"] == "procedures" and procedures.json()["count"] > 0


def test_the_procedures_behind_indicator_3_2_are_those_the_score_counts() -> None:
    monitor = client_for("giamsat")
    index = monitor.get("/api/v1/indices/766", QUERY).json()
    scored = {i["code"]: i for g in index["groups"] for i in g["indicators"]}["3.2"]
    for part in ("numerator", "denominator"):
        listed = monitor.get("/api/v1/indices/766/drilldown", {**QUERY, "indicator": "3.2", "part": part}).json()
        assert listed["kind"] == "procedures" and listed["count"] == scored[part]
    # The one online dossier of March was filed at Mỹ Tho for birth registration: that pair is the numerator.
    assert scored["numerator"] == 1 and scored["denominator"] > 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-03-31", "to": "2026-03-01"}, "to"),
        ({"from": "31/02/2026", "to": "2026-03-01"}, "from"),
        ({"from": "2026-03-01"}, "to"),
        ({"from": "2022-01-01", "to": "2022-01-31"}, "to"),
        ({"from": "2027-01-01", "to": "2027-01-31"}, "from"),
    ],
)
def test_bad_periods_are_explained_in_vietnamese(params: dict[str, str], field: str) -> None:
    response = client_for("giamsat").get("/api/v1/indices/766", params)
    assert response.status_code == 400
    problem = response.json()
    assert problem["detail"] and (field in str(problem))


def test_drilldown_refuses_an_indicator_without_data() -> None:
    response = client_for("giamsat").get("/api/v1/indices/766/drilldown", {"indicator": "4.3", "part": "numerator"})
    assert response.status_code == 400 and "chưa có dữ liệu" in response.json()["detail"]


def test_reports_in_excel_and_pdf_with_the_chart(tmp_path) -> None:  # type: ignore[no-untyped-def]
    monitor = client_for("giamsat")
    xlsx = monitor.get("/api/v1/indices/766/report.xlsx", QUERY)
    assert xlsx.status_code == 200
    book = load_workbook(BytesIO(xlsx.content))
    assert book.sheetnames == ["Sơ kết", "Chỉ số 766", "Theo tháng"]
    summary = book["Sơ kết"]
    assert "SƠ KẾT" in summary["A1"].value and summary["A5"].font.bold
    assert summary["A6"].value == "Tổng cộng: Tỉnh Đồng Tháp" and summary["C6"].value == 3  # received
    assert summary["K6"].value == 33.33  # 5.4: 100 % - 2 overdue of 3 to handle - no unhappy rating
    pdf = monitor.get("/api/v1/indices/766/report.pdf", QUERY)
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "BÁO CÁO SƠ KẾT" in text and "TỈNH ĐỒNG THÁP" in text and "Cột: hồ sơ tiếp nhận" in text
    assert client_for("stp.motcua").get("/api/v1/indices/766/report.pdf", QUERY).status_code == 403


def _page_client(role: str) -> Client:
    client = Client()
    if ROLES[role]:
        client.force_login(user(ROLES[role]))  # type: ignore[arg-type]
    return client


@pytest.mark.parametrize("role", list(ROLES))
def test_dashboard_page_by_role(role: str) -> None:
    client = _page_client(role)
    before = _rows()
    response = client.get("/can-bo/chi-so/", {"tu": "01/03/2026", "den": "31/03/2026"})
    assert _rows() == before
    if role == "anonymous":
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
        return
    assert response.status_code == {"leader": 200, "admin": 200}.get(role, 403)
    if response.status_code == 200:
        html = response.content.decode()
        assert "chưa có dữ liệu" in html and "<svg" in html and "Hồ sơ quá hạn" in html
        drill = client.get(
            "/can-bo/chi-so/chi-tiet/", {"tu": "01/03/2026", "den": "31/03/2026", "so-lieu": "received"}
        )
        assert drill.status_code == 200
        report = client.get("/can-bo/chi-so/bao-cao.xlsx", {"ky": "6thang", "nam": "2026", "so": "1"})
        assert report.status_code == 200 and report["Content-Disposition"].endswith('.xlsx"')


def test_dashboard_page_shows_the_province_and_errors_on_bad_input() -> None:
    client = _page_client("admin")
    html = client.get("/can-bo/chi-so/", {"ky": "quy", "nam": "2026", "so": "1"}).content.decode()
    assert "Quý I năm 2026" in html and "Phường Mỹ Tho" in html and "Xếp hạng đơn vị" in html
    bad = client.get("/can-bo/chi-so/", {"ky": "quy", "nam": "2026", "so": "7"})
    assert bad.status_code == 400 and "Số thứ tự kỳ phải từ 1 đến 4" in bad.content.decode()
    assert client.get("/can-bo/chi-so/", {"don-vi": "khong-co"}).status_code == 404
    drill = client.get(
        "/can-bo/chi-so/chi-tiet/", {"tu": "01/03/2026", "den": "31/03/2026", "chi-tieu": "2.1", "phan": "denominator"}
    )
    assert drill.status_code == 200 and "3 mục" in drill.content.decode()
