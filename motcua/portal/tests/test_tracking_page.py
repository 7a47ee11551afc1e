"""The public tracking page: the receipt's QR or the phone's last digits open the timeline, and nothing personal."""

import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from motcua.core import clock
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.services import SupplementRequest, perform
from motcua.dossiers.tests.factories import PERSON, TUESDAY_9AM, load_catalogue, receive, user

pytestmark = pytest.mark.django_db
MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.DOTALL)


@pytest.fixture(autouse=True)
def setting_up(db: None):  # type: ignore[no-untyped-def]
    load_catalogue()
    cache.clear()
    with clock.frozen(TUESDAY_9AM):
        yield


def test_the_receipt_or_the_phone_digits_open_the_timeline_without_personal_data() -> None:
    dossier = receive()
    paper = dossier.case.components.order_by("position").first()
    assert paper is not None
    perform(
        dossier,
        Action.REQUEST_SUPPLEMENT,
        actor=user("mytho.motcua"),
        reason="Thiếu chữ ký",
        supplements=(SupplementRequest(paper.pk, "Ký đủ họ tên"),),
    )
    by_secret = Client().get(f"/tra-cuu/{dossier.code}/", {"k": dossier.tracking_secret}).content.decode()
    by_phone = Client().get("/tra-cuu/", {"ma": dossier.code, "sdt": PERSON.phone[-4:]}).content.decode()
    for page in (by_secret, by_phone):
        assert dossier.code in page and "Yêu cầu bổ sung, hoàn thiện hồ sơ" in page
        assert f"{paper.name}</strong>: Ký đủ họ tên" in page  # what is needed now
        assert "Tiếp nhận hồ sơ tại quầy" in page  # the timeline
        for private in (PERSON.citizen_id, PERSON.address, PERSON.phone, PERSON.name):
            assert private not in page


def test_a_wrong_code_and_a_wrong_secret_get_the_same_answer() -> None:
    dossier = receive()
    wrong_secret = Client().get(f"/tra-cuu/{dossier.code}/", {"k": "sai"})
    wrong_code = Client().get("/tra-cuu/000.00.00.H00-260310-9999/", {"k": dossier.tracking_secret})
    wrong_phone = Client().get("/tra-cuu/", {"ma": dossier.code, "sdt": "0000"})
    pages = [
        main(r.content.decode(), dossier.code, "000.00.00.H00-260310-9999")
        for r in (wrong_secret, wrong_code, wrong_phone)
    ]
    assert {r.status_code for r in (wrong_secret, wrong_code, wrong_phone)} == {200}
    assert pages[0] == pages[1] == pages[2] and "Không tìm thấy hồ sơ với mã và thông tin xác nhận" in pages[0]


def test_a_secret_or_digits_beyond_ascii_get_the_same_answer_not_an_error() -> None:
    dossier = receive()
    for query in ({"k": "mã-bí-mật"}, {"k": "\u202e" + dossier.tracking_secret}):
        response = Client().get(f"/tra-cuu/{dossier.code}/", query)
        assert response.status_code == 200 and "Không tìm thấy hồ sơ" in response.content.decode()
    response = Client().get("/tra-cuu/", {"ma": dossier.code, "sdt": "١٢٣٤"})  # Arabic-Indic digits
    assert response.status_code == 200 and "Không tìm thấy hồ sơ" in response.content.decode()


def main(page: str, *echoed: str) -> str:
    """The page's own content, less the codes it echoes back into its form."""
    found = MAIN.search(page)
    assert found is not None
    content = found.group(1)
    for value in echoed:
        content = content.replace(value, "")
    return content


@override_settings(MOTCUA_TRACKING_PAGE_PER_MINUTE=3)
def test_lookups_are_limited_per_address() -> None:
    dossier = receive()
    answers = [Client().get(f"/tra-cuu/{dossier.code}/", {"k": "sai"}).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = Client().get(f"/tra-cuu/{dossier.code}/", {"k": dossier.tracking_secret})
    assert refused.status_code == 429 and "quá nhiều lần trong một phút" in refused.content.decode()
    assert PERSON.citizen_id not in refused.content.decode()
