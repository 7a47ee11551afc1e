"""Tests for the Excel workbook <-> national procedure record conversion."""

import copy
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalogue.excel import (
    CHUCVU_CHOICES,
    DONVITINH_CHOICES,
    CellProblem,
    ExcelFormatError,
    records_from_workbook,
    workbook_from_records,
)

SHEETS = [
    "Thủ tục",
    "Cấp thực hiện",
    "Lĩnh vực",
    "Đối tượng",
    "Kết quả",
    "Căn cứ pháp lý",
    "Cơ quan",
    "Trình tự",
    "Thành phần hồ sơ",
    "Thời hạn và phí",
    "Quy trình nội bộ",
]

COMMUNE: dict[str, Any] = {
    "MATTHC": "1.001193",
    "TENTTHC": "Đăng ký khai sinh",
    "MOTA": "Đăng ký khai sinh cho trẻ em.\nÁp dụng tại Ủy ban nhân dân cấp xã nơi cư trú của cha hoặc mẹ.",
    "TUKHOA": "khai sinh, giấy khai sinh",
    "YEUCAU": "",
    "MOTADOITUONGTHUCHIEN": "Công dân Việt Nam",
    "CAPTHUCHIEN": [{"CAPTHUCHIEN": 3, "TENCAP": "Cấp xã"}],
    "LINHVUCTHUCHIEN": [{"MALINHVUC": "G09-TP03", "TENLINHVUC": "Hộ tịch"}],
    "DOITUONGTHUCHIEN": [{"MADOITUONG": "1", "TENDOITUONG": "Công dân Việt Nam"}],
    "KETQUATHUCHIEN": [{"MAKETQUA": "KQ001", "TENKETQUA": "Giấy khai sinh (bản chính)"}],
    "CANCUPHAPLY": [
        {
            "SOVANBAN": "60/2014/QH13",
            "TENVANBAN": "Luật Hộ tịch",
            "NGAYBANHANH": "20/11/2014",
            "NGAYHIEULUC": "01/01/2016",
            "COQUANBANHANH": "Quốc hội",
        },
        {
            "SOVANBAN": "85/2019/TT-BTC",
            "TENVANBAN": "Thông tư hướng dẫn về phí và lệ phí thuộc thẩm quyền của Hội đồng nhân dân cấp tỉnh",
            "NGAYBANHANH": "29/11/2019",
            "NGAYHIEULUC": "",
            "COQUANBANHANH": "Bộ Tài chính",
        },
    ],
    "COQUANTHUCHIEN": [{"MADONVI": "", "TENDONVI": "Ủy ban nhân dân cấp xã"}],
    "COQUANCOTHAMQUYEN": [{"MADONVI": "", "TENDONVI": "Ủy ban nhân dân cấp xã"}],
    "COQUANPHOIHOP": [],
    "TRINHTUTHUCHIEN": [
        {"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": "Bước 1: Nộp hồ sơ"}, {"TENTRINHTU": "Bước 2: Nhận kết quả"}]}
    ],
    "THANHPHANHOSO": [
        {
            "TRUONGHOP": "Đăng ký khai sinh đúng hạn",
            "GIAYTO": [
                {
                    "MAGIAYTO": "GT1",
                    "TENGIAYTO": "Tờ khai đăng ký khai sinh theo mẫu",
                    "SOBANCHINH": 1,
                    "SOBANSAO": 0,
                    "TENMAUDON": "Tờ khai đăng ký khai sinh",
                    "URL": "https://dichvucong.gov.vn/mau/to-khai.docx",
                    "MA_KQ_THAYTHE": "",
                    "BATBUOC": True,
                },
                {
                    "MAGIAYTO": "GT2",
                    "TENGIAYTO": "Giấy chứng sinh",
                    "SOBANCHINH": 1,
                    "SOBANSAO": 1,
                    "TENMAUDON": "",
                    "URL": "",
                    "MA_KQ_THAYTHE": "KQ-CS",
                    "BATBUOC": False,
                },
            ],
        },
        {
            "TRUONGHOP": "Đăng ký khai sinh quá hạn",
            "GIAYTO": [
                {
                    "MAGIAYTO": "GT1",
                    "TENGIAYTO": "Tờ khai đăng ký khai sinh theo mẫu",
                    "SOBANCHINH": 1,
                    "SOBANSAO": 0,
                    "TENMAUDON": "Tờ khai đăng ký khai sinh",
                    "URL": "",
                    "MA_KQ_THAYTHE": "",
                    "BATBUOC": True,
                }
            ],
        },
    ],
    "CACHTHUCTHUCHIEN": [
        {
            "KENH": 1,
            "THOIGIAN": [
                {
                    "TRUONGHOP": "Đăng ký khai sinh đúng hạn",
                    "THOIGIANGIAIQUYET": 1,
                    "DONVITINH": "Trong ngày",
                    "MOTA": "Trả ngay trong ngày nếu nộp trước 15 giờ",
                    "PHILEPHI": [{"MAPHILEPHI": "LP1", "SOTIEN": 0, "DONVI": "Đồng", "MOTA": "Miễn lệ phí"}],
                },
                {
                    "TRUONGHOP": "Đăng ký khai sinh quá hạn",
                    "THOIGIANGIAIQUYET": 3,
                    "DONVITINH": "Ngày làm việc",
                    "MOTA": "",
                    "PHILEPHI": [
                        {"MAPHILEPHI": "LP2", "SOTIEN": 8000, "DONVI": "Đồng", "MOTA": "Phường"},
                        {"MAPHILEPHI": "LP3", "SOTIEN": 5000, "DONVI": "Đồng", "MOTA": "Xã miền núi"},
                        {"MAPHILEPHI": "LP4", "SOTIEN": 1250000, "DONVI": "Đồng", "MOTA": "Có yếu tố nước ngoài"},
                    ],
                },
            ],
        },
        {
            "KENH": 2,
            "THOIGIAN": [
                {
                    "TRUONGHOP": "",
                    "THOIGIANGIAIQUYET": 1,
                    "DONVITINH": "Ngày làm việc",
                    "MOTA": "Nộp trực tuyến",
                    "PHILEPHI": [],
                }
            ],
        },
        {"KENH": 3, "THOIGIAN": []},
    ],
    "MOTCUA": {
        "QUYETDINHCONGBO": {"SO": "1234/QĐ-UBND", "NGAY": "15/06/2025"},
        "HIEULUCTU": "01/07/2025",
        "MUCDO": "toan_trinh",
        "PHIDIAGIOI": True,
        "THAMQUYEN": {"LOAIDONVI": "commune_committee"},
        "QUYTRINH": [
            {
                "TRUONGHOP": "Đăng ký khai sinh đúng hạn",
                "BUOC": [
                    {"TENBUOC": "Tiếp nhận hồ sơ", "DONVI": "receiving", "CHUCVU": "cong_chuc_mot_cua", "SOGIO": 0.5},
                    {"TENBUOC": "Thẩm định", "DONVI": "competent", "CHUCVU": "cong_chuc", "SOGIO": 2},
                    {"TENBUOC": "Ký duyệt", "DONVI": "competent", "CHUCVU": "chu_tich", "SOGIO": 1.5},
                ],
            },
            {
                "TRUONGHOP": "Đăng ký khai sinh quá hạn",
                "BUOC": [
                    {"TENBUOC": "Tiếp nhận hồ sơ", "DONVI": "receiving", "CHUCVU": "cong_chuc_mot_cua", "SOGIO": 4},
                    {"TENBUOC": "Thẩm định, xác minh", "DONVI": "competent", "CHUCVU": "cong_chuc", "SOGIO": 12},
                    {"TENBUOC": "Ký duyệt", "DONVI": "competent", "CHUCVU": "pho_chu_tich", "SOGIO": 4},
                ],
            },
        ],
    },
}

