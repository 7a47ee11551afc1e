"""Two records in the national format, close to the published ones, used by the catalogue tests."""

import copy
from typing import Any

BIRTH: dict[str, Any] = {
    "MATTHC": "1.001193",
    "TENTTHC": "Đăng ký khai sinh",
    "MOTA": "Đăng ký khai sinh cho trẻ em tại Ủy ban nhân dân cấp xã nơi cư trú của cha hoặc mẹ.",
    "TUKHOA": "khai sinh, giấy khai sinh",
    "YEUCAU": "",
    "MOTADOITUONGTHUCHIEN": "Công dân Việt Nam",
    "CAPTHUCHIEN": [{"CAPTHUCHIEN": 3, "TENCAP": "Cấp xã"}],
    "LINHVUCTHUCHIEN": [{"MALINHVUC": "HT", "TENLINHVUC": "Hộ tịch"}],
    "DOITUONGTHUCHIEN": [{"MADOITUONG": "1", "TENDOITUONG": "Công dân Việt Nam"}],
    "KETQUATHUCHIEN": [{"MAKETQUA": "KQ1", "TENKETQUA": "Giấy khai sinh (bản chính)"}],
    "CANCUPHAPLY": [
        {
            "SOVANBAN": "60/2014/QH13",
            "TENVANBAN": "Luật Hộ tịch",
            "NGAYBANHANH": "20/11/2014",
            "NGAYHIEULUC": "01/01/2016",
            "COQUANBANHANH": "Quốc hội",
        }
    ],
    "COQUANTHUCHIEN": [{"MADONVI": "", "TENDONVI": "Ủy ban nhân dân cấp xã"}],
    "COQUANCOTHAMQUYEN": [{"MADONVI": "", "TENDONVI": "Ủy ban nhân dân cấp xã"}],
    "COQUANPHOIHOP": [],
    "TRINHTUTHUCHIEN": [{"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": "Nộp tờ khai"}, {"TENTRINHTU": "Nhận kết quả"}]}],
    "THANHPHANHOSO": [
        {
            "TRUONGHOP": "",
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
                },
                {
                    "MAGIAYTO": "GT2",
                    "TENGIAYTO": "Giấy chứng sinh",
                    "SOBANCHINH": 1,
                    "SOBANSAO": 0,
                    "TENMAUDON": "",
                    "URL": "",
                    "MA_KQ_THAYTHE": "",
                    "BATBUOC": True,
                },
            ],
        }
    ],
    "CACHTHUCTHUCHIEN": [
        {
            "KENH": 1,
            "THOIGIAN": [
                {
                    "TRUONGHOP": "",
                    "THOIGIANGIAIQUYET": 1,
                    "DONVITINH": "Ngày làm việc",
                    "MOTA": "",
                    "PHILEPHI": [{"MAPHILEPHI": "LP1", "SOTIEN": 0, "DONVI": "Đồng", "MOTA": "Miễn lệ phí"}],
                }
            ],
        },
        {
            "KENH": 2,
            "THOIGIAN": [
                {"TRUONGHOP": "", "THOIGIANGIAIQUYET": 1, "DONVITINH": "Ngày làm việc", "MOTA": "", "PHILEPHI": []}
            ],
        },
    ],
    "MOTCUA": {
        "QUYETDINHCONGBO": {"SO": "1872/QĐ-BTP", "NGAY": "30/06/2025"},
        "HIEULUCTU": "01/07/2025",
        "MUCDO": "toan_trinh",
        "PHIDIAGIOI": True,
        "THAMQUYEN": {"LOAIDONVI": "commune_committee"},
        "QUYTRINH": [
            {
                "TRUONGHOP": "",
                "BUOC": [
                    {"TENBUOC": "Tiếp nhận", "DONVI": "receiving", "CHUCVU": "cong_chuc_mot_cua", "SOGIO": 1},
                    {"TENBUOC": "Thẩm định", "DONVI": "competent", "CHUCVU": "cong_chuc", "SOGIO": 5.5},
                    {"TENBUOC": "Ký", "DONVI": "competent", "CHUCVU": "chu_tich", "SOGIO": 1},
                    {"TENBUOC": "Trả kết quả", "DONVI": "receiving", "CHUCVU": "cong_chuc_mot_cua", "SOGIO": 0.5},
                ],
            }
        ],
    },
}

