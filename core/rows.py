"""The canonical row types every source produces (see DESIGN.md vocabulary)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, get_args

Component = Literal[
    "input",
    "output",
    "cache_read",
    "cache_write_5m",
    "cache_write_1h",
    "cache_storage_per_hour",
]
ServiceTier = Literal["standard", "batch", "flex", "priority"]

COMPONENTS: tuple[str, ...] = get_args(Component)

MTOK = Decimal(1_000_000)


@dataclass(frozen=True, slots=True)
class PriceRow:
    """One price of one model, as one source states it.

    `usd_per_mtok` is USD per million tokens (for `cache_storage_per_hour`: USD per
    million tokens per hour). `tier_min_prompt_tokens` is 0 for the base tier and the
    prompt length above which the price applies otherwise. `effective_from` /
    `effective_to` carry dated prices (scheduled changes, time-limited discounts;
    `effective_from` is the first day the price applies, `effective_to` the first day it
    no longer does);
    `condition` describes any other qualifier (a time-of-day window, a modality).
    """

    source: str
    source_model_key: str
    provider: str
    model: str
    component: Component
    usd_per_mtok: Decimal
    service_tier: ServiceTier = "standard"
    tier_min_prompt_tokens: int = 0
    effective_from: date | None = None
    effective_to: date | None = None
    condition: str = ""

    def series_key(self) -> tuple[str, str, str, str, int, str, str]:
        """Identity of the series this value belongs to (one value per snapshot)."""
        return (
            self.source_model_key,
            self.component,
            self.service_tier,
            self.condition,
            self.tier_min_prompt_tokens,
            self.effective_from.isoformat() if self.effective_from else "",
            self.effective_to.isoformat() if self.effective_to else "",
        )


@dataclass(frozen=True, slots=True)
class LimitRow:
    """A model's token limits as one source states them (None: not stated)."""

    source: str
    source_model_key: str
    provider: str
    model: str
    context_window_tokens: int | None = None
    max_input_tokens: int | None = None
    max_output_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class SectionFailure:
    """One section of an official page that was skipped, and why; the rest still loads.

    `section` is the section's key on the page (stable from one capture to the next),
    `heading` its heading as shown, `kind` the typed error's kind (layout_changed,
    ambiguous_price, ...) and `models` the model ids the section names, when readable.
    """

    source: str
    section: str
    heading: str
    kind: str
    reason: str
    models: tuple[str, ...] = ()


@dataclass(slots=True)
class Parsed:
    """What parsing one payload yields: rows plus what the parser chose to ignore."""

    prices: list[PriceRow] = field(default_factory=list)
    limits: list[LimitRow] = field(default_factory=list)
    # Fields the parser did not understand, for the run summary (never a failure).
    unmapped_fields: set[str] = field(default_factory=set)
    # Page sections skipped with a typed, section-scoped failure (official pages only).
    section_failures: list[SectionFailure] = field(default_factory=list)

    def extend(self, other: Parsed) -> None:
        self.prices.extend(other.prices)
        self.limits.extend(other.limits)
        self.unmapped_fields |= other.unmapped_fields
        self.section_failures.extend(other.section_failures)

    @property
    def model_keys(self) -> set[str]:
        return {r.source_model_key for r in self.prices} | {r.source_model_key for r in self.limits}


@dataclass(frozen=True, slots=True)
class PriceTier:
    """Prices that apply from `min_prompt_tokens` on: (column name, value) pairs, the
    names those of EndpointRow's price columns (`input_usd_per_mtok`, ...)."""

    min_prompt_tokens: int
    prices: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True)