PROVINCE: dict[str, Any] = {
    "MATTHC": "1.004946",
    "TENTTHC": "Cấp giấy phép hoạt động đối với cơ sở khám bệnh, chữa bệnh",
    "MOTA": "=Thủ tục do Sở Y tế giải quyết; bắt đầu bằng dấu bằng nhưng không phải công thức",
    "TUKHOA": "giấy phép hoạt động, khám bệnh",
    "YEUCAU": "Đáp ứng điều kiện về cơ sở vật chất, thiết bị y tế và nhân sự.",
    "MOTADOITUONGTHUCHIEN": "Tổ chức",
    "CAPTHUCHIEN": [{"CAPTHUCHIEN": 1, "TENCAP": "Cấp tỉnh"}],
    "LINHVUCTHUCHIEN": [{"MALINHVUC": "G14-YT05", "TENLINHVUC": "Khám bệnh, chữa bệnh"}],
    "DOITUONGTHUCHIEN": [
        {"MADOITUONG": "2", "TENDOITUONG": "Doanh nghiệp"},
        {"MADOITUONG": "3", "TENDOITUONG": "Tổ chức (không bao gồm doanh nghiệp, HTX)"},
    ],
    "KETQUATHUCHIEN": [{"MAKETQUA": "KQ-GP", "TENKETQUA": "Giấy phép hoạt động"}],
    "CANCUPHAPLY": [
        {
            "SOVANBAN": "15/2023/QH15",
            "TENVANBAN": "Luật Khám bệnh, chữa bệnh",
            "NGAYBANHANH": "09/01/2023",
            "NGAYHIEULUC": "01/01/2024",
            "COQUANBANHANH": "Quốc hội",
        }
    ],
    "COQUANTHUCHIEN": [{"MADONVI": "82.SYT", "TENDONVI": "Sở Y tế"}],
    "COQUANCOTHAMQUYEN": [{"MADONVI": "82.SYT", "TENDONVI": "Sở Y tế"}],
    "COQUANPHOIHOP": [
        {"MADONVI": "82.CA", "TENDONVI": "Công an tỉnh"},
        {"MADONVI": "82.STC", "TENDONVI": "Sở Tài chính"},
    ],
    "TRINHTUTHUCHIEN": [
        {"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": "Nộp hồ sơ\r\ntại Trung tâm Phục vụ hành chính công"}]},
        {"TRUONGHOP": "", "TRINHTU": []},
    ],
    "THANHPHANHOSO": [
        {
            "TRUONGHOP": "",
            "GIAYTO": [
                {
                    "MAGIAYTO": "GT_x0041_",
                    "TENGIAYTO": "Đơn đề nghị cấp giấy phép hoạt động",
                    "SOBANCHINH": 1,
                    "SOBANSAO": 0,
                    "TENMAUDON": "Mẫu 01",
                    "URL": "",
                    "MA_KQ_THAYTHE": "",
                    "BATBUOC": True,
                }
            ],
        }
    ],
    "CACHTHUCTHUCHIEN": [
        {
            "KENH": 2,
            "THOIGIAN": [
                {
                    "TRUONGHOP": "",
                    "THOIGIANGIAIQUYET": 22.5,
                    "DONVITINH": "Ngày",
                    "MOTA": "Kể từ ngày nhận đủ hồ sơ hợp lệ",
                    "PHILEPHI": [
                        {"MAPHILEPHI": "P1", "SOTIEN": 5700000, "DONVI": "Đồng", "MOTA": "Phí thẩm định"},
                    ],
                }
            ],
        }
    ],
    "MOTCUA": {
        "QUYETDINHCONGBO": {"SO": "", "NGAY": ""},
        "HIEULUCTU": "01/07/2025",
        "MUCDO": "",
        "PHIDIAGIOI": False,
        "THAMQUYEN": {"MADONVI": "82.SYT"},
        "QUYTRINH": [
            {
                "TRUONGHOP": "",
                "BUOC": [
                    {"TENBUOC": "Tiếp nhận", "DONVI": "receiving", "CHUCVU": "cong_chuc_mot_cua", "SOGIO": 4},
                    {"TENBUOC": "Xác minh an ninh", "DONVI": "82.CA", "CHUCVU": "truong_phong", "SOGIO": 40.0},
                    {"TENBUOC": "Thẩm định", "DONVI": "competent", "CHUCVU": "chuyen_vien", "SOGIO": 80},
                    {"TENBUOC": "Phê duyệt", "DONVI": "competent", "CHUCVU": "giam_doc", "SOGIO": 8},
                ],
            },
            {"TRUONGHOP": "", "BUOC": []},
        ],
    },
}


