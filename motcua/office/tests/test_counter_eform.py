"""The counter types the tờ khai into the same e-form as the portal: same checks, errors beside the inputs."""

import re

import pytest
from django.test import Client

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, user
from motcua.eforms.tests.birth import ANSWERS, publish_birth_form

pytestmark = pytest.mark.django_db
INTAKE = "/can-bo/tiep-nhan/?thu-tuc=1.001193"


@pytest.fixture
def officer(db: None):  # type: ignore[no-untyped-def]
    load_catalogue()
    publish_birth_form()
    client = Client()
    client.force_login(user("mytho.motcua"))
    with clock.frozen(TUESDAY_9AM):
        yield client


def counter_form(client: Client, *, declaration_on_paper: bool) -> dict[str, object]:
    page = client.get(INTAKE).content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page).group(1)  # type: ignore[union-attr]
    papers = Component.objects.filter(case__version__procedure__code="1.001193", case__position=0)
    handed = [p for p in papers if declaration_on_paper or p.code != "GT1"]
    return {
        "submission_key": key,
        "receiving_unit": user("mytho.motcua").memberships.get().unit_id,
        "channel": 1,
        "applicant_kind": "person",
        "name": "Nguyễn Văn Dân",
        "commune": "28261",
        **{f"goc-{paper.pk}": 1 for paper in handed},
    }


def test_the_counter_page_shows_every_section_with_its_condition(officer: Client) -> None:
    page = officer.get(INTAKE).content.decode()
    assert 'id="tk-tre-ngay_sinh"' in page and '<fieldset id="phan-cha">' in page  # nothing hidden at the counter
    assert "Chỉ khai khi «" in page and "hx-post" not in page


def test_typed_at_the_counter_the_form_stands_for_the_paper(officer: Client) -> None:
    sent = officer.post(INTAKE, counter_form(officer, declaration_on_paper=False) | ANSWERS)
    dossier = Dossier.objects.get()
    assert sent.url == f"/can-bo/ho-so/{dossier.code}/"
    assert dossier.form_data["tre.ho_ten"] == "Nguyễn Minh An"
    assert dossier.components.get(component__code="GT1").is_digitised
    page = officer.get(sent.url).content.decode()
    assert "Tờ khai điện tử" in page and "Nguyễn Minh An" in page and "Số 5 Lê Lợi, Phường Mỹ Tho" in page
    printed = officer.get(f"/can-bo/ho-so/{dossier.code}/to-khai.pdf")
    assert printed["Content-Type"] == "application/pdf" and printed.content.startswith(b"%PDF-")


def test_a_wrong_answer_is_shown_beside_its_input_and_nothing_is_received(officer: Client) -> None:
    wrong = ANSWERS | {"tre.ngay_sinh": "1/13/2026"}
    page = officer.post(INTAKE, counter_form(officer, declaration_on_paper=False) | wrong).content.decode()
    assert "Tờ khai còn thông tin cần sửa" in page
    assert 'id="tk-tre-ngay_sinh_error"' in page and 'value="1/13/2026"' in page
    assert not Dossier.objects.exists()


def test_left_empty_the_paper_declaration_is_ticked_as_before(officer: Client) -> None:
    officer.post(INTAKE, counter_form(officer, declaration_on_paper=True))
    dossier = Dossier.objects.get()
    assert dossier.form is None and dossier.form_data == {}
