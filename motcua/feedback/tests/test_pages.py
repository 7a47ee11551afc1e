"""The report on the pages: from the citizen's own dossier and from tracking with the receipt's secret, followed by
its code and secret; handled on /can-bo/phan-anh/ by the unit's head; QĐ 766 5.4 falls and lists the dossier."""

from datetime import date, datetime

import pytest

from motcua.conftest import browser_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import load_catalogue, online, receive, unit, user
from motcua.feedback.lifecycle import Status
from motcua.feedback.models import FeedbackCase
from motcua.indices import drilldown
from motcua.indices.periods import custom_period
from motcua.indices.scope import scope_for
from motcua.indices.selectors import board
from motcua.organizations.models import User, UserKind

pytestmark = pytest.mark.django_db
TUESDAY = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)
REPORT = "/phan-anh/giay-to-ngoai-danh-muc/"
FIELDS = {
    "paper_asked": "Giấy xác nhận tình trạng hôn nhân",
    "sender_name": "Nguyễn Văn Dân",
    "sender_address": "Số 5 Lê Lợi",
    "sender_phone": "0912345678",
    "submission_key": "khoa-1",
}


@pytest.fixture
def mine() -> Dossier:
    load_catalogue()
    with clock.frozen(TUESDAY):
        return online()  # the citizen 0912345678's own, filed online


def test_the_citizen_reports_from_their_dossier_and_follows_the_report(mine: Dossier) -> None:
    citizen = browser_for("0912345678")
    page = citizen.get(f"/ca-nhan/ho-so/{mine.code}/").content.decode()
    assert f'{REPORT}?ma={mine.code}"' in page and "data-report-extra-paper" in page
    form = citizen.get(REPORT, {"ma": mine.code}).content.decode()
    assert "Giấy tờ của thủ tục theo danh sách đã công bố" in form and 'name="submission_key"' in form
    refused = citizen.post(REPORT, {"ma": mine.code, **FIELDS, "paper_asked": ""}).content.decode()
    assert "Lỗi:" in refused and "Nhập tên giấy tờ bị yêu cầu thêm." in refused and not FeedbackCase.objects.exists()
    filed = citizen.post(REPORT, {"ma": mine.code, **FIELDS}).content.decode()
    case = FeedbackCase.objects.get()
    assert case.code in filed and case.tracking_secret in filed and case.citizen == user("0912345678")
    again = citizen.post(REPORT, {"ma": mine.code, **FIELDS}).content.decode()  # the same form sent twice
    assert case.code in again and FeedbackCase.objects.count() == 1
    followed = browser_for(None).get("/phan-anh/theo-doi/", {"ma": case.code, "k": case.tracking_secret})
    assert "Chờ tiếp nhận xử lý" in followed.content.decode()
    wrong = browser_for(None).get("/phan-anh/theo-doi/", {"ma": case.code, "k": "sai"}).content.decode()
    assert "Không tìm thấy phản ánh" in wrong and case.handling_unit.name not in wrong


def test_anyone_with_the_receipt_reports_from_tracking_and_no_one_else(mine: Dossier) -> None:
    visitor = browser_for(None)
    tracked = visitor.get(f"/tra-cuu/{mine.code}/", {"k": mine.tracking_secret}).content.decode()
    assert f"ma={mine.code}&amp;k={mine.tracking_secret}" in tracked
    wrong = visitor.get(REPORT, {"ma": mine.code, "k": "sai"}).content.decode()
    unknown = visitor.get(REPORT, {"ma": "000.00.00.H00-000000-0000", "k": "sai"}).content.decode()
    assert "Không tìm thấy hồ sơ" in wrong and "Không tìm thấy hồ sơ" in unknown and "Gửi phản ánh" not in wrong
    assert visitor.post(REPORT, {"ma": mine.code, "k": "sai", **FIELDS}).status_code == 200
    assert not FeedbackCase.objects.exists()  # a wrong secret files nothing
    User.objects.create_user("0987654321", phone="0987654321", kind=UserKind.CITIZEN)
    other = browser_for("0987654321").get(REPORT, {"ma": mine.code}).content.decode()
    assert "Gửi phản ánh" not in other  # another citizen's account proves nothing
    anonymous = {"ma": mine.code, "k": mine.tracking_secret, "paper_asked": "Sổ hộ khẩu", "anonymous": "on"}
    assert mine.code in visitor.get(REPORT, {"ma": mine.code, "k": mine.tracking_secret}).content.decode()
    filed = visitor.post(REPORT, anonymous).content.decode()
    case = FeedbackCase.objects.get()
    assert case.is_anonymous and case.citizen is None and case.tracking_secret in filed


