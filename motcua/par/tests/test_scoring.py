"""Each scoring rule by hand-computed cases, and the totals with "Không áp dụng", bonus and penalty."""

from decimal import Decimal as D

import pytest

from motcua.core.errors import DomainError
from motcua.par.scoring import Spec, parse_bands, score
from motcua.par.totals import ranks, total


def test_yes_no_gives_all_or_nothing_and_none_when_not_applicable() -> None:
    spec = Spec("co_khong", D(1), "co_khong")
    assert (score(spec, "co"), score(spec, "khong"), score(spec, "kad")) == (D(1), D(0), None)
    with pytest.raises(DomainError):
        score(spec, "maybe")


def test_linear_to_threshold_is_the_766_formula() -> None:
    spec = Spec("tuyen_tinh", D(2), "ty_le", threshold=D(80))
    assert score(spec, "80") == D(2)  # R >= T: Pmax
    assert score(spec, "95,5") == D(2)
    assert score(spec, "60") == D("1.50")  # 60 x 2 / 80
    assert score(spec, "33") == D("0.83")  # 0.825 rounded half up
    assert score(spec, "0") == D(0)


def test_bands_take_the_highest_band_reached() -> None:
    spec = Spec("khoang", D(2), "ty_le", bands=parse_bands("0:0; 50:1; 80:2"))
    assert [score(spec, v) for v in ("10", "50", "79.9", "80", "100")] == [D(0), D(1), D(1), D(2), D(2)]


def test_count_is_capped_at_the_maximum() -> None:
    spec = Spec("dem", D(1), "so", per_count=D("0.25"))
    assert [score(spec, v) for v in ("0", "2", "4", "9")] == [D(0), D("0.50"), D(1), D(1)]


def test_manual_within_zero_and_max() -> None:
    spec = Spec("tu_cham", D("1.5"), "so")
    assert score(spec, "1.25") == D("1.25")
    for bad in ("1.6", "-1", "abc", "NaN", "1e99"):
        with pytest.raises(DomainError):
            score(spec, bad)


ITEMS = [
    ("thuong", "tu_danh_gia", D(4), D(3), False),
    ("thuong", "tu_danh_gia", D(6), None, True),  # Không áp dụng
    ("cong", "tu_danh_gia", D(1), D(1), False),
    ("tru", "tu_danh_gia", D(2), D("0.5"), False),
    ("thuong", "dieu_tra_xhh", D(10), None, False),  # survey: not part of the self total
]


def test_not_applicable_reduces_the_maximum_and_scales_back() -> None:
    assert total(ITEMS, "giam_diem_toi_da") == D("8.00")  # 3 x 10 / 4 + 1 - 0.5


def test_not_applicable_counts_full_points_when_the_set_says_so() -> None:
    assert total(ITEMS, "tinh_du_diem") == D("9.50")  # 3 + 6 + 1 - 0.5


def test_ties_share_a_rank() -> None:
    assert ranks([D(80), D(90), D(80), D(70)]) == [2, 1, 2, 4]
