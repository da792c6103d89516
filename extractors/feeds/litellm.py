"""LiteLLM's `model_prices_and_context_window.json`: one object keyed by LiteLLM model key.

Each entry states prices in USD per *token* as JSON numbers, e.g.::

    "gemini/gemini-2.5-pro": {"litellm_provider": "gemini", "mode": "chat",
        "input_cost_per_token": 1.25e-06, "input_cost_per_token_above_200k_tokens": 2.5e-06,
        "cache_read_input_token_cost": 1.25e-07, "max_input_tokens": 1048576, ...}

Field names compose: a base (`input_cost_per_token`, `output_cost_per_token`,
`cache_read_input_token_cost`, `cache_creation_input_token_cost`), then optionally
`_above_1hr` (1-hour cache write), `_above_<N>k_tokens` (long-context tier starting at
N*1000 prompt tokens) and `_batches` / `_flex` / `_priority` (service tier). Some entries
give `tiered_pricing: [{range: [lo, hi], input_cost_per_token, ...}]` instead. Limits are
`max_input_tokens`, `max_output_tokens` and the legacy `max_tokens`. The `sample_spec` key
documents the format and `fallback_generalizations` holds routing rules: neither is a model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from core.errors import LayoutChanged
from core.rows import Component, LimitRow, Parsed, PriceRow, ServiceTier
from extractors.base import Source
from extractors.feeds.common import MTOK, json_number, kind_of, load_json, tidy, token_count
from extractors.providers import litellm_model

SOURCE_ID = "litellm"
URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
NOT_MODELS = frozenset({"sample_spec", "fallback_generalizations"})

# Modes whose token prices are text inference, the prices the thesis reads. A missing mode
# is LiteLLM's default, chat (the 2023 files rarely state it). Embedding, image, audio,
# video, rerank, moderation, OCR, search and realtime entries are priced for other work
# (per image, per second, per query, audio sessions) and would only muddy output/input
# ratios, so they yield no rows at all.
TEXT_MODES: Final = frozenset({"chat", "completion", "responses", None})

_BASES: Final[dict[str, Component]] = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cache_read",
    "cache_creation_input_token_cost": "cache_write_5m",
}
_TIERS: Final[dict[str, ServiceTier]] = {
    "batches": "batch",
    "flex": "flex",
    "priority": "priority",
}
_PRICE_FIELD = re.compile(
    r"(?P<base>input_cost_per_token|output_cost_per_token"
    r"|cache_read_input_token_cost|cache_creation_input_token_cost)"
    r"(?P<hour>_above_1hr)?(?:_above_(?P<k>\d+)k_tokens)?(?:_(?P<tier>batches|flex|priority))?"
)
# DeepSeek's entries once named the cache-read price this way; used only when the entry
# has no `cache_read_input_token_cost` (then it is the same figure).
_CACHE_HIT_ALIAS = "input_cost_per_token_cache_hit"
# Price fields for work that is not text tokens: silently not ours.
_OTHER_WORK = (
    "audio", "image", "video", "pixel", "character", "second", "query", "request", "page",
    "session", "search", "citation", "reasoning", "dbu", "db_cost", "credit", "annotation",
    "guardrail", "vector_store", "file_search", "computer_use", "code_interpreter", "maps",
    "message", "interval",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PriceField:
    """What one field name means: a component, service tier and long-context threshold."""

    component: Component
    service_tier: ServiceTier
    tier_min_prompt_tokens: int


IGNORED: Final = "ignored"
UNMAPPED: Final = "unmapped"


@lru_cache(maxsize=4096)
def classify_field(name: str) -> PriceField | str:
    """A field name -> its PriceField, IGNORED (not a text-token price) or UNMAPPED (looks
    like a price we do not understand: reported, never a failure). Cached: a snapshot has
    a few hundred distinct names across thousands of entries."""
    match = _PRICE_FIELD.fullmatch(name)
    if match:
        component = _BASES[match["base"]]
        if match["hour"]:
            if component != "cache_write_5m":
                return UNMAPPED
            component = "cache_write_1h"
        tier = _TIERS[match["tier"]] if match["tier"] else "standard"
        return PriceField(component, tier, int(match["k"]) * 1000 if match["k"] else 0)
    if name == _CACHE_HIT_ALIAS:
        return PriceField("cache_read", "standard", 0)
    if "cost" not in name:
        return IGNORED
    return IGNORED if any(word in name for word in _OTHER_WORK) else UNMAPPED


def split(payload: bytes) -> Mapping[str, object]:
    """The model entries by LiteLLM key, without the documentation keys."""
    data = load_json(SOURCE_ID, payload)
    if not isinstance(data, dict):
        raise LayoutChanged(
            SOURCE_ID, f"top level is a {kind_of(data)}, expected an object of models"
        )
    entries = {k: v for k, v in data.items() if k not in NOT_MODELS}
    if not entries:
        raise LayoutChanged(SOURCE_ID, "no model entries in the file")
    for key, entry in entries.items():
        if not isinstance(entry, dict):
            raise LayoutChanged(
                SOURCE_ID, f"{key}: entry is a {kind_of(entry)}, expected an object"
            )
    return entries


def parse_entry(key: str, entry: object) -> Parsed:
    """One LiteLLM entry -> its text-token prices and limits."""
    out = Parsed()
    if not isinstance(entry, dict):
        raise LayoutChanged(SOURCE_ID, f"{key}: entry is a {kind_of(entry)}, expected an object")
    mode = entry.get("mode")
    if not isinstance(mode, str | None) or mode not in TEXT_MODES:
        return out
    litellm_provider = entry.get("litellm_provider")
    provider, model = litellm_model(
        key, litellm_provider if isinstance(litellm_provider, str) else None
    )
    prices: dict[tuple[str, str, int], PriceRow] = {}
    _collect(key, entry, provider, model, None, prices, out.unmapped_fields)
    tiers = entry.get("tiered_pricing")
    if tiers is not None:
        for lo, tier in _tiered(key, tiers):
            _collect(key, tier, provider, model, lo, prices, out.unmapped_fields)
    out.prices.extend(prices.values())
    limit = _limits(key, entry, provider, model)
    if limit is not None:
        out.limits.append(limit)
    return out


def _collect(
    key: str,
    fields: Mapping[str, Any],
    provider: str,
    model: str,
    threshold: int | None,
    into: dict[tuple[str, str, int], PriceRow],
    unmapped: set[str],
) -> None:
    """Price rows from `fields`; `threshold` overrides the name's tier (tiered_pricing)."""
    for name, value in fields.items():
        spec = classify_field(name)
        if isinstance(spec, str):
            if spec == UNMAPPED:
                unmapped.add(name)
            continue
        if name == _CACHE_HIT_ALIAS and "cache_read_input_token_cost" in fields:
            continue
        per_token = json_number(SOURCE_ID, key, name, value)
        if per_token is None:  # null: LiteLLM has no figure for it, not a zero price
            continue
        min_tokens = spec.tier_min_prompt_tokens if threshold is None else threshold
        row = PriceRow(
            source=SOURCE_ID,
            source_model_key=key,
            provider=provider,
            model=model,
            component=spec.component,
            usd_per_mtok=tidy(per_token * MTOK),
            service_tier=spec.service_tier,
            tier_min_prompt_tokens=min_tokens,
        )
        into[(spec.component, spec.service_tier, min_tokens)] = row


