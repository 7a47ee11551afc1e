"""Verification pages and API for everyone, the officers' signing screens by role; on denial nothing changes."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from rest_framework.test import APIClient

from motcua.conftest import ROLES
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.tests.samples import result_pdf
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import attach_result, complete_step, perform
from motcua.dossiers.tests.factories import load_catalogue, receive, user
from motcua.signing import services
from motcua.signing.models import DocumentType, IssueSequence, Refusal, ResultSigning, SignedDocument

pytestmark = pytest.mark.django_db
MORNING = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)


@pytest.fixture(autouse=True)
def at_nine() -> object:
    with clock.frozen(MORNING):
        yield


@pytest.fixture
def dossier():  # type: ignore[no-untyped-def]
    load_catalogue()
    filed = receive()
    birth = DocumentType.objects.create(code="gks", name="Giấy khai sinh", abbreviation="GKS")
    ResultSigning.objects.create(version=filed.version, document_type=birth)
    return filed


@pytest.fixture
def signed(dossier) -> SignedDocument:  # type: ignore[no-untyped-def]
    return services.sign_document(
        result_pdf(),
        official=user("mytho.lanhdao"),
        document_type=DocumentType.objects.get(code="gks"),
        summary="Giấy khai sinh",
        dossier=dossier,
    )


def web_client(role: str) -> Client:
    client = Client()
    if ROLES[role] is not None:
        client.force_login(user(ROLES[role]))  # type: ignore[arg-type]
    return client


def test_verification_page_and_api_are_public(role_client: tuple[str, APIClient], signed: SignedDocument) -> None:
    role, api = role_client
    page = web_client(role).get(f"/xac-thuc/{signed.public_id}")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-valid="true"' in html and "01/GKS-UBND" in html and "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" in html
    assert signed.sha256 in html and "Người đứng đầu" not in html  # the mode label, not the choice label
    assert "Giao nhiệm vụ người đứng đầu: Chủ tịch" in html
    # The certificate is named with its issuer, the test CA, and without the signer's account name.
    assert "cấp bởi motcua TEST CA — không dùng cho văn bản thật" in html and "mytho.lanhdao" not in html
    answer = api.get(f"/api/v1/verify/{signed.public_id}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["valid"] is True and body["matches_record"] is True
    assert body["document"]["notation"] == "01/GKS-UBND" and body["document"]["entry"]["mode"] == "head"
    assert body["document"]["verification_url"].endswith(f"/xac-thuc/{signed.public_id}")
    # Upload: the file as issued is valid; one changed byte is not, with the reason.
    content = signed.pdf.open("rb").read()
    tampered = bytearray(content)
    tampered[content.index(b"stream") + 20] ^= 0x01  # one byte of the first page's compressed content
    upload = {"file": SimpleUploadedFile("kq.pdf", content)}
    ok = api.post("/api/v1/verify", upload, format="multipart", HTTP_IDEMPOTENCY_KEY=f"kiem-tra-{role}")
    assert ok.status_code == 200 and ok.json()["valid"] is True
    bad = api.post("/api/v1/verify", {"file": SimpleUploadedFile("kq.pdf", bytes(tampered))}, format="multipart")
    assert bad.status_code == 200 and bad.json()["valid"] is False
    assert bad.json()["reason"] == "Nội dung tệp đã bị thay đổi sau khi ký: mã băm không khớp với chữ ký."
    uploaded = web_client(role).post("/xac-thuc/", {"tep": SimpleUploadedFile("kq.pdf", bytes(tampered))})
    assert uploaded.status_code == 200
    assert "Nội dung tệp đã bị thay đổi sau khi ký" in uploaded.content.decode()
    assert SignedDocument.objects.count() == 1  # verifying never writes


def test_unknown_or_malformed_ids_and_empty_uploads(api: APIClient) -> None:
    assert Client().get("/xac-thuc/00000000-0000-0000-0000-000000000000").status_code == 404
    assert Client().get("/xac-thuc/khong-phai-ma").status_code == 404
    missing = api.get("/api/v1/verify/khong-phai-ma")
    assert missing.status_code == 404 and missing.json()["detail"] == "Không có văn bản với mã xác thực này."
    empty = api.post("/api/v1/verify", {}, format="multipart")
    assert empty.status_code == 400 and "file" in empty.json()["errors"]
    page = Client().post("/xac-thuc/", {})
    assert page.status_code == 400 and "Hãy chọn tệp PDF cần kiểm tra." in page.content.decode()


# Who may open the officers' signing screens; nobody in the role matrix is in the commune's register.
PAGE_STATUS = {
    "anonymous": 302, "citizen": 403, "officer_other_unit": 200, "officer_of_unit": 200, "leader": 200, "admin": 200,
}  # fmt: skip
# Signing a dossier that is not at its signing step: staff who cannot see it get 404, those who can are refused.
SIGN_STATUS = {
    "anonymous": 302, "citizen": 403, "officer_other_unit": 409, "officer_of_unit": 404, "leader": 404, "admin": 409,
}  # fmt: skip


def at_signing_step(dossier: Dossier) -> None:
    perform(dossier, Action.START, actor=user("mytho.motcua"))
    complete_step(dossier, actor=user("mytho.motcua"))
    attach_result(dossier, actor=user("mytho.chuyenvien"), title="Giấy khai sinh", pdf=result_pdf())
    complete_step(dossier, actor=user("mytho.chuyenvien"))


@pytest.mark.parametrize("role", list(ROLES))
def test_signing_screens_by_role(role: str, dossier) -> None:  # type: ignore[no-untyped-def]
    client = web_client(role)
    assert client.get("/can-bo/tham-quyen-ky/").status_code == PAGE_STATUS[role]
    listing = client.get("/can-bo/ky-so/")
    assert listing.status_code == PAGE_STATUS[role]
    assert dossier.code not in listing.content.decode()  # newly received: nothing to sign
    before = (SignedDocument.objects.count(), list(IssueSequence.objects.values_list("last_number", flat=True)))
    response = client.post(f"/can-bo/ky-so/{dossier.code}/", {"xac-nhan": "1"})
    assert response.status_code == SIGN_STATUS[role]
    assert (
        SignedDocument.objects.count(),
        list(IssueSequence.objects.values_list("last_number", flat=True)),
    ) == before
    assert not Refusal.objects.exists()  # not at the signing step: the register was never asked


def test_the_chairman_previews_confirms_and_signs_at_the_signing_step(dossier) -> None:  # type: ignore[no-untyped-def]
    at_signing_step(dossier)
    deputy = Client()
    deputy.force_login(user("mytho.phochutich"))
    assert dossier.code not in deputy.get("/can-bo/ky-so/").content.decode()
    # Where the province lets deputies do the chairman's step, the register still refuses one outside their fields.
    with override_settings(MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD=True):
        refused = deputy.post(f"/can-bo/ky-so/{dossier.code}/", {"xac-nhan": "1"})
    assert (
        refused.status_code == 409
        and "Phó Chủ tịch không được phân công lĩnh vực Hộ tịch." in refused.content.decode()
    )
    assert Refusal.objects.get().official.username == "mytho.phochutich"
    client = Client()
    client.force_login(user("mytho.lanhdao"))
    assert dossier.code in client.get("/can-bo/ky-so/").content.decode()
    preview = client.get(f"/can-bo/ky-so/{dossier.code}/").content.decode()
    result = dossier.results.get()
    assert f"/can-bo/ho-so/{dossier.code}/ket-qua/{result.pk}.pdf" in preview and result.sha256 in preview
    assert "TM. ỦY BAN NHÂN DÂN<br>CHỦ TỊCH<br>Đặng Văn Chủ Tịch" in preview and "01/GKS-UBND" in preview
    pdf = client.get(f"/can-bo/ho-so/{dossier.code}/ket-qua/{result.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].startswith("inline")
    unconfirmed = client.post(f"/can-bo/ky-so/{dossier.code}/")
    assert unconfirmed.status_code == 409 and not SignedDocument.objects.exists()
    done = client.post(f"/can-bo/ky-so/{dossier.code}/", {"xac-nhan": "1"}, follow=True)
    document = SignedDocument.objects.get()
    assert done.redirect_chain[-1][0] == f"/xac-thuc/{document.public_id}"
    assert "Đã ký số văn bản số 01/GKS-UBND." in done.content.decode()
    assert dossier.code not in client.get("/can-bo/ky-so/").content.decode()  # signed: the step moved on


# The signed PDF: the commune's staff see the dossier (the signer too); others get 404, citizens 403.
PDF_STATUS = {
    "anonymous": 302, "citizen": 403, "officer_other_unit": 200, "officer_of_unit": 404, "leader": 404, "admin": 200,
}  # fmt: skip


@pytest.mark.parametrize("role", list(ROLES))
def test_signed_pdf_download_by_role(role: str, signed: SignedDocument) -> None:
    response = web_client(role).get(f"/can-bo/van-ban/{signed.public_id}.pdf")
    assert response.status_code == PDF_STATUS[role]
    if response.status_code == 200:
        assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")
    signer = Client()
    signer.force_login(user("mytho.lanhdao"))
    assert signer.get(f"/can-bo/van-ban/{signed.public_id}.pdf").status_code == 200


def test_admin_screens_of_the_register(client: Client) -> None:
    client.force_login(user("quantri"))
    for path in ["issuingbody", "registerentry", "resultsigning", "documenttype", "refusal", "signeddocument"]:
        assert client.get(f"/quan-tri/signing/{path}/").status_code == 200, path
    body = client.get("/quan-tri/signing/issuingbody/").content.decode()
    assert "Sở Tư pháp" in body
    assert client.get("/quan-tri/signing/refusal/add/").status_code == 403  # append-only: no hand-made refusals
