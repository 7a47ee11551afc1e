"""The QĐ 766/QĐ-TTg index and the TT 01/2018/TT-VPCP evaluation as versioned configuration (law as data).

Every indicator carries its points, threshold, formula, scope and legal source; a version carries its effective dates.
The period's end date picks the version. What the system has no data for yet (online payment,
synchronisation with the national portal, publication on the national database) is declared here with
`Formula.NO_DATA`: it is shown as "chưa có dữ liệu" and left out of the score, never estimated.

Sources: DOMAIN.md §3 (groups and points, Thanh Hóa's working implementation), DOMAIN-2.md §1 (VPCP's technical
description "Mô tả công thức tính chỉ số 766", tagged [I]: practice of the national portal, not signed law).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from motcua.core.errors import DomainError
from motcua.dossiers.counters import Counting, PauseRule


class Formula(StrEnum):
    """How an indicator's numerator and denominator are computed (see `engine.py`)."""

    PUBLIC_CONTENT_FULL = "public_content_full"  # procedures published with every part / procedures in force
    PROGRESS = "progress"  # (ended early or on time + open within deadline) / (carried over + received)
    ONLINE_PROCEDURES = "online_procedures"  # procedures offered online / procedures under the unit's competence
    PROCEDURES_WITH_ONLINE_DOSSIER = "procedures_with_online_dossier"  # online procedures with >= 1 online dossier
    ONLINE_DOSSIERS = "online_dossiers"  # dossiers filed online (with an e-result where due) / dossiers received
    E_RESULTS = "e_results"  # dossiers ended with a signed e-result / dossiers ended that return a written result
    DIGITISED_DOSSIERS = "digitised_dossiers"  # dossiers with a scanned paper (and e-result where due) / received
    SATISFACTION = "satisfaction"  # 100 % - (overdue rate + unhappy-rating rate)
    PAKN_CLASSIFIED = "pakn_classified"  # PAKN first received with a class / PAKN first received
    PAKN_PROGRESS = "pakn_progress"  # (handled on time + open within deadline) / received or handled
    PAKN_SATISFACTION = "pakn_satisfaction"  # first received, not disliked, late or disputed / first received
    CITIZEN_DATA_PROCEDURES = "citizen_data_procedures"  # procedures for citizens with a VNeID dossier / for citizens
    FEE_PROCEDURES = "fee_procedures"  # procedures with a fee and a dossier owing one / procedures with a fee
    DOSSIER_SYNC = "dossier_sync"  # dossiers received whose record the national portal acknowledged / received
    PAID_ONLINE = "paid_online"  # dossiers received whose fee was paid online / dossiers received owing a fee
    VNEID_DOSSIERS = "vneid_dossiers"  # dossiers received through a VNeID-verified account / dossiers received
    PUBLISH_ON_TIME = "publish_on_time"  # procedures announced on time / procedures announced in the period
    NO_DATA = "no_data"  # the system does not hold this data yet


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    max_points: Decimal
    formula: Formula
    source: str  # where the rule comes from
    threshold_pct: Decimal | None = None  # P = Pmax if R >= T, else R x Pmax / T (DOMAIN-2.md §1.1)
    missing: str = ""  # for NO_DATA: what data is missing
    note: str = ""
    province_only: bool = False  # scored for the province as a whole, not for each unit (DOMAIN-2.md §1.2 "scope")
    empty_to: tuple[str, ...] = ()  # with nothing to count, its points go evenly to these indicators that have some


@dataclass(frozen=True)
class IndicatorGroup:
    number: int
    name: str
    max_points: Decimal
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Band:
    """A ranking band: its name and the points from which it applies."""

    name: str
    above: Decimal  # the band applies when points > above (or >= for the lower bound), as Thanh Hóa ranks [I]
    inclusive: bool = True


@dataclass(frozen=True)
class PauseUse:
    """Which pause rule a set of figures follows while the clock is stopped, and where the rule comes from."""

    figures: str
    rule: PauseRule
    source: str


