"""OpenRouter's model list, `GET https://openrouter.ai/api/v1/models`.

The answer is `{"data": [model, ...]}`; each model has an `id` (`vendor/model[:variant]`),
`context_length`, `top_provider: {context_length, max_completion_tokens}` and
`pricing`: decimal *strings* in USD per token, e.g.::

    "pricing": {"prompt": "0.00000125", "completion": "0.00001",
                "input_cache_read": "0.000000125", "input_cache_write": "0.000000375",
                "overrides": [{"min_prompt_tokens": 200000, "prompt": "0.0000025", ...}]}

`overrides` carry the long-context tiers (the same fields, from `min_prompt_tokens` on).
`"-1"` marks variable pricing (the `openrouter/auto` routers): no row, not a negative
price. Fields come and go between API versions, so every field but `id` is optional; price
fields we do not know are reported in `Parsed.unmapped_fields`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from core.errors import LayoutChanged
from core.rows import Component, LimitRow, Parsed, PriceRow
from extractors.base import Source
from extractors.feeds.common import MTOK, decimal_text, json_number, load_json, tidy, token_count
from extractors.providers import OpenRouterModel, openrouter_model

SOURCE_ID = "openrouter"
URL = "https://openrouter.ai/api/v1/models"

FIELDS: Final[dict[str, Component]] = {
    "prompt": "input",
    "completion": "output",
    "input_cache_read": "cache_read",
    # OpenRouter's plain cache write is Anthropic's 5-minute write (1.25x input).
    "input_cache_write": "cache_write_5m",
    "input_cache_write_1h": "cache_write_1h",
}
# Prices for other work (images, audio, searches, per request) and non-price fields.
NOT_OURS: Final = frozenset(
    {
        "web_search", "image", "image_output", "image_token", "audio", "audio_output",
        "input_audio_cache", "internal_reasoning", "request", "discount", "overrides",
        "min_prompt_tokens",
    }
)  # fmt: skip
VARIABLE_PRICE = "-1"


def split(payload: bytes) -> Mapping[str, object]:
    """The models by OpenRouter id."""
    data = load_json(SOURCE_ID, payload)
    models = data.get("data") if isinstance(data, dict) else None
    if not isinstance(models, list):
        raise LayoutChanged(SOURCE_ID, "no `data` list of models at the top level")
    if not models:
        raise LayoutChanged(SOURCE_ID, "`data` lists no models")
    entries: dict[str, object] = {}
    for model in models:
        model_id = model.get("id") if isinstance(model, dict) else None
        if not isinstance(model_id, str) or not model_id:
            raise LayoutChanged(SOURCE_ID, "a model in `data` has no string `id`")
        entries[model_id] = model
    return entries


def parse_entry(key: str, entry: object) -> Parsed:
    """One OpenRouter model -> its prices (base and long-context tiers) and limits."""
    out = Parsed()
    if not isinstance(entry, dict):
        raise LayoutChanged(SOURCE_ID, f"{key}: model is not an object")
    if key.startswith("~"):
        # `~anthropic/claude-sonnet-latest` and kin are moving aliases of another model
        # listed in the same answer; re-pointing one would read as a price change.
        return out
    who = openrouter_model(key)
    pricing = entry.get("pricing")
    if pricing is not None:
        if not isinstance(pricing, dict):
            raise LayoutChanged(SOURCE_ID, f"{key}: pricing is not an object")
        _prices(key, who, pricing, 0, out)
        for override in _overrides(key, pricing.get("overrides")):
            threshold = token_count(
                SOURCE_ID, key, "min_prompt_tokens", override.get("min_prompt_tokens")
            )
            if threshold is None:
                out.unmapped_fields.add("pricing.overrides[] without min_prompt_tokens")
                continue
            _prices(key, who, override, threshold, out)
    limit = _limits(key, who, entry)
    if limit is not None:
        out.limits.append(limit)
    return out


def _overrides(key: str, value: object) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(o, dict) for o in value):
        raise LayoutChanged(SOURCE_ID, f"{key}: pricing.overrides is not a list of objects")
    return value


def _prices(
    key: str, who: OpenRouterModel, fields: Mapping[str, Any], threshold: int, out: Parsed
) -> None:
    condition = f"openrouter variant :{who.variant}" if who.variant else ""
    for name, value in fields.items():
        component = FIELDS.get(name)
        if component is None:
            if name not in NOT_OURS:
                out.unmapped_fields.add(f"pricing.{name}")
            continue
        per_token = _price(key, name, value)
        if per_token is None:
            continue
        out.prices.append(
            PriceRow(
                source=SOURCE_ID,
                source_model_key=key,
                provider=who.provider,
                model=who.model,
                component=component,
                usd_per_mtok=tidy(per_token * MTOK),
                tier_min_prompt_tokens=threshold,
                condition=condition,
            )
        )


def _price(key: str, field: str, value: object) -> Decimal | None:
    """USD per token, or None for variable pricing ("-1") and absent values (null)."""
    if isinstance(value, str):
        if value.strip() == VARIABLE_PRICE:
            return None
        return decimal_text(SOURCE_ID, key, f"pricing.{field}", value)
    # OpenRouter writes strings; a bare JSON number means the same and is accepted, and
    # anything else (a bool, an object) fails in json_number with key and field named.
    if isinstance(value, int | float) and not isinstance(value, bool) and value == -1:
        return None
    return json_number(SOURCE_ID, key, f"pricing.{field}", value)


def _limits(key: str, who: OpenRouterModel, entry: Mapping[str, Any]) -> LimitRow | None:
    # The model's own `context_length` is the window; `top_provider.context_length` is the
    # current best endpoint's, which can be smaller and changes with routing.
    context = token_count(SOURCE_ID, key, "context_length", entry.get("context_length"))
    top = entry.get("top_provider")
    top_fields: Mapping[str, Any] = top if isinstance(top, dict) else {}
    max_output = token_count(
        SOURCE_ID,
        key,
        "top_provider.max_completion_tokens",
        top_fields.get("max_completion_tokens"),
    )
    if context is None and max_output is None:
        return None
    return LimitRow(
        source=SOURCE_ID,
        source_model_key=key,
        provider=who.provider,
        model=who.model,
        context_window_tokens=context,
        max_output_tokens=max_output,
    )


SOURCE = Source(
    id=SOURCE_ID,
    url=URL,
    official=False,
    description="OpenRouter's public model list with per-token prices and long-context tiers",
    split=split,
    parse_entry=parse_entry,
    accept="application/json",
    page_url="https://openrouter.ai/models",
)
parse = SOURCE.parse
fetch = SOURCE.fetch
