"""Reading and writing national records, without a database."""

from datetime import date

import pytest

from motcua.catalogue.records import parse_records, to_record
from motcua.catalogue.search import correct_tokens, search_fold
from motcua.catalogue.synthetic import synthetic_records

from .samples import BIRTH, RECORDS, sample


def test_round_trip_is_exact() -> None:
    parsed, problems = parse_records([BIRTH, RECORDS])
    assert problems == []
    assert [to_record(r) for r in parsed] == [BIRTH, RECORDS]
    birth = parsed[0]
    assert (birth.effective_from, birth.competent_unit_type, birth.is_cross_boundary) == (
        date(2025, 7, 1),
        "commune_committee",
        True,
    )
    assert parsed[1].unit_codes() == {"82.STP", "82.UBND"}


def test_synthetic_catalogue_is_valid_and_round_trips() -> None:
    raws = synthetic_records(300)
    parsed, problems = parse_records(raws)
    assert problems == [] and len(parsed) == 300
    assert parse_records([to_record(r) for r in parsed])[0] == parsed


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (("MATTHC", ""), "MATTHC", "bắt buộc"),
        (("MATTHC", 1001193), "MATTHC", "phải là chuỗi"),
        (("TENTTHC", None), "TENTTHC", "bắt buộc"),
        (
            ("CAPTHUCHIEN", [{"CAPTHUCHIEN": 2, "TENCAP": "Cấp huyện"}]),
            "CAPTHUCHIEN[0].CAPTHUCHIEN",
            "cấp huyện không còn",
        ),
        (("THANHPHANHOSO.0.GIAYTO.0.SOBANCHINH", "một"), "THANHPHANHOSO[0].GIAYTO[0].SOBANCHINH", "số nguyên"),
        (("THANHPHANHOSO.0.GIAYTO.1.MAGIAYTO", "GT1"), "THANHPHANHOSO[0].GIAYTO[1].MAGIAYTO", "bị lặp"),
        (("THANHPHANHOSO", []), "THANHPHANHOSO", "ít nhất một"),
        (("CACHTHUCTHUCHIEN.0.KENH", 7), "CACHTHUCTHUCHIEN[0].KENH", "kênh chỉ nhận"),
        (
            ("CACHTHUCTHUCHIEN.0.THOIGIAN.0.DONVITINH", "Tháng"),
            "CACHTHUCTHUCHIEN[0].THOIGIAN[0].DONVITINH",
            "đơn vị tính",
        ),
        (("CACHTHUCTHUCHIEN.0.THOIGIAN.0.THOIGIANGIAIQUYET", -1), "THOIGIANGIAIQUYET", "lớn hơn 0"),
        (("CACHTHUCTHUCHIEN.0.THOIGIAN.0.PHILEPHI.0.SOTIEN", "50.000"), "PHILEPHI[0].SOTIEN", "số nguyên"),
        (("CANCUPHAPLY.0.NGAYBANHANH", "31/02/2014"), "CANCUPHAPLY[0].NGAYBANHANH", "không phải ngày hợp lệ"),
        (("MOTCUA.HIEULUCTU", ""), "MOTCUA.HIEULUCTU", "bắt buộc"),
        (("MOTCUA.MUCDO", "muc_do_4"), "MOTCUA.MUCDO", "toan_trinh"),
        (("MOTCUA.THAMQUYEN", {}), "MOTCUA.THAMQUYEN", "cần đúng một"),
        (("MOTCUA.QUYTRINH.0.BUOC.1.CHUCVU", "truong_thon"), "MOTCUA.QUYTRINH[0].BUOC[1].CHUCVU", "danh mục chức vụ"),
        (("MOTCUA.QUYTRINH.0.TRUONGHOP", "Khác"), "MOTCUA.QUYTRINH[0].TRUONGHOP", "không có trong THANHPHANHOSO"),
        (
            ("MOTCUA.QUYTRINH.0.BUOC.1.SOGIO", 6),
            "MOTCUA.QUYTRINH[0].BUOC",
            "tổng số giờ các bước là 8.5 giờ, phải bằng",
        ),
    ],
)
def test_each_problem_is_named_with_its_record_and_field(change: tuple[str, object], path: str, message: str) -> None:
    parsed, problems = parse_records([RECORDS, sample(change)])
    assert len(parsed) == 1
    assert problems, "the broken record must be refused"
    assert any(path in p.path and message in p.message and p.record.startswith("#2") for p in problems), problems


def test_all_problems_of_a_file_are_listed_at_once() -> None:
    broken = sample(("TENTTHC", ""), ("MOTCUA.HIEULUCTU", "hôm qua"), ("CACHTHUCTHUCHIEN.0.KENH", 9), base=RECORDS)
    _, problems = parse_records([broken, BIRTH, {"not": "a procedure"}, "text"])
    paths = {(p.record.split()[0], p.path) for p in problems}
    assert {("#1", "TENTTHC"), ("#1", "MOTCUA.HIEULUCTU"), ("#1", "CACHTHUCTHUCHIEN[0].KENH")} <= paths
    assert ("#3", "MATTHC") in paths and ("#4", "(bản ghi)") in paths
    assert ("#2", "MATTHC") not in paths
    assert str(problems[0]).startswith("Thủ tục #1 (2.001417), trường ")


def test_duplicate_codes_in_one_file() -> None:
    _, problems = parse_records([BIRTH, BIRTH])
    assert [(p.record, p.path, p.message) for p in problems] == [
        ("#2 (1.001193)", "MATTHC", "mã thủ tục bị lặp trong tệp.")
    ]


def test_calendar_day_limits_bound_the_steps_from_above() -> None:
    shorter = sample(
        ("CACHTHUCTHUCHIEN.0.THOIGIAN.0.DONVITINH", "Ngày"),
        ("CACHTHUCTHUCHIEN.0.THOIGIAN.0.THOIGIANGIAIQUYET", 2),
    )
    assert parse_records([shorter])[1] == []
    same_day = sample(("CACHTHUCTHUCHIEN.0.THOIGIAN.0.DONVITINH", "Trong ngày"))
    assert parse_records([same_day])[1] == []  # 8 hours, as the steps sum


def test_search_folding_treats_i_and_y_alike_and_fixes_typos() -> None:
    assert search_fold("Đăng ký khai sinh") == search_fold("dang ki khai sinh") == "dang ki khai sinh"
    assert search_fold("  ĐĂNG-KÍ, khai   sinh!") == "dang ki khai sinh"
    assert correct_tokens(["khai", "sinnh"], {"khai", "sinh", "tu"}) == ["khai", "sinh"]
    assert correct_tokens(["xyzw"], {"khai", "sinh"}) == ["xyzw"]
