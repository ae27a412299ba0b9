"""Exact money and rate arithmetic, and the Vietnamese way of writing them.

Amounts are whole đồng held as int or Decimal. A rate is computed from the exact sums and rounded
half up only when it is written down."""

from decimal import ROUND_HALF_UP, Decimal

BILLION = Decimal(1_000_000_000)
_TWO_PLACES = Decimal("0.01")


def rate(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """Numerator / denominator in per cent, two places, rounded half up. None when the
    denominator is zero: there is no rate to show, and callers must say so."""
    numerator, denominator = Decimal(numerator), Decimal(denominator)
    if denominator == 0:
        return None
    return (numerator * 100 / denominator).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


def format_number(value: int | Decimal, places: int = 0) -> str:
    """135250000000 -> "135.250.000.000"; with places=2, 96.61 -> "96,61"."""
    value = Decimal(value)
    quantum = Decimal(1).scaleb(-places)
    value = value.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    text = _group(whole, ".")
    if places:
        text += "," + fraction
    return sign + text


def format_vnd(value: int | Decimal) -> str:
    """135250000000 -> "135.250.000.000 đồng"."""
    return f"{format_number(value)} đồng"


def format_billions(value: int | Decimal, places: int = 2) -> str:
    """135250000000 -> "135,25 tỷ đồng"."""
    return f"{format_number(Decimal(value) / BILLION, places)} tỷ đồng"


def format_rate(value: Decimal | None) -> str:
    """Decimal("96.61") -> "96,61%"; None -> "—" (no denominator)."""
    if value is None:
        return "—"
    return f"{format_number(value, 2)}%"
