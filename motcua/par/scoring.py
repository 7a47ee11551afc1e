"""A sub-criterion's value to points, by its rule from the closed list (`lifecycle.Rule`). Pure.

The linear rule is QĐ 766/QĐ-TTg's (2023): P = Pmax if R >= T else R x Pmax / T. Points never exceed the maximum
and are rounded to two decimals, half up, as the indices app does.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from motcua.core.errors import DomainError

from .lifecycle import NOT_APPLICABLE_VALUE, InputType, Rule

CENT = Decimal("0.01")
YES, NO = "co", "khong"
MAX_VALUE = Decimal("1000000000")


@dataclass(frozen=True)
class Spec:
    """What scoring needs of a sub-criterion (a model row or a row being imported)."""

    rule: str
    max_points: Decimal
    input_type: str = InputType.NUMBER
    threshold: Decimal | None = None
    bands: tuple[tuple[Decimal, Decimal], ...] = ()  # (lower bound, points), any order
    per_count: Decimal | None = None


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def number(value: str) -> Decimal:
    """Read a number as typed on a Vietnamese screen ("12,5") or sent by the API ("12.5")."""
    text = value.strip().replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise DomainError("Giá trị phải là một số.", field="value") from None
    if not number.is_finite() or abs(number) > MAX_VALUE:
        raise DomainError("Giá trị số không hợp lệ.", field="value")
    if number < 0:
        raise DomainError("Giá trị không được âm.", field="value")
    return number


def score(spec: Spec, value: str) -> Decimal | None:
    """The points a value earns; None for "Không áp dụng". Refused with a Vietnamese reason when the value does not
    fit the input type or, for a manual score, lies outside 0..max."""
    value = value.strip()
    if value == NOT_APPLICABLE_VALUE:
        return None
    if spec.rule == Rule.YES_NO or spec.input_type == InputType.YES_NO:
        if value not in (YES, NO):
            raise DomainError("Chọn Có, Không hoặc Không áp dụng.", field="value")
        return spec.max_points if value == YES else Decimal(0)
    if spec.input_type == InputType.TEXT and spec.rule != Rule.MANUAL:
        raise DomainError("Tiêu chí nhập văn bản chỉ chấm trực tiếp.", field="value")
    figure = number(value)
    if spec.rule == Rule.MANUAL:
        if figure > spec.max_points:
            raise DomainError(f"Điểm không được vượt quá điểm tối đa {spec.max_points}.", field="value")
        return _round(figure)
    if spec.rule == Rule.LINEAR:
        threshold = spec.threshold or Decimal(100)
        points = spec.max_points if figure >= threshold else figure * spec.max_points / threshold
    elif spec.rule == Rule.BANDS:
        reached = [points for lower, points in spec.bands if figure >= lower]
        points = max(reached, default=Decimal(0))
    elif spec.rule == Rule.COUNT:
        points = figure.to_integral_value() * (spec.per_count or Decimal(0))
    else:
        raise DomainError("Cách tính điểm không thuộc danh mục.", field="rule")
    return _round(min(points, spec.max_points))


def parse_bands(text: str) -> tuple[tuple[Decimal, Decimal], ...]:
    """Bands written "0:0; 50:1; 80:2" (from this value upward: these points)."""
    bands = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        lower, sep, points = part.partition(":")
        if not sep:
            raise DomainError("Khoảng điểm phải viết dạng 'từ:điểm; từ:điểm'.", field="bands")
        bands.append((number(lower), number(points)))
    return tuple(bands)
