"""Money at the boundary: chip-seconds per token to USD per million tokens (Decimal)."""

from __future__ import annotations

from decimal import Decimal

MTOK = Decimal(1_000_000)
SECONDS_PER_HOUR = Decimal(3600)
CENT_FRACTION = Decimal("0.000001")  # keep micro-dollar precision per Mtok


def usd_per_mtok(
    chip_seconds_per_token: float, rental_usd_per_chip_hour: Decimal | None
) -> Decimal | None:
    """Rental cost of a million tokens; None when the chip has no rental price."""
    if rental_usd_per_chip_hour is None:
        return None
    chip_hours = Decimal(repr(chip_seconds_per_token)) * MTOK / SECONDS_PER_HOUR
    return (chip_hours * rental_usd_per_chip_hour).quantize(CENT_FRACTION)
