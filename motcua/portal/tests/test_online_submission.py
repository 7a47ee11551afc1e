"""Online submission: autosaved draft, uploads checked by content, one submit, the citizen's own pages."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.tests import samples
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, Draft, Upload
from motcua.dossiers.services import SupplementRequest, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, user
from motcua.portal.tests.sending import send

pytestmark = pytest.mark.django_db
PDF = samples.pdf()
PNG = samples.image("PNG")


@pytest.fixture(autouse=True)
def setting_up(db: None):  # type: ignore[no-untyped-def]
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        yield


@pytest.fixture
def citizen(client: Client) -> Client:
    client.force_login(user("0912345678"))
    return client


def components() -> list[Component]:
    return list(Component.objects.filter(case__version__procedure__code="1.001193").order_by("position"))


def open_draft(client: Client) -> Draft:
    page = client.get("/nop-ho-so/1.001193/").content.decode()
    assert "Nguyễn Văn Dân" in page  # prefilled from the account
    return Draft.objects.get()


def test_the_draft_keeps_what_was_typed(citizen: Client) -> None:
    draft = open_draft(citizen)
    saved = citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/luu/", {"address": "Số 5 Lê Lợi", "commune": "28261"})
    assert "Đã lưu lúc" in saved.content.decode()
    page = citizen.get("/nop-ho-so/1.001193/").content.decode()
    assert 'value="Số 5 Lê Lợi"' in page and Draft.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("giay.pdf", b"MZ\x90\x00 not a pdf", "Chỉ nhận tệp PDF, JPEG hoặc PNG"),
        ("anh.exe", b"\x7fELF", "Chỉ nhận tệp PDF, JPEG hoặc PNG"),
        ("lon.pdf", b"%PDF-" + b"0" * 2048, "Tệp lớn hơn"),
    ],
)
@override_settings(MOTCUA_MAX_UPLOAD_BYTES=1024)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    citizen: Client, name: str, content: bytes, message: str
) -> None:
    draft = open_draft(citizen)
    url = f"/nop-ho-so/ban-nhap/{draft.pk}/tai-len/{components()[0].pk}/"
    html = citizen.post(url, {"tep": SimpleUploadedFile(name, content)}).content.decode()
    assert message in html and not Upload.objects.exists()


def refuse_everything(content: bytes) -> None:
    raise DomainError("Tệp chứa mã độc (Eicar-Test-Signature).")


def scanner_down(content: bytes) -> None:
    raise ConnectionRefusedError("clamd")


@pytest.mark.parametrize(
    ("scanner", "message"),
    [
        ("refuse_everything", "Tệp chứa mã độc (Eicar-Test-Signature)."),
        ("scanner_down", "Chưa kiểm tra được virus cho tệp này nên tệp chưa được lưu"),
    ],
)
def test_the_virus_scanner_refuses_and_a_failing_scanner_stores_nothing(
    citizen: Client, scanner: str, message: str
) -> None:
    draft = open_draft(citizen)
    citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/luu/", {"name": "Nguyễn Thị Hoa"})
    url = f"/nop-ho-so/ban-nhap/{draft.pk}/tai-len/{components()[0].pk}/"
    with override_settings(MOTCUA_VIRUS_SCANNER=f"{__name__}.{scanner}"):
        response = citizen.post(url, {"tep": SimpleUploadedFile("to-khai.pdf", PDF)})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Upload.objects.exists() and Draft.objects.get().fields["name"] == "Nguyễn Thị Hoa"


def test_submit_once_then_the_citizen_follows_the_dossier(citizen: Client) -> None:
    draft = open_draft(citizen)
    citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/luu/", {"receiving_unit": "28261.TTPVHCC", "commune": "28261"})
    first, second = components()
    citizen.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/tai-len/{first.pk}/", {"tep": SimpleUploadedFile("to-khai.pdf", PDF)}
    )
    missing = send(citizen, draft.pk).content.decode()
    assert "Còn thiếu giấy tờ bắt buộc: Giấy chứng sinh." in missing and not Dossier.objects.exists()
    citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/tai-len/{second.pk}/", {"tep": SimpleUploadedFile("cs.png", PNG)})
    done = send(citizen, draft.pk, follow=True)
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUBMITTED and dossier.channel == 2
    assert done.redirect_chain[-1][0] == f"/ca-nhan/ho-so/{dossier.code}/"
    assert "Mới đăng ký" in done.content.decode()
    uploads = list(dossier.uploads.order_by("component__position"))
    assert [(u.content_type, len(u.sha256)) for u in uploads] == [("application/pdf", 64), ("image/png", 64)]
    assert all(dc.is_digitised for dc in dossier.components.all()) and not Draft.objects.exists()
    again = send(citizen, draft.pk, follow=True)
    assert "đã được nộp" in again.content.decode() and Dossier.objects.count() == 1
    assert dossier.code in citizen.get("/ca-nhan/").content.decode()


def test_officers_cannot_use_citizen_submission(client: Client) -> None:
    client.force_login(user("mytho.motcua"))
    assert client.get("/nop-ho-so/1.001193/").status_code == 403
    assert not Draft.objects.exists()


def test_the_citizen_supplements_online_and_the_clock_resumes(citizen: Client) -> None:
    dossier = Dossier.objects.get(pk=_submitted(citizen).pk)
    officer = user("mytho.motcua")
    perform(dossier, Action.ACCEPT, actor=officer)
    with clock.frozen(TUESDAY_9AM + timedelta(hours=2)):  # the request and the scans come after the filing
        certificate = components()[1]
        perform(
            dossier,
            Action.REQUEST_SUPPLEMENT,
            actor=officer,
            reason="Bản quét mờ",
            supplements=(SupplementRequest(certificate.pk, "Quét lại rõ hơn"),),
        )
        page = citizen.get(f"/ca-nhan/ho-so/{dossier.code}/").content.decode()
        assert "Giấy chứng sinh" in page and "Quét lại rõ hơn" in page
        url = f"/ca-nhan/ho-so/{dossier.code}/bo-sung/{certificate.pk}/"
        refused = citizen.post(url, {"tep": SimpleUploadedFile("x.txt", b"hello")}).content.decode()
        assert "Chỉ nhận tệp PDF, JPEG hoặc PNG" in refused
        empty = citizen.post(f"/ca-nhan/ho-so/{dossier.code}/nop-bo-sung/").content.decode()
        assert "Cần tải lên bản quét của giấy tờ được yêu cầu bổ sung: Giấy chứng sinh." in empty
        assert Dossier.objects.get().status == Status.SUPPLEMENT_REQUESTED  # the clock stays paused
        citizen.post(url, {"tep": SimpleUploadedFile("cs-ro.pdf", PDF)})
        done = citizen.post(f"/ca-nhan/ho-so/{dossier.code}/nop-bo-sung/", follow=True).content.decode()
        assert "Được tiếp nhận" in done and Dossier.objects.get().status == Status.RECEIVED
        scan = dossier.uploads.get(original_name="cs-ro.pdf")
        event = dossier.events.get(action=Action.SUBMIT_SUPPLEMENT)
        assert event.details["attachments"] == [
            {"component": certificate.code, "name": "cs-ro.pdf", "sha256": scan.sha256}
        ]


def _submitted(citizen: Client) -> Dossier:
    draft = open_draft(citizen)
    citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/luu/", {"receiving_unit": "28261.TTPVHCC", "commune": "28261"})
    for component in components():
        url = f"/nop-ho-so/ban-nhap/{draft.pk}/tai-len/{component.pk}/"
        citizen.post(url, {"tep": SimpleUploadedFile("a.pdf", PDF)})
    send(citizen, draft.pk)
    return Dossier.objects.get()


def test_scans_are_added_to_a_dossier_only_while_papers_are_asked_for(citizen: Client) -> None:
    dossier = _submitted(citizen)
    before = Upload.objects.count()
    url = f"/ca-nhan/ho-so/{dossier.code}/bo-sung/{components()[0].pk}/"
    html = citizen.post(url, {"tep": SimpleUploadedFile("them.pdf", PDF)}).content.decode()
    assert "Chỉ đính kèm bản quét khi hồ sơ đang được yêu cầu bổ sung" in html
    assert Upload.objects.count() == before
