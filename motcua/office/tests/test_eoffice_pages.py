"""The official documents pages: each role around one body's documents, the register → present → assign flow, the
signing register's refusal said on the page, and the English page."""

from datetime import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.conftest import browser_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.tests.samples import result_pdf
from motcua.eoffice.lifecycle import Incoming, Outgoing
from motcua.eoffice.models import IncomingDocument, IncomingEvent, OutgoingDocument, OutgoingEvent
from motcua.eoffice.tests.factories import CLERK, approved, clerk, incoming, person, plan
from motcua.reform.models import Task
from motcua.signing.models import SignedDocument

pytestmark = pytest.mark.django_db
ROLES = {
    "anonymous": None,
    "citizen": "0912345678",
    "officer_other_unit": "stp.motcua",
    "officer_of_unit": "mytho.chuyenvien",
    "leader": "mytho.lanhdao",
    "admin": "quantri",
    "clerk": CLERK,
}
READERS = {"officer_of_unit", "leader", "clerk"}


@pytest.fixture(autouse=True)
def at_nine() -> object:
    clerk()
    with clock.frozen(datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)):
        yield


def _state() -> tuple[object, ...]:
    return (
        list(IncomingDocument.objects.order_by("pk").values_list("status", "assignee_id", "presented_at", "number")),
        IncomingEvent.objects.count(),
        list(OutgoingDocument.objects.order_by("pk").values_list("status", "version", "notation", "summary")),
        OutgoingEvent.objects.count(),
        Task.objects.count(),
    )


def _registration(notation: str = "45/STC-NS", **given: object) -> dict[str, object]:
    form: dict[str, object] = {
        "nguon": "upload",
        "noi-gui": "Sở Tài chính",
        "so-ky-hieu": notation,
        "ngay": "05/03/2026",
        "loai": "cong_van",
        "trich-yeu": "Về việc dự toán ngân sách",
        "do-khan": "thuong",
        "so-trang": "3",
        "tep": SimpleUploadedFile("cv.pdf", result_pdf("Công văn"), content_type="application/pdf"),
    }
    form.update(given)
    return form


def _refused(response: object, role: str) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    if role == "anonymous":
        assert status == 302 and response["Location"].startswith("/dang-nhap/")  # type: ignore[index]
    else:
        assert status in {403, 404}, (role, status)


@pytest.mark.parametrize("role", list(ROLES))
def test_each_page_for_each_role_and_denied_writes_change_nothing(role: str) -> None:
    document, draft = incoming().document, plan()
    browser = browser_for(ROLES[role])
    pages = [
        f"/can-bo/van-ban/den/{document.pk}/",
        f"/can-bo/van-ban/den/{document.pk}/tep/{document.files.get().pk}/",
        f"/can-bo/van-ban/di/{draft.pk}/",
    ]
    for url in pages:
        answer = browser.get(url)
        if role in READERS:
            assert answer.status_code == 200, url
        else:
            _refused(answer, role)
    for url, summary in (("/can-bo/van-ban/den/", document.summary), ("/can-bo/van-ban/di/", draft.summary)):
        answer = browser.get(url)
        if role in READERS or role in {"officer_other_unit", "admin"}:  # any official: their bodies' registers
            assert answer.status_code == 200
            assert (summary in answer.content.decode()) == (role in READERS)
        else:
            _refused(answer, role)
    before = _state()
    allowed = {("clerk", "present"), ("leader", "assign")}
    for action in ("present", "assign"):
        if (role, action) in allowed:
            continue
        browser.post(
            f"/can-bo/van-ban/den/{document.pk}/thao-tac/{action}/",
            {"trinh": person("mytho.lanhdao").pk, "xu-ly": person("mytho.chuyenvien").pk, "y-kien": "Xử lý"},
        )
    for action in ("edit", "submit", "review", "approve", "sign", "issue", "comment"):
        if role == "officer_of_unit" and action in {"edit", "submit", "comment"}:
            continue  # the drafter's own
        if role in {"leader", "clerk"} and action == "comment":
            continue
        browser.post(
            f"/can-bo/van-ban/di/{draft.pk}/thao-tac/{action}/",
            {"trich-yeu": "Đổi", "noi-dung": "x", "noi-nhan": "y", "gop-y": "z"},
        )
    if role != "clerk":
        answer = browser.post("/can-bo/van-ban/den/", _registration())
        _refused(answer, role)  # only the body's văn thư registers
    if role not in {"officer_of_unit", "leader", "clerk"}:
        answer = browser.post(
            "/can-bo/van-ban/di/", {"loai": "cong_van", "trich-yeu": "a", "noi-dung": "b", "noi-nhan": "c"}
        )
        _refused(answer, role)  # drafters are the body's specialists, leaders and văn thư
    assert _state() == before, role