@dataclass(frozen=True)
class IndexVersion:
    """One version of the index: its groups and indicators, how dossiers are counted, effective dates and source."""

    code: str
    name: str
    effective_from: date
    effective_to: date | None
    legal_source: str
    groups: tuple[IndicatorGroup, ...]
    counting: Counting  # how the counters read the dossier events of its days (`dossiers/counters.py`)
    counting_source: str
    pause_rules: tuple[PauseUse, ...]  # which figure follows which pause rule, stated
    bands: tuple[Band, ...] = ()  # applied to the points as a share of the points that could be scored
    bands_source: str = ""
    ranking_note: str = ""  # what the ranking by that share is: printed beside every ranking and band

    def indicators(self) -> list[tuple[IndicatorGroup, Indicator]]:
        return [(group, indicator) for group in self.groups for indicator in group.indicators]

    def indicator(self, code: str) -> Indicator:
        for _group, indicator in self.indicators():
            if indicator.code == code:
                return indicator
        raise DomainError(f"Không có chỉ tiêu «{code}» trong bộ chỉ số {self.code}.", field="indicator")


D = Decimal
QD766 = "QĐ 766/QĐ-TTg ngày 23/06/2022"
# The strings below are shown to leaders and printed in the reports: sources in words, our notes in comments.
# VPCP's technical description is practice of the national portal, not signed law (DOMAIN-2.md §1.2, [I]).
# 1.1: a province's announcement decision is on time when dated at least 5 working days before its legal basis takes
# effect; a ministry's, 20 (VPCP's description, DOMAIN-2.md §1.2, 1.1 [I]).
PUBLISH_LEAD_WORKING_DAYS = 5
VPCP_DOC = "Văn phòng Chính phủ, Mô tả công thức tính chỉ số 766 (tài liệu kỹ thuật của Cổng Dịch vụ công quốc gia)"
# Thanh Hóa's working implementation, SoLieuThongKeDonViTheoKy (DOMAIN.md §3, [I]).
THANH_HOA = "cách quy đổi điểm của Hệ thống thông tin giải quyết TTHC tỉnh Thanh Hóa"
# The five band names are those the 766 results are published with (DOMAIN-2.md §1.2 notes, [I]); neither the
# decision nor VPCP's description gives thresholds, so these are the usual provincial scale (DOMAIN-2.md §3.3, [R]):
# to confirm with the province before relying on them.
BANDS_766 = (
    Band("Xuất sắc", D(90)),
    Band("Tốt", D(80)),
    Band("Khá", D(70)),
    Band("Trung bình", D(50)),
    Band("Yếu", D(0)),
)
# The national method scores each indicator; it does not rank by points over the points that could be scored.
# That share is this system's own normalisation, and the score on the national portal stays authoritative
# (DOMAIN-2.md §1.2 notes: recompute locally for drill-down, treat the score published on DVCQG as authoritative).
RANKING_NOTE_766 = (
    "Điểm quy đổi thang 100 (điểm đạt chia cho số điểm của các chỉ tiêu có dữ liệu) là cách chuẩn hóa riêng của "
    "hệ thống này để xếp hạng, xếp loại các đơn vị; QĐ 766/QĐ-TTg và Cổng Dịch vụ công quốc gia không tính như vậy. "
    "Kết quả chính thức là điểm công bố trên Cổng Dịch vụ công quốc gia."
)
BANDS_766_SOURCE = (
    "Năm mức xếp loại như kết quả Bộ chỉ số QĐ 766 được công bố; QĐ 766/QĐ-TTg và tài liệu kỹ thuật của Văn phòng "
    "Chính phủ không quy định ngưỡng điểm, ngưỡng áp dụng theo thang chấm điểm cải cách hành chính thường dùng của "
    "các tỉnh, quy đổi về thang 100 điểm trên các chỉ tiêu có dữ liệu"
)


