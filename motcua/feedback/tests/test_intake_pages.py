"""The intake on /phan-anh-kien-nghi/ and POST /api/v1/feedback: each kind's rules said beside the field, a refused
anonymous denunciation offered as a conduct report, the sender rating and disputing from tracking."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.conftest import browser_for, client_for
from motcua.core.tests import samples
from motcua.dossiers.tests.factories import load_catalogue, user
from motcua.feedback.lifecycle import Action, Status
from motcua.feedback.models import FeedbackCase, FeedbackDraft
from motcua.feedback.services import act

pytestmark = pytest.mark.django_db
PAGE = "/phan-anh-kien-nghi/"
SENDER = {"sender_name": "Nguyễn Văn Dân", "sender_address": "Số 5 Lê Lợi", "sender_phone": "0912345678"}
PAKN = {"kind": "pakn", "topic": "quy_dinh", "subject_unit": "28261.UBND", "content": "Đòi bản sao chứng thực."}


@pytest.fixture(autouse=True)
def _world() -> None:
    load_catalogue()


def test_a_pakn_is_filed_from_the_page_and_followed() -> None:
    anyone = browser_for(None)
    form = anyone.get(PAGE).content.decode()
    assert "Ủy ban nhân dân" in form and 'value="to_cao"' in form and 'name="submission_key"' in form
    refused = anyone.post(PAGE, {**PAKN, "submission_key": "k1"}).content.decode()
    assert "Nhập họ và tên." in refused and not FeedbackCase.objects.exists()
    filed = anyone.post(PAGE, {**PAKN, **SENDER, "submission_key": "k1"}).content.decode()
    case = FeedbackCase.objects.get()
    assert case.code in filed and case.tracking_secret in filed and case.handling_unit.code == "28261.UBND"
    anyone.post(PAGE, {**PAKN, **SENDER, "submission_key": "k1"})  # the double click
    assert FeedbackCase.objects.count() == 1


def test_an_anonymous_denunciation_is_offered_as_a_conduct_report() -> None:
    citizen = browser_for("0912345678")
    denunciation = {**PAKN, "kind": "to_cao", "accused": "Ông B, công chức địa chính", "anonymous": "on"}
    page = citizen.post(PAGE, {**denunciation, "submission_key": "k2"}).content.decode()
    assert "Luật Tố cáo 2018, Điều 23" in page and "data-conduct-instead" in page
    assert not FeedbackCase.objects.exists()
    citizen.post(PAGE, {**denunciation, "submission_key": "k2", "doi-loai": "phan-anh-hanh-vi"})
    case = FeedbackCase.objects.get()
    assert (case.kind, case.topic, case.is_anonymous) == ("pakn", "hanh_vi", True)


def test_a_complaint_needs_an_account_and_a_date() -> None:
    complaint = {**PAKN, **SENDER, "kind": "khieu_nai", "decision": "QĐ 12/QĐ-UBND", "known_on": "31/02/2026"}
    page = browser_for(None).post(PAGE, {**complaint, "submission_key": "k3"}).content.decode()
    assert "Nhập ngày dạng dd/mm/yyyy" in page
    page = browser_for(None).post(PAGE, {**complaint, "known_on": "20/11/2026"}).content.decode()
    assert "đăng nhập tài khoản công dân" in page and not FeedbackCase.objects.exists()
    browser_for("0912345678").post(PAGE, {**complaint, "known_on": "20/11/2026", "submission_key": "k4"})
    case = FeedbackCase.objects.get()
    assert (case.kind, case.citizen.username if case.citizen else "") == ("khieu_nai", user("0912345678").username)


def test_the_sender_rates_from_tracking_and_may_dispute() -> None:
    anyone = browser_for(None)
    anyone.post(PAGE, {**PAKN, **SENDER, "submission_key": "k5"})
    case = FeedbackCase.objects.get()
    leader = user("mytho.lanhdao")
    act(case, Action.ACCEPT, actor=leader)
    act(case, Action.CONCLUDE, actor=leader, reason="Đã bỏ yêu cầu.", verified=True)
    proof = {"ma": case.code, "k": case.tracking_secret}
    page = anyone.get("/phan-anh/theo-doi/", proof).content.decode()
    assert 'data-sender-action="rate"' in page and "data-dispute" in page
    wrong = anyone.post("/phan-anh/theo-doi/thao-tac/rate/", {**proof, "k": "sai", "danh-gia": "hai_long"})
    assert wrong.status_code == 404 and FeedbackCase.objects.get(pk=case.pk).rating == ""
    anyone.post("/phan-anh/theo-doi/thao-tac/rate/", {**proof, "danh-gia": "khong_hai_long"})
    case.refresh_from_db()
    assert (case.rating, case.status) == ("khong_hai_long", Status.CONCLUDED)
    assert 'data-sender-action="rate"' not in anyone.get("/phan-anh/theo-doi/", proof).content.decode()
    dispute = anyone.get(PAGE, {"theo": case.code, "k": case.tracking_secret}).content.decode()
    assert "data-follows" in dispute


def test_the_api_files_each_kind_with_its_rules() -> None:
    api = client_for(None)
    body = {"kind": "pakn", "topic": "quy_dinh", "subject_unit": "28261.UBND", "content": "Đòi bản sao.",
            "sender": {"name": "Nguyễn Văn Dân", "address": "Số 5 Lê Lợi", "phone": "0912345678"}}  # fmt: skip
    sent = api.post("/api/v1/feedback", body, format="json", HTTP_IDEMPOTENCY_KEY="a")
    assert sent.status_code == 201, sent.content
    again = api.post("/api/v1/feedback", body, format="json", HTTP_IDEMPOTENCY_KEY="a")
    assert again.json()["code"] == sent.json()["code"] and FeedbackCase.objects.count() == 1
    other = api.post("/api/v1/feedback", body | {"content": "Khác"}, format="json", HTTP_IDEMPOTENCY_KEY="a")
    assert other.json()["code"] != sent.json()["code"]  # a stranger reusing a key never gets another's case
    complaint = body | {"kind": "khieu_nai", "decision": "QĐ 12", "known_on": "2026-11-20"}
    refused = api.post("/api/v1/feedback", complaint, format="json")
    assert refused.status_code == 400 and "signed" in refused.json()["errors"]
    unknown = api.post("/api/v1/feedback", body | {"subject_unit": "khong-co"}, format="json")
    assert unknown.status_code == 400 and "subject_unit" in unknown.json()["errors"]
    assert FeedbackCase.objects.count() == 2
    filed = client_for("0912345678").post("/api/v1/feedback", complaint, format="json")
    assert filed.status_code == 201 and filed.json()["kind"] == "khieu_nai"
    code, secret = filed.json()["code"], filed.json()["tracking_secret"]
    withdrawn = api.post(f"/api/v1/feedback/{code}/actions/withdraw", {"secret": secret, "reason": "Đã rõ"})
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["status"] == Status.WITHDRAWN
    denied = api.post(f"/api/v1/feedback/{code}/actions/accept", {}, format="json")
    assert denied.status_code == 401 and FeedbackCase.objects.get(code=code).status == Status.WITHDRAWN


def test_a_paper_sent_with_a_case_is_checked_like_a_scan_and_read_by_the_handler() -> None:
    anyone = browser_for(None)
    text = SimpleUploadedFile("don.pdf", b"khong phai PDF", content_type="application/pdf")
    page = anyone.post(PAGE, {**PAKN, **SENDER, "submission_key": "k9", "tep": text}).content.decode()
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG" in page and not FeedbackCase.objects.exists()
    pdf = SimpleUploadedFile("don.pdf", samples.pdf("DON"), content_type="application/pdf")
    anyone.post(PAGE, {**PAKN, **SENDER, "submission_key": "k9", "tep": pdf})
    case = FeedbackCase.objects.get()
    paper = case.attachments.get()
    assert (paper.original_name, paper.content_type) == ("don.pdf", "application/pdf")
    chairman = browser_for("mytho.lanhdao")
    assert "data-attachment" in chairman.get(f"/can-bo/phan-anh/{case.code}/").content.decode()
    served = chairman.get(f"/can-bo/phan-anh/{case.code}/tep/{paper.pk}/")
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF")
    assert browser_for("stp.lanhdao").get(f"/can-bo/phan-anh/{case.code}/tep/{paper.pk}/").status_code == 403


def test_a_signed_in_citizen_finds_what_they_typed_until_it_is_filed() -> None:
    citizen = browser_for("0912345678")
    assert "data-autosave" in citizen.get(PAGE).content.decode()
    saved = citizen.post("/phan-anh-kien-nghi/ban-nhap/", {"content": "Đang viết dở…", "tracking_secret": "x"})
    assert saved.status_code == 200 and "Đã lưu nháp" in saved.content.decode()
    assert FeedbackDraft.objects.get().fields == {"content": "Đang viết dở…"}  # never a key or a secret
    assert "Đang viết dở…" in citizen.get(PAGE).content.decode()
    citizen.post(PAGE, {**PAKN, **SENDER, "submission_key": "k10"})
    assert FeedbackCase.objects.count() == 1 and not FeedbackDraft.objects.exists()
    assert "data-autosave" not in browser_for(None).get(PAGE).content.decode()
    assert browser_for("mytho.motcua").post("/phan-anh-kien-nghi/ban-nhap/", {"content": "x"}).status_code == 403