def round_trip(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Write the records to an in-memory .xlsx file and read them back."""
    buffer = io.BytesIO()
    workbook_from_records(records).save(buffer)
    buffer.seek(0)
    return records_from_workbook(buffer)


def reopen(workbook: openpyxl.Workbook) -> openpyxl.Workbook:
    """Save and reload, as an officer's spreadsheet program would."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def column_of(worksheet: Any, key: str) -> int:
    """Find a column by the national field name in header row 2."""
    return next(cell.column for cell in worksheet[2] if cell.value == key)


def problems_of(workbook: openpyxl.Workbook) -> list[CellProblem]:
    with pytest.raises(ExcelFormatError) as caught:
        records_from_workbook(_saved(workbook))
    return caught.value.problems


def _saved(workbook: openpyxl.Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


# ---- round trip ---------------------------------------------------------------------------------------------


def test_realistic_records_round_trip_exactly() -> None:
    records = [copy.deepcopy(COMMUNE), copy.deepcopy(PROVINCE)]

    assert round_trip(records) == [COMMUNE, PROVINCE]


def test_round_trip_keeps_number_types() -> None:
    (back,) = round_trip([PROVINCE])

    steps = back["MOTCUA"]["QUYTRINH"][0]["BUOC"]
    assert [(type(step["SOGIO"]), step["SOGIO"]) for step in steps] == [(int, 4), (float, 40.0), (int, 80), (int, 8)]
    assert type(back["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["THOIGIANGIAIQUYET"]) is float
    fee = back["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0]
    assert type(fee["SOTIEN"]) is int


def test_fractional_sogio_survives() -> None:
    (back,) = round_trip([COMMUNE])

    hours = [step["SOGIO"] for step in back["MOTCUA"]["QUYTRINH"][0]["BUOC"]]
    assert hours == [0.5, 2, 1.5]
    assert [type(hour) for hour in hours] == [float, int, float]


def test_empty_lists_and_strings_survive() -> None:
    record = copy.deepcopy(COMMUNE)
    for key in ("CAPTHUCHIEN", "LINHVUCTHUCHIEN", "DOITUONGTHUCHIEN", "KETQUATHUCHIEN", "CANCUPHAPLY"):
        record[key] = []
    record["COQUANTHUCHIEN"] = [{"MADONVI": "", "TENDONVI": ""}]
    record["TRINHTUTHUCHIEN"] = []
    record["THANHPHANHOSO"] = [{"TRUONGHOP": "", "GIAYTO": []}]
    record["CACHTHUCTHUCHIEN"] = []
    record["MOTCUA"]["QUYTRINH"] = []
    record.update(TENTTHC="", MOTA="", TUKHOA="", MOTADOITUONGTHUCHIEN="")

    (back,) = round_trip([copy.deepcopy(record)])

    assert back == record
    assert back["COQUANPHOIHOP"] == []


def test_cases_with_the_same_name_stay_apart() -> None:
    record = copy.deepcopy(PROVINCE)
    record["TRINHTUTHUCHIEN"] = [
        {"TRUONGHOP": "A", "TRINHTU": [{"TENTRINHTU": "1"}]},
        {"TRUONGHOP": "B", "TRINHTU": [{"TENTRINHTU": "2"}]},
        {"TRUONGHOP": "A", "TRINHTU": [{"TENTRINHTU": "3"}]},
    ]
    limit = {"TRUONGHOP": "", "THOIGIANGIAIQUYET": 1, "DONVITINH": "Ngày", "MOTA": "", "PHILEPHI": []}
    record["CACHTHUCTHUCHIEN"] = [
        {"KENH": 1, "THOIGIAN": [limit, limit]},
        {"KENH": 1, "THOIGIAN": [limit]},
    ]

    assert round_trip([copy.deepcopy(record)]) == [record]


def test_text_that_xml_cannot_hold_survives() -> None:
    record = copy.deepcopy(PROVINCE)
    record["MOTA"] = "dòng 1\r\ndòng 2\tcột\x0bdọc _x000D_ _x005F_ \ud83d ="
    record["TUKHOA"] = "  khoảng trắng đầu và cuối  "

    assert round_trip([copy.deepcopy(record)]) == [record]


def test_reads_from_a_path_a_string_and_bytes(tmp_path: Path) -> None:
    workbook = workbook_from_records([COMMUNE])
    path = tmp_path / "thu-tuc.xlsx"
    workbook.save(path)
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert records_from_workbook(path) == [COMMUNE]
    assert records_from_workbook(str(path)) == [COMMUNE]
    assert records_from_workbook(io.BytesIO(buffer.getvalue())) == [COMMUNE]


# ---- the template -------------------------------------------------------------------------------------------


def test_empty_template_has_headers_and_validations() -> None:
    workbook = reopen(workbook_from_records([]))

    assert workbook.sheetnames == [*SHEETS, "Hướng dẫn"]
    for name in SHEETS:
        worksheet = workbook[name]
        assert worksheet.max_row == 2, name
        assert worksheet["A1"].value == "Mã thủ tục"
        assert worksheet["A2"].value == "MATTHC"
        assert all(cell.font.b for cell in worksheet[1])
        assert worksheet.freeze_panes == "B3"
        assert all(worksheet.column_dimensions[cell.column_letter].width >= 10 for cell in worksheet[1])

    def choices(sheet: str, key: str) -> str:
        worksheet = workbook[sheet]
        letter = openpyxl.utils.get_column_letter(column_of(worksheet, key))
        (rule,) = [r for r in worksheet.data_validations.dataValidation if f"{letter}3" in r.sqref]
        assert rule.type == "list"
        return str(rule.formula1)

    assert choices("Thời hạn và phí", "KENH") == '"1,2,3"'
    assert choices("Thời hạn và phí", "DONVITINH") == '"' + ",".join(DONVITINH_CHOICES) + '"'
    assert choices("Quy trình nội bộ", "CHUCVU") == '"' + ",".join(CHUCVU_CHOICES) + '"'
    assert choices("Thủ tục", "MUCDO") == '"toan_trinh,mot_phan"'
    assert choices("Thủ tục", "PHIDIAGIOI") == '"có,không"'
    assert choices("Thành phần hồ sơ", "BATBUOC") == '"có,không"'
    assert choices("Cấp thực hiện", "CAPTHUCHIEN") == '"0,1,3"'
    assert choices("Cơ quan", "VAITRO") == '"Thực hiện,Có thẩm quyền,Phối hợp"'
    assert records_from_workbook(_saved(workbook)) == []


def test_dates_and_booleans_are_written_as_text() -> None:
    workbook = workbook_from_records([COMMUNE])

    legal = workbook["Căn cứ pháp lý"]
    issued = legal.cell(3, column_of(legal, "NGAYBANHANH"))
    assert (issued.value, issued.data_type, issued.number_format) == ("20/11/2014", "s", "@")
    papers = workbook["Thành phần hồ sơ"]
    assert [papers.cell(row, column_of(papers, "BATBUOC")).value for row in (3, 4, 5)] == ["có", "không", "có"]
    assert workbook["Cơ quan"].cell(3, 2).value == "Thực hiện"


# ---- what officers type ------------------------------------------------------------------------------------


def test_reads_a_workbook_filled_in_by_hand() -> None:
    workbook = workbook_from_records([])
    texts = ["Chứng thực bản sao", "", "", "", "", ""]
    workbook["Thủ tục"].append(
        ["2.000123", *texts, datetime(2025, 6, 1), "1/7/2025", "Toàn trình", "Có", "commune_committee", None]
    )
    workbook["Cấp thực hiện"].append(["2.000123", "xã", "Cấp xã"])
    workbook["Cơ quan"].append(["2.000123", "PHOIHOP", None, "Công an xã"])
    # Group columns on the first row of an STT group only, and a merged STT cell, as officers do.
    times = workbook["Thời hạn và phí"]
    times.append(["2.000123", 1, "2", 1, "", "0,5", "ngày làm việc", "", "LP", "10.000", "Đồng", "Trang đầu"])
    times.append([None, None, None, None, None, None, None, None, "LP", 2000, "Đồng", "Trang sau"])
    times["A4"] = "2.000123"
    times.merge_cells("B3:B4")
    times.merge_cells("D3:D4")
    process = workbook["Quy trình nội bộ"]
    process.append(["2.000123", None, "", "Tiếp nhận", "receiving", "Công chức một cửa", 2])
    process.append(["2.000123", None, "", "Ký", "competent", "chu_tich", "1.5"])

    (record,) = records_from_workbook(_saved(workbook))

    assert record["MOTCUA"] | {"QUYTRINH": None} == {
        "QUYETDINHCONGBO": {"SO": "", "NGAY": "01/06/2025"},
        "HIEULUCTU": "01/07/2025",
        "MUCDO": "toan_trinh",
        "PHIDIAGIOI": True,
        "THAMQUYEN": {"LOAIDONVI": "commune_committee"},
        "QUYTRINH": None,
    }
    assert record["CAPTHUCHIEN"] == [{"CAPTHUCHIEN": 3, "TENCAP": "Cấp xã"}]
    assert record["COQUANPHOIHOP"] == [{"MADONVI": "", "TENDONVI": "Công an xã"}]
    assert record["COQUANTHUCHIEN"] == []
    assert record["CACHTHUCTHUCHIEN"] == [
        {
            "KENH": 2,
            "THOIGIAN": [
                {
                    "TRUONGHOP": "",
                    "THOIGIANGIAIQUYET": 0.5,
                    "DONVITINH": "Ngày làm việc",
                    "MOTA": "",
                    "PHILEPHI": [
                        {"MAPHILEPHI": "LP", "SOTIEN": 10000, "DONVI": "Đồng", "MOTA": "Trang đầu"},
                        {"MAPHILEPHI": "LP", "SOTIEN": 2000, "DONVI": "Đồng", "MOTA": "Trang sau"},
                    ],
                }
            ],
        }
    ]
    assert record["MOTCUA"]["QUYTRINH"] == [
        {
            "TRUONGHOP": "",
            "BUOC": [
                {"TENBUOC": "Tiếp nhận", "DONVI": "receiving", "CHUCVU": "cong_chuc_mot_cua", "SOGIO": 2},
                {"TENBUOC": "Ký", "DONVI": "competent", "CHUCVU": "chu_tich", "SOGIO": 1.5},
            ],
        }
    ]


def test_columns_are_found_by_field_name_in_any_order() -> None:
    workbook = workbook_from_records([COMMUNE])
    fields = workbook["Lĩnh vực"]
    fields.move_range("B1:B3", cols=2)  # Mã lĩnh vực moved to the right of Tên lĩnh vực

    assert records_from_workbook(_saved(workbook))[0]["LINHVUCTHUCHIEN"] == COMMUNE["LINHVUCTHUCHIEN"]


def test_blank_rows_are_skipped() -> None:
    workbook = workbook_from_records([COMMUNE])
    workbook["Kết quả"].insert_rows(3, 2)
    workbook["Kết quả"]["B4"] = "   "

    assert records_from_workbook(_saved(workbook)) == [COMMUNE]


# ---- errors -------------------------------------------------------------------------------------------------


def test_bad_cells_are_all_reported_in_one_error() -> None:
    workbook = workbook_from_records([COMMUNE, PROVINCE])
    papers = workbook["Thành phần hồ sơ"]
    papers.cell(4, column_of(papers, "SOBANCHINH"), "hai")
    legal = workbook["Căn cứ pháp lý"]
    legal.cell(3, column_of(legal, "NGAYBANHANH"), "31/02/2026")
    times = workbook["Thời hạn và phí"]
    times.cell(5, column_of(times, "KENH"), 7)
    workbook.create_sheet("Ghi chú")["A1"] = "nháp"

    with pytest.raises(ExcelFormatError) as caught:
        records_from_workbook(_saved(workbook))

    problems = caught.value.problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("Căn cứ pháp lý", 3, "Ngày ban hành"),
        ("Thành phần hồ sơ", 4, "Số bản chính"),
        ("Thời hạn và phí", 5, "Kênh (1 trực tiếp, 2 trực tuyến, 3 bưu chính)"),
        ("Ghi chú", None, None),
    ]
    messages = [p.message for p in problems]
    assert "31/02/2026" in messages[0] and "không có thật" in messages[0]
    assert "Cần một số nguyên" in messages[1] and "hai" in messages[1]
    assert "“7” không hợp lệ" in messages[2]
    assert "Trang tính không được hỗ trợ" in messages[3]
    assert isinstance(caught.value, ValueError)
    text = str(caught.value)
    assert text.startswith("Bảng tính có 4 lỗi:")
    assert "- Trang “Thành phần hồ sơ”, dòng 4, cột “Số bản chính”: Cần một số nguyên" in text


def test_an_unreadable_group_cell_is_reported_once() -> None:
    workbook = workbook_from_records([COMMUNE])
    times = workbook["Thời hạn và phí"]
    times.cell(4, column_of(times, "KENH"), "bốn")

    problems = problems_of(workbook)

    assert [(p.row, p.column) for p in problems] == [(4, "Kênh (1 trực tiếp, 2 trực tuyến, 3 bưu chính)")]


def test_structural_problems_are_reported() -> None:
    workbook = workbook_from_records([COMMUNE])
    workbook["Lĩnh vực"]["A3"] = "9.999999"
    workbook["Lĩnh vực"]["D1"] = "Ghi chú"
    workbook["Đối tượng"].delete_cols(3)
    papers = workbook["Thành phần hồ sơ"]
    papers.cell(3, column_of(papers, "BATBUOC")).value = None
    papers.cell(4, column_of(papers, "TRUONGHOP"), "Trường hợp khác")
    workbook["Thủ tục"].append(["1.001193", "Bản sao"])

    problems = problems_of(workbook)

    assert [(p.sheet, p.row, p.column, p.message) for p in problems] == [
        ("Thủ tục", 4, "Mã thủ tục", "Mã thủ tục “1.001193” đã có ở dòng 3."),
        ("Lĩnh vực", 1, "Ghi chú", "Cột không được hỗ trợ; hãy xóa cột này hoặc sửa lại tên cột."),
        ("Lĩnh vực", 3, "Mã thủ tục", "Mã thủ tục “9.999999” không có trên trang “Thủ tục”."),
        ("Đối tượng", 1, "Tên đối tượng", "Thiếu cột “Tên đối tượng” (TENDOITUONG)."),
        ("Thành phần hồ sơ", 3, "Bắt buộc", "Ô này không được để trống."),
        (
            "Thành phần hồ sơ",
            4,
            "Trường hợp",
            "Cùng STT trường hợp với dòng 3 nên phải ghi giống dòng đó (hoặc để trống).",
        ),
    ]


def test_a_file_that_is_not_a_workbook_is_reported() -> None:
    with pytest.raises(ExcelFormatError) as caught:
        records_from_workbook(io.BytesIO(b"MATTHC;TENTTHC\n1.001193;Khai sinh\n"))

    (problem,) = caught.value.problems
    assert "không phải bảng tính Excel" in problem.message


def test_missing_procedure_sheet_is_reported() -> None:
    workbook = workbook_from_records([COMMUNE])
    del workbook["Thủ tục"]

    problems = problems_of(workbook)

    assert ("Thủ tục", "Thiếu trang “Thủ tục”, nơi liệt kê các thủ tục.") in [(p.sheet, p.message) for p in problems]


# ---- property: any valid record survives -------------------------------------------------------------------

_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_NAME = _TEXT.filter(lambda text: text.strip() != "")
_DATE = st.dates().map(lambda day: f"{day.day:02d}/{day.month:02d}/{day.year:04d}") | st.just("")
_COUNT = st.integers(min_value=0, max_value=10**12)
# openpyxl writes 16 significant digits (Excel shows 15): realistic hours and days have far fewer.
_AMOUNT = _COUNT | st.floats(min_value=0, max_value=10**6).map(lambda hours: round(hours, 3))
_CASE = st.sampled_from(["", "A", "B", " A"])


def _coded(code: str, name: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({code: _TEXT, name: _TEXT})


_PAPER = st.fixed_dictionaries(
    {
        "MAGIAYTO": _TEXT,
        "TENGIAYTO": _TEXT,
        "SOBANCHINH": _COUNT,
        "SOBANSAO": _COUNT,
        "TENMAUDON": _TEXT,
        "URL": _TEXT,
        "MA_KQ_THAYTHE": _TEXT,
        "BATBUOC": st.booleans(),
    }
)
_FEE = st.fixed_dictionaries({"MAPHILEPHI": _TEXT, "SOTIEN": _COUNT, "DONVI": _TEXT, "MOTA": _TEXT})
_LIMIT = st.fixed_dictionaries(
    {
        "TRUONGHOP": _CASE,
        "THOIGIANGIAIQUYET": _AMOUNT,
        "DONVITINH": st.sampled_from([*DONVITINH_CHOICES, ""]),
        "MOTA": _TEXT,
        "PHILEPHI": st.lists(_FEE, max_size=3),
    }
)
_STEP = st.fixed_dictionaries(
    {
        "TENBUOC": _TEXT,
        "DONVI": st.sampled_from(["receiving", "competent", "82.SYT"]) | _TEXT,
        "CHUCVU": st.sampled_from([*CHUCVU_CHOICES, ""]),
        "SOGIO": _AMOUNT,
    }
)
_RECORD = st.fixed_dictionaries(
    {
        "MATTHC": st.from_regex(r"[0-9]\.[0-9]{6}", fullmatch=True),
        "TENTTHC": _TEXT,
        "MOTA": _TEXT,
        "TUKHOA": _TEXT,
        "YEUCAU": _TEXT,
        "MOTADOITUONGTHUCHIEN": _TEXT,
        "CAPTHUCHIEN": st.lists(
            st.fixed_dictionaries({"CAPTHUCHIEN": st.sampled_from([0, 1, 3]), "TENCAP": _TEXT}), max_size=2
        ),
        "LINHVUCTHUCHIEN": st.lists(_coded("MALINHVUC", "TENLINHVUC"), max_size=2),
        "DOITUONGTHUCHIEN": st.lists(_coded("MADOITUONG", "TENDOITUONG"), max_size=2),
        "KETQUATHUCHIEN": st.lists(_coded("MAKETQUA", "TENKETQUA"), max_size=2),
        "CANCUPHAPLY": st.lists(
            st.fixed_dictionaries(
                {
                    "SOVANBAN": _TEXT,
                    "TENVANBAN": _TEXT,
                    "NGAYBANHANH": _DATE,
                    "NGAYHIEULUC": _DATE,
                    "COQUANBANHANH": _TEXT,
                }
            ),
            max_size=2,
        ),
        "COQUANTHUCHIEN": st.lists(_coded("MADONVI", "TENDONVI"), max_size=2),
        "COQUANCOTHAMQUYEN": st.lists(_coded("MADONVI", "TENDONVI"), max_size=2),
        "COQUANPHOIHOP": st.lists(_coded("MADONVI", "TENDONVI"), max_size=2),
        "TRINHTUTHUCHIEN": st.lists(
            st.fixed_dictionaries(
                {"TRUONGHOP": _CASE, "TRINHTU": st.lists(st.fixed_dictionaries({"TENTRINHTU": _NAME}), max_size=3)}
            ),
            max_size=3,
        ),
        "THANHPHANHOSO": st.lists(
            st.fixed_dictionaries({"TRUONGHOP": _CASE, "GIAYTO": st.lists(_PAPER, max_size=2)}), max_size=3
        ),
        "CACHTHUCTHUCHIEN": st.lists(
            st.fixed_dictionaries({"KENH": st.sampled_from([1, 2, 3]), "THOIGIAN": st.lists(_LIMIT, max_size=3)}),
            max_size=3,
        ),
        "MOTCUA": st.fixed_dictionaries(
            {
                "QUYETDINHCONGBO": st.fixed_dictionaries({"SO": _TEXT, "NGAY": _DATE}),
                "HIEULUCTU": _DATE,
                "MUCDO": st.sampled_from(["toan_trinh", "mot_phan", ""]),
                "PHIDIAGIOI": st.booleans(),
                "THAMQUYEN": st.fixed_dictionaries({"LOAIDONVI": _NAME}) | st.fixed_dictionaries({"MADONVI": _NAME}),
                "QUYTRINH": st.lists(
                    st.fixed_dictionaries({"TRUONGHOP": _CASE, "BUOC": st.lists(_STEP, max_size=3)}), max_size=3
                ),
            }
        ),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_RECORD, max_size=3, unique_by=lambda record: record["MATTHC"]))
def test_any_valid_records_round_trip(records: list[dict[str, Any]]) -> None:
    assert round_trip(copy.deepcopy(records)) == records
