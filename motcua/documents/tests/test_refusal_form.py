"""Form 03 of a refusal at the counter and of an online dossier refused before acceptance: ground, reason, guidance."""

from datetime import datetime
from pathlib import Path

import pytest

from motcua.catalogue.services import import_catalogue
from motcua.catalogue.tests.samples import BIRTH, RECORDS
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError
from motcua.documents.forms import render_form
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    CounterRefusal,
    Inputs,
    RefusalKind,
    SupplementRequest,
    perform,
    refuse_at_counter,
)
from motcua.dossiers.tests.factories import TUESDAY_9AM
from motcua.organizations.models import Unit

from .test_forms import (
    CENTRE,
    HEADER,
    MY_THO,
    assert_contains,
    assert_header,
    birth_filing,
    birth_papers,
    online,
    pages_of,
    qr_of,
    text_of,
    user,
    write,
)

pytestmark = pytest.mark.django_db
REASON = "Người được khai sinh thường trú tại tỉnh khác, không thuộc thẩm quyền của phường"
COMPETENT = "Ủy ban nhân dân xã Tân Hội, tỉnh Vĩnh Long"


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    import_catalogue([BIRTH, RECORDS])


@pytest.fixture(autouse=True)
def frozen_clock():  # type: ignore[no-untyped-def]
    with clock.frozen(TUESDAY_9AM) as at:
        yield at


def refused_at_counter(refusal: CounterRefusal) -> Dossier:
    centre = Unit.objects.get(code=CENTRE)
    return refuse_at_counter(birth_filing(), refusal, officer=user("mytho.motcua"), receiving_unit=centre).dossier


def test_counter_refusal_prints_form_03(tmp_path: Path) -> None:
    dossier = refused_at_counter(CounterRefusal(RefusalKind.NOT_COMPETENT, REASON, COMPETENT))
    pdf = write(tmp_path, dossier, "03")
    assert pages_of(pdf) == 1
    assert_header(pdf, dossier, *MY_THO, "Đồng Tháp, ngày 10 tháng 3 năm 2026")
    assert_contains(
        text_of(pdf),
        *HEADER,
        "Mẫu số 03",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Trung tâm Phục vụ hành chính công Phường Mỹ Tho nhận hồ sơ (ngày 10 tháng 3 năm 2026) của:",
        "Ông/bà: Nguyễn Văn An",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
        "từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
        f"Hồ sơ không thuộc thẩm quyền giải quyết: {REASON}",
        f"Hướng dẫn nơi nộp hồ sơ (cơ quan có thẩm quyền giải quyết): {COMPETENT}",
        "Xin thông báo để ông/bà được biết và thực hiện./.",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Võ Thị Một Cửa",
    )
    assert qr_of(pdf) == dossier.tracking_url()
    with pytest.raises(DomainError, match="chưa được tiếp nhận"):
        render_form(dossier, "01")  # nothing was received: no receipt


def test_an_eligibility_refusal_prints_its_ground_and_any_guidance(tmp_path: Path) -> None:
    reason = "Giấy chứng sinh không phải bản chính do cơ sở y tế cấp"
    dossier = refused_at_counter(CounterRefusal(RefusalKind.NOT_ELIGIBLE, reason, "Xin cấp lại giấy chứng sinh"))
    text = text_of(write(tmp_path, dossier, "03"))
    assert_contains(text, f"Hồ sơ không đủ điều kiện giải quyết: {reason}", "Hướng dẫn: Xin cấp lại giấy chứng sinh")
    assert "thuộc thẩm quyền" not in text


def test_an_online_dossier_refused_while_waiting_for_papers_prints_form_03(tmp_path: Path) -> None:
    dossier = online()
    officer = user("mytho.motcua")
    certificate = birth_papers()[1]
    item = SupplementRequest(certificate.pk, "Bản quét mờ")
    perform(dossier, Action.REQUEST_SUPPLEMENT, actor=officer, reason="Thiếu", supplements=(item,))
    with clock.frozen(datetime(2026, 3, 12, 14, 0, tzinfo=VIETNAM)):
        inputs = Inputs(extra={"kind": RefusalKind.NOT_COMPETENT.value, "guidance": COMPETENT})
        perform(dossier, Action.REFUSE, actor=officer, reason=REASON, inputs=inputs)
    pdf = write(tmp_path, Dossier.objects.get(pk=dossier.pk), "03")
    assert_contains(
        text_of(pdf),
        "Đồng Tháp, ngày 12 tháng 3 năm 2026",
        "nhận hồ sơ (ngày 10 tháng 3 năm 2026) của:",
        f"Hồ sơ không thuộc thẩm quyền giải quyết: {REASON}",
        COMPETENT,
    )
