"""`motcua indices rebuild`: zero differences when the counters follow the events; every difference reported."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.core import clock
from motcua.dossiers.models import DossierCounter, UnitCounter
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, online, receive

pytestmark = pytest.mark.django_db


def _rebuild(*args: str) -> str:
    out = StringIO()
    call_command("indices", "rebuild", *args, stdout=out)
    return out.getvalue()


def test_rebuild_reports_zero_then_every_difference_then_repairs() -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        receive()
        online()
    assert "0 chênh lệch" in _rebuild()
    DossierCounter.objects.filter(span="D", metric="received").update(value=5)
    UnitCounter.objects.filter(span="M").update(open=0)
    with pytest.raises(CommandError, match="lệch"):
        _rebuild()
    repaired = _rebuild("--write")
    assert "2 chênh lệch" in repaired and "tính lại 1, đang lưu 5" in repaired
    assert "0 chênh lệch" in _rebuild()


def test_rebuild_names_each_difference_in_words_an_operator_can_check() -> None:
    """Unit code and name, the day or period in dd/mm/yyyy and the figure's name: no tuples, no database ids."""
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
    DossierCounter.objects.filter(span="D", metric="received").update(value=3)
    UnitCounter.objects.filter(span="M").update(open=0)
    with pytest.raises(CommandError):
        _rebuild()
    out = StringIO()
    call_command("indices", "rebuild", "--write", stdout=out)
    lines = out.getvalue().splitlines()
    unit = dossier.competent_unit
    procedure = dossier.version.procedure
    day = next(line for line in lines if "ngày 10/03/2026" in line and "Tiếp nhận" in line)
    assert unit.code in day and unit.name in day and procedure.code in day
    assert "tính lại 1, đang lưu 3" in day
    month = next(line for line in lines if "từ 01/03/2026 đến 31/03/2026" in line)
    assert unit.code in month and "Đang giải quyết" in month and "tính lại 1, đang lưu 0" in month
    assert not any("(" + str(unit.pk) in line or "datetime.date" in line or "'open'" in line for line in lines)
