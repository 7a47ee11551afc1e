"""The DVCQG synchronisation record of a dossier: its fields filled from the dossier, and who may read it."""

import pytest
from rest_framework.test import APIClient

from motcua.catalogue.models import Component, Fee
from motcua.core import clock
from motcua.core.tests import samples
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, FeeCollection
from motcua.dossiers.services import Filing, Inputs, Paper, SupplementRequest, attach_result, complete_step, perform
from motcua.dossiers.tests.factories import PERSON, TUESDAY_9AM, load_catalogue, receive, user

pytestmark = pytest.mark.django_db
EXPECTED = {"anonymous": 401, "citizen": 403, "officer_other_unit": 404, "officer_of_unit": 200, "leader": 200}


@pytest.fixture
def dossier(db: None) -> Dossier:
    """A criminal-record certificate received at the Department of Justice, its fee collected on return."""
    load_catalogue()
    papers = Component.objects.filter(case__version__procedure__code="2.001417", case__position=0).order_by("position")
    fee = Fee.objects.get(limit__version=papers[0].case.version_id, limit__channel=1, amount=200_000)
    filing = Filing(
        papers[0].case_id,
        1,
        PERSON,
        tuple(Paper(c.pk, originals=1) for c in papers),
        fee_id=fee.pk,
        fee_collection=FeeCollection.AFTER,
    )
    with clock.frozen(TUESDAY_9AM):
        received = receive(filing, officer="stp.motcua", at="82.STP")
        officer = user("stp.motcua")
        perform(received, Action.START, actor=officer)
        perform(
            received,
            Action.REQUEST_SUPPLEMENT,
            actor=officer,
            reason="Bản sao chưa chứng thực",
            supplements=(SupplementRequest(papers[0].pk, "Cần bản chứng thực"),),
        )
        perform(received, Action.SUBMIT_SUPPLEMENT, actor=officer)
    return received


def test_the_record_is_filled_from_the_dossier(dossier: Dossier) -> None:
    response = APIClient()
    response.force_authenticate(user("quantri"))
    record = response.get(f"/api/v1/dossiers/{dossier.code}/national-record").json()
    assert (record["MaHoSo"], record["MaTTHC"], record["KenhThucHien"]) == (dossier.code, "2.001417", 1)
    assert (record["TrangThaiHoSo"], record["LoaiDoiTuong"], record["DonViXuLy"]) == (4, 1, "Sở Tư pháp")
    assert record["NgayTiepNhan"] == "2026-03-10T09:00:00+07:00" and record["NgayHenTra"].startswith("2026-03-24")
    [fee] = record["DanhSachLePhi"]
    assert (fee["Gia"], fee["HinhThucThu"]) == (200_000, 2)
    assert record["DinhDanhCHS"] == [{"LoaiDinhDanh": 1, "SoDinhDanh": dossier.applicant_citizen_id}]
    assert [p["MaThanhPhanHoSo"] for p in record["TaiLieuNop"]] == list(
        dossier.components.order_by("pk").values_list("component__code", flat=True)
    )
    [supplement] = record["DanhSachHoSoBoSung"]
    assert supplement["TrangThaiBoSung"] == 1 and supplement["DanhSachGiayToBoSung"][0]["LyDo"] == "Cần bản chứng thực"
    assert [step["TrangThai"] for step in record["QuaTrinhXuLy"]] == [2, 4, 5, 4]
    assert record["TaiKhoanDuocXacThucVoiVNeID"] is False and record["DuocThanhToanTrucTuyen"] == 0


def test_who_may_read_the_record(dossier: Dossier, role_client: tuple[str, APIClient]) -> None:
    role, client = role_client
    response = client.get(f"/api/v1/dossiers/{dossier.code}/national-record")
    assert response.status_code == EXPECTED.get(role, 200), (role, response.content)


def test_a_returned_dossier_carries_its_end_its_return_and_its_result() -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        birth = receive()
        counter, chairman = user("mytho.motcua"), user("mytho.lanhdao")
        perform(birth, Action.START, actor=counter)
        complete_step(birth, actor=counter)
        attach_result(birth, actor=user("mytho.chuyenvien"), title="Giấy khai sinh", pdf=samples.pdf("result"))
        complete_step(birth, actor=user("mytho.chuyenvien"))
        complete_step(birth, actor=chairman)
        complete_step(birth, actor=counter)  # the last step: the dossier is finished
        perform(birth, Action.RETURN_RESULT, actor=counter, inputs=Inputs(return_channel="counter"))
    client = APIClient()
    client.force_authenticate(user("quantri"))
    record = client.get(f"/api/v1/dossiers/{birth.code}/national-record").json()
    assert (record["TrangThaiHoSo"], record["HinhThuc"]) == (10, 0)
    assert record["NgayKetThucXuLy"] and record["NgayTra"] == "2026-03-10T09:00:00+07:00"
    assert [r["TenGiayTo"] for r in record["DanhSachGiayToKetQua"]] == ["Giấy khai sinh"]