# How indicator 2.1 reads a dossier's history, as VPCP's description states it (DOMAIN-2.md §1.2, 2.1 and §2.1):
# "Supplement: end time -= (hoàn thành bổ sung - yêu cầu bổ sung). If only 'Yêu cầu bổ sung' exists, end = time of
# the request, EXCEPT: more than 1 supplement request => overdue." The description says nothing of the wait for a
# financial obligation: there the dossier's appointment, moved by the working time left (the statutory pause,
# DOMAIN.md §1.3(c)), is what the index compares with.
COUNTING_2022 = Counting(
    supplement_wait=PauseRule.ELAPSED,
    payment_wait=PauseRule.APPOINTMENT,
    late_after_requests=1,
)
COUNTING_2022_SOURCE = (
    VPCP_DOC + ", chỉ tiêu 2.1: thời điểm kết thúc xử lý trừ thời gian chờ bổ sung (từ yêu cầu bổ sung đến hoàn "
    "thành bổ sung); nếu chỉ có yêu cầu bổ sung thì thời điểm kết thúc là thời điểm yêu cầu; hồ sơ có hơn một lần "
    "yêu cầu bổ sung tính là quá hạn; thời điểm kết thúc là thời điểm đầu tiên hồ sơ đã xử lý xong, đã trả kết quả, "
    "dừng xử lý, từ chối hoặc công dân rút, chỉ với hồ sơ đã tiếp nhận"
)
# The statutory pause as one-stop systems apply it (DOMAIN.md §1.3(c), [I] Thanh Hóa `GetNgayHenTraBoSung`).
APPOINTMENT_SOURCE = (
    "Thời hạn giải quyết dừng đếm khi chờ bổ sung hồ sơ hoặc thực hiện nghĩa vụ tài chính và tiếp tục khi hoàn "
    "thành: ngày hẹn trả lùi theo thời gian làm việc còn lại lúc tạm dừng, như các hệ thống một cửa điện tử "
    "đang áp dụng"
)
PAUSE_RULES_2022 = (
    PauseUse(
        "Chỉ tiêu 2.1 và đánh giá TT 01/2018 (chỉ tiêu 1, 9): chờ bổ sung hồ sơ",
        PauseRule.ELAPSED,
        COUNTING_2022_SOURCE,
    ),
    PauseUse(
        "Chỉ tiêu 2.1 và đánh giá TT 01/2018 (chỉ tiêu 1, 9): chờ thực hiện nghĩa vụ tài chính",
        PauseRule.APPOINTMENT,
        "Tài liệu kỹ thuật của Văn phòng Chính phủ không quy định; áp dụng ngày hẹn trả theo quy định. "
        + APPOINTMENT_SOURCE,
    ),
    PauseUse(
        "Ngày hẹn trả của hồ sơ (Giấy tiếp nhận, cảnh báo hạn, Mẫu 04, đánh giá từng hồ sơ)",
        PauseRule.APPOINTMENT,
        APPOINTMENT_SOURCE,
    ),
)


def _no_data(code: str, name: str, points: str, missing: str, source: str = VPCP_DOC) -> Indicator:
    return Indicator(code, name, D(points), Formula.NO_DATA, source, missing=missing)


