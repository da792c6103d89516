"""Number formatting for explanations: three significant figures, SI-ish suffixes."""

from __future__ import annotations

from decimal import Decimal

SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"))


def num(value: float) -> str:
    """1234.5 -> '1,235'; 3.2e10 -> '32B'; 0.01234 -> '0.0123'."""
    magnitude = abs(value)
    for scale, suffix in SUFFIXES:
        if magnitude >= scale:
            return f"{value / scale:.3g}{suffix}"
    if magnitude >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def money(amount: Decimal) -> str:
    """Decimal(15.000000000) -> '15'; Decimal('0.125') -> '0.125' (no exponent)."""
    return format(amount.normalize(), "f")
