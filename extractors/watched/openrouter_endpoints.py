"""OpenRouter's hosts of one model, `GET /api/v1/models/{author}/{slug}/endpoints`.

The answer is `{"data": {"id": model, "endpoints": [endpoint, ...]}}`, one endpoint per
host (and per host variant: `deepinfra/turbo`, `openai/flex`). Each states the host's
quantization, context and output limits, `pricing` (decimal strings, USD per token, per
image, per request or per search; `discount` a fraction; `overrides` the long-context
tiers), `status` (0 normal, negative degraded or down), uptimes in percent, and
`latency_last_30m` (ms) and `throughput_last_30m` (tokens/s) as `{p50, p75, p90, p99}`
objects, which are null unless the request carried an API key.

Nothing absent becomes 0: a price the host does not state, a null uptime and
quantization `unknown` are all None. Fields this parser does not read are reported as
unmapped, never a failure. A saved file may also hold several answers keyed by model id
(how some projects store them); each is parsed the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from core.errors import InvalidPrice, LayoutChanged
from core.rows import EndpointRow, Observed, PriceTier
from extractors.feeds.common import MTOK, decimal_text, kind_of, load_json, tidy, token_count
from extractors.watched.base import WatchedSource
from extractors.watched.watchlist import OPENROUTER_DEFAULTS

SOURCE_ID = "openrouter-endpoints"
URL_TEMPLATE = "https://openrouter.ai/api/v1/models/{model}/endpoints"

# OpenRouter pricing field -> (column, multiplier to the column's unit).
PRICES: Final[dict[str, tuple[str, Decimal]]] = {
    "prompt": ("input_usd_per_mtok", MTOK),
    "completion": ("output_usd_per_mtok", MTOK),
    "input_cache_read": ("cache_read_usd_per_mtok", MTOK),
    "input_cache_write": ("cache_write_usd_per_mtok", MTOK),
    "input_cache_write_1h": ("cache_write_1h_usd_per_mtok", MTOK),
    "internal_reasoning": ("internal_reasoning_usd_per_mtok", MTOK),
    "audio": ("audio_input_usd_per_mtok", MTOK),
    "input_audio_cache": ("audio_cache_read_usd_per_mtok", MTOK),
    "audio_output": ("audio_output_usd_per_mtok", MTOK),
    "image_token": ("image_token_usd_per_mtok", MTOK),
    "image": ("image_input_usd_per_image", Decimal(1)),
    "image_output": ("image_output_usd_per_image", Decimal(1)),
    "request": ("request_usd", Decimal(1)),
    "web_search": ("web_search_usd_per_search", Decimal(1)),
}
PERCENTILES: Final = ("p50", "p75", "p90", "p99")
VARIABLE_PRICE = "-1"  # OpenRouter's router models: no fixed price
# Endpoint fields read below, and those known to say nothing about price or speed.
READ: Final = frozenset(
    {
        "name", "provider_name", "tag", "quantization", "context_length",
        "max_completion_tokens", "max_prompt_tokens", "pricing", "status",
        "uptime_last_5m", "uptime_last_30m", "uptime_last_1d", "latency_last_30m",
        "throughput_last_30m", "supports_implicit_caching",
    }
)  # fmt: skip
KNOWN: Final = frozenset(
    {
        "model_id", "model_name", "supported_parameters", "supports_tool_choice",
        "native_tools", "supports_voice_cloning", "supports_multiple_audio_references",
        "supports_image_reference", "is_byok", "data_policy",
    }
)  # fmt: skip


def responses(payload: bytes) -> dict[str, Mapping[str, Any]]:
    """The endpoint answers in a payload by model id: one answer, or several keyed by id."""
    doc = load_json(SOURCE_ID, payload)
    if isinstance(doc, dict) and "data" in doc:
        return {_model_id(doc): doc}
    if (
        isinstance(doc, dict)
        and doc
        and all(isinstance(v, dict) and "data" in v for v in doc.values())
    ):
        return {_model_id(v): v for v in doc.values()}
    raise LayoutChanged(SOURCE_ID, "no `data` object at the top level")


def parse(payload: bytes, model: str | None = None) -> Observed:
    """Every endpoint of every answer in `payload` (pure). `model`, when given, is the
    model wanted: of a file of several answers, that model's; an answer about another
    model is refused."""
    out = Observed()
    found = responses(payload)
    if model is not None and len(found) > 1 and model in found:
        found = {model: found[model]}
    for model_id, doc in found.items():
        if model is not None and model_id != model:
            raise LayoutChanged(SOURCE_ID, f"asked for {model}, the answer is about {model_id}")
        out.endpoints.extend(_endpoints(model_id, doc["data"]["endpoints"], out.unmapped_fields))
    return out


def models_in(payload: bytes) -> tuple[str, ...]:
    """The model ids a saved payload answers for (one, or several keyed by id)."""
    return tuple(responses(payload))


def host_keys(observed: Observed) -> frozenset[str]:
    """The answer's endpoints, by their key (the host's tag, `#2` for a second one)."""
    return frozenset(e.endpoint_key for e in observed.endpoints)


def _model_id(doc: Mapping[str, Any]) -> str:
    data = doc.get("data")
    if not isinstance(data, dict):
        raise LayoutChanged(SOURCE_ID, f"`data` is {kind_of(data)}, not an object")
    model_id = data.get("id")
    if not isinstance(model_id, str) or not model_id:
        raise LayoutChanged(SOURCE_ID, "`data` has no string `id`")
    if not isinstance(data.get("endpoints"), list):
        raise LayoutChanged(SOURCE_ID, f"{model_id}: `data.endpoints` is not a list")
    return model_id


def _endpoints(model_id: str, items: list[Any], unmapped: set[str]) -> list[EndpointRow]:
    rows: list[EndpointRow] = []
    seen: dict[str, int] = {}
    for item in items:
        if not isinstance(item, dict):
            raise LayoutChanged(SOURCE_ID, f"{model_id}: an endpoint is {kind_of(item)}")
        tag = _text(item.get("tag")) or _text(item.get("name"))
        if not tag:
            raise LayoutChanged(SOURCE_ID, f"{model_id}: an endpoint has neither tag nor name")
        seen[tag] = seen.get(tag, 0) + 1
        key = tag if seen[tag] == 1 else f"{tag}#{seen[tag]}"
        unmapped |= {f"endpoint.{k}" for k in item if k not in READ and k not in KNOWN}
        rows.append(_endpoint(model_id, key, item, unmapped))
    return rows


def _endpoint(model_id: str, key: str, e: Mapping[str, Any], unmapped: set[str]) -> EndpointRow:
    where = f"{model_id} {key}"
    pricing = e.get("pricing") or {}
    if not isinstance(pricing, dict):
        raise LayoutChanged(SOURCE_ID, f"{where}: pricing is {kind_of(pricing)}")
    prices, tiers = _prices(where, pricing, unmapped), _tiers(where, pricing.get("overrides"))
    latency = _percentiles(where, "latency_last_30m", e.get("latency_last_30m"))
    speed = _percentiles(where, "throughput_last_30m", e.get("throughput_last_30m"))
    quant = _text(e.get("quantization"))
    return EndpointRow(
        source=SOURCE_ID,
        source_model_key=model_id,
        endpoint_key=key,
        host=_text(e.get("provider_name")) or key.split("/")[0],
        endpoint_name=_text(e.get("name")) or "",
        quantization=None if quant in (None, "unknown") else quant,
        context_tokens=token_count(SOURCE_ID, where, "context_length", e.get("context_length")),
        max_output_tokens=token_count(
            SOURCE_ID, where, "max_completion_tokens", e.get("max_completion_tokens")
        ),
        max_prompt_tokens=token_count(
            SOURCE_ID, where, "max_prompt_tokens", e.get("max_prompt_tokens")
        ),
        discount_fraction=_fraction(where, pricing.get("discount")),
        long_context_tiers=tiers,
        status=_status(where, e.get("status")),
        uptime_last_5m_pct=_number(where, "uptime_last_5m", e.get("uptime_last_5m")),
        uptime_last_30m_pct=_number(where, "uptime_last_30m", e.get("uptime_last_30m")),
        uptime_last_1d_pct=_number(where, "uptime_last_1d", e.get("uptime_last_1d")),
        latency_p50_ms=latency[0],
        latency_p75_ms=latency[1],
        latency_p90_ms=latency[2],
        latency_p99_ms=latency[3],
        throughput_p50_tokens_per_s=speed[0],
        throughput_p75_tokens_per_s=speed[1],
        throughput_p90_tokens_per_s=speed[2],
        throughput_p99_tokens_per_s=speed[3],
        supports_implicit_caching=_flag(e.get("supports_implicit_caching")),
        **prices,
    )


def _prices(where: str, pricing: Mapping[str, Any], unmapped: set[str]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for field, value in pricing.items():
        if field in ("discount", "overrides"):
            continue
        if field not in PRICES:
            unmapped.add(f"pricing.{field}")
            continue
        price = _price(where, field, value)
        if price is not None:
            column, scale = PRICES[field]
            out[column] = tidy(price * scale)
    return out


def _price(where: str, field: str, value: object) -> Decimal | None:
    if value is None or value == VARIABLE_PRICE:
        return None
    if not isinstance(value, str):
        raise InvalidPrice(SOURCE_ID, f"{where}: pricing.{field} is {kind_of(value)}, not text")
    return decimal_text(SOURCE_ID, where, f"pricing.{field}", value)


def _tiers(where: str, overrides: object) -> tuple[PriceTier, ...]:
    if overrides is None:
        return ()
    if not isinstance(overrides, list):
        raise LayoutChanged(SOURCE_ID, f"{where}: pricing.overrides is {kind_of(overrides)}")
    tiers = []
    for tier in overrides:
        if not isinstance(tier, dict):
            raise LayoutChanged(SOURCE_ID, f"{where}: a pricing override is {kind_of(tier)}")
        start = token_count(SOURCE_ID, where, "min_prompt_tokens", tier.get("min_prompt_tokens"))
        if start is None:
            raise LayoutChanged(SOURCE_ID, f"{where}: an override has no min_prompt_tokens")
        prices = _prices(where, {k: v for k, v in tier.items() if k != "min_prompt_tokens"}, set())
        tiers.append(PriceTier(start, tuple(sorted(prices.items()))))
    return tuple(sorted(tiers, key=lambda t: t.min_prompt_tokens))


def _percentiles(where: str, field: str, value: object) -> tuple[float | None, ...]:
    if value is None:
        return (None,) * len(PERCENTILES)
    if not isinstance(value, dict):
        raise LayoutChanged(SOURCE_ID, f"{where}: {field} is {kind_of(value)}, not percentiles")
    return tuple(_number(where, f"{field}.{p}", value.get(p)) for p in PERCENTILES)


def _number(where: str, field: str, value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise LayoutChanged(SOURCE_ID, f"{where}: {field} is {value!r}, not a measurement")
    return float(value)


def _fraction(where: str, value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise InvalidPrice(SOURCE_ID, f"{where}: discount is {value!r}, not a fraction")
    return tidy(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))


def _status(where: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise LayoutChanged(SOURCE_ID, f"{where}: status is {value!r}, not a whole number")
    return value


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


SOURCE = WatchedSource(
    id=SOURCE_ID,
    description=(
        "OpenRouter's hosts of each watched model: per host prices, discount, "
        "quantization, limits, uptime, and latency/throughput percentiles (with a key)"
    ),
    url_template=URL_TEMPLATE,
    parse=parse,
    default_models=OPENROUTER_DEFAULTS,
    token_variable="OPENROUTER_API_KEY",
    host_keys=host_keys,
    models_in=models_in,
)
