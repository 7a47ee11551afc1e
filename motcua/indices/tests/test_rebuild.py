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