INDEX_766_V1 = IndexVersion(
    code="766-2022.1",
    name="Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg)",
    effective_from=date(2022, 8, 1),  # VPCP publishes results on DVCQG from 01/08/2022 (DOMAIN.md §3)
    effective_to=None,
    legal_source=f"{QD766}; cách tính theo {VPCP_DOC}",
    # Groups numbered as the indicators inside them (3.x online services and payment, 4.x digitisation).
    groups=(
        IndicatorGroup(
            1,
            "Công khai, minh bạch",
            D(18),
            (
                Indicator(
                    "1.1",
                    "Tỷ lệ TTHC công bố đúng hạn",
                    D(6),
                    Formula.PUBLISH_ON_TIME,
                    VPCP_DOC,
                    note="TTHC có quyết định công bố ký trong kỳ, ngày ký trước ngày có hiệu lực muộn nhất của căn cứ "
                    "pháp lý ít nhất 5 ngày làm việc / TTHC có quyết định công bố ký trong kỳ; một quyết định trễ "
                    "thì TTHC trễ cả kỳ; bản ghi thiếu ngày hiệu lực của căn cứ pháp lý không được tính.",
                ),
                _no_data("1.2", "Tỷ lệ TTHC được cập nhật, công khai đúng hạn", "4", "ngày công khai trên CSDLQG"),
                Indicator(
                    "1.3",
                    "TTHC công khai đầy đủ bộ phận tạo thành",
                    D(2),
                    Formula.PUBLIC_CONTENT_FULL,
                    VPCP_DOC + "; bộ phận tạo thành theo Nghị định 63/2010/NĐ-CP, Điều 8 khoản 2",
                    note="TTHC đang có hiệu lực có đủ tên, trình tự, cách thức, thành phần và số lượng hồ sơ, thời "
                    "hạn, đối tượng, cơ quan thực hiện / TTHC đang có hiệu lực; đối chiếu bản ghi đã công bố trong "
                    "danh mục của hệ thống; chỉ tính cho cấp tỉnh.",
                    province_only=True,  # scope "tỉnh" (DOMAIN-2.md §1.2, 1.3)
                ),
                Indicator(
                    "1.4",
                    "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG",
                    D(6),
                    Formula.DOSSIER_SYNC,
                    VPCP_DOC + "; Quyết định 31/2021/QĐ-TTg, Điều 30",
                    note="Hồ sơ tiếp nhận trong kỳ đã được Cổng DVCQG xác nhận nhận bản ghi đồng bộ / hồ sơ tiếp nhận "
                    "trong kỳ. Mẫu số của phương pháp VPCP là số lớn hơn giữa Hệ thống báo cáo quốc gia và Cổng "
                    "DVCQG; hệ thống dùng số hồ sơ tiếp nhận của chính mình.",
                ),
            ),
        ),
        IndicatorGroup(
            2,
            "Tiến độ, kết quả giải quyết",
            D(20),
            (
                Indicator(
                    "2.1",
                    "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn",
                    D(20),
                    Formula.PROGRESS,
                    VPCP_DOC + "; quy đổi tỷ lệ × 20 điểm theo " + THANH_HOA,
                    # Dates are compared by day, as the national statistics do (DOMAIN.md §1.6); how waits and
                    # supplement requests count is the version's `counting`.
                    note="(đã xử lý trước hạn, đúng hạn + đang xử lý trong hạn) / "
                    "(tồn kỳ trước + tiếp nhận trong kỳ); so sánh theo ngày; hồ sơ dừng xử lý tính là đã kết thúc; "
                    "thời gian chờ bổ sung trừ vào thời điểm kết thúc; hơn một lần yêu cầu bổ sung tính là quá hạn.",
                ),
            ),
        ),
        IndicatorGroup(
            3,
            "Cung cấp dịch vụ trực tuyến và thanh toán trực tuyến",
            D(22),
            (
                Indicator(
                    "3.1",
                    "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến",
                    D(2),
                    Formula.ONLINE_PROCEDURES,
                    VPCP_DOC + "; điểm thành phần theo " + THANH_HOA,
                    threshold_pct=D(80),
                ),
                Indicator(
                    "3.2",
                    "Tỷ lệ DVC có phát sinh hồ sơ trực tuyến",
                    D(4),
                    Formula.PROCEDURES_WITH_ONLINE_DOSSIER,
                    VPCP_DOC + "; điểm thành phần theo " + THANH_HOA,
                ),
                Indicator(
                    "3.3",
                    "Tỷ lệ hồ sơ trực tuyến",
                    D(6),
                    Formula.ONLINE_DOSSIERS,
                    VPCP_DOC + "; điểm thành phần theo " + THANH_HOA,
                    threshold_pct=D(50),
                    # DOMAIN-2.md §1.2 (3.3): "and, where the TTHC returns a paper result, an e-result".
                    note="Hồ sơ tiếp nhận trực tuyến trong kỳ, nếu thủ tục có kết quả bằng văn bản thì phải có kết "
                    "quả điện tử đã ký số / hồ sơ tiếp nhận trong kỳ; hồ sơ đang giải quyết chưa có kết quả chưa "
                    "được tính vào tử số. Chưa nhân tỷ lệ đồng bộ DVCQG (chưa có kết nối).",
                ),
                Indicator(
                    "3.5",
                    "TTHC có nghĩa vụ tài chính tích hợp thanh toán trên DVCQG",
                    D(2),
                    Formula.FEE_PROCEDURES,
                    VPCP_DOC,
                    threshold_pct=D(80),
                    note="TTHC có hồ sơ tiếp nhận trong kỳ với phí, lệ phí lớn hơn 0 đồng / TTHC đang có hiệu lực có "
                    "phí, lệ phí lớn hơn 0 đồng trong danh mục; chỉ tính cho cấp tỉnh. Phương pháp VPCP đếm hồ sơ "
                    "đã đồng bộ lên Cổng DVCQG; hệ thống đếm hồ sơ đã tiếp nhận.",
                    province_only=True,  # scope "tỉnh" (DOMAIN-2.md §1.2, 3.5)
                ),
                _no_data("3.5b", "TTHC có giao dịch thanh toán trực tuyến", "2", "thanh toán trực tuyến"),
                Indicator(
                    "3.6",
                    "Tỷ lệ hồ sơ thanh toán trực tuyến",
                    D(6),
                    Formula.PAID_ONLINE,
                    VPCP_DOC,
                    note="Hồ sơ tiếp nhận trong kỳ đã thanh toán phí, lệ phí trực tuyến (DuocThanhToanTrucTuyen là 1 "
                    "hoặc 2) / hồ sơ tiếp nhận trong kỳ có phí, lệ phí phải nộp lớn hơn 0 đồng.",
                ),
            ),
        ),
        IndicatorGroup(
            4,
            "Số hóa hồ sơ",
            D(22),
            (
                Indicator(
                    "4.1",
                    "Hồ sơ có cấp kết quả giải quyết điện tử",
                    D(6),
                    Formula.E_RESULTS,
                    VPCP_DOC,
                    # A result counts as electronic when it is a PDF signed in the signing register: the national
                    # record needs a result code and file link (MaKetQua + DuongDanTepTinKetQua).
                    note="Hồ sơ đã giải quyết xong trong kỳ có kết quả điện tử đã ký số / hồ sơ đã giải quyết xong "
                    "trong kỳ của TTHC có kết quả bằng văn bản.",
                ),
                Indicator(
                    "4.2",
                    "Tỷ lệ hồ sơ thực hiện số hóa",
                    D(4),
                    Formula.DIGITISED_DOSSIERS,
                    VPCP_DOC,
                    threshold_pct=D(80),
                    note="Hồ sơ tiếp nhận trong kỳ có ít nhất một thành phần được số hóa và, nếu thủ tục có kết quả "
                    "bằng văn bản, có kết quả điện tử đã ký số / hồ sơ tiếp nhận trong kỳ; hồ sơ đang giải quyết "
                    "chưa có kết quả chưa được tính vào tử số.",
                ),
                _no_data("4.x", "Cung cấp dịch vụ chứng thực bản sao điện tử", "2", "chứng thực điện tử"),
                _no_data("4.3", "Hồ sơ khai thác, sử dụng lại dữ liệu số hóa", "2", "đánh dấu tái sử dụng dữ liệu"),
                _no_data("4.4", "Hồ sơ số hóa kết nối, chia sẻ để tái sử dụng", "4", "kho dữ liệu công dân DVCQG"),
                Indicator(
                    "4.5a",
                    "TTHC kết nối, chia sẻ dữ liệu dân cư",
                    D(2),
                    Formula.CITIZEN_DATA_PROCEDURES,
                    VPCP_DOC,
                    note="TTHC có hồ sơ tiếp nhận trong kỳ nộp bằng tài khoản được xác thực với VNeID / TTHC đang có "
                    "hiệu lực có đối tượng thực hiện là công dân Việt Nam, người Việt Nam định cư ở nước ngoài hoặc "
                    "người nước ngoài; chỉ tính cho cấp tỉnh.",
                    province_only=True,  # scope "tỉnh" (DOMAIN-2.md §1.2, 4.5a)
                ),
                Indicator(
                    "4.5b",
                    "Hồ sơ sử dụng dữ liệu CSDL dân cư",
                    D(2),
                    Formula.VNEID_DOSSIERS,
                    VPCP_DOC,
                    note="Hồ sơ tiếp nhận trong kỳ nộp bằng tài khoản được xác thực với VNeID "
                    "(TaiKhoanDuocXacThucVoiVNeID) / hồ sơ tiếp nhận trong kỳ. Hệ thống chưa khai thác kho dữ liệu "
                    "của Cổng DVCQG hay CSDL quốc gia về dân cư, nên hai cách được tính khác của tử số chưa có.",
                    province_only=True,  # scope "tỉnh" (DOMAIN-2.md §1.2, 4.5b)
                ),
            ),
        ),
        IndicatorGroup(
            5,
            "Mức độ hài lòng",
            D(18),
            (
                Indicator(
                    "5.1",
                    "Tỷ lệ phản ánh, kiến nghị theo phân loại",
                    D(0),
                    Formula.PAKN_CLASSIFIED,
                    VPCP_DOC,
                    note="Chỉ tiêu theo dõi, không tính điểm: phản ánh, kiến nghị tiếp nhận trong kỳ đã phân loại (về "
                    "quy định, chính sách, TTHC hoặc về hành vi của cán bộ) / phản ánh, kiến nghị tiếp nhận trong kỳ.",
                ),
                Indicator(
                    "5.2",
                    "Tiến độ xử lý phản ánh, kiến nghị",
                    D(6),
                    Formula.PAKN_PROGRESS,
                    VPCP_DOC + "; thời hạn từ chối 2, xử lý 15 ngày làm việc (Quy chế Cổng DVCQG, chưa đối chiếu)",
                    note="(đã xử lý đúng hạn + đang xử lý trong hạn) / phản ánh, kiến nghị tiếp nhận hoặc xử lý trong "
                    "kỳ. Không có phản ánh, kiến nghị: điểm chuyển sang chỉ tiêu 5.4.",
                    empty_to=("5.4",),
                ),
                Indicator(
                    "5.3",
                    "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị",
                    D(6),
                    Formula.PAKN_SATISFACTION,
                    VPCP_DOC,
                    note="(tổng số − bị đánh giá không hài lòng − xử lý quá hạn − có phản ánh, khiếu nại tiếp về kết "
                    "quả) / phản ánh, kiến nghị tiếp nhận lần đầu trong kỳ, mỗi vụ việc tính một lần. Không có phản "
                    "ánh, kiến nghị: điểm chia đều cho chỉ tiêu 5.2 và 5.4 (chỉ tiêu nào không phát sinh thì chuyển "
                    "hết cho chỉ tiêu còn lại).",
                    # DOMAIN-2.md §1.1 [I metrics row 22]: "split evenly between PAKN đúng hạn and 5.4".
                    empty_to=("5.2", "5.4"),
                ),
                Indicator(
                    "5.4",
                    "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
                    D(6),
                    Formula.SATISFACTION,
                    VPCP_DOC + "; đánh giá của người dân theo Thông tư 01/2018/TT-VPCP (mức độ hài lòng tổng thể)",
                    threshold_pct=D(90),
                    # DOMAIN-2.md §1.2 (5.4): 100 % - (overdue dossier rate + rate of dossiers with a PAKN or a
                    # "dislike"); a PAKN counts from its intake (the feedback app records it on the dossier).
                    note="100% − (tỷ lệ hồ sơ quá hạn + tỷ lệ hồ sơ bị đánh giá không hài lòng hoặc có phản ánh, "
                    "kiến nghị), cùng mẫu số là hồ sơ cần xử lý trong kỳ.",
                ),
            ),
        ),
    ),
    counting=COUNTING_2022,
    counting_source=COUNTING_2022_SOURCE,
    pause_rules=PAUSE_RULES_2022,
    bands=BANDS_766,
    bands_source=BANDS_766_SOURCE,
    ranking_note=RANKING_NOTE_766,
)