def _tiered(key: str, tiers: object) -> list[tuple[int, Mapping[str, Any]]]:
    """`tiered_pricing` items with the prompt-token count where each starts."""
    if not isinstance(tiers, list):
        raise LayoutChanged(
            SOURCE_ID, f"{key}: tiered_pricing is a {kind_of(tiers)}, expected a list"
        )
    out: list[tuple[int, Mapping[str, Any]]] = []
    for tier in tiers:
        bounds = tier.get("range") if isinstance(tier, dict) else None
        if not isinstance(tier, dict) or not isinstance(bounds, list) or not bounds:
            raise LayoutChanged(SOURCE_ID, f"{key}: tiered_pricing item without a range")
        lo = token_count(SOURCE_ID, key, "tiered_pricing.range", bounds[0])
        out.append((lo or 0, {k: v for k, v in tier.items() if k != "range"}))
    return out


def _limits(key: str, entry: Mapping[str, Any], provider: str, model: str) -> LimitRow | None:
    max_input = token_count(SOURCE_ID, key, "max_input_tokens", entry.get("max_input_tokens"))
    max_output = token_count(SOURCE_ID, key, "max_output_tokens", entry.get("max_output_tokens"))
    context = None
    if max_input is None and max_output is None:
        # The 2023 files state only `max_tokens`, and there it is the context window
        # (gpt-4: 8192, claude-2: 100000). Later it mirrors max_output_tokens: ignored.
        context = token_count(SOURCE_ID, key, "max_tokens", entry.get("max_tokens"))
    if max_input is None and max_output is None and context is None:
        return None
    return LimitRow(
        source=SOURCE_ID,
        source_model_key=key,
        provider=provider,
        model=model,
        context_window_tokens=context,
        max_input_tokens=max_input,
        max_output_tokens=max_output,
    )


SOURCE = Source(
    id=SOURCE_ID,
    url=URL,
    official=False,
    description="LiteLLM's community-maintained price and context-window file (USD per token)",
    split=split,
    parse_entry=parse_entry,
    accept="application/json",
    page_url="https://models.litellm.ai/",
)
parse = SOURCE.parse
fetch = SOURCE.fetch