class EndpointRow:
    """One host's endpoint of one model, as an OpenRouter endpoints response states it.

    Prices are USD per million tokens (`*_usd_per_mtok`), per image, per request or per
    web search as their names say; `discount_fraction` is OpenRouter's discount (0.25:
    a quarter off). Uptimes are percentages; latency (ms) and throughput (output tokens
    per second per request) are the host's last-30-minute percentiles, stated only when
    the request carried an API key. None is "not stated", never 0. `endpoint_key` is the
    host's tag, with `#2`, `#3` for further endpoints that share a tag in one response.
    `long_context_tiers` holds OpenRouter's `overrides`: (min prompt tokens, the prices
    above it by component) per tier.
    """

    source: str
    source_model_key: str
    endpoint_key: str
    host: str
    endpoint_name: str
    quantization: str | None
    context_tokens: int | None
    max_output_tokens: int | None
    max_prompt_tokens: int | None
    input_usd_per_mtok: Decimal | None = None
    output_usd_per_mtok: Decimal | None = None
    cache_read_usd_per_mtok: Decimal | None = None
    cache_write_usd_per_mtok: Decimal | None = None
    cache_write_1h_usd_per_mtok: Decimal | None = None
    internal_reasoning_usd_per_mtok: Decimal | None = None
    audio_input_usd_per_mtok: Decimal | None = None
    audio_cache_read_usd_per_mtok: Decimal | None = None
    audio_output_usd_per_mtok: Decimal | None = None
    image_token_usd_per_mtok: Decimal | None = None
    image_input_usd_per_image: Decimal | None = None
    image_output_usd_per_image: Decimal | None = None
    request_usd: Decimal | None = None
    web_search_usd_per_search: Decimal | None = None
    discount_fraction: Decimal | None = None
    long_context_tiers: tuple[PriceTier, ...] = ()
    status: int | None = None
    uptime_last_5m_pct: float | None = None
    uptime_last_30m_pct: float | None = None
    uptime_last_1d_pct: float | None = None
    latency_p50_ms: float | None = None
    latency_p75_ms: float | None = None
    latency_p90_ms: float | None = None
    latency_p99_ms: float | None = None
    throughput_p50_tokens_per_s: float | None = None
    throughput_p75_tokens_per_s: float | None = None
    throughput_p90_tokens_per_s: float | None = None
    throughput_p99_tokens_per_s: float | None = None
    supports_implicit_caching: bool | None = None


@dataclass(frozen=True, slots=True)
class ArchitectureRow:
    """A model's architecture as its published config states it, normalised across
    families (Hugging Face `config.json` of DeepSeek, Kimi, Qwen, gpt-oss, Llama, Mixtral,
    and DeepSeek's own inference configs). None: the config does not state it (a dense
    model has no experts: `experts_routed` None, not 0).

    `dense_layers` counts the leading layers with a dense MLP in an MoE model
    (`first_k_dense_replace`); `moe_layer_step` is the MoE layer interval (Llama 4's
    `interleave_moe_layer_step` 2: every second layer). `sliding_window_layers` counts
    layers that attend within `sliding_window_tokens` only. `mla_*` are multi-head latent
    attention ranks; `sparse_attention_topk` is DeepSeek's indexer top-k (tokens each
    query attends to). `weight_format` is the shipped weights' quantization (`fp8`,
    `mxfp4`, `int4`) or their dtype when unquantized (`bf16`).
    """

    source: str
    source_model_key: str
    config_format: str  # hf | deepseek-inference
    model_type: str | None
    layers: int | None
    hidden_size: int | None
    heads: int | None
    kv_heads: int | None
    head_dim: int | None
    intermediate_size: int | None = None
    experts_routed: int | None = None
    experts_per_token: int | None = None
    experts_shared: int | None = None
    expert_intermediate_size: int | None = None
    dense_layers: int | None = None
    moe_layer_step: int | None = None
    mla_kv_lora_rank: int | None = None
    mla_q_lora_rank: int | None = None
    mla_rope_head_dim: int | None = None
    mla_nope_head_dim: int | None = None
    mla_v_head_dim: int | None = None
    sliding_window_tokens: int | None = None
    sliding_window_layers: int | None = None
    sparse_attention_topk: int | None = None
    indexer_heads: int | None = None
    indexer_head_dim: int | None = None
    max_position_tokens: int | None = None
    vocab_size: int | None = None
    tied_embeddings: bool | None = None
    torch_dtype: str | None = None
    weight_format: str | None = None
    expert_weight_format: str | None = None
    unmapped_fields: tuple[str, ...] = ()


@dataclass(slots=True)
class Observed:
    """What parsing one payload of a watched-model source yields."""

    endpoints: list[EndpointRow] = field(default_factory=list)
    architectures: list[ArchitectureRow] = field(default_factory=list)
    # Fields the parser does not read (kept in the archived payload), for the summary.
    unmapped_fields: set[str] = field(default_factory=set)

    @property
    def model_keys(self) -> set[str]:
        return {r.source_model_key for r in self.endpoints} | {
            r.source_model_key for r in self.architectures
        }
