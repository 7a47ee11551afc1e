"""Form 07, the unit's register, as PDF and Excel, for every role."""

import io
import subprocess
from pathlib import Path

import openpyxl
import pytest

from motcua.conftest import ROLES, client_for
from motcua.core import clock
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.services import Inputs, attach_result, complete_step, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, user
from motcua.dossiers.tests.processing_factories import PDF, department_officer, file, load_processing_catalogue
from motcua.organizations.models import Unit

pytestmark = pytest.mark.django_db
EXPECTED = {
    "anonymous": 401,
    "citizen": 403,
    "officer_other_unit": 403,
    "officer_of_unit": 200,
    "leader": 200,
    "admin": 200,
}


@pytest.fixture(autouse=True)
def dossiers() -> list[str]:
    load_processing_catalogue()
    other = department_officer()
    with clock.frozen(TUESDAY_9AM):
        returned = file("1.999015", officer="stp.motcua", at="82.STP")
        waiting = file("1.999015", officer="stp.motcua", at="82.STP")
        perform(returned, Action.START, actor=user("stp.motcua"))
        complete_step(returned, actor=user("stp.motcua"))
        attach_result(returned, actor=user("stp.chuyenvien"), title="Phiếu", pdf=PDF)
        complete_step(returned, actor=user("stp.chuyenvien"))
        complete_step(returned, actor=other)
        complete_step(returned, actor=user("stp.lanhdao"))
        complete_step(returned, actor=user("stp.motcua"))
        perform(returned, Action.RETURN_RESULT, actor=user("stp.motcua"), inputs=Inputs(return_channel="counter"))
    return [returned.code, waiting.code]


@pytest.mark.parametrize("role", list(ROLES))
def test_register_role_matrix(role: str, dossiers: list[str], tmp_path: Path) -> None:
    unit = Unit.objects.get(code="82.STP")
    response = client_for(ROLES[role]).get(f"/api/v1/registers/{unit.pk}.pdf?start=2026-03-01&end=2026-03-31")
    assert response.status_code == EXPECTED[role]
    if response.status_code == 200:
        path = tmp_path / "07.pdf"
        path.write_bytes(response.content)
        text = " ".join(subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout.split())
        assert "SỔ THEO DÕI HỒ SƠ" in text and "Từ ngày 01/03/2026 đến ngày 31/03/2026" in text
        assert all(code in text.replace(" ", "") for code in dossiers), text


def test_register_as_excel_and_bad_periods(dossiers: list[str]) -> None:
    unit = Unit.objects.get(code="82.STP")
    client = client_for("stp.motcua")
    response = client.get(f"/api/v1/registers/{unit.pk}.xlsx?start=2026-03-10&end=2026-03-10")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))  # type: ignore[union-attr]
    assert [r[1] for r in rows] == dossiers and rows[0][6] == "09:00 10/03/2026"
    assert rows[0][8] == rows[0][9] == rows[0][10] == "09:00 10/03/2026" and rows[0][11] == "Trước hạn"
    assert rows[1][11] == "Được tiếp nhận"
    backwards = client.get(f"/api/v1/registers/{unit.pk}.xlsx?start=2026-03-10&end=2026-03-01")
    assert backwards.status_code == 400 and "sau ngày đầu kỳ" in backwards.json()["detail"]
    assert client.get(f"/api/v1/registers/{unit.pk}.xlsx?start=2026-03-10").status_code == 400
    assert client.get(f"/api/v1/registers/{unit.pk}.csv?start=2026-03-10&end=2026-03-11").status_code == 404
