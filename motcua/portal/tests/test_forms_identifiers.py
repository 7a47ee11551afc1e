"""Citizen IDs and phones are accepted as people type them, stored as digits, and never silently cut short."""

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalogue.models import Component
from motcua.conftest import client_for
from motcua.core import clock
from motcua.core.formfields import CitizenIdField, PhoneField
from motcua.core.tests import samples
from motcua.core.validators import normalise_citizen_id, normalise_phone
from motcua.demo.seed import DEMO_PASSWORD
from motcua.dossiers.models import Dossier, Draft
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, user
from motcua.notifications.models import OutgoingMessage
from motcua.office.intake_views import IntakeForm
from motcua.organizations.models import User
from motcua.portal.tests.sending import send

THIRTEEN_DIGITS = "Số định danh cá nhân có 12 chữ số; số đã nhập có 13 chữ số."
REGISTRATION = {
    "full_name": "Trần Thị Mai",
    "email": "",
    "password": "mat-khau-rat-dai-2026",
    "password_again": "mat-khau-rat-dai-2026",
}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("001 099 012 345", "001099012345"),
        ("001.099.012.345", "001099012345"),
        (" 001-099-012-345 ", "001099012345"),
        ("００１０９９０１２３４５", "001099012345"),  # full-width digits from some keyboards
    ],
)
def test_citizen_ids_lose_their_separators(typed: str, stored: str) -> None:
    assert normalise_citizen_id(typed) == stored
    assert CitizenIdField().clean(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0912 345 678", "0912345678"), ("0912.345.678", "0912345678"), ("+84 912 345 678", "0912345678")],
)
def test_phones_lose_their_separators_and_country_code(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored
    assert PhoneField().clean(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("001 099 012 3456", THIRTEEN_DIGITS),
        ("00109901234", "Số định danh cá nhân có 12 chữ số; số đã nhập có 11 chữ số."),
        ("00109901234a", "Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số, không có chữ cái hay ký tự khác."),
    ],
)
def test_wrong_lengths_are_told_with_the_count(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        CitizenIdField().clean(typed)
    assert error.value.messages == [message]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["087 195 004 321", "087.195.004.321"])
def test_registration_stores_the_twelve_digits(client: Client, typed: str) -> None:
    response = client.post("/dang-ky/", {**REGISTRATION, "citizen_id": typed, "phone": "0901 234 567"})
    assert response.status_code == 302
    sms = OutgoingMessage.objects.get(recipient="0901234567", reference="registration-code")
    client.post("/dang-ky/xac-nhan/", {"code": re.search(r"[0-9]{6}", sms.body).group(0)})  # type: ignore[union-attr]
    user_ = User.objects.get(full_name="Trần Thị Mai")
    assert (user_.citizen_id, user_.phone, user_.username) == ("087195004321", "0901234567", "0901234567")


@pytest.mark.django_db
def test_registration_refuses_thirteen_digits_with_the_count_and_keeps_them(client: Client) -> None:
    before = User.objects.count()
    response = client.post("/dang-ky/", {**REGISTRATION, "citizen_id": "087 195 004 3210", "phone": "0901234567"})
    html = response.content.decode()
    assert THIRTEEN_DIGITS in html and 'value="087 195 004 3210"' in html
    assert 'maxlength="20"' in html and 'maxlength="12"' not in html
    assert User.objects.count() == before


@pytest.mark.django_db
def test_an_id_with_spaces_already_registered_is_recognised(client: Client) -> None:
    client.post("/dang-ky/", {**REGISTRATION, "citizen_id": "082 090 001 234", "phone": "0901234567"})
    # Not told on the page (registration is neutral): the holder is told on their own phone.
    notice = OutgoingMessage.objects.get(reference__startswith="registration-attempt:")
    assert notice.recipient == "0912345678"


@pytest.mark.django_db
def test_citizens_sign_in_with_a_phone_typed_in_groups(client: Client) -> None:
    response = client.post("/dang-nhap/", {"username": "0912 345 678", "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/ca-nhan/"


def test_the_counter_intake_form_takes_ids_and_phones_as_typed() -> None:
    citizen_id, phone = IntakeForm.base_fields["citizen_id"], IntakeForm.base_fields["phone"]
    assert citizen_id.clean("082.090.001.234") == "082090001234" and phone.clean("0912 345 678") == "0912345678"
    assert citizen_id.clean("") == ""  # still optional: organisations and children have none
    with pytest.raises(ValidationError) as error:
        citizen_id.clean("082 090 001 2345")
    assert error.value.messages == [THIRTEEN_DIGITS]


@pytest.mark.django_db
class TestApi:
    FILING = {
        "procedure": "1.001193",
        "channel": 1,
        "receiving_unit": "28261.TTPVHCC",
        "papers": [{"component": "GT1", "originals": 1}, {"component": "GT2", "originals": 1}],
    }

    @pytest.fixture(autouse=True)
    def catalogue(self) -> None:
        load_catalogue()
        cache.clear()

    def test_the_api_accepts_ids_and_phones_with_separators(self) -> None:
        applicant = {"name": "Trần Thị Bình", "citizen_id": "087.195.004.321", "phone": "0901 234 567"}
        with clock.frozen(TUESDAY_9AM):
            response = client_for("mytho.motcua").post(
                "/api/v1/dossiers", {**self.FILING, "applicant": applicant}, format="json"
            )
        assert response.status_code == 201, response.content
        dossier = Dossier.objects.get()
        assert (dossier.applicant_citizen_id, dossier.applicant_phone) == ("087195004321", "0901234567")

    def test_the_api_refuses_thirteen_digits_with_the_count(self) -> None:
        applicant = {"name": "Trần Thị Bình", "citizen_id": "087 195 004 3210"}
        with clock.frozen(TUESDAY_9AM):
            response = client_for("mytho.motcua").post(
                "/api/v1/dossiers", {**self.FILING, "applicant": applicant}, format="json"
            )
        assert response.status_code == 400
        assert response.json()["errors"] == {"applicant.citizen_id": [THIRTEEN_DIGITS]}
        assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_online_submission_stores_the_twelve_digits(client: Client) -> None:
    load_catalogue()
    client.force_login(user("0912345678"))
    with clock.frozen(TUESDAY_9AM):
        client.get("/nop-ho-so/1.001193/")
        draft = Draft.objects.get()
        typed = {"receiving_unit": "28261.TTPVHCC", "commune": "28261", "citizen_id": "082 090 001 234"}
        client.post(f"/nop-ho-so/ban-nhap/{draft.pk}/luu/", {**typed, "phone": "0912.345.678"})
        for component in Component.objects.filter(case__version__procedure__code="1.001193"):
            url = f"/nop-ho-so/ban-nhap/{draft.pk}/tai-len/{component.pk}/"
            client.post(url, {"tep": SimpleUploadedFile("a.pdf", samples.pdf())})
        assert send(client, draft.pk).status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.applicant_citizen_id, dossier.applicant_phone) == ("082090001234", "0912345678")
