"""Refusal from the counter intake screen and the dossier page: Form 03 at once, bad input changes nothing."""

import re
import subprocess

import pytest
from django.test import Client

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import SupplementRequest, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, online, unit, user

pytestmark = pytest.mark.django_db
BIRTH = "/can-bo/tiep-nhan/?thu-tuc=1.001193"
LLTP = "/can-bo/tiep-nhan/?thu-tuc=2.001417"  # the Department of Justice's procedure: not received at a ward
REASON = "Người đi đăng ký không phải cha, mẹ hoặc người thân thích của trẻ"
COMPETENT = "Ủy ban nhân dân xã Tân Hội, tỉnh Vĩnh Long"


@pytest.fixture
def officer(db: None):  # type: ignore[no-untyped-def]
    load_catalogue()
    client = Client()
    client.force_login(user("mytho.motcua"))
    with clock.frozen(TUESDAY_9AM):
        yield client


def blank_form(client: Client, page: str = BIRTH, *, papers: int = 1) -> dict[str, object]:
    """What the page sends for a person with the first `papers` papers handed in."""
    html = client.get(page).content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)  # type: ignore[union-attr]
    code = page.rsplit("=", 1)[1]
    handed = Component.objects.filter(case__version__procedure__code=code, case__position=0).order_by("position")
    return {
        "submission_key": key,
        "receiving_unit": unit("28261.TTPVHCC").pk,
        "channel": 1,
        "applicant_kind": "person",
        "name": "Lê Văn Cường",
        "phone": "0909090909",
        **{f"goc-{paper.pk}": 1 for paper in handed[:papers]},
    }


def refusal(kind: str, reason: str = REASON, guidance: str = "") -> dict[str, str]:
    return {"tu-choi": "1", "tu-choi-kind": kind, "tu-choi-reason": reason, "tu-choi-guidance": guidance}


def pdf_text(content: bytes) -> str:
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())


def test_the_intake_page_offers_refusal_with_both_grounds(officer: Client) -> None:
    html = officer.get(BIRTH).content.decode()
    assert '<details id="tu-choi">' in html  # closed until needed
    assert 'value="not_eligible"' in html and "Hồ sơ không đủ điều kiện giải quyết" in html
    assert 'value="not_competent"' in html and "Hồ sơ không thuộc thẩm quyền giải quyết" in html
    assert 'name="tu-choi" value="1"' in html and "Từ chối tiếp nhận và in Mẫu số 03" in html


def test_refusal_at_the_counter_opens_the_dossier_with_form_03(officer: Client) -> None:
    # One paper of two: a refusal needs no complete file.
    sent = officer.post(BIRTH, {**blank_form(officer), **refusal("not_eligible")}, follow=True)
    dossier = Dossier.objects.get()
    assert sent.redirect_chain[-1][0] == f"/can-bo/ho-so/{dossier.code}/"
    assert (dossier.status, dossier.received_at, dossier.due_at) == (Status.REFUSED, None, None)
    page = sent.content.decode()
    assert f"Đã từ chối tiếp nhận hồ sơ {dossier.code}" in page and "Mẫu số 03" in page
    assert f"/can-bo/ho-so/{dossier.code}/mau-03.pdf" in page  # printable at once
    form = officer.get(f"/can-bo/ho-so/{dossier.code}/mau-03.pdf")
    assert form.status_code == 200 and form["Content-Type"] == "application/pdf"
    assert f"Hồ sơ không đủ điều kiện giải quyết: {REASON}" in pdf_text(form.content)


