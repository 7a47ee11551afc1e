"""A synthetic catalogue of any size in the national format, for benchmarks (never for real use)."""

import random
from typing import Any

_ACTIONS = ["Cấp", "Cấp lại", "Gia hạn", "Điều chỉnh", "Đăng ký", "Thu hồi", "Xác nhận", "Công nhận", "Thẩm định"]
_OBJECTS = [
    "giấy phép kinh doanh", "giấy chứng nhận đủ điều kiện", "giấy phép xây dựng", "chứng chỉ hành nghề",
    "giấy xác nhận", "quyết định hỗ trợ", "giấy phép hoạt động", "giấy chứng nhận đăng ký", "bản sao trích lục",
    "phiếu lý lịch", "văn bản chấp thuận", "giấy phép khai thác", "thẻ bảo hiểm", "hồ sơ trợ cấp",
]  # fmt: skip
_DOMAINS = [
    "dược phẩm", "thực phẩm", "vận tải hành khách", "khai thác thủy sản", "du lịch lữ hành", "giáo dục mầm non",
    "khám bệnh, chữa bệnh", "bán lẻ xăng dầu", "quảng cáo ngoài trời", "nuôi trồng thủy sản", "hóa chất",
    "biểu diễn nghệ thuật", "kinh doanh karaoke", "sử dụng đất nông nghiệp", "tài nguyên nước", "phòng cháy",
]  # fmt: skip
_FIELDS = [("SYN-01", "Y tế"), ("SYN-02", "Công Thương"), ("SYN-03", "Xây dựng"), ("SYN-04", "Nông nghiệp")]
_DEPARTMENTS = ["82.SYT", "82.SCT", "82.SXD", "82.SNNMT", "82.SGDDT", "82.SVHTTDL"]


def _step(name: str, unit: str, position: str, hours: int) -> dict[str, Any]:
    return {"TENBUOC": name, "DONVI": unit, "CHUCVU": position, "SOGIO": hours}


def _paper(number: int) -> dict[str, Any]:
    return {"MAGIAYTO": f"GT{number}", "TENGIAYTO": f"Giấy tờ số {number}", "SOBANCHINH": 1, "SOBANSAO": 0}


def synthetic_records(count: int, seed: int = 766) -> list[dict[str, Any]]:
    """Return `count` valid, distinct records spread over levels, fields, agencies and time limits."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    records = []
    for index in range(count):
        name = f"{rng.choice(_ACTIONS)} {rng.choice(_OBJECTS)} {rng.choice(_DOMAINS)}"
        days = rng.choice([1, 3, 5, 7, 10, 15, 20, 30])
        commune = index % 3 == 0
        field_code, field_name = rng.choice(_FIELDS)
        competence = {"LOAIDONVI": "commune_committee"} if commune else {"MADONVI": rng.choice(_DEPARTMENTS)}
        limit = {"THOIGIANGIAIQUYET": days, "DONVITINH": "Ngày làm việc"}
        steps = [
            _step("Tiếp nhận", "receiving", "cong_chuc_mot_cua", 2),
            _step("Xử lý", "competent", "chuyen_vien", days * 8 - 4),
            _step("Ký duyệt", "competent", "giam_doc", 2),
        ]
        records.append(
            {
                "MATTHC": f"9.{index:06d}",
                "TENTTHC": name,
                "TUKHOA": name.lower(),
                "CAPTHUCHIEN": [{"CAPTHUCHIEN": 3 if commune else 1, "TENCAP": "Cấp xã" if commune else "Cấp tỉnh"}],
                "LINHVUCTHUCHIEN": [{"MALINHVUC": field_code, "TENLINHVUC": field_name}],
                "THANHPHANHOSO": [{"TRUONGHOP": "", "GIAYTO": [_paper(n) for n in range(1, rng.randint(2, 6))]}],
                "CACHTHUCTHUCHIEN": [{"KENH": channel, "THOIGIAN": [limit]} for channel in (1, 2)],
                "MOTCUA": {
                    "HIEULUCTU": "01/07/2025",
                    "MUCDO": rng.choice(["toan_trinh", "mot_phan", ""]),
                    "PHIDIAGIOI": rng.random() < 0.5,
                    "THAMQUYEN": competence,
                    "QUYTRINH": [{"TRUONGHOP": "", "BUOC": steps}],
                },
            }
        )
    return records