INDEX_766_VERSIONS = (INDEX_766_V1,)


def index_766_on(day: date) -> IndexVersion:
    """Return the version of the index in force on a day (the period's end date)."""
    for version in INDEX_766_VERSIONS:
        if version.effective_from <= day and (version.effective_to is None or day <= version.effective_to):
            return version
    raise DomainError(
        "Bộ chỉ số QĐ 766 chỉ áp dụng từ ngày 01/08/2022; hãy chọn kỳ sau ngày đó.",
        field="to",
    )


def counting_on(day: date) -> Counting:
    """Return how the counters read the events of a day: the rules of the version in force on it.

    Events before the first version are read by its rules: no period before it can be scored anyway.
    """
    for version in INDEX_766_VERSIONS:
        if version.effective_from <= day and (version.effective_to is None or day <= version.effective_to):
            return version.counting
    return INDEX_766_VERSIONS[0].counting


def counts_late_by_rounds(version: IndexVersion, rounds: int) -> bool:
    """Tell whether a dossier with this many supplement requests counts as late in this version, whatever its dates.

    A screen asks it with the round a request would make (`dossier.supplement_rounds + 1`) before the officer sends
    it (DOMAIN-2.md §1.2, 2.1: more than one request => overdue).
    """
    limit = version.counting.late_after_requests
    return limit is not None and rounds > limit


