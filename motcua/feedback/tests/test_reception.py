"""Tiếp công dân at /can-bo/tiep-cong-dan/: an official writes down a case given at the desk or by phone; the citizen
leaves with its code and secret; complaints need the signed paper and never come by phone; who may not, changes
nothing."""

import pytest

from motcua.conftest import browser_for
from motcua.dossiers.tests.factories import load_catalogue, user
from motcua.feedback.lifecycle import Channel
from motcua.feedback.models import FeedbackCase, FeedbackEvent

pytestmark = pytest.mark.django_db
DESK = "/can-bo/tiep-cong-dan/"
CASE = {
    "channel": "phone", "kind": "pakn", "topic": "hanh_vi", "subject_unit": "28261.UBND",
    "content": "Cán bộ địa chính hẹn nhiều lần.", "sender_name": "Trần Thị Bình", "sender_address": "Ấp Bắc",
    "sender_phone": "0901234567", "submission_key": "quay-1",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _world() -> None:
    load_catalogue()


def test_the_desk_writes_down_a_phone_report_and_gives_the_code() -> None:
    officer = browser_for("mytho.motcua")
    assert "Tiếp nhận" in officer.get(DESK).content.decode()
    page = officer.post(DESK, CASE).content.decode()
    case = FeedbackCase.objects.get()
    assert "data-received" in page and case.code in page and case.tracking_secret in page
    assert (case.channel, case.handling_unit.code) == (Channel.PHONE, "28261.UBND")
    assert FeedbackEvent.objects.get(case=case).actor == user("mytho.motcua")
    officer.post(DESK, CASE)  # the double click
    assert FeedbackCase.objects.count() == 1


def test_complaints_need_the_signed_paper_and_never_come_by_phone() -> None:
    officer = browser_for("stp.motcua")
    complaint = {**CASE, "kind": "khieu_nai", "decision": "QĐ 12/QĐ-UBND", "known_on": "20/11/2026",
                 "submission_key": "quay-2"}  # fmt: skip
    assert "không nhận qua điện thoại" in officer.post(DESK, complaint).content.decode()
    unsigned = officer.post(DESK, {**complaint, "channel": "counter"}).content.decode()
    assert "cần chữ ký hoặc điểm chỉ của người gửi" in unsigned
    assert not FeedbackCase.objects.exists()
    officer.post(DESK, {**complaint, "channel": "counter", "signed_paper": "on"})
    case = FeedbackCase.objects.get()
    # Given at the department's desk about a commune's decision: sideways, straight to the commune.
    assert (case.kind, case.handling_unit.code, case.skipped_level) == ("khieu_nai", "28261.UBND", False)


@pytest.mark.parametrize("who", ["mytho.chuyenvien", "quantri", "0912345678"])
def test_who_does_not_take_cases_in_is_refused_and_nothing_changes(who: str) -> None:
    assert browser_for(who).post(DESK, CASE).status_code == 403
    assert not FeedbackCase.objects.exists()
