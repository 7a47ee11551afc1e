"""Signed-in sessions end: staff after 30 idle minutes or 10 hours, citizens after 14 days; then a Vietnamese message
on the sign-in page."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings

from motcua.conftest import browser_for
from motcua.core import clock
from motcua.dossiers.tests.factories import TUESDAY_9AM

pytestmark = pytest.mark.django_db
OFFICER, CITIZEN = "mytho.motcua", "0912345678"
OFFICE_PAGE, CITIZEN_PAGE = "/can-bo/", "/ca-nhan/"


def get_at(browser: Client, minutes_after: float, path: str, **headers: str) -> tuple[int, str]:
    """Ask for a page some minutes after Tuesday 9:00; return the status and where it sends the person, if anywhere."""
    with clock.frozen(TUESDAY_9AM + timedelta(minutes=minutes_after)):
        response = browser.get(path, headers=headers)
    return response.status_code, response.get("Location", "")


def sign_in_page(browser: Client) -> str:
    return browser.get("/dang-nhap/").content.decode()


def test_a_staff_session_ends_after_30_idle_minutes_with_a_message() -> None:
    officer = browser_for(OFFICER)
    assert get_at(officer, 0, OFFICE_PAGE) == (200, "")
    assert get_at(officer, 29, OFFICE_PAGE) == (200, "")  # activity moves the idle limit
    assert get_at(officer, 58, OFFICE_PAGE) == (200, "")
    assert get_at(officer, 88.5, OFFICE_PAGE) == (302, "/dang-nhap/?next=/can-bo/")
    assert "Phiên làm việc đã kết thúc vì không có thao tác trong 30 phút" in sign_in_page(officer)
    assert get_at(officer, 89, OFFICE_PAGE)[0] == 302  # signed out, not only turned away once


@override_settings(MOTCUA_STAFF_SESSION_HOURS=1)
def test_a_busy_staff_session_still_ends_after_its_lifetime() -> None:
    officer = browser_for(OFFICER)
    for minutes in (0, 20, 40, 60):
        assert get_at(officer, minutes, OFFICE_PAGE) == (200, ""), minutes
    assert get_at(officer, 61, OFFICE_PAGE)[0] == 302
    assert "Phiên làm việc đã kết thúc sau 1 giờ kể từ khi đăng nhập" in sign_in_page(officer)


@override_settings(MOTCUA_STAFF_IDLE_MINUTES=5)
def test_the_idle_period_is_a_setting_and_the_stored_session_ends_with_it() -> None:
    officer = browser_for(OFFICER)
    assert get_at(officer, 0, OFFICE_PAGE) == (200, "")
    assert officer.session.get_expiry_age() <= 5 * 60  # the store drops it too, should no request come
    assert get_at(officer, 6, OFFICE_PAGE)[0] == 302


def test_a_citizen_keeps_a_longer_session() -> None:
    citizen = browser_for(CITIZEN)
    assert get_at(citizen, 0, CITIZEN_PAGE) == (200, "")
    assert get_at(citizen, 8 * 60, CITIZEN_PAGE) == (200, "")  # a working day away: still signed in
    assert get_at(citizen, 13 * 24 * 60, CITIZEN_PAGE) == (200, "")
    assert get_at(citizen, 14 * 24 * 60 + 1, CITIZEN_PAGE) == (302, "/dang-nhap/?next=/ca-nhan/")
    assert "Phiên đăng nhập đã hết hạn sau 14 ngày" in sign_in_page(citizen)


def test_an_htmx_request_sends_the_whole_page_to_sign_in() -> None:
    officer = browser_for(OFFICER)
    assert get_at(officer, 0, OFFICE_PAGE) == (200, "")
    with clock.frozen(TUESDAY_9AM + timedelta(minutes=31)):
        response = officer.get(
            "/can-bo/ho-so/", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/can-bo/ho-so/?p=2"}
        )
    assert response.status_code == 200 and response["HX-Redirect"] == "/dang-nhap/?next=/can-bo/ho-so/%3Fp%3D2"


def test_an_ended_session_is_anonymous_to_the_api() -> None:
    officer = browser_for(OFFICER)
    assert get_at(officer, 0, "/api/v1/queues/mine")[0] == 200
    with clock.frozen(TUESDAY_9AM + timedelta(minutes=31)):
        response = officer.get("/api/v1/queues/mine")
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