def test_a_refusal_for_competence_without_guidance_is_explained_and_nothing_is_created(officer: Client) -> None:
    form = blank_form(officer)
    html = officer.post(BIRTH, {**form, **refusal("not_competent")}).content.decode()
    error = re.search(r'id="id_tu-choi-guidance_error"><li>(.*?)</li>', html)
    assert error is not None and "cần ghi tên cơ quan có thẩm quyền" in error.group(1)
    assert '<details id="tu-choi" open>' in html and REASON in html  # what was typed is kept
    no_reason = officer.post(BIRTH, {**form, **refusal("not_eligible", reason=" ")}).content.decode()
    assert re.search(r'id="id_tu-choi-reason_error"><li>Cần ghi rõ lý do', no_reason)
    no_kind = officer.post(BIRTH, {**form, **refusal("")}).content.decode()
    assert re.search(r'id="id_tu-choi-kind_error"><li>Cần chọn lý do từ chối', no_kind)
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
    officer.post(BIRTH, {**form, **refusal("not_competent", guidance=COMPETENT)})
    assert Dossier.objects.get().events.get().details == {"kind": "not_competent", "guidance": COMPETENT}


def test_receiving_what_this_counter_does_not_handle_offers_the_refusal_with_guidance(officer: Client) -> None:
    form = blank_form(officer, LLTP)
    html = officer.post(LLTP, form).content.decode()
    justice = unit("82.STP").name
    assert "không nhận hồ sơ phi địa giới" in html and not Dossier.objects.exists()
    assert '<details id="tu-choi" open>' in html and "Đơn vị này không tiếp nhận hồ sơ của thủ tục này" in html
    assert re.search(r'value="not_competent"[^>]*checked', html)
    assert f'name="tu-choi-guidance" value="{justice}"' in html
    sent = officer.post(LLTP, {**form, **refusal("not_competent", "Thuộc thẩm quyền Sở Tư pháp", justice)})
    dossier = Dossier.objects.get()
    assert sent.status_code == 302 and dossier.status == Status.REFUSED
    assert dossier.competent_unit.code == "28261.TTPVHCC"  # decided here; it went no further


def test_another_units_officer_cannot_refuse_at_this_counter(officer: Client) -> None:
    form = {**blank_form(officer), **refusal("not_competent", guidance=COMPETENT)}
    stranger = Client()
    stranger.force_login(user("stp.motcua"))
    html = stranger.post(BIRTH, form).content.decode()
    assert "id_receiving_unit_error" in html  # only the officer's own counters can be chosen
    assert not Dossier.objects.exists()


def test_refusal_from_the_dossier_page_while_waiting_for_papers(officer: Client) -> None:
    dossier = online()
    paper = Component.objects.filter(case=dossier.case).order_by("position").last()
    assert paper is not None
    item = SupplementRequest(paper.pk, "Bản quét mờ")
    perform(dossier, Action.REQUEST_SUPPLEMENT, actor=user("mytho.motcua"), reason="Thiếu", supplements=(item,))
    html = officer.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert 'data-action="refuse"' in html and 'name="loai-tu-choi"' in html
    url = f"/can-bo/ho-so/{dossier.code}/thao-tac/refuse/"
    missing = officer.post(url, {"ly-do": REASON, "loai-tu-choi": "not_competent"}, follow=True).content.decode()
    assert "cần ghi tên cơ quan có thẩm quyền" in missing
    assert Dossier.objects.get().status == Status.SUPPLEMENT_REQUESTED
    officer.post(url, {"ly-do": REASON, "loai-tu-choi": "not_competent", "huong-dan": COMPETENT})
    assert Dossier.objects.get().status == Status.REFUSED
    text = pdf_text(officer.get(f"/can-bo/ho-so/{dossier.code}/mau-03.pdf").content)
    assert f"Hồ sơ không thuộc thẩm quyền giải quyết: {REASON}" in text and COMPETENT in text


def test_once_accepted_the_dossier_page_says_why_it_cannot_be_refused(officer: Client) -> None:
    dossier = online()
    perform(dossier, Action.ACCEPT, actor=user("mytho.motcua"))
    paper = Component.objects.filter(case=dossier.case).order_by("position").last()
    assert paper is not None
    item = SupplementRequest(paper.pk, "Bản quét mờ")
    perform(dossier, Action.REQUEST_SUPPLEMENT, actor=user("mytho.motcua"), reason="Thiếu", supplements=(item,))
    html = officer.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert 'data-action="refuse"' not in html
    assert "<strong>Từ chối tiếp nhận</strong>: Hồ sơ đã được tiếp nhận lúc 09:00 10/03/2026" in html
