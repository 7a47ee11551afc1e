"""Forms 04 and 05 over HTTP: a stop carries the request it answers and the settlement of the fee paid, an extension
may name its signer; the signing register refuses an unentitled signer; bad input is a problem naming its field and
changes nothing."""

from pathlib import Path
from typing import Any

import pytest

from motcua.catalogue.models import Field
from motcua.conftest import client_for
from motcua.core import clock
from motcua.documents.tests.test_forms import text_of
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, user
from motcua.dossiers.tests.processing_factories import file, load_processing_catalogue, started
from motcua.signing.authority import Mode
from motcua.signing.models import RegisterEntry

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
REQUEST = "Đơn đề nghị dừng giải quyết hồ sơ của ông Nguyễn Văn An"
SETTLEMENT = "Hoàn trả phí tại Bộ phận Một cửa Sở Tư pháp trong 05 ngày làm việc."
STOP = {
    "reason": "Người nộp không tiếp tục thực hiện thủ tục",
    "request": REQUEST,
    "requested_on": "10/03/2026",
    "refund": 200_000,
    "settlement": SETTLEMENT,
}


@pytest.fixture(autouse=True)
def catalogue() -> None:
    load_processing_catalogue()


@pytest.fixture(name="paid")
def paid_dossier() -> Dossier:
    """A Department of Justice dossier being processed, 200.000 đ paid at reception."""
    with clock.frozen(TUESDAY_9AM):
        return started()


def state(dossier: Dossier) -> tuple[object, ...]:
    fresh = Dossier.objects.get(pk=dossier.pk)
    return fresh.status, fresh.due_at, fresh.original_due_at, fresh.closed_at, fresh.events.count()


def act(username: str, dossier: Dossier, action: str, body: dict[str, Any]) -> Any:
    with clock.frozen(TUESDAY_9AM):
        return client_for(username).post(f"/api/v1/dossiers/{dossier.code}/actions/{action}", body, format="json")


@pytest.mark.parametrize("requested_on", ["10/03/2026", "2026-03-10"])
def test_a_stop_through_the_api_prints_form_05_with_its_request(
    paid: Dossier, requested_on: str, tmp_path: Path
) -> None:
    response = act("stp.lanhdao", paid, "stop", {**STOP, "requested_on": requested_on})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.STOPPED
    form = client_for("stp.lanhdao").get(f"/api/v1/dossiers/{paid.code}/forms/05.pdf")
    assert form.status_code == 200 and form["Content-Type"] == "application/pdf"
    pdf = tmp_path / "05.pdf"
    pdf.write_bytes(form.content)
    text = text_of(pdf, layout=False)
    assert f"Xét đề nghị: {REQUEST} (ngày 10/03/2026)" in text
    assert "Phí, lệ phí đã nộp: 200.000 đ; số tiền hoàn trả: 200.000 đ." in text and SETTLEMENT in text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"request": None}, "request"),  # None: left out
        ({"request": "  "}, "request"),
        ({"requested_on": None}, "requested_on"),
        ({"requested_on": "31/02/2026"}, "requested_on"),
        ({"requested_on": "2026-03-11"}, "requested_on"),  # after today
        ({"requested_on": "09/03/2026"}, "requested_on"),  # before the dossier was filed
        ({"refund": -1}, "refund"),
        ({"refund": None}, "refund"),  # a fee was paid: say how much goes back
        ({"refund": 250_000}, "refund"),  # more than was paid
        ({"refund": "hai trăm nghìn"}, "refund"),
        ({"settlement": None}, "settlement"),
    ],
)
def test_a_stop_with_bad_input_is_a_problem_naming_the_field_and_changes_nothing(
    paid: Dossier, change: dict[str, Any], field: str
) -> None:
    before = state(paid)
    body = {key: value for key, value in {**STOP, **change}.items() if value is not None}
    response = act("stp.lanhdao", paid, "stop", body)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    assert list(response.json()["errors"]) == [field], response.json()
    assert state(paid) == before


def test_an_extension_names_its_signer_by_username(paid: Dossier) -> None:
    before = state(paid)
    extension = {"reason": "Chờ ý kiến", "new_due_at": "2026-04-07T09:00:00+07:00"}
    for signer, told in [
        ("khong.co.ai", "Không có cán bộ có tên đăng nhập «khong.co.ai»."),
        ("mytho.lanhdao", "Đặng Văn Chủ Tịch không công tác tại Sở Tư pháp, đơn vị ban hành văn bản xin lỗi."),
    ]:
        refused = act("stp.lanhdao", paid, "extend", {**extension, "signer": signer})
        assert refused.status_code == 400 and refused["Content-Type"] == PROBLEM
        assert refused.json()["errors"] == {"signer": [told]}
        assert state(paid) == before
    accepted = act("stp.lanhdao", paid, "extend", {**extension, "signer": "stp.lanhdao"})
    assert accepted.status_code == 200, accepted.content
    event = Dossier.objects.get(pk=paid.pk).events.get(action=Action.EXTEND)
    assert (event.details["issuing_unit"], event.details["signer"]) == ("82.STP", "stp.lanhdao")


def test_the_register_refuses_a_deputy_outside_their_fields_and_the_offer_says_the_same() -> None:
    with clock.frozen(TUESDAY_9AM):
        birth = file("1.001193", officer="mytho.motcua", at="28261.TTPVHCC")
        perform(birth, Action.START, actor=user("mytho.motcua"))
    before = state(birth)
    deputy = client_for("mytho.phochutich")
    body = {**STOP, "requested_on": "10/03/2026"}
    del body["refund"]  # nothing was paid for a birth registration
    refused = act("mytho.phochutich", birth, "stop", body)
    assert refused.status_code == 403 and refused["Content-Type"] == PROBLEM
    assert "Phó Chủ tịch không được phân công lĩnh vực" in refused.json()["detail"]
    with clock.frozen(TUESDAY_9AM):
        offers = {o["action"]: o for o in deputy.get(f"/api/v1/dossiers/{birth.code}").json()["actions"]}
    assert offers["stop"]["allowed"] is False and offers["stop"]["reason"] == refused.json()["detail"]
    assert offers["extend"]["allowed"] is False and "(Mẫu số 04)" in offers["extend"]["reason"]
    assert state(birth) == before
    entry = RegisterEntry.objects.get(official__username="mytho.phochutich", mode=Mode.DEPUTY)
    entry.fields.add(*Field.objects.filter(versions=birth.version_id))
    assert act("mytho.phochutich", birth, "stop", body).status_code == 200