# -- TT 01/2018/TT-VPCP: the 9-indicator evaluation of dossier handling (DOMAIN.md §1.8) -----------------------------


@dataclass(frozen=True)
class EvaluationVersion:
    code: str
    legal_source: str
    effective_from: date
    effective_to: date | None
    items: tuple[tuple[int, str, bool], ...]  # (number, wording, computable from the system's data)
    bands: tuple[Band, ...] = field(default=())


# DOMAIN.md §0: TT 01/2018/TT-VPCP is dated 23/11/2018 and superseded by TT 03/2025/TT-VPCP, dated 15/09/2025 [V].
# Its entry into force, 08/01/2019, is recalled, not read [R]: confirm it against the circular's final article.
TT01_2018_IN_FORCE = date(2019, 1, 8)
TT03_2025_IN_FORCE = date(2025, 9, 15)
EVALUATION_ITEMS = (
    (1, "Tổng thời gian giải quyết so với thời hạn theo quy định", True),
    (2, "Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết", False),
    (3, "Số lần liên hệ để hoàn thiện hồ sơ", False),
    (4, "Số cơ quan, đơn vị phải liên hệ", False),
    (5, "Hồ sơ được tiếp nhận, giải quyết, trả kết quả tại Bộ phận Một cửa", False),
    (6, "Công khai thủ tục hành chính", False),
    (7, "Thái độ của cán bộ, công chức", True),
    (8, "Tiếp thu, giải trình phản ánh, kiến nghị", True),
    (9, "Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến", True),
)
# Xuất sắc >15; Tốt 12-<15; Khá 9-<12; Trung bình 6-<9; Yếu <6 (thresholds [R] TT 01/2018, as Thanh Hóa ranks).
EVALUATION_BANDS = (
    Band("Xuất sắc", D(15), inclusive=False),
    Band("Tốt", D(12)),
    Band("Khá", D(9)),
    Band("Trung bình", D(6)),
    Band("Yếu", D(0)),
)
EVALUATION_V1 = EvaluationVersion(
    code="TT01-2018.1",
    # The criteria as Thanh Hóa's TieuChiDanhGiaHaiLong.json lists them (DOMAIN.md §1.8).
    legal_source="Thông tư 01/2018/TT-VPCP ngày 23/11/2018",
    effective_from=TT01_2018_IN_FORCE,
    effective_to=TT03_2025_IN_FORCE - timedelta(days=1),
    items=EVALUATION_ITEMS,
    bands=EVALUATION_BANDS,
)
# The evaluation articles of ND 118/2025 and TT 03/2025 were not seen (DOMAIN-2.md §2.3): the nine criteria are kept
# as a versioned carry-over that says so, to replace once the circular's text is checked.
EVALUATION_TT03_CARRIED = EvaluationVersion(
    code="TT03-2025.0",
    legal_source="Thông tư 03/2025/TT-VPCP ngày 15/09/2025 (thay thế Thông tư 01/2018/TT-VPCP); 9 tiêu chí "
    "kế thừa từ Thông tư 01/2018/TT-VPCP, chưa đối chiếu được điều khoản đánh giá của Thông tư 03/2025/TT-VPCP",
    effective_from=TT03_2025_IN_FORCE,
    effective_to=None,
    items=EVALUATION_ITEMS,
    bands=EVALUATION_BANDS,
)
EVALUATION_VERSIONS = (EVALUATION_V1, EVALUATION_TT03_CARRIED)


def evaluation_on(day: date) -> EvaluationVersion:
    """Return the evaluation version in force on a day (the period's end date, as for the 766 index)."""
    for version in EVALUATION_VERSIONS:
        if version.effective_from <= day and (version.effective_to is None or day <= version.effective_to):
            return version
    raise DomainError(
        "Bộ tiêu chí đánh giá theo Thông tư 01/2018/TT-VPCP chỉ áp dụng từ ngày 08/01/2019; hãy chọn kỳ sau ngày đó.",
        field="to",
    )


def band_for(points: Decimal, version: EvaluationVersion = EVALUATION_V1) -> str:
    return band_of(points, version.bands)


def band_of(points: Decimal, bands: tuple[Band, ...]) -> str:
    """Return the name of the first band (best first) whose lower bound the points reach."""
    for band in bands:
        if points > band.above or (band.inclusive and points == band.above):
            return band.name
    return bands[-1].name
