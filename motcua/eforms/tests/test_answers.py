"""Answers checked against a definition: each problem its own Vietnamese message, hidden sections never required."""

import string
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.eforms.answers import check, flatten, prefilled
from motcua.eforms.definition import DefinitionError, parse
from motcua.eforms.lists import pick_lists

from .birth import ANSWERS, birth_document

TODAY = date(2026, 3, 10)
DEFINITION = parse(birth_document(), lists=pick_lists())


def checked(answers: dict[str, str]):  # type: ignore[no-untyped-def]
    return check(DEFINITION, answers, lists=pick_lists(), commune_exists=lambda code: code == "28261", today=TODAY)


def test_valid_answers_pass_and_are_cleaned() -> None:
    result = checked(ANSWERS)
    assert result.errors == {}
    assert result.values["nguoi_yeu_cau.so_dinh_danh"] == "082090001234"  # typed with spaces
    assert result.values["tre.ngay_sinh"] == "2026-03-01"
    assert result.values["ban_sao.so_ban"] == 2
    assert result.values["me.nguoi"]["noi_cu_tru"] == {"commune": "28261", "detail": "Số 5 Lê Lợi"}
    assert "cha.nguoi" not in result.values  # the father's section is hidden: nothing kept, nothing required


def test_a_shown_section_becomes_required() -> None:
    result = checked(ANSWERS | {"cha_khai.co_cha": "co"})
    assert result.errors["cha.nguoi.ho_ten"] == "Nhập họ, chữ đệm, tên (người cha)."
    assert "cha.nguoi.so_dinh_danh" not in result.errors  # a part the form does not require


def test_each_invalid_field_has_its_own_message() -> None:
    wrong = ANSWERS | {
        "tre.ngay_sinh": "31/02/2026",
        "nguoi_yeu_cau.so_dinh_danh": "0820900012345",
        "tre.gioi_tinh": "x",
        "ban_sao.so_ban": "99",
        "tre.noi_sinh.commune": "99999",
        "tre.ho_ten": "",
    }
    errors = checked(wrong).errors
    assert errors == {
        "tre.ngay_sinh": "Nhập ngày, tháng, năm sinh theo dạng ngày/tháng/năm, ví dụ 05/03/2026.",
        "nguoi_yeu_cau.so_dinh_danh": (
            "Giấy tờ tùy thân: số định danh cá nhân gồm 12 chữ số; bạn đã nhập 13 chữ số (thừa)."
        ),
        "tre.gioi_tinh": "Chọn giới tính trong danh sách.",
        "ban_sao.so_ban": errors["ban_sao.so_ban"],
        "tre.noi_sinh.commune": "Chọn xã, phường của nơi sinh trong danh sách.",
        "tre.ho_ten": "Nhập họ, chữ đệm, tên.",
    }
    assert "phải từ 0 đến 20" in errors["ban_sao.so_ban"]


def test_cross_field_dates() -> None:
    errors = checked(ANSWERS | {"tre.ngay_sinh": "11/03/2026", "me.nguoi.ngay_sinh": "12/03/2026"}).errors
    assert errors["tre.ngay_sinh"] == "Ngày sinh không được sau ngày đăng ký."
    assert "me.nguoi.ngay_sinh" in errors


def test_api_bodies_flatten_to_the_same_paths() -> None:
    nested = {"tre": {"ho_ten": "An", "noi_sinh": {"commune": "28261", "detail": "Nhà"}}, "ban_sao": {"so_ban": 1}}
    assert flatten(nested) == {
        "tre.ho_ten": "An",
        "tre.noi_sinh.commune": "28261",
        "tre.noi_sinh.detail": "Nhà",
        "ban_sao.so_ban": "1",
    }


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([*sorted(ANSWERS), "cha.nguoi.ho_ten", "cha_khai.co_cha", "la.la"]),
        st.text(alphabet=string.printable + "àảãáạăằẳẵắặđêơưĐ\x00", max_size=30),
    )
)
def test_any_input_gives_messages_never_an_exception(changes: dict[str, str]) -> None:
    result = checked(ANSWERS | changes)
    assert all(isinstance(message, str) and message for message in result.errors.values())
    assert set(result.errors) <= {
        *ANSWERS,
        *(f"cha.nguoi.{part}" for part in ("ho_ten", "ngay_sinh", "dan_toc", "quoc_tich", "so_dinh_danh")),
        "cha.nguoi.noi_cu_tru.commune",
        "cha.nguoi.noi_cu_tru.detail",
        "nguoi_yeu_cau.noi_cu_tru.commune",
        "nguoi_yeu_cau.noi_cu_tru.detail",
    }


@given(st.dates(min_value=date(1990, 1, 1), max_value=TODAY), st.integers(min_value=0, max_value=20))
def test_generated_valid_answers_pass(born: date, copies: int) -> None:
    answers = ANSWERS | {"tre.ngay_sinh": born.strftime("%d/%m/%Y"), "ban_sao.so_ban": str(copies)}
    answers["me.nguoi.ngay_sinh"] = "01/01/1980"
    assert checked(answers).errors == {}


def test_what_the_applicant_step_says_fills_only_unanswered_inputs_of_its_own_type() -> None:
    definition = parse(birth_document(), lists=pick_lists())
    applicant = {"name": "Nguyễn Văn Dân", "citizen_id": "082090001234", "commune": "28261", "address": "Số 5 Lê Lợi"}
    filled = prefilled(definition, applicant, {"nguoi_yeu_cau.so_dinh_danh": ""})
    assert filled == {
        "nguoi_yeu_cau.ho_ten": "Nguyễn Văn Dân",
        "nguoi_yeu_cau.noi_cu_tru.commune": "28261",
        "nguoi_yeu_cau.noi_cu_tru.detail": "Số 5 Lê Lợi",
        "nguoi_yeu_cau.so_dinh_danh": "",  # emptied on purpose: kept
    }
    document = birth_document()
    document["sections"][0]["fields"][1]["from_applicant"] = "name"  # a date cannot take a name
    with pytest.raises(DefinitionError, match="from_applicant: «name» không điền được vào trường loại date"):
        parse(document, lists=pick_lists())
