"""Queue, dossier step actions and leader screens in the back office, for every role; refusals change nothing."""

from datetime import datetime

import pytest

from motcua.conftest import ROLES, browser_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, DossierEvent, StepTask
from motcua.dossiers.processing import Rating
from motcua.dossiers.services import Evaluation, Inputs, attach_result, complete_step, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, user
from motcua.dossiers.tests.processing_factories import PDF, file, load_processing_catalogue, started

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, name="started")
def started_dossier() -> Dossier:
    load_processing_catalogue()
    with clock.frozen(TUESDAY_9AM):
        return started()


def state(dossier: Dossier) -> tuple[object, ...]:
    dossier.refresh_from_db()
    return dossier.status, DossierEvent.objects.count(), tuple(StepTask.objects.values_list("state", "assignee"))


EXPECTED_QUEUE = {
    "anonymous": 302,
    "citizen": 403,
    "officer_other_unit": 200,
    "officer_of_unit": 200,
    "leader": 200,
    "admin": 200,
}


@pytest.mark.parametrize("role", list(ROLES))
def test_unit_queue_shows_the_dossier_only_to_its_unit(role: str, started: Dossier) -> None:
    response = browser_for(ROLES[role]).get("/can-bo/hang-doi/?xem=don-vi")
    assert response.status_code == EXPECTED_QUEUE[role]
    if response.status_code == 200:
        assert (started.code in response.content.decode()) is (role in {"officer_of_unit", "leader"})


EXPECTED_ACTION = {
    "anonymous": 302,
    "citizen": 403,
    "officer_other_unit": 404,
    "officer_of_unit": 302,
    "leader": 302,
    "admin": 302,
}


@pytest.mark.parametrize("role", list(ROLES))
def test_completing_a_step_from_the_page(role: str, started: Dossier) -> None:
    before = state(started)
    with clock.frozen(TUESDAY_9AM):
        response = browser_for(ROLES[role]).post(f"/can-bo/ho-so/{started.code}/thao-tac/complete-step/", follow=False)
    assert response.status_code == EXPECTED_ACTION[role]
    if role == "officer_of_unit":
        assert StepTask.objects.get(dossier=started, position=1).state == 1
    else:
        assert state(started) == before  # the leader and admin are told why, and nothing changes


def test_dossier_page_offers_only_the_fitting_hand_over(started: Dossier) -> None:
    page = browser_for("stp.motcua").get(f"/can-bo/ho-so/{started.code}/").content.decode()
    # One "Chuyển bước" form, for the one hand-over the rules allow here.
    assert "Quy trình xử lý" in page and 'data-action="complete-step"' in page and "/thao-tac/chuyen-buoc/" in page
    assert 'data-action="transfer"' not in page and 'data-action="complete"' not in page
    assert "/thao-tac/claim/" in page
    assert "cong_chuc_mot_cua" not in page and "Công chức một cửa" in page  # positions by their names
    with clock.frozen(TUESDAY_9AM):
        complete_step(started, actor=user("stp.motcua"))
    page = browser_for("stp.chuyenvien").get(f"/can-bo/ho-so/{started.code}/").content.decode()
    assert 'data-action="transfer"' in page and "/thao-tac/return-step/" in page and "Đính kèm tệp" in page
    with clock.frozen(TUESDAY_9AM):  # Form 04 is offered only until D-1
        leader = browser_for("stp.lanhdao").get(f"/can-bo/ho-so/{started.code}/").content.decode()
    assert "/thao-tac/assign/" in leader and "Lê Thị Xử Lý" in leader and "/thao-tac/extend/" in leader


def test_extension_and_result_from_the_page(started: Dossier) -> None:
    with clock.frozen(TUESDAY_9AM):
        complete_step(started, actor=user("stp.motcua"))
        leader = browser_for("stp.lanhdao")
        leader.post(
            f"/can-bo/ho-so/{started.code}/thao-tac/extend/", {"ly-do": "Chờ ý kiến", "han-moi": "2026-04-07T09:00"}
        )
        bad = browser_for("stp.chuyenvien").post(
            f"/can-bo/ho-so/{started.code}/ket-qua/", {"ten": "KQ", "tep": _upload(b"no")}, follow=True
        )
        assert "Kết quả giải quyết phải là tệp PDF." in bad.content.decode()
        browser_for("stp.chuyenvien").post(
            f"/can-bo/ho-so/{started.code}/ket-qua/", {"ten": "KQ", "tep": _upload(PDF)}
        )
    started.refresh_from_db()
    assert started.due_at == datetime(2026, 4, 7, 9, 0, tzinfo=VIETNAM) and started.results.count() == 1


def _upload(content: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("kq.pdf", content, content_type="application/pdf")


def test_leader_board_lists_unhappy_ratings_for_review(started: Dossier) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = file("2.000815", officer="mytho.motcua", at="28261.TTPVHCC")
        perform(dossier, Action.START, actor=user("mytho.motcua"))
        complete_step(dossier, actor=user("mytho.motcua"))
        attach_result(dossier, actor=user("mytho.chuyenvien"), title="Bản sao", pdf=PDF)
        complete_step(dossier, actor=user("mytho.chuyenvien"))
        complete_step(dossier, actor=user("mytho.lanhdao"))
        complete_step(dossier, actor=user("mytho.motcua"))
        perform(dossier, Action.RETURN_RESULT, actor=user("mytho.motcua"), inputs=Inputs(return_channel="counter"))
        unhappy = Evaluation(Rating.UNSATISFIED, Rating.UNSATISFIED, "Phải chờ lâu")
        perform(dossier, Action.RATE, actor=user("mytho.motcua"), inputs=Inputs(evaluation=unhappy))
    board = browser_for("mytho.lanhdao").get("/can-bo/canh-bao/").content.decode()
    assert dossier.code in board and "Phải chờ lâu" in board
    assert dossier.code not in browser_for("stp.lanhdao").get("/can-bo/canh-bao/").content.decode()
    rating = dossier.rating
    assert browser_for("stp.lanhdao").post(f"/can-bo/danh-gia/{rating.pk}/da-xem/").status_code == 404
    browser_for("mytho.lanhdao").post(f"/can-bo/danh-gia/{rating.pk}/da-xem/")
    rating.refresh_from_db()
    assert rating.reviewed_by == user("mytho.lanhdao")


@pytest.mark.parametrize("role", list(ROLES))
def test_register_download_by_role(role: str) -> None:
    from motcua.organizations.models import Unit

    unit = Unit.objects.get(code="82.STP")
    response = browser_for(ROLES[role]).get(f"/can-bo/so-theo-doi/{unit.pk}.xlsx?tu=2026-03-01&den=2026-03-31")
    expected = {"anonymous": 302, "citizen": 403, "officer_other_unit": 404}.get(role, 200)
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_register_with_a_bad_period_says_why() -> None:
    from motcua.organizations.models import Unit

    unit = Unit.objects.get(code="82.STP")
    response = browser_for("stp.motcua").get(
        f"/can-bo/so-theo-doi/{unit.pk}.pdf?tu=2026-03-31&den=2026-03-01", follow=True
    )
    assert "Ngày cuối kỳ phải sau ngày đầu kỳ." in response.content.decode()
