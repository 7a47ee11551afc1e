"""The dossier page and the signing list cost a bounded number of statements, whatever the dossier's history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.conftest import browser_for
from motcua.core import clock
from motcua.core.tests.samples import result_pdf
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.processing import steps_suited_to, suits
from motcua.dossiers.services import SupplementRequest, attach_result, complete_step, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, receive, user
from motcua.organizations.models import Position
from motcua.signing import selectors as signing_selectors
from motcua.signing.models import DocumentType, ResultSigning

pytestmark = pytest.mark.django_db


def at_signing_step() -> Dossier:
    dossier = receive()
    perform(dossier, Action.START, actor=user("mytho.motcua"))
    complete_step(dossier, actor=user("mytho.motcua"))
    attach_result(dossier, actor=user("mytho.chuyenvien"), title="Giấy khai sinh", pdf=result_pdf())
    complete_step(dossier, actor=user("mytho.chuyenvien"))
    return dossier


def statements(username: str, path: str) -> tuple[int, str]:
    client = browser_for(username)
    client.get(path)  # warm the session and the caches a real browser would have warmed
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.fixture
def signing() -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        version = receive().version
    gks = DocumentType.objects.create(code="gks", name="Giấy khai sinh", abbreviation="GKS")
    ResultSigning.objects.create(version=version, document_type=gks)


@pytest.mark.usefixtures("signing")
def test_the_dossier_page_does_not_grow_with_the_history() -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = at_signing_step()
        short, page = statements("mytho.lanhdao", f"/can-bo/ho-so/{dossier.code}/")
        for _ in range(3):  # three more hand-overs back and forth: six more events, the same steps
            perform(dossier, Action.RETURN_STEP, actor=user("mytho.lanhdao"), reason="Xem lại")
            complete_step(dossier, actor=user("mytho.chuyenvien"))
        long, _page = statements("mytho.lanhdao", f"/can-bo/ho-so/{dossier.code}/")
    assert "Xem và ký số kết quả" in page
    assert long == short <= 40, (short, long)


@pytest.mark.usefixtures("signing")
def test_the_signing_list_costs_the_same_statements_for_one_dossier_or_five() -> None:
    with clock.frozen(TUESDAY_9AM):
        first = at_signing_step()
        one, page = statements("mytho.lanhdao", "/can-bo/ky-so/")
        others = [at_signing_step() for _ in range(4)]
        five, page_of_five = statements("mytho.lanhdao", "/can-bo/ky-so/")
    assert first.code in page and all(d.code in page_of_five for d in others)
    assert one <= 30 and five == one, (one, five)  # each dossier's steps, results and version are read with the list


@pytest.mark.parametrize(
    ("field", "told"),
    [
        ({"nguoi-xu-ly": "abc"}, "Người được chọn không phải cán bộ trong hệ thống."),
        ({"tong-the": "7"}, "Cần chọn mức độ hài lòng trong danh sách."),
        ({"han-moi": "31/02/2026"}, "Ngày hẹn trả mới không hợp lệ."),
    ],
)
def test_strange_action_input_is_refused_in_vietnamese_and_changes_nothing(field: dict[str, str], told: str) -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
        perform(dossier, Action.START, actor=user("mytho.motcua"))
        before = list(dossier.events.values_list("sequence", flat=True))
        response = browser_for("mytho.motcua").post(
            f"/can-bo/ho-so/{dossier.code}/thao-tac/chuyen-buoc/", field, follow=True
        )
    assert response.status_code == 200 and told in response.content.decode()
    assert list(dossier.events.values_list("sequence", flat=True)) == before


def test_a_nul_byte_in_an_action_form_is_refused_before_any_view_and_changes_nothing() -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
        perform(dossier, Action.START, actor=user("mytho.motcua"))
        before = list(dossier.events.values_list("sequence", flat=True))
        response = browser_for("mytho.motcua").post(
            f"/can-bo/ho-so/{dossier.code}/thao-tac/chuyen-buoc/", {"nguoi-xu-ly": "1\x00"}
        )
    assert response.status_code == 400 and "không hợp lệ" in response.content.decode().lower()
    assert list(dossier.events.values_list("sequence", flat=True)) == before


@pytest.mark.usefixtures("signing")
def test_the_signing_list_reads_only_steps_the_signer_may_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signing_selectors, "SIGNING_LIST_SIZE", 2)
    with clock.frozen(TUESDAY_9AM):
        checking = []
        for _ in range(2):  # received first, due first: at the specialist's step, not the chairman's
            dossier = receive()
            perform(dossier, Action.START, actor=user("mytho.motcua"))
            complete_step(dossier, actor=user("mytho.motcua"))
            attach_result(dossier, actor=user("mytho.chuyenvien"), title="Giấy khai sinh", pdf=result_pdf())
            checking.append(dossier)
    with clock.frozen(TUESDAY_9AM + timedelta(hours=1)):
        waiting = [at_signing_step() for _ in range(2)]
        listed = signing_selectors.signable_dossiers_for(user("mytho.lanhdao"))
    assert [d.code for d in listed] == [d.code for d in waiting]


def test_steps_suited_to_is_the_inverse_of_suits() -> None:
    positions = {"", *(code for code, _label in Position.choices)}
    for position in positions - {""}:
        for deputies in (True, False):
            suited = steps_suited_to(position, deputies=deputies)
            assert {s for s in positions if suits(s, position, deputies=deputies)} == suited & positions


def test_the_officer_is_told_before_a_second_request_that_it_makes_the_dossier_late() -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
        page = browser_for("mytho.motcua").get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
        assert 'data-action="request-supplement"' in page and "data-late-if-asked" not in page
        first = dossier.components.first()
        assert first is not None
        request = SupplementRequest(first.component_id, "Bản chụp mờ")
        perform(dossier, Action.REQUEST_SUPPLEMENT, actor=user("mytho.motcua"), reason="Mờ", supplements=(request,))
        perform(dossier, Action.SUBMIT_SUPPLEMENT, actor=user("mytho.motcua"))
        page = browser_for("mytho.motcua").get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert 'data-late-if-asked="true"' in page and "tính là trễ hạn" in page
