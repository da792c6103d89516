"""The trigger kinds a theses file may use, and the parameters each one takes.

A parameter spec names its type, whether it is required, and its default. Numbers are
read as Decimal (a TOML float 0.1 becomes Decimal("0.1")) so they compare exactly with
prices.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

ParamType = Literal["int", "number", "str", "list[str]", "bool"]

# What a user writes for each type, for "how to fix" messages.
TYPE_EXAMPLES: dict[str, str] = {
    "int": "a whole number without quotes, e.g. 500000",
    "number": "a number without quotes, e.g. 0.2",
    "str": 'a quoted string, e.g. "output_input_ratio"',
    "list[str]": 'a list of quoted strings, e.g. ["openai", "anthropic"]',
    "bool": "true or false without quotes",
}


@dataclass(frozen=True, slots=True)
class ParamSpec:
    type: ParamType
    required: bool = False
    default: object = None
    doc: str = ""


def _req(t: ParamType, doc: str) -> ParamSpec:
    return ParamSpec(t, True, None, doc)


def _opt(t: ParamType, default: object, doc: str) -> ParamSpec:
    return ParamSpec(t, False, default, doc)


# Parameters every kind accepts.
COMMON_PARAMS: dict[str, ParamSpec] = {
    "providers": _opt("list[str]", [], "limit to these providers (empty: all)"),
    "models": _opt("list[str]", ["*"], "limit to model ids matching these glob patterns"),
    "confirm_snapshots": _opt(
        "int", 2, "consecutive snapshots a change must persist in before it fires"
    ),
}

KIND_PARAMS: dict[str, dict[str, ParamSpec]] = {
    "threshold": {
        "metric": _req("str", "the metric compared, e.g. output_input_ratio"),
        "above": _opt("number", None, "fire when the metric rises above this"),
        "below": _opt("number", None, "fire when the metric falls below this"),
    },
    "step_change": {
        "metric": _req("str", "the series watched"),
        "change_fraction": _req("number", "relative step that fires, e.g. 0.2"),
    },
    "spread_change": {
        "band_low": _req("number", "lower edge of the output/input price band"),
        "band_high": _req("number", "upper edge of the output/input price band"),
        "change_fraction": _opt(
            "number", Decimal("0.2"), "move of one model's spread vs its own baseline"
        ),
        "baseline_days": _opt("int", 90, "length of the trailing baseline"),
    },
    "long_context_tier": {
        "events": _opt(
            "list[str]",
            ["introduced", "removed", "moved"],
            "which tier events fire: introduced, removed, moved",
        ),
    },
    "context_step_up": {
        "ceiling_low": _req("int", "mainstream ceiling (tokens) that starts to matter"),
        "ceiling_high": _req("int", "ceiling (tokens) that is a step change on its own"),
        "per": _opt("list[str]", ["model", "provider"], "scopes watched: model, provider"),
        "min_step_fraction": _opt(
            "number", Decimal("0.25"), "smallest rise that counts as a step-up (0.25 = +25%)"
        ),
    },
    "cache_pricing": {
        "band_low": _req("number", "lower edge of the input / cache-read discount band"),
        "band_high": _req("number", "upper edge of the input / cache-read discount band"),
        "on_new": _opt("bool", True, "fire when cache pricing appears for a model"),
    },
    "price_change": {
        "change_fraction": _opt("number", Decimal("0.10"), "cut or rise that fires"),
        "components": _opt("list[str]", ["input", "output"], "price components watched"),
        "output_cut_without_input_cut": _opt(
            "bool", True, "also fire when output is cut and input is not"
        ),
    },
    "refresh_cadence": {
        "flagship_models": _req("list[str]", "model-id glob patterns of flagship models"),
        "change_fraction": _opt(
            "number", Decimal("0.25"), "shortening of the release gap vs its trailing mean"
        ),
    },
    "fundamentals": {
        "metric": _req("str", "memory_margin_vs_capex or price_move"),
        "tickers": _opt("list[str]", [], "tickers watched (empty: the thesis's tickers)"),
        "change_fraction": _opt("number", Decimal("0.10"), "move that fires"),
    },
}

KINDS: tuple[str, ...] = tuple(KIND_PARAMS)

# Closed vocabularies some parameters draw from.
ALLOWED_VALUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("long_context_tier", "events"): ("introduced", "removed", "moved"),
    ("context_step_up", "per"): ("model", "provider"),
    ("fundamentals", "metric"): ("memory_margin_vs_capex", "price_move"),
    (
        "price_change",
        "components",
    ): (
        "input",
        "output",
        "cache_read",
        "cache_write_5m",
        "cache_write_1h",
        "cache_storage_per_hour",
    ),
}

# (kind, low param, high param): low must be below high.
ORDERED_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("spread_change", "band_low", "band_high"),
    ("cache_pricing", "band_low", "band_high"),
    ("context_step_up", "ceiling_low", "ceiling_high"),
    ("threshold", "below", "above"),
)


def params_for(kind: str) -> dict[str, ParamSpec]:
    """All parameters `kind` accepts, its own first, then the common ones."""
    return {**KIND_PARAMS[kind], **COMMON_PARAMS}
