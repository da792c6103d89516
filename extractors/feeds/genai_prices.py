"""pydantic's genai-prices built `data.json`: a list of providers, each with its models.

Prices are USD per *million* tokens. A model's `prices` is either one price set or a list
of conditional price sets::

    {"id": "deepseek", "models": [{"id": "deepseek-chat", "context_window": 64000,
      "prices": [{"prices": {"input_mtok": 0.135, ...}},
                 {"constraint": {"start_time": "00:30:00Z", "end_time": "16:30:00Z"},
                  "prices": {"input_mtok": 0.27, ...}}]}]}

Within a price set a value is a number or `{"base": 1.25, "tiers": [{"start": 200000,
"price": 2.5}]}`, `start` being the prompt length where the tier begins. Conditional sets
follow genai-prices' own rule (its `types.ModelInfo.get_prices`): the last set whose
constraint holds wins, and the first set applies when none does. So:

- a `start_date` set holds from that date until the next dated set takes over: rows with
  `effective_from` / `effective_to`, where `effective_to` is the first day it no longer
  holds (half-open); the first set gets `effective_to` = the earliest start date;
- a time-of-day set (`start_time`/`end_time`, UTC) becomes rows with `condition`
  "utc 00:30-16:30", and the first set, which holds the rest of the day, the complement
  ("utc 16:30-00:30").

We read the JSON ourselves rather than depend on the `genai-prices` package: its `types`
module needs pydantic at runtime only to validate, and we need just the shape above.
Source keys are `<provider id>/<model id>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Final

from core.errors import LayoutChanged
from core.rows import Component, LimitRow, Parsed, PriceRow
from extractors.base import Source
from extractors.feeds.common import json_number, load_json, tidy, token_count
from extractors.providers import genai_prices_model

SOURCE_ID = "genai-prices"
URL = "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/data.json"

FIELDS: Final[dict[str, Component]] = {
    "input_mtok": "input",
    "output_mtok": "output",
    "cache_read_mtok": "cache_read",
    # genai-prices' single cache-write price is the default (5-minute) write.
    "cache_write_mtok": "cache_write_5m",
    "cache_write_1h_mtok": "cache_write_1h",
}
# Audio, image and video tokens, per-request and per-search fees: not text-token prices.
NOT_OURS: Final = frozenset(
    {
        "input_audio_mtok", "output_audio_mtok", "cache_audio_read_mtok", "input_image_mtok",
        "output_image_mtok", "cache_image_read_mtok", "input_video_mtok", "output_video_mtok",
        "output_reasoning_mtok", "output_citation_mtok", "requests_kcount",
        "web_searches_kcount",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class When:
    """Where a price set applies: dates (half-open) and a time-of-day condition."""

    effective_from: date | None = None
    effective_to: date | None = None
    condition: str = ""


def split(payload: bytes) -> Mapping[str, object]:
    """Models by `<provider id>/<model id>`."""
    data = load_json(SOURCE_ID, payload)
    if not isinstance(data, list):
        raise LayoutChanged(SOURCE_ID, "top level is not a list of providers")
    entries: dict[str, object] = {}
    for provider in data:
        provider_id = provider.get("id") if isinstance(provider, dict) else None
        models = provider.get("models") if isinstance(provider, dict) else None
        if not isinstance(provider_id, str) or not isinstance(models, list):
            raise LayoutChanged(SOURCE_ID, "a provider lacks a string `id` or a `models` list")
        for model in models:
            model_id = model.get("id") if isinstance(model, dict) else None
            if not isinstance(model_id, str):
                raise LayoutChanged(SOURCE_ID, f"{provider_id}: a model has no string `id`")
            entries[f"{provider_id}/{model_id}"] = model
    if not entries:
        raise LayoutChanged(SOURCE_ID, "no models in any provider")
    return entries


def parse_entry(key: str, entry: object) -> Parsed:
    """One genai-prices model -> its price rows and context window."""
    if not isinstance(entry, dict):
        raise LayoutChanged(SOURCE_ID, f"{key}: model is not an object")
    provider_id, _, model_id = key.partition("/")
    provider, model = genai_prices_model(provider_id, model_id)
    out = Parsed()
    for when, prices in _price_sets(key, entry.get("prices"), out.unmapped_fields):
        for name, value in prices.items():
            component = FIELDS.get(name)
            if component is None:
                if name not in NOT_OURS:
                    out.unmapped_fields.add(name)
                continue
            for threshold, usd in _tiers(key, name, value):
                out.prices.append(
                    PriceRow(
                        source=SOURCE_ID,
                        source_model_key=key,
                        provider=provider,
                        model=model,
                        component=component,
                        usd_per_mtok=tidy(usd),
                        tier_min_prompt_tokens=threshold,
                        effective_from=when.effective_from,
                        effective_to=when.effective_to,
                        condition=when.condition,
                    )
                )
    window = token_count(SOURCE_ID, key, "context_window", entry.get("context_window"))
    if window is not None:
        out.limits.append(LimitRow(SOURCE_ID, key, provider, model, context_window_tokens=window))
    return out


def _tiers(key: str, field: str, value: object) -> list[tuple[int, Decimal]]:
    """(tier_min_prompt_tokens, USD per Mtok) pairs of one price value."""
    if not isinstance(value, dict):
        usd = json_number(SOURCE_ID, key, field, value)
        return [] if usd is None else [(0, usd)]
    base = json_number(SOURCE_ID, key, f"{field}.base", value.get("base"))
    out: list[tuple[int, Decimal]] = [] if base is None else [(0, base)]
    tiers = value.get("tiers", [])
    if not isinstance(tiers, list):
        raise LayoutChanged(SOURCE_ID, f"{key}: {field}.tiers is not a list")
    for tier in tiers:
        if not isinstance(tier, dict):
            raise LayoutChanged(SOURCE_ID, f"{key}: {field}.tiers has a non-object item")
        start = token_count(SOURCE_ID, key, f"{field}.tiers.start", tier.get("start"))
        price = json_number(SOURCE_ID, key, f"{field}.tiers.price", tier.get("price"))
        if start is None or price is None:
            raise LayoutChanged(SOURCE_ID, f"{key}: {field}.tiers item lacks start or price")
        out.append((start, price))
    return out


def _price_sets(
    key: str, prices: object, unmapped: set[str]
) -> list[tuple[When, Mapping[str, Any]]]:
    """Each price set with where it applies (see the module docstring)."""
    if isinstance(prices, dict):
        return [(When(), prices)]
    if not isinstance(prices, list) or not prices:
        raise LayoutChanged(
            SOURCE_ID, f"{key}: `prices` is neither a price set nor a non-empty list"
        )
    sets: list[tuple[Mapping[str, Any], Mapping[str, Any]]] = []
    for item in prices:
        if not isinstance(item, dict) or not isinstance(item.get("prices"), dict):
            raise LayoutChanged(SOURCE_ID, f"{key}: a conditional price has no `prices` object")
        constraint = item.get("constraint") or {}
        if not isinstance(constraint, dict):
            raise LayoutChanged(SOURCE_ID, f"{key}: a price constraint is not an object")
        sets.append((constraint, item["prices"]))
    return _resolve(key, sets, unmapped)


def _resolve(
    key: str, sets: list[tuple[Mapping[str, Any], Mapping[str, Any]]], unmapped: set[str]
) -> list[tuple[When, Mapping[str, Any]]]:
    starts: list[tuple[int, date]] = []
    windows: list[tuple[int, str]] = []
    for index, (constraint, _) in enumerate(sets[1:], start=1):
        if "start_date" in constraint:
            starts.append((index, _date(key, constraint["start_date"])))
        elif "start_time" in constraint and "end_time" in constraint:
            windows.append((index, _window(key, constraint)))
        elif constraint:
            unmapped.update(f"constraint.{name}" for name in constraint)
        else:  # an unconstrained set after the first would shadow all before it: unknown
            unmapped.add("constraint missing on a later price set")
    out: list[tuple[When, Mapping[str, Any]]] = []
    first_to = min((d for _, d in starts), default=None)
    first_condition = _complement(windows[0][1]) if len(windows) == 1 else ""
    if len(windows) > 1:
        first_condition = "utc outside " + ", ".join(w for _, w in windows)
    out.append((When(effective_to=first_to, condition=first_condition), sets[0][1]))
    for index, start in starts:
        # A later-listed set wins from its own date on; one that starts no later shadows it.
        later = [d for i, d in starts if i > index]
        if any(d <= start for d in later):
            continue
        end = min((d for d in later if d > start), default=None)
        out.append((When(effective_from=start, effective_to=end), sets[index][1]))
    out.extend((When(condition=window), sets[index][1]) for index, window in windows)
    return out


def _date(key: str, value: object) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise LayoutChanged(SOURCE_ID, f"{key}: start_date {value!r} is not a date") from None


def _hhmm(key: str, value: object) -> str:
    text = str(value).rstrip("Z")
    parts = text.split(":")
    if len(parts) < 2 or not all(p.isdigit() for p in parts):
        raise LayoutChanged(SOURCE_ID, f"{key}: time {value!r} is not HH:MM[:SS]Z")
    return f"{int(parts[0]):02d}:{int(parts[1]):02d}"


def _window(key: str, constraint: Mapping[str, Any]) -> str:
    return f"utc {_hhmm(key, constraint['start_time'])}-{_hhmm(key, constraint['end_time'])}"


def _complement(window: str) -> str:
    start, end = window.removeprefix("utc ").split("-")
    return f"utc {end}-{start}"


SOURCE = Source(
    id=SOURCE_ID,
    url=URL,
    official=False,
    description="pydantic's genai-prices data file (USD per million tokens, dated prices)",
    split=split,
    parse_entry=parse_entry,
    accept="application/json",
    page_url="https://github.com/pydantic/genai-prices",
)
parse = SOURCE.parse
fetch = SOURCE.fetch
