"""Content-Security-Policy and Permissions-Policy on every page, and templates that keep to the policy."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from motcua.conftest import browser_for, client_for
from motcua.dossiers.tests.factories import load_catalogue

pytestmark = pytest.mark.django_db
STRICT = "script-src 'self'"


def directives(header: str) -> dict[str, str]:
    return {part.strip().split(" ", 1)[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize(
    ("who", "path"),
    [
        (None, "/"),
        (None, "/thu-tuc/"),
        (None, "/dang-nhap/"),
        ("0912345678", "/tai-khoan/"),
        ("mytho.motcua", "/can-bo/"),
        ("mytho.motcua", "/can-bo/tiep-nhan/?thu-tuc=1.001193"),
        ("quantri", "/quan-tri/"),
        (None, "/quan-tri/login/"),
        (None, "/api/v1/procedures"),
        (None, "/api/v1/khong-co"),
        (None, "/khong-co-trang-nay/"),
        (None, "/thu-tuc/%00/"),
    ],
)
def test_every_page_carries_both_policies(who: str | None, path: str) -> None:
    load_catalogue()
    client = client_for(who) if path.startswith("/api/") else browser_for(who)
    response = client.get(path)
    assert response.status_code < 500
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == STRICT and policy["style-src"] == "style-src 'self'"
    assert policy["object-src"] == "object-src 'none'" and policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_the_api_documentation_loads_its_script_from_the_site_and_only_relaxes_styles(client: Client) -> None:
    page = client.get("/api/docs/")
    policy = directives(page["Content-Security-Policy"])
    assert policy["script-src"] == STRICT and "'unsafe-inline'" in policy["style-src"]
    assert not re.search(r"<script>", page.content.decode())
    assert client.get("/api/docs/?script=").status_code == 200


# Rendered to PDF by WeasyPrint, never sent to a browser: the policy does not apply to them.
PDF_TEMPLATES = (
    *("documents/templates/", "eforms/templates/eforms/blank.html", "indices/templates/indices/report.html"),
    "reform/templates/reform/report.html",
    "eoffice/templates/eoffice/outgoing_pdf.html",
)
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)


def test_no_template_sent_to_a_browser_has_inline_script_style_or_handler() -> None:
    root = Path(settings.BASE_DIR)  # the motcua package
    templates = sorted(root.glob("*/templates/**/*.html"))
    assert len(templates) > 20
    offending = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in templates
        if not any(part in path.as_posix() for part in PDF_TEMPLATES)
        for match in INLINE.finditer(path.read_text())
    ]
    assert offending == []
