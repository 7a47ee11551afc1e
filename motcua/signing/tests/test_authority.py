"""ND 30/2020 art. 13 as a table: each mark, expiry, scope, re-delegation, acting head, collective vs head-based."""

from datetime import date

import pytest

from motcua.signing.authority import Body, Grant, Mode, Regime, Request, decide

COMMITTEE = Body("UBND Phường Mỹ Tho", Regime.COLLECTIVE, "Ủy ban nhân dân", "Chủ tịch")
DEPARTMENT = Body("Sở Nông nghiệp và Môi trường", Regime.HEAD, "", "Giám đốc")
DAY = date(2026, 6, 15)
DECISION = "văn bản số 12/QĐ-UBND ngày 02/01/2026"


def grant(mode: Mode, title: str = "", **changes: object) -> Grant:
    values: dict[str, object] = {
        "id": 1,
        "mode": mode,
        "title": title,
        "valid_from": date(2026, 1, 1),
        "valid_to": None,
        "decision": DECISION,
    }
    return Grant(**{**values, **changes})  # type: ignore[arg-type]


def request(document_type: str = "quyet_dinh", name: str = "Quyết định", **fields: str) -> Request:
    return Request(document_type, name, DAY, fields)


LAND = {"DATDAI": "Đất đai"}
TL_CHIEF = grant(Mode.BY_ORDER, "Chánh Văn phòng", document_types=frozenset({"thong_bao"}))
TUQ = grant(
    Mode.AUTHORISED, "Giám đốc Sở Tư pháp", valid_to=date(2026, 12, 31), document_types=frozenset({"quyet_dinh"})
)

ALLOWED = [
    ("head of a collective body signs TM.", COMMITTEE, grant(Mode.HEAD, "Chủ tịch"), request(),
     "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / Nguyễn Văn A"),
    ("head of a head-based body signs in their own name", DEPARTMENT, grant(Mode.HEAD, "Giám đốc"), request(),
     "GIÁM ĐỐC / Nguyễn Văn A"),
    ("deputy of a collective body: TM. and KT.", COMMITTEE,
     grant(Mode.DEPUTY, "Phó Chủ tịch", fields=frozenset({"DATDAI"})), request(**LAND),
     "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Nguyễn Văn A"),
    ("deputy of a head-based body: KT. only", DEPARTMENT,
     grant(Mode.DEPUTY, "Phó Giám đốc", fields=frozenset({"DATDAI"})), request(**LAND),
     "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / Nguyễn Văn A"),
    ("deputy in charge signs every field", DEPARTMENT, grant(Mode.DEPUTY, "Phó Giám đốc", in_charge=True),
     request(**LAND), "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / Nguyễn Văn A"),
    ("deputy signs a head's document type delegated to them", DEPARTMENT,
     grant(Mode.DEPUTY, "Phó Giám đốc", document_types=frozenset({"cong_van"})), request("cong_van", "Công văn"),
     "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / Nguyễn Văn A"),
    ("acting head of a head-based body", DEPARTMENT, grant(Mode.ACTING, "Phó Giám đốc"), request(),
     "Q. GIÁM ĐỐC / Nguyễn Văn A"),
    ("acting head of a collective body", COMMITTEE, grant(Mode.ACTING, "Phó Chủ tịch"), request(),
     "TM. ỦY BAN NHÂN DÂN / Q. CHỦ TỊCH / Nguyễn Văn A"),
    ("TL. for a type written in the working rules", DEPARTMENT, TL_CHIEF, request("thong_bao", "Thông báo"),
     "TL. GIÁM ĐỐC / CHÁNH VĂN PHÒNG / Nguyễn Văn A"),
    ("TL. passed to the chief's deputy signs TL. / KT.", DEPARTMENT,
     grant(Mode.BY_ORDER, "Phó Chánh Văn phòng", document_types=frozenset({"thong_bao"}), parent=TL_CHIEF),
     request("thong_bao", "Thông báo"), "TL. GIÁM ĐỐC / KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG / Nguyễn Văn A"),
    ("TUQ. within its dates and content", COMMITTEE, TUQ, request(),
     "TUQ. CHỦ TỊCH / GIÁM ĐỐC SỞ TƯ PHÁP / Nguyễn Văn A"),
    ("TUQ. on its last day", COMMITTEE, TUQ, Request("quyet_dinh", "Quyết định", date(2026, 12, 31)),
     "TUQ. CHỦ TỊCH / GIÁM ĐỐC SỞ TƯ PHÁP / Nguyễn Văn A"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "body", "held", "asked", "block"), ALLOWED, ids=[row[0] for row in ALLOWED])
def test_allowed(case: str, body: Body, held: Grant, asked: Request, block: str) -> None:
    verdict = decide(body, [held], asked, "Nguyễn Văn A")
    assert verdict.allowed, verdict.reason
    assert verdict.block_text == block
    assert verdict.grant == held


