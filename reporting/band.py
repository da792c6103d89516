"""The thesis band for output/input spreads, read from the theses file when it says one."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from alerts.theses.load import DEFAULT_THESES_PATH

# The thesis text: output costs "~5x" input. 3x..8x is the band the shipped theses use.
DEFAULT_LOW, DEFAULT_HIGH = 3.0, 8.0


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    origin: str  # where the figures came from, shown under the chart


def spread_band(path: Path = DEFAULT_THESES_PATH) -> Band:
    """band_low/band_high of the first spread_change trigger, else the default 3x..8x.

    Read defensively: the report must render even when the theses file is missing or
    malformed (the alerts command is where that file gets validated and reported).
    """
    default = Band(DEFAULT_LOW, DEFAULT_HIGH, "default ~5x band (3x to 8x)")
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as err:
        return Band(DEFAULT_LOW, DEFAULT_HIGH, f"{default.origin}; theses file unreadable: {err}")
    triggers = doc.get("trigger", [])
    for trig in triggers if isinstance(triggers, list) else []:
        if not isinstance(trig, dict) or trig.get("kind") != "spread_change":
            continue
        params = trig.get("params", {})
        low = params.get("band_low") if isinstance(params, dict) else None
        high = params.get("band_high") if isinstance(params, dict) else None
        if _number(low) and _number(high) and 0 < float(low) < float(high):
            return Band(float(low), float(high), f"{path.name}, trigger {trig.get('id', '?')}")
    return default


def _number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)