def test_register_present_assign_through_the_pages() -> None:
    desk = browser_for(CLERK)
    page = desk.get("/can-bo/van-ban/den/").content.decode()
    assert "Vào sổ văn bản đến" in page and "data-register" in page
    answer = desk.post("/can-bo/van-ban/den/", _registration())
    document = IncomingDocument.objects.get(sender_notation="45/STC-NS")
    assert answer.status_code == 302 and answer["Location"] == f"/can-bo/van-ban/den/{document.pk}/"
    page = desk.get(answer["Location"]).content.decode()
    assert document.files.get().sha256 in page and "Đã vào sổ, chờ trình" in page and 'data-offer="present"' in page
    # The same sender, số/ký hiệu and date again: the first registration is shown, no second number.
    again = desk.post("/can-bo/van-ban/den/", _registration(**{"noi-gui": "  sở tài chính "}))
    assert again["Location"] == f"/can-bo/van-ban/den/{document.pk}/"
    assert "đã được vào sổ: số đến 1/2026" in desk.get(again["Location"]).content.decode()
    assert IncomingDocument.objects.count() == 1 and IncomingDocument.objects.get().copies_received == 2
    leader = person("mytho.lanhdao")
    desk.post(f"/can-bo/van-ban/den/{document.pk}/thao-tac/present/", {"trinh": leader.pk})
    document.refresh_from_db()
    assert document.status == Incoming.PRESENTED and document.presented_to == leader
    chair = browser_for("mytho.lanhdao")
    assert 'data-offer="assign"' in chair.get(f"/can-bo/van-ban/den/{document.pk}/").content.decode()
    refused = chair.post(f"/can-bo/van-ban/den/{document.pk}/thao-tac/assign/", {"y-kien": "Xử lý", "xu-ly": ""})
    assert "Chọn người xử lý chính." in chair.get(refused["Location"]).content.decode()
    assert IncomingDocument.objects.get().status == Incoming.PRESENTED
    chair.post(
        f"/can-bo/van-ban/den/{document.pk}/thao-tac/assign/",
        {
            "xu-ly": person("mytho.chuyenvien").pk,
            "phoi-hop": [person("mytho.truongphong").pk],
            "y-kien": "Phòng Kinh tế tham mưu trả lời",
            "han": "20/03/2026",
        },
    )
    document.refresh_from_db()
    task = Task.objects.get(directive=document.directive)
    assert document.status == Incoming.ASSIGNED and document.deadline.isoformat() == "2026-03-20"
    page = chair.get(f"/can-bo/van-ban/den/{document.pk}/").content.decode()
    assert f'href="/can-bo/chi-dao/nhiem-vu/{task.pk}/"' in page and "Lâm Văn Trưởng Phòng" in page
    assert browser_for("mytho.lanhdao").get(f"/can-bo/chi-dao/nhiem-vu/{task.pk}/").status_code == 200


def test_register_filters_by_year_urgency_and_presentation_state() -> None:
    with clock.frozen(datetime(2026, 3, 5, 9, 0, tzinfo=VIETNAM)):  # presentation due the next working day
        ordinary = incoming("1/A", sender_date="2026-03-04").document
    flash = incoming("2/A", urgency="hoa_toc").document
    desk = browser_for(CLERK)
    page = desk.get("/can-bo/van-ban/den/", {"do-khan": "hoa_toc"}).content.decode()
    assert f'data-incoming="{flash.pk}"' in page and f'data-incoming="{ordinary.pk}"' not in page
    assert f'data-incoming="{ordinary.pk}"' not in desk.get("/can-bo/van-ban/den/", {"nam": "2025"}).content.decode()
    assert f'data-incoming="{ordinary.pk}"' in desk.get("/can-bo/van-ban/den/", {"nam": "2026"}).content.decode()
    late = desk.get("/can-bo/van-ban/den/", {"han-trinh": "overdue"}).content.decode()
    assert f'data-incoming="{ordinary.pk}"' in late and 'data-flag="overdue"' in late
    assert f'data-incoming="{flash.pk}"' not in late
    near = desk.get("/can-bo/van-ban/den/", {"han-trinh": "near_due"}).content.decode()
    assert f'data-incoming="{ordinary.pk}"' not in near


def test_a_registration_refused_keeps_what_was_typed_and_says_why() -> None:
    nul = browser_for(CLERK).post("/can-bo/van-ban/den/", _registration(**{"so-ky-hieu": "12\x00"}))
    assert nul.status_code == 400 and not IncomingDocument.objects.exists()
    answer = browser_for(CLERK).post("/can-bo/van-ban/den/", _registration(ngay="31/02/2026"))
    assert answer.status_code == 400 and not IncomingDocument.objects.exists()
    page = answer.content.decode()
    assert 'data-error="sender_date"' in page and "Ngày văn bản không hợp lệ" in page and "Sở Tài chính" in page
    long = browser_for(CLERK).post("/can-bo/van-ban/den/", _registration(**{"trich-yeu": "x" * 100_000}))
    assert long.status_code == 400 and "tối đa 500 ký tự" in long.content.decode()


