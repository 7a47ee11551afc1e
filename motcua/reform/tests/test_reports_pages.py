"""The office pages: the periods with each unit's status, the draft editor, the consolidation for Sở Nội vụ."""

from datetime import date

import pytest

from motcua.conftest import browser_for
from motcua.core import clock
from motcua.dossiers.tests.factories import receive
from motcua.reform.models import UnitReport
from motcua.reform.reports import services

from .reports_world import COMMUNE, HALF_2026, REFORM_OFFICER, at, dossiers_around_half_2026, reform_officer

pytestmark = pytest.mark.django_db
PAGE = f"/can-bo/bao-cao-cchc/{HALF_2026}/{COMMUNE}/"


@pytest.fixture
def opened() -> UnitReport:
    reform_officer()
    with clock.frozen(at(date(2026, 1, 5))):
        services.open_year(2026)
    return UnitReport.objects.get(period__year=2026, period__kind="6-thang", unit__code=COMMUNE)


def test_the_unit_writes_submits_and_sees_what_came_after(opened: UnitReport) -> None:
    dossiers_around_half_2026()
    leader = browser_for("mytho.lanhdao")
    with clock.frozen(at(date(2026, 6, 16))):
        listing = leader.get("/can-bo/bao-cao-cchc/").content.decode()
        assert f'data-unit="{COMMUNE}"' in listing and "Quá hạn" in listing and "82.STP" not in listing
        saved = leader.post(PAGE, {"i-chi-dao": "Ban hành Kế hoạch số 12/KH-UBND."})
        assert saved.status_code == 302
        assert leader.post(PAGE, {"v-kien-nghi": "a\x00b"}).status_code == 400  # refused before the view
        refused = leader.post(PAGE, {"v-kien-nghi": "\u202eabc", "i-chi-dao": "x" * 20_001})
        assert refused.status_code == 200 and "Nội dung báo cáo chưa hợp lệ" in refused.content.decode()
        leader.post(f"{PAGE}thao-tac/submit/")
    with clock.frozen(at(date(2026, 6, 17))):
        receive()
        page = browser_for("mytho.lanhdao").get(PAGE).content.decode()  # a new day, a new session
    assert "Ban hành Kế hoạch số 12/KH-UBND." in page and "Đã nộp" in page
    assert "Số liệu đã chốt tại ngày chốt số liệu" in page and "data-after-cutoff" in page
    assert "<textarea" not in page.split("<h2>Nộp báo cáo")[0]  # locked: no editor


def test_the_reform_office_consolidates(opened: UnitReport) -> None:
    officer = browser_for(REFORM_OFFICER)
    with clock.frozen(at(date(2026, 6, 16))):
        browser_for("mytho.lanhdao").post(f"{PAGE}thao-tac/submit/")
        page = officer.get(f"/can-bo/bao-cao-cchc/{HALF_2026}/tong-hop/")
        sheet = officer.get(f"/can-bo/bao-cao-cchc/{HALF_2026}/tong-hop/", {"tai-ve": "xlsx"})
        returned = officer.post(f"{PAGE}thao-tac/return/", {"ly-do": "Bổ sung phụ lục"})
        leader_denied = browser_for("mytho.lanhdao").get(f"/can-bo/bao-cao-cchc/{HALF_2026}/tong-hop/")
    assert page.status_code == 200 and "1 trên" in page.content.decode()
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    assert returned.status_code == 302
    assert UnitReport.objects.get(pk=opened.pk).returned_reason == "Bổ sung phụ lục"
    assert leader_denied.status_code == 403


def test_pages_in_english(opened: UnitReport) -> None:
    leader = browser_for("mytho.lanhdao")
    with clock.frozen(at(date(2026, 6, 16))):
        leader.cookies["django_language"] = "en"
        page = leader.get("/can-bo/bao-cao-cchc/").content.decode()
    assert "Periodic administrative reform reports" in page