RECORDS: dict[str, Any] = {
    "MATTHC": "2.001417",
    "TENTTHC": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
    "MOTA": "",
    "TUKHOA": "lý lịch tư pháp, phiếu LLTP",
    "YEUCAU": "",
    "MOTADOITUONGTHUCHIEN": "Công dân Việt Nam",
    "CAPTHUCHIEN": [{"CAPTHUCHIEN": 1, "TENCAP": "Cấp tỉnh"}],
    "LINHVUCTHUCHIEN": [{"MALINHVUC": "LLTP", "TENLINHVUC": "Lý lịch tư pháp"}],
    "DOITUONGTHUCHIEN": [{"MADOITUONG": "1", "TENDOITUONG": "Công dân Việt Nam"}],
    "KETQUATHUCHIEN": [{"MAKETQUA": "KQ1", "TENKETQUA": "Phiếu lý lịch tư pháp"}],
    "CANCUPHAPLY": [
        {
            "SOVANBAN": "28/2009/QH12",
            "TENVANBAN": "Luật Lý lịch tư pháp",
            "NGAYBANHANH": "17/06/2009",
            "NGAYHIEULUC": "01/07/2010",
            "COQUANBANHANH": "Quốc hội",
        }
    ],
    "COQUANTHUCHIEN": [{"MADONVI": "", "TENDONVI": "Sở Tư pháp"}],
    "COQUANCOTHAMQUYEN": [{"MADONVI": "", "TENDONVI": "Sở Tư pháp"}],
    "COQUANPHOIHOP": [{"MADONVI": "", "TENDONVI": "Công an tỉnh"}],
    "TRINHTUTHUCHIEN": [],
    "THANHPHANHOSO": [
        {
            "TRUONGHOP": "Người yêu cầu tự nộp",
            "GIAYTO": [
                {
                    "MAGIAYTO": "GT1",
                    "TENGIAYTO": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
                    "SOBANCHINH": 1,
                    "SOBANSAO": 0,
                    "TENMAUDON": "Mẫu số 03/2013/TT-LLTP",
                    "URL": "",
                    "MA_KQ_THAYTHE": "",
                    "BATBUOC": True,
                }
            ],
        },
        {
            "TRUONGHOP": "Ủy quyền cho người khác nộp",
            "GIAYTO": [
                {
                    "MAGIAYTO": "GT1",
                    "TENGIAYTO": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
                    "SOBANCHINH": 1,
                    "SOBANSAO": 0,
                    "TENMAUDON": "",
                    "URL": "",
                    "MA_KQ_THAYTHE": "",
                    "BATBUOC": True,
                },
                {
                    "MAGIAYTO": "GT2",
                    "TENGIAYTO": "Văn bản ủy quyền",
                    "SOBANCHINH": 1,
                    "SOBANSAO": 0,
                    "TENMAUDON": "",
                    "URL": "",
                    "MA_KQ_THAYTHE": "",
                    "BATBUOC": True,
                },
            ],
        },
    ],
    "CACHTHUCTHUCHIEN": [
        {
            "KENH": 1,
            "THOIGIAN": [
                {
                    "TRUONGHOP": "",
                    "THOIGIANGIAIQUYET": 10,
                    "DONVITINH": "Ngày làm việc",
                    "MOTA": "",
                    "PHILEPHI": [
                        {"MAPHILEPHI": "P1", "SOTIEN": 200000, "DONVI": "Đồng", "MOTA": "Phí cấp Phiếu"},
                        {"MAPHILEPHI": "P2", "SOTIEN": 100000, "DONVI": "Đồng", "MOTA": "Sinh viên, người có công"},
                    ],
                }
            ],
        }
    ],
    "MOTCUA": {
        "QUYETDINHCONGBO": {"SO": "", "NGAY": ""},
        "HIEULUCTU": "01/07/2025",
        "MUCDO": "mot_phan",
        "PHIDIAGIOI": False,
        "THAMQUYEN": {"MADONVI": "82.STP"},
        "QUYTRINH": [
            {
                "TRUONGHOP": name,
                "BUOC": [
                    {"TENBUOC": "Tiếp nhận", "DONVI": "receiving", "CHUCVU": "cong_chuc_mot_cua", "SOGIO": 4},
                    {"TENBUOC": "Tra cứu", "DONVI": "competent", "CHUCVU": "chuyen_vien", "SOGIO": 60},
                    {"TENBUOC": "Xác minh", "DONVI": "82.UBND", "CHUCVU": "chuyen_vien", "SOGIO": 12},
                    {"TENBUOC": "Ký", "DONVI": "competent", "CHUCVU": "giam_doc", "SOGIO": 4},
                ],
            }
            for name in ("Người yêu cầu tự nộp", "Ủy quyền cho người khác nộp")
        ],
    },
}


def sample(*changes: tuple[str, Any], base: dict[str, Any] = BIRTH) -> dict[str, Any]:
    """Return a deep copy of a sample with changes at dotted paths, e.g. "THANHPHANHOSO.0.TRUONGHOP"."""
    record = copy.deepcopy(base)
    for path, value in changes:
        *parents, last = path.split(".")
        target: Any = record
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value
    return record
