"""A citizen's refused dossier: why it was not received, where to file instead, and its Form 03."""

import subprocess

import pytest
from django.test import Client

from motcua.core import clock
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.services import Inputs, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, online, user
from motcua.organizations.models import User, UserKind

pytestmark = pytest.mark.django_db
REASON = "Người được khai sinh thường trú tại tỉnh khác"
COMPETENT = "Ủy ban nhân dân xã Tân Hội, tỉnh Vĩnh Long"


@pytest.fixture(autouse=True)
def setting_up(db: None):  # type: ignore[no-untyped-def]
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        yield


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def test_the_citizen_sees_the_ground_the_guidance_and_can_download_form_03() -> None:
    dossier = online()
    inputs = Inputs(extra={"kind": "not_competent", "guidance": COMPETENT})
    perform(dossier, Action.REFUSE, actor=user("mytho.motcua"), reason=REASON, inputs=inputs)
    citizen = signed_in("0912345678")
    html = " ".join(citizen.get(f"/ca-nhan/ho-so/{dossier.code}/").content.decode().split())
    assert "Hồ sơ không được tiếp nhận</h2>" in html
    assert f"<strong>Hồ sơ không thuộc thẩm quyền giải quyết</strong>: {REASON}" in html
    assert f"Hướng dẫn: {COMPETENT}" in html
    link = f"/ca-nhan/ho-so/{dossier.code}/mau-03.pdf"
    assert link in html
    form = citizen.get(link)
    assert form.status_code == 200 and form["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=form.content, capture_output=True, check=True).stdout
    assert REASON in " ".join(text.decode().split())
    User.objects.create(username="0987654321", kind=UserKind.CITIZEN, full_name="Trần Thị Khác")
    assert signed_in("0987654321").get(link).status_code == 404  # another citizen's dossier does not exist for them


def test_form_03_is_only_for_a_refused_dossier_and_only_its_applicant() -> None:
    waiting = online()
    citizen = signed_in("0912345678")
    page = citizen.get(f"/ca-nhan/ho-so/{waiting.code}/").content.decode()
    assert "Hồ sơ không được tiếp nhận" not in page and "mau-03.pdf" not in page
    assert citizen.get(f"/ca-nhan/ho-so/{waiting.code}/mau-03.pdf").status_code == 404
