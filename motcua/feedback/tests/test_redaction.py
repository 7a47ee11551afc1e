"""No ID, phone, e-mail or name of the case in a published text, whatever the text around them (a property), and
ordinary text left as it is."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.feedback.redaction import MASK, folded, redact

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Thu"]
GIVEN = ["Dân", "Bình", "Hoa", "Tâm", "Đạt", "Khánh", "Lộc", "Nguyệt", "Phúc", "Yến", "Quang", "Tuấn"]
# Filler without digits, "@" or the name's words: what the text may say around the values.
FILLER = st.lists(
    st.sampled_from(["cán", "bộ", "yêu", "cầu", "giấy", "tờ", "xã", "hồ", "sơ", "ngày", "tại", "bộ phận", ",", ".",
                     "\n", "một cửa", "ông", "bà", "(", ")", ":", "số", "điện thoại", "email", "căn cước"]),
    max_size=12,
).map(" ".join)  # fmt: skip
NAMES = st.tuples(st.sampled_from(SURNAMES), st.sampled_from(MIDDLE), st.sampled_from(GIVEN)).map(" ".join)
PHONES = st.tuples(st.sampled_from("35789"), st.text("0123456789", min_size=8, max_size=8)).map(
    lambda p: "0" + "".join(p)
)
IDS = st.text("0123456789", min_size=12, max_size=12)
EMAILS = st.tuples(st.from_regex(r"[a-z][a-z0-9.]{0,10}", fullmatch=True), st.sampled_from(["example.vn", "mail.com"]))


def spelled(value: str, style: int) -> str:
    """The value as a person might type it: any case, without diacritics, phone digits grouped."""
    if style == 1:
        return value.upper()
    if style == 2:
        return folded(value)
    if style == 3 and value.isdigit():
        return " ".join(value[i : i + 3] for i in range(0, len(value), 3))
    if style == 4 and value.startswith("0") and value.isdigit():
        return "+84" + value[1:]
    return value


@settings(max_examples=300, deadline=None)
@given(NAMES, PHONES, IDS, EMAILS, st.lists(FILLER, min_size=5, max_size=5), st.lists(st.integers(0, 4), min_size=4,
       max_size=4))  # fmt: skip
def test_no_personal_value_survives(name, phone, id_number, email_parts, filler, styles) -> None:  # type: ignore[no-untyped-def]
    email = "@".join(email_parts)
    values = [spelled(name, styles[0]), spelled(phone, styles[1]), spelled(id_number, styles[2]), email]
    text = filler[0] + " " + " ".join(f"{v} {f}" for v, f in zip(values, filler[1:], strict=True))
    public = redact(text, [phone, email], [name])
    digits = re.sub(r"\D", "", public)
    assert phone not in digits and f"84{phone[1:]}" not in digits and id_number not in digits
    assert email.lower() not in public.lower()
    assert not re.search(r"(?<!\w)" + r"\s+".join(map(re.escape, folded(name).split())) + r"(?!\w)", folded(public))
    assert MASK in public


@given(FILLER)
def test_ordinary_text_is_left_as_it_is(text: str) -> None:
    assert redact(text, ["0912345678", "dan@example.vn", "Số 5 Lê Lợi"], ["Nguyễn Văn Dân"]) == text


def test_what_is_removed_is_shown_as_removed() -> None:
    text = "Ông Nguyen Van Dan (ĐT 0912.345.678, CCCD 082090001234) gửi lúc 9 giờ; liên hệ dan@example.vn."
    assert redact(text, ["0912 345 678"], ["Nguyễn Văn Dân"]) == (
        f"Ông {MASK} (ĐT {MASK}, CCCD {MASK}) gửi lúc 9 giờ; liên hệ {MASK}."
    )
    assert redact("Văn Dân nói", names=["Nguyễn Văn Dân"]) == f"{MASK} nói"
    # An address is removed whole; the place names in it stay elsewhere (the unit's name is public).
    assert redact("Số 5 Lê Lợi, Phường Mỹ Tho; UBND Phường Mỹ Tho", ["Số 5 Lê Lợi, Phường Mỹ Tho"]) == (
        f"{MASK}; UBND Phường Mỹ Tho"
    )
