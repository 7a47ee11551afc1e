"""The publishing decision (QĐ công bố) and the legal basis's effective dates, kept on each version (QĐ 766 1.1)."""

from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client

from motcua.catalogue.records import RecordsRejected
from motcua.catalogue.selectors import get_version_on
from motcua.catalogue.services import import_catalogue
from motcua.core import clock

from .samples import BIRTH, sample

pytestmark = pytest.mark.django_db
TUESDAY_9AM = datetime(2026, 3, 10, 9, 0, tzinfo=clock.VIETNAM)
LAWS = [
    {"SOVANBAN": "60/2014/QH13", "TENVANBAN": "Luật", "NGAYBANHANH": "20/11/2014", "NGAYHIEULUC": "01/01/2016"},
    {"SOVANBAN": "123/2015/NĐ-CP", "TENVANBAN": "Nghị định", "NGAYBANHANH": "15/11/2015",
     "NGAYHIEULUC": "01/07/2025"},
    {"SOVANBAN": "04/2020/TT-BTP", "TENVANBAN": "Thông tư", "NGAYBANHANH": "28/05/2020", "NGAYHIEULUC": ""},
]  # fmt: skip


def imported(*changes: tuple[str, Any]) -> Any:
    record = sample(*changes, base=BIRTH)
    import_catalogue([record])
    return get_version_on(record["MATTHC"], date(2026, 3, 10))


def test_the_decision_and_the_latest_effective_date_of_the_legal_basis_are_kept() -> None:
    version = imported(("CANCUPHAPLY", LAWS))
    assert (version.publication_number, version.published_on) == ("1872/QĐ-BTP", date(2025, 6, 30))
    assert version.legal_basis_effective_on == date(2025, 7, 1)


def test_the_national_records_own_decision_is_read_when_the_extension_has_none() -> None:
    text = "Quyết định số 2514/QĐ-BTP ngày 15/12/2025 của Bộ Tư pháp"
    version = imported(("MOTCUA.QUYETDINHCONGBO", {}), ("QUYETDINH", text))
    assert (version.publication_number, version.published_on) == ("2514/QĐ-BTP", date(2025, 12, 15))
    decision = {"SO": "9/QĐ-UBND", "NGAY": "02/01/2026"}
    as_object = imported(("MOTCUA.QUYETDINHCONGBO", {}), ("QUYETDINH", decision), ("MATTHC", "1.000002"))
    assert (as_object.publication_number, as_object.published_on) == ("9/QĐ-UBND", date(2026, 1, 2))


def test_an_impossible_decision_date_is_refused() -> None:
    with pytest.raises(RecordsRejected) as refused:
        import_catalogue([sample(("MOTCUA.QUYETDINHCONGBO", {}), ("QUYETDINH", "Số 1/QĐ-BTP ngày 31/02/2025"))])
    assert any("QUYETDINH" in str(problem) for problem in refused.value.problems)


def test_a_version_without_them_keeps_none() -> None:
    version = imported(("MOTCUA.QUYETDINHCONGBO", {}), ("CANCUPHAPLY", []))
    assert (version.publication_number, version.published_on, version.legal_basis_effective_on) == ("", None, None)


def test_the_procedure_page_shows_them() -> None:
    imported(("CANCUPHAPLY", LAWS))
    with clock.frozen(TUESDAY_9AM):
        page = Client().get("/thu-tuc/1.001193/").content.decode()
    assert "Quyết định công bố" in page and "số 1872/QĐ-BTP" in page and "ngày 30/06/2025" in page
    assert "Căn cứ pháp lý có hiệu lực muộn nhất" in page and "01/07/2025" in page
    assert "có hiệu lực từ 01/01/2016" in page
