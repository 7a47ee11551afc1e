"""Page titles name the page and the service, the favicon is there, the focus shows on the dark header."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "Trang chủ — Cổng dịch vụ công tỉnh Đồng Tháp"),
        ("/dang-nhap/", "Đăng nhập — Cổng dịch vụ công tỉnh Đồng Tháp"),
        ("/quen-mat-khau/tin-nhan/", "Quên mật khẩu: nhận mã qua tin nhắn — Cổng dịch vụ công tỉnh Đồng Tháp"),
    ],
)
def test_titles_name_the_page_then_the_service(client: Client, url: str, expected: str) -> None:
    assert title(client.get(url).content.decode()) == expected


def test_english_titles_keep_the_province_name(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert title(client.get("/dang-nhap/").content.decode()) == "Log in — Public service portal, Tỉnh Đồng Tháp"


def test_the_favicon_is_linked_and_served(client: Client) -> None:
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/motcua/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/motcua/favicon.svg"
    icon = finders.find("motcua/favicon.svg")
    assert icon is not None and Path(icon).read_text(encoding="utf-8").startswith("<svg")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_focus_ring_on_the_header_contrasts_with_it() -> None:
    css_path = finders.find("motcua/site.css")
    assert css_path is not None
    css = Path(css_path).read_text(encoding="utf-8")
    rule = re.search(
        r"header\.site a:focus-visible, header\.site button:focus-visible \{ outline: 3px solid (#[0-9a-f]{6})", css
    )
    header = re.search(r"--brand: (#[0-9a-f]{6})", css)
    assert rule is not None and header is not None
    lighter, darker = sorted((_luminance(rule.group(1)), _luminance(header.group(1))), reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 3  # WCAG 2.2 SC 1.4.11: non-text contrast of at least 3:1