def test_the_head_of_the_unit_handles_it_and_5_4_falls(mine: Dossier) -> None:
    with clock.frozen(TUESDAY.replace(hour=10)):
        perform(mine, Action.ACCEPT, actor=user("mytho.motcua"))  # received: one dossier to handle in March
    # The two days after reception: the dossier is still within its time, only the report can lower 5.4.
    scope, period = scope_for(user("giamsat")), custom_period(date(2026, 3, 10), date(2026, 3, 11))
    before = board(scope, unit("82"), period).unit.score.result("5.4")
    with clock.frozen(TUESDAY.replace(hour=11)):
        browser_for("0912345678").post(REPORT, {"ma": mine.code, **FIELDS})
    case = FeedbackCase.objects.get()
    after = board(scope, unit("82"), period).unit.score.result("5.4")
    assert (before.numerator, after.numerator, after.denominator) == (1, 0, 1)
    assert drilldown.dossier_ids(scope, unit("82"), period, ["reported"]) == [mine.pk]
    chairman = browser_for("mytho.lanhdao")
    listed = chairman.get("/can-bo/phan-anh/").content.decode()
    assert f'data-case="{case.code}"' in listed and "Giấy xác nhận tình trạng hôn nhân" in listed
    page = chairman.get(f"/can-bo/phan-anh/{case.code}/").content.decode()
    assert "Tiếp nhận xử lý" in page and "Nguyễn Văn Dân" in page
    chairman.post(f"/can-bo/phan-anh/{case.code}/thao-tac/accept/")
    chairman.post(f"/can-bo/phan-anh/{case.code}/thao-tac/conclude/", {"dung": "co", "ly-do": "Đã nhắc nhở."})
    case.refresh_from_db()
    assert (case.status, case.verified) == (Status.CONCLUDED, True)


@pytest.mark.parametrize("name", [None, "0912345678", "stp.lanhdao", "mytho.chuyenvien", "quantri"])
def test_others_are_refused_the_case_pages_and_nothing_changes(mine: Dossier, name: str | None) -> None:
    browser_for("0912345678").post(REPORT, {"ma": mine.code, **FIELDS})
    case = FeedbackCase.objects.get()
    person = browser_for(name)
    for response in (
        person.get(f"/can-bo/phan-anh/{case.code}/"),
        person.post(f"/can-bo/phan-anh/{case.code}/thao-tac/accept/"),
    ):
        assert response.status_code in (302, 403)
    if name is not None and name != "0912345678":
        assert case.code not in person.get("/can-bo/phan-anh/").content.decode()
    case.refresh_from_db()
    assert case.status == Status.RECEIVED and case.events.count() == 1


def test_a_report_at_the_counter_stage_is_not_lost_when_the_secret_is_typed_with_spaces() -> None:
    load_catalogue()
    with clock.frozen(TUESDAY):
        dossier = receive()
    page = browser_for(None).get(REPORT, {"ma": f" {dossier.code} ", "k": dossier.tracking_secret}).content.decode()
    assert "Gửi phản ánh" in page


HOSTILE = ["\x00", "\u202e", "x" * 20_000, "9" * 400, "' OR 1=1 --", "\ufeff\u200b", "%", "\U0001f600"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_gets_no_server_error_and_nothing_unsafe_is_kept(mine: Dossier, value: str) -> None:
    visitor, citizen = browser_for(None), browser_for("0912345678")
    for params in ({"ma": value, "k": value}, {"ma": mine.code, "sdt": value}, {"thu-tuc": value}):
        assert visitor.get(REPORT, params).status_code < 500
    assert visitor.get("/phan-anh/theo-doi/", {"ma": value, "k": value}).status_code < 500
    for field in [*FIELDS, "official", "anonymous", "content"]:
        response = citizen.post(REPORT, {"ma": mine.code, **FIELDS, field: value, "submission_key": ""})
        assert response.status_code < 500, field
    assert browser_for("mytho.lanhdao").get(f"/can-bo/phan-anh/{value[:60]}/").status_code < 500
    kept = FeedbackCase.objects.values_list("paper_asked", "content", "sender_name", "sender_address", "sender_phone")
    assert not any("\x00" in text or "\u202e" in text for row in kept for text in row)
    assert all(len(row[1]) <= 4_000 for row in kept)
