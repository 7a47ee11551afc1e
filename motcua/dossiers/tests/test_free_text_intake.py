"""The applicant's free text at intake, by every channel: stored in NFC, hidden characters refused beside the field."""

import re
import unicodedata
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from motcua.catalogue.models import Component
from motcua.conftest import client_for
from motcua.core import clock
from motcua.dossiers.models import Dossier, DossierEvent, Draft
from motcua.dossiers.tests.factories import PERSON, TUESDAY_9AM, birth_filing, load_catalogue, receive, user
from motcua.organizations.models import User
from motcua.portal.tests.sending import send

pytestmark = pytest.mark.django_db
NAME = "Nguyễn Thị Ánh"
DECOMPOSED = unicodedata.normalize("NFD", NAME)
# U+202E turns what follows around on screen: the record reads "Phường 5" where the screen shows "5 gnờưhP".
REVERSED = "Số 12 \u202ePhường 5"


@pytest.fixture(autouse=True)
def setting_up(db: None):  # type: ignore[no-untyped-def]
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        yield


def test_the_domain_stores_the_applicant_in_nfc() -> None:
    dossier = receive(birth_filing(applicant=replace(PERSON, name=DECOMPOSED, owner_name=DECOMPOSED)))
    assert dossier.applicant_name == NAME and dossier.owner_name == NAME


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("name", "Nguyễn\x00Văn An", "ký tự điều khiển"),
        ("name", "\u200b\u200b", "vô hình"),
        ("address", REVERSED, "đổi chiều viết"),
        ("owner_address", "Ấp 3\x85xã Tân Hội", "ký tự điều khiển"),
        ("representative", "Lê \u2067Văn\u2069 Cường", "đổi chiều viết"),
    ],
)
def test_the_domain_refuses_hidden_characters_field_by_field_and_creates_nothing(
    field: str, value: str, said: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        receive(birth_filing(applicant=replace(PERSON, **{field: value})))
    assert said in refused.value.message_dict[f"applicant.{field}"][0]
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


FILING = {
    "procedure": "1.001193",
    "channel": 1,
    "receiving_unit": "28261.TTPVHCC",
    "applicant": {"name": "Trần Thị Bình", "citizen_id": "087195004321", "address": REVERSED},
    "papers": [{"component": "GT1", "originals": 1}, {"component": "GT2", "originals": 1}],
}


def test_the_api_answers_a_problem_beside_the_field() -> None:
    response = client_for("mytho.motcua").post("/api/v1/dossiers", FILING, format="json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert "đổi chiều viết" in response.json()["errors"]["applicant.address"][0]
    assert not Dossier.objects.exists()
    fine = {**FILING, "applicant": {**FILING["applicant"], "name": DECOMPOSED, "address": "Số 12"}}  # type: ignore[dict-item]
    assert client_for("mytho.motcua").post("/api/v1/dossiers", fine, format="json").status_code == 201
    assert Dossier.objects.get().applicant_name == NAME


def counter_form(client: Client, **typed: str) -> dict[str, object]:
    page = client.get("/can-bo/tiep-nhan/?thu-tuc=1.001193").content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page).group(1)  # type: ignore[union-attr]
    papers = Component.objects.filter(case__version__procedure__code="1.001193", case__position=0)
    return {
        "submission_key": key,
        "receiving_unit": user("mytho.motcua").memberships.get().unit_id,
        "channel": 1,
        "applicant_kind": "person",
        **{f"goc-{paper.pk}": 1 for paper in papers},
        **typed,
    }


def test_the_counter_form_shows_the_message_beside_the_field() -> None:
    officer = Client()
    officer.force_login(user("mytho.motcua"))
    html = officer.post("/can-bo/tiep-nhan/?thu-tuc=1.001193", counter_form(officer, name=NAME, address=REVERSED))
    assert re.search(r'id="id_address".*?đổi chiều viết', html.content.decode(), re.S)
    assert not Dossier.objects.exists()


def test_registration_refuses_a_name_with_a_direction_override_beside_the_field(client: Client) -> None:
    form = {
        "full_name": "Võ Thị \u202eHoa",
        "citizen_id": "079199001234",
        "phone": "0987654321",
        "password": "Mat-khau-du-dai-2025",
        "password_again": "Mat-khau-du-dai-2025",
    }
    html = client.post("/dang-ky/", form).content.decode()
    assert re.search(r'id="id_full_name_error".*?đổi chiều viết', html, re.S)
    assert not User.objects.filter(citizen_id="079199001234").exists()


def test_the_portal_submission_shows_the_message_beside_the_field() -> None:
    citizen = Client()
    citizen.force_login(user("0912345678"))
    citizen.get("/nop-ho-so/1.001193/")
    draft = Draft.objects.get()
    typed = {"receiving_unit": "28261.TTPVHCC", "commune": "28261", "case": "0", "address": REVERSED}
    citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/luu/", typed)
    html = send(citizen, draft.pk).content.decode()
    assert re.search(r'id="address_error".*?đổi chiều viết', html, re.S)
    assert not Dossier.objects.exists() and Draft.objects.get().fields["address"] == REVERSED  # kept to correct
