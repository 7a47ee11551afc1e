from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from motcua.core import clock
from motcua.core.formatting import format_date, format_datetime, format_vnd
from motcua.core.text import fold
from motcua.core.validators import ID_PLACE_CODES, citizen_id_birth_year, validate_citizen_id, validate_phone


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Phường Sa Đéc", "phuong sa dec"),
        ("  ỦY BAN   nhân dân ", "uy ban nhan dan"),
        ("Sở Nông nghiệp và Môi trường", "so nong nghiep va moi truong"),
        ("Đặc khu Phú Quốc", "dac khu phu quoc"),
    ],
)
def test_fold_removes_diacritics_and_case(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_vietnamese_formats() -> None:
    assert format_vnd(1_000_000) == "1.000.000 đ"
    assert format_vnd(Decimal("50000")) == "50.000 đ"
    assert format_vnd(0) == "0 đ"
    assert format_date(date(2026, 3, 5)) == "05/03/2026"
    # 17:30 UTC is 00:30 the next day in Vietnam.
    assert format_date(datetime(2026, 3, 5, 17, 30, tzinfo=UTC)) == "06/03/2026"
    assert format_datetime(datetime(2026, 3, 5, 2, 0, tzinfo=UTC)) == "09:00 05/03/2026"


def test_clock_can_be_frozen_and_released() -> None:
    at = datetime(2026, 1, 10, 1, 0, tzinfo=UTC)
    with clock.frozen(at):
        assert clock.now() == at
        assert clock.today() == date(2026, 1, 10)
    assert clock.now() != at
    with pytest.raises(ValueError), clock.frozen(datetime(2026, 1, 1)):
        pass


@pytest.mark.parametrize(
    ("number", "year"),
    [
        ("082090001234", 1990),
        ("001305012345", 2005),
        ("087199000001", 1999),
        ("096200123456", 2000),
        ("092099123456", 1999),
    ],
)
def test_valid_citizen_ids(number: str, year: int) -> None:
    assert citizen_id_birth_year(number) == year


@pytest.mark.parametrize(
    ("number", "code", "message"),
    [
        ("08209000123", "citizen_id_format", "có 12 chữ số; số đã nhập có 11 chữ số"),
        ("0820900012345", "citizen_id_format", "có 12 chữ số; số đã nhập có 13 chữ số"),
        ("08209000123a", "citizen_id_format", "đúng 12 chữ số"),
        ("082 090 001 234", "citizen_id_format", "đúng 12 chữ số"),
        ("003090001234", "citizen_id_place", "(003) không phải mã tỉnh"),
        ("099090001234", "citizen_id_place", "(099) không phải mã tỉnh"),
        ("082399001234", "citizen_id_year", "năm sinh 2099"),
    ],
)
def test_invalid_citizen_ids_get_a_vietnamese_reason(number: str, code: str, message: str) -> None:
    with clock.frozen(datetime(2026, 11, 27, 3, 0, tzinfo=UTC)), pytest.raises(ValidationError) as error:
        validate_citizen_id(number)
    assert error.value.code == code
    assert message in str(error.value.messages[0])


@given(
    place=st.sampled_from(sorted(ID_PLACE_CODES)),
    century=st.sampled_from("0123"),
    rest=st.from_regex(r"[0-9]{8}", fullmatch=True),
)
def test_any_well_formed_id_of_the_last_two_centuries_is_accepted(place: int, century: str, rest: str) -> None:
    number = f"{place:03d}{century}{rest}"
    assume(int(century) < 2 or int(rest[:2]) <= clock.today().year - 2000)  # future years: tested above
    validate_citizen_id(number)


@pytest.mark.parametrize("phone", ["091234567", "9123456789", "09123456789", "0912-34567", "+84912345678"])
def test_invalid_phone_numbers(phone: str) -> None:
    with pytest.raises(ValidationError, match="10 chữ số"):
        validate_phone(phone)
