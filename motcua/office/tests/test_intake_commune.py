"""Counter intake: the applicant's commune picked by name, diacritics optional; the organisation's fields."""

import re

import pytest
from django.test import Client

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, user
from motcua.office.intake_views import find_commune, province_communes

pytestmark = pytest.mark.django_db
INTAKE = "/can-bo/tiep-nhan/?thu-tuc=1.001193"


@pytest.fixture
def officer(db: None):  # type: ignore[no-untyped-def]
    load_catalogue()
    client = Client()
    client.force_login(user("mytho.motcua"))
    with clock.frozen(TUESDAY_9AM):
        yield client


def blank_form(client: Client) -> dict[str, object]:
    """What the page sends for a person with every paper handed in, the commune left for the test to fill."""
    page = client.get(INTAKE).content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page).group(1)  # type: ignore[union-attr]
    papers = Component.objects.filter(case__version__procedure__code="1.001193", case__position=0)
    return {
        "submission_key": key,
        "receiving_unit": user("mytho.motcua").memberships.get().unit_id,
        "channel": 1,
        "applicant_kind": "person",
        "name": "Lê Văn Cường",
        **{f"goc-{paper.pk}": 1 for paper in papers},
    }


def test_the_commune_is_chosen_by_name_without_diacritics(officer: Client) -> None:
    sent = officer.post(INTAKE, {**blank_form(officer), "commune_name": "  DAO thanh "}, follow=True)
    dossier = Dossier.objects.get()
    assert sent.redirect_chain[-1][0] == f"/can-bo/ho-so/{dossier.code}/"
    assert dossier.competent_unit.code == "28249.UBND"  # the UBND of Phường Đạo Thạnh, not the counter's own ward


def test_the_picked_code_is_what_the_form_posts(officer: Client) -> None:
    officer.post(INTAKE, {**blank_form(officer), "commune": "28249", "commune_name": "Phường Đạo Thạnh"})
    assert Dossier.objects.get().competent_unit.code == "28249.UBND"


def test_the_page_offers_the_provinces_communes_and_explains_the_field(officer: Client) -> None:
    page = officer.get(INTAKE).content.decode()
    options = re.findall(r'<option value="([^"]+)">(\d{5})</option>', page)
    assert ("Phường Mỹ Tho", "28261") in options and len(options) == 102  # Đồng Tháp's communes and wards
    assert 'list="xa-phuong-ds"' in page and 'name="commune" id="id_commune"' in page
    assert "có dấu hoặc không dấu" in page
    assert 'data-url="/api/v1/units"' in page and 'data-province="82"' in page


def test_a_commune_that_is_not_found_or_not_one_is_explained_beside_the_field(officer: Client) -> None:
    form = blank_form(officer)
    for typed, message in (
        ("khong co xa nay", "Không tìm thấy xã, phường «khong co xa nay» trong tỉnh."),
        ("tan", "xã, phường khớp với «tan»"),
        ("79999", "Mã 79999 không phải xã, phường của tỉnh."),
    ):
        html = officer.post(INTAKE, {**form, "commune_name": typed}).content.decode()
        error = re.search(r'<ul class="errorlist" id="id_commune_name_error"><li>(.*?)</li>', html)
        assert error is not None and message in error.group(1), typed
        assert html.index('id="id_commune_name"') < html.index('id="id_commune_name_error"')  # beside its field
    assert not Dossier.objects.exists()


def test_a_wrong_choice_keeps_the_typed_name_and_a_right_one_shows_the_chosen_name(officer: Client) -> None:
    form = {**blank_form(officer), "name": ""}  # an error elsewhere keeps the page open
    html = officer.post(INTAKE, {**form, "commune_name": "my tho"}).content.decode()
    assert "Phường Mỹ Tho, Xã Mỹ Thọ" in html and 'value="my tho"' in html  # two communes fold to "my tho"
    html = officer.post(INTAKE, {**form, "commune_name": "Mỹ Tho"}).content.decode()
    assert "Đã chọn: Phường Mỹ Tho (mã 28261)" in html
    assert 'name="commune" id="id_commune" value="28261"' in html


def test_find_commune_prefers_the_whole_name_then_the_one_partial_match() -> None:
    communes = province_communes()
    assert find_commune("phuong my tho", communes) == ("28261", "Phường Mỹ Tho")
    assert find_commune("Mỹ Tho", communes) == ("28261", "Phường Mỹ Tho")
    assert find_commune("xã mỹ thọ", communes) == ("30076", "Xã Mỹ Thọ")
    assert "Phường Mỹ Tho, Xã Mỹ Thọ" in str(find_commune("my tho", communes))
    assert find_commune("28261", communes) == ("28261", "Phường Mỹ Tho")
    assert find_commune("dao th", communes) == ("28249", "Phường Đạo Thạnh")
    assert isinstance(find_commune("tan", communes), str)


def test_organisation_fields_are_marked_for_the_toggle_and_ignored_for_a_person(officer: Client) -> None:
    page = officer.get(INTAKE).content.decode()
    fieldset = re.search(r'<fieldset id="to-chuc" data-applicant-kind="organisation">(.*?)</fieldset>', page, re.S)
    assert fieldset is not None and " hidden" not in fieldset.group(0)[:80]  # without JavaScript they stay visible
    assert all(f'name="{name}"' in fieldset.group(1) for name in ("organisation_name", "tax_code", "representative"))
    typed = {"organisation_name": "Công ty TNHH Cũ", "tax_code": "0312345678", "representative": "Ai Đó"}
    officer.post(INTAKE, {**blank_form(officer), **typed})
    dossier = Dossier.objects.get()
    assert (dossier.organisation_name, dossier.tax_code, dossier.representative) == ("", "", "")


def test_an_organisation_without_its_tax_code_is_told_beside_the_field(officer: Client) -> None:
    form = {**blank_form(officer), "applicant_kind": "organisation", "organisation_name": "Công ty TNHH Sen Hồng"}
    html = officer.post(INTAKE, form).content.decode()
    assert re.search(r'id="id_organisation_name".*?Tổ chức cần có tên và mã số thuế', html, re.S)
    assert not Dossier.objects.exists()
