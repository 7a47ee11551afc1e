"""The demo's other direction: a dossier filed on the DVCQG simulator is handed over to the province over real HTTP,
its papers fetched from the simulator, and synced back to the portal under the portal's own code."""

import urllib.request
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from motcua.api.tokens import issue_token
from motcua.demo.seed import seed
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import load_catalogue, user
from motcua.integrations.simulators.dvcqg import NationalPortal
from motcua.outbox import delivery

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_dossier_filed_on_the_portal_is_handed_over_and_synced_back(live_server, settings) -> None:  # type: ignore[no-untyped-def]
    seed(catalogue=False)
    load_catalogue()
    portal = NationalPortal()
    base = portal.start()
    settings.MOTCUA_DVCQG_URL = base
    settings.MOTCUA_DVCQG_FILE_HOSTS = [base.removeprefix("http://")]
    settings.MOTCUA_DVCQG_FILE_SCHEMES = ["http"]
    portal.handover.province = live_server.url
    portal.handover.token = issue_token(user("dvcqg"), lifetime=timedelta(hours=1))[1]
    try:
        form = urlencode({"papers": "GT1,GT2", "MaTTHC": "1.001193"}).encode()
        with urllib.request.urlopen(f"{base}/nop-ho-so", form, timeout=60) as answer:
            page = answer.read().decode()
        assert "Tỉnh trả lời: 201" in page, page
        dossier = Dossier.objects.select_related("national").get()
        assert dossier.status == 1 and dossier.channel == 2
        assert sorted(dossier.uploads.values_list("component__code", flat=True)) == ["GT1", "GT2"]
        while delivery.deliver_due("test"):
            pass
        record = portal.records[dossier.national.national_code]
        assert record["MaHoSo"] == dossier.national.national_code and len(record["TaiLieuNop"]) == 2
        assert all(paper["TepDinhKem"] for paper in record["TaiLieuNop"])
    finally:
        portal.stop()


def test_the_portal_page_offers_the_form() -> None:
    portal = NationalPortal()
    base = portal.start()
    try:
        with urllib.request.urlopen(f"{base}/", timeout=10) as answer:
            page = answer.read().decode()
    finally:
        portal.stop()
    assert "Nộp và chuyển về tỉnh" in page and 'name="MaTTHC"' in page