def test_signing_refused_without_authority_shows_the_vietnamese_reason_and_changes_nothing() -> None:
    document = approved()
    before = _state()
    deputy = browser_for("mytho.phochutich")
    assert 'data-offer="sign"' in deputy.get(f"/can-bo/van-ban/di/{document.pk}/").content.decode()
    answer = deputy.post(f"/can-bo/van-ban/di/{document.pk}/thao-tac/sign/")
    page = deputy.get(answer["Location"]).content.decode()
    assert "Phó Chủ tịch không được giao ký thay loại văn bản Kế hoạch." in page
    assert _state() == before and not SignedDocument.objects.exists()
    chair = browser_for("mytho.lanhdao")
    chair.post(f"/can-bo/van-ban/di/{document.pk}/thao-tac/sign/")
    document.refresh_from_db()
    assert document.status == Outgoing.SIGNED and document.notation == "01/KH-UBND"
    desk = browser_for(CLERK)
    desk.post(f"/can-bo/van-ban/di/{document.pk}/thao-tac/issue/")
    page = desk.get(f"/can-bo/van-ban/di/{document.pk}/").content.decode()
    assert "Đã phát hành" in page and document.signed.sha256 in page
    pdf = desk.get(f"/can-bo/van-ban/di/{document.pk}/van-ban.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    drafter = browser_for("mytho.chuyenvien")
    assert (
        'data-follow-up="thu-hoi"'
        not in browser_for("mytho.motcua").get(f"/can-bo/van-ban/di/{document.pk}/").content.decode()
    )
    assert 'data-follow-up="thu-hoi"' in drafter.get(f"/can-bo/van-ban/di/{document.pk}/").content.decode()
    recall = drafter.post(
        f"/can-bo/van-ban/di/{document.pk}/thao-tac/thu-hoi/",
        {"trich-yeu": "Thu hồi kế hoạch", "noi-dung": "Thu hồi.", "noi-nhan": "Sở Nội vụ"},
    )
    follower = OutgoingDocument.objects.get(original=document)
    assert recall["Location"] == f"/can-bo/van-ban/di/{follower.pk}/" and follower.relation == "recall"


def test_drafting_versions_comments_and_the_draft_pdf() -> None:
    drafter = browser_for("mytho.chuyenvien")
    answer = drafter.post(
        "/can-bo/van-ban/di/",
        {
            "loai": "cong_van",
            "trich-yeu": "V/v họp giao ban",
            "noi-dung": "Kính gửi các phòng.",
            "noi-nhan": "Các phòng",
        },
    )
    document = OutgoingDocument.objects.get()
    assert answer["Location"] == f"/can-bo/van-ban/di/{document.pk}/"
    drafter.post(
        f"/can-bo/van-ban/di/{document.pk}/thao-tac/edit/",
        {"trich-yeu": "V/v họp giao ban tháng 3", "noi-dung": "Kính gửi.", "noi-nhan": "Các phòng"},
    )
    browser_for("mytho.lanhdao").post(f"/can-bo/van-ban/di/{document.pk}/thao-tac/comment/", {"gop-y": "Ghi rõ giờ"})
    page = drafter.get(f"/can-bo/van-ban/di/{document.pk}/").content.decode()
    assert "Phiên bản 2" in page and "Ghi rõ giờ" in page and 'data-offer="submit"' in page
    preview = drafter.get(f"/can-bo/van-ban/di/{document.pk}/van-ban.pdf")
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")


def test_the_home_page_links_clerks_and_leaders_to_the_registers() -> None:
    for username in (CLERK, "mytho.lanhdao"):
        assert 'href="/can-bo/van-ban/den/"' in browser_for(username).get("/can-bo/").content.decode()
    assert 'href="/can-bo/van-ban/den/"' not in browser_for("stp.motcua").get("/can-bo/").content.decode()


def test_the_pages_in_english() -> None:
    document = incoming().document
    desk = browser_for(CLERK)
    desk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = desk.get(f"/can-bo/van-ban/den/{document.pk}/").content.decode()
    assert "Incoming document no. 1/2026" in page and "Registered, awaiting presentation" in page
    assert "Present to the leader" in page and "Văn bản đến" not in page
    register = desk.get("/can-bo/van-ban/den/").content.decode()
    assert "Incoming register" in register and "Register an incoming document" in register
    home = desk.get("/can-bo/").content.decode()
    assert "Records clerk" in home and "Văn thư" not in home


def test_the_demo_seeds_its_documents_once() -> None:
    from motcua.demo.eoffice import seed_eoffice

    seed_eoffice("28261")
    seed_eoffice("28261")
    letter = IncomingDocument.objects.get()
    assert letter.status == Incoming.PRESENTED and OutgoingDocument.objects.get().reply_to == letter
