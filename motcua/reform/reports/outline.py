"""The default outline of a periodic CCHC report (đề cương), used when the province has not edited its own. Pure.

From the outline BNV sends with 581/BNV-CCHC, as DOMAIN-2.md §4 summarises it [R: the current outline's text is an
open item there]: the province edits it as data (`ReportOutline`), each report pins the outline it was opened with.
"""

from typing import TypedDict


class Section(TypedDict):
    key: str
    title: str
    hint: str


# Where the figures from the one-stop data are placed: section II, TTHC and one-stop, DVC (online services).
FIGURES_SECTION = "ii-tthc"
DEFAULT_NAME = "Đề cương báo cáo cải cách hành chính định kỳ (quý, 6 tháng, năm)"
DEFAULT_SOURCE = "Đề cương kèm Công văn 581/BNV-CCHC của Bộ Nội vụ [R: chưa đối chiếu văn bản gốc]"
DEFAULT_SECTIONS: list[Section] = [
    {"key": "i-chi-dao", "title": "I. Công tác chỉ đạo, điều hành cải cách hành chính",
     "hint": "Kế hoạch CCHC, kiểm tra, tuyên truyền, khen thưởng và xử lý trách nhiệm."},
    {"key": "ii-the-che", "title": "II.1. Cải cách thể chế", "hint": ""},
    {"key": FIGURES_SECTION, "title": "II.2. Cải cách thủ tục hành chính",
     "hint": "Kiểm soát TTHC, thực hiện cơ chế một cửa, một cửa liên thông, dịch vụ công trực tuyến; số liệu giải "
             "quyết TTHC do hệ thống điền từ dữ liệu một cửa trong kỳ chốt số liệu."},
    {"key": "ii-bo-may", "title": "II.3. Cải cách tổ chức bộ máy hành chính nhà nước", "hint": ""},
    {"key": "ii-cong-vu", "title": "II.4. Cải cách chế độ công vụ", "hint": ""},
    {"key": "ii-tai-chinh", "title": "II.5. Cải cách tài chính công", "hint": ""},
    {"key": "ii-so", "title": "II.6. Xây dựng, phát triển chính quyền điện tử, chính quyền số", "hint": ""},
    {"key": "iii-danh-gia", "title": "III. Đánh giá chung", "hint": "Ưu điểm, hạn chế và nguyên nhân."},
    {"key": "iv-phuong-huong", "title": "IV. Phương hướng, nhiệm vụ kỳ tới", "hint": ""},
    {"key": "v-kien-nghi", "title": "V. Đề xuất, kiến nghị", "hint": ""},
]  # fmt: skip