REFUSED = [
    ("TUQ. expired", COMMITTEE, TUQ, Request("quyet_dinh", "Quyết định", date(2027, 1, 1)),
     "Ủy quyền TUQ đã hết hạn ngày 31/12/2026."),
    ("TUQ. outside its content", COMMITTEE, TUQ, request("giay_moi", "Giấy mời"),
     "Ủy quyền TUQ không bao gồm loại văn bản Giấy mời."),
    ("TUQ. without an end date", COMMITTEE,
     grant(Mode.AUTHORISED, "Giám đốc", document_types=frozenset({"quyet_dinh"})), request(),
     "Ủy quyền TUQ phải có thời hạn (ND 30/2020 điều 13 khoản 3) nhưng mục này không ghi ngày hết hạn."),
    ("TUQ. passed on", COMMITTEE,
     grant(Mode.BY_ORDER, "Phó Giám đốc Sở Tư pháp", document_types=frozenset({"quyet_dinh"}), parent=TUQ), request(),
     "Không được ủy quyền lại: thẩm quyền ký thừa ủy quyền (TUQ.) không được giao tiếp cho người khác."),
    ("deputy outside the assigned field", DEPARTMENT,
     grant(Mode.DEPUTY, "Phó Giám đốc", fields=frozenset({"XAYDUNG"})), request(**LAND),
     "Phó Giám đốc không được phân công lĩnh vực Đất đai."),
    ("deputy on a letter not delegated", DEPARTMENT, grant(Mode.DEPUTY, "Phó Giám đốc", fields=frozenset({"DATDAI"})),
     request("cong_van", "Công văn"), "Phó Giám đốc không được giao ký thay loại văn bản Công văn."),
    ("deputy's assignment ended", DEPARTMENT, grant(Mode.DEPUTY, "Phó Giám đốc", in_charge=True,
     valid_to=date(2026, 3, 31)), request(), "Phân công ký thay (KT.) đã hết hạn ngày 31/03/2026."),
    ("acting head before the decision takes effect", DEPARTMENT,
     grant(Mode.ACTING, "Phó Giám đốc", valid_from=date(2026, 7, 1)), request(),
     f"Giao quyền người đứng đầu (Q.) theo {DECISION} có hiệu lực từ ngày 01/07/2026."),
    ("acting head after the new head is appointed", DEPARTMENT,
     grant(Mode.ACTING, "Phó Giám đốc", valid_to=date(2026, 5, 31)), request(),
     "Giao quyền người đứng đầu (Q.) đã hết hạn ngày 31/05/2026."),
    ("TL. for a type not in the working rules", DEPARTMENT, TL_CHIEF, request(),
     f"Loại văn bản Quyết định không được giao ký thừa lệnh (TL.) trong quy chế làm việc ({DECISION})."),
    ("TL. passed on is limited by the chief's own TL.", DEPARTMENT,
     grant(Mode.BY_ORDER, "Phó Chánh Văn phòng", document_types=frozenset({"quyet_dinh"}), parent=TL_CHIEF), request(),
     f"Loại văn bản Quyết định không được giao ký thừa lệnh (TL.) trong quy chế làm việc ({DECISION})."),
    ("KT. cannot be passed on", DEPARTMENT,
     grant(Mode.BY_ORDER, "Trưởng phòng", document_types=frozenset({"quyet_dinh"}),
           parent=grant(Mode.DEPUTY, "Phó Giám đốc", in_charge=True)),
     request(), "Chỉ thẩm quyền ký thừa lệnh (TL.) mới được giao lại cho cấp phó ký thay."),
]  # fmt: skip


@pytest.mark.parametrize(("case", "body", "held", "asked", "reason"), REFUSED, ids=[row[0] for row in REFUSED])
def test_refused(case: str, body: Body, held: Grant, asked: Request, reason: str) -> None:
    verdict = decide(body, [held], asked, "Nguyễn Văn A")
    assert not verdict.allowed
    assert verdict.reason == reason
    assert verdict.block == ()


def test_no_entry_at_all() -> None:
    verdict = decide(DEPARTMENT, [], request(), "Nguyễn Văn A")
    assert (
        verdict.reason == "Nguyễn Văn A không có tên trong sổ đăng ký thẩm quyền ký của Sở Nông nghiệp và Môi trường."
    )


def test_the_strongest_capacity_that_applies_wins() -> None:
    deputy = grant(Mode.DEPUTY, "Phó Giám đốc", id=2, fields=frozenset({"XAYDUNG"}))
    acting = grant(Mode.ACTING, "Phó Giám đốc", id=3, valid_to=date(2026, 12, 31))
    verdict = decide(DEPARTMENT, [deputy, acting], request(**LAND), "Nguyễn Văn A")
    assert verdict.block_text == "Q. GIÁM ĐỐC / Nguyễn Văn A" and verdict.grant == acting
    # Once the acting period is over, the deputy's own field assignment decides, and says why.
    later = Request("quyet_dinh", "Quyết định", date(2027, 1, 4), LAND)
    refused = decide(DEPARTMENT, [deputy, acting], later, "Nguyễn Văn A")
    assert refused.reason == "Giao quyền người đứng đầu (Q.) đã hết hạn ngày 31/12/2026."
