"""Every table the code writes: one row dataclass each, its fields the columns in order.

The migrations (warehouse/migrations/*.sql) create the tables; these classes are how the
code names their columns. Writes and reads derive column lists, casts and rows from them
(warehouse/table.py, warehouse/write.py), and tests/warehouse/test_tables.py fails when a
class and its migrated table differ. How to add a column: docs/warehouse.md, "Tables".

Rows are built by keyword (kw_only): a row is never a positional tuple. They are not
frozen: a frozen dataclass sets each field through object.__setattr__, which costs 5 us a
row of price_observations against 1.3 us, a tenth more on an import of LiteLLM releases
(benchmarks/import_history.py). Treat a row as a value all the same. A field has a
default only where leaving it out has one obvious meaning: the column's SQL default, or
null where some rows have nothing to say (a source failure's alert has no trigger, a
running run no summary).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.sqltypes import (
    BigInt,
    Blob,
    Boolean,
    Date,
    Decimal20_9,
    Decimal38_6,
    Double,
    Integer,
    Json,
    TimestampTz,
    Varchar,
    VarcharList,
)
from extractors.fundamentals.rows import FundamentalRow, QuoteRow
from warehouse.table import Table


@dataclass(slots=True, kw_only=True)
class RunRow:
    run_id: Varchar
    kind: Varchar  # daily | import | reprocess | backtest | fundamentals
    started_at: TimestampTz
    finished_at: TimestampTz | None = None
    status: Varchar  # running | ok | partial | failed | interrupted
    summary: Json | None = None


@dataclass(slots=True, kw_only=True)
class SourceRunRow:
    run_id: Varchar
    source: Varchar
    status: Varchar  # loaded | unchanged | not_modified | failed
    error_kind: Varchar | None
    error: Varchar | None
    snapshot_id: Varchar | None
    rows_added: Integer = 0
    started_at: TimestampTz
    finished_at: TimestampTz | None


@dataclass(slots=True, kw_only=True)
class RawSnapshotRow:
    content_sha256: Varchar  # of the uncompressed payload
    source: Varchar
    first_seen_at: TimestampTz
    size_bytes: BigInt
    encoding: Varchar
    payload: Blob


@dataclass(slots=True, kw_only=True)
class SnapshotRow:
    snapshot_id: Varchar
    source: Varchar
    observed_at: TimestampTz
    content_sha256: Varchar
    run_id: Varchar | None
    origin: Varchar  # fetch | import | reprocess
    url: Varchar | None
    etag: Varchar | None
    last_modified: Varchar | None
    status: Varchar  # loaded | failed | pending
    error_kind: Varchar | None
    error: Varchar | None
    models: Integer | None
    price_rows: Integer | None
    limit_rows: Integer | None
    unmapped_fields: VarcharList | None


@dataclass(slots=True, kw_only=True)
class PriceObservationRow:
    source: Varchar
    source_model_key: Varchar
    provider: Varchar
    model: Varchar
    component: Varchar
    service_tier: Varchar
    tier_min_prompt_tokens: BigInt
    condition: Varchar
    effective_from: Date | None
    effective_to: Date | None
    usd_per_mtok: Decimal20_9 | None  # null when the series was removed
    change: Varchar  # new | changed | removed
    snapshot_id: Varchar
    observed_at: TimestampTz


@dataclass(slots=True, kw_only=True)
class ModelLimitRow:
    source: Varchar
    source_model_key: Varchar
    provider: Varchar
    model: Varchar
    context_window_tokens: BigInt | None
    max_input_tokens: BigInt | None
    max_output_tokens: BigInt | None
    change: Varchar  # new | changed | removed
    snapshot_id: Varchar
    observed_at: TimestampTz


@dataclass(slots=True, kw_only=True)
class InferenceRow:
    day: Date  # UTC date of computed_at
    computed_at: TimestampTz
    run_id: Varchar | None
    provider: Varchar
    model: Varchar
    name: Varchar
    value: Double | None
    unit: Varchar
    label: Varchar
    explanation: Varchar
    reference_model: Varchar
    reference_hardware: Varchar
    assumptions: Json


@dataclass(slots=True, kw_only=True)
class InferenceBandRow:
    day: Date  # UTC date of computed_at
    computed_at: TimestampTz
    run_id: Varchar | None
    provider: Varchar
    model: Varchar
    name: Varchar  # as in inferences.name
    unit: Varchar
    low: Double | None  # null when no stand-in gives a value
    high: Double | None
    stand_ins: Integer
    verdict: Varchar  # the label every stand-in shares, or ''
    firm: Boolean
    decided_by: Varchar  # '' when firm
    hardware: Varchar
    stand_in_values: Json  # {"deepseek-v3.2": 638.1, ...}
    stand_in_labels: Json
    explanation: Varchar


@dataclass(slots=True, kw_only=True)
class InferenceSheetRow:
    """Which price sheet a model's inferences of `day` rest on (migration 012)."""

    day: Date  # UTC date of computed_at
    computed_at: TimestampTz
    run_id: Varchar | None
    provider: Varchar
    model: Varchar
    sheet_key: Varchar | None  # model/inversion/sheet_key.py
    recomputed: Boolean  # False: the model's last computed rows stand


@dataclass(slots=True, kw_only=True)
class FxRateRow:
    """Entered by hand with its source; Yahoo FX quotes join them in view fx_usd."""

    currency: Varchar  # ISO 4217, e.g. KRW
    as_of: Date
    usd_per_unit: Double
    source: Varchar


@dataclass(slots=True, kw_only=True)
class MemorySegmentRevenueRow:
    """A memory segment's revenue where a filing reports one, entered by hand."""

    ticker: Varchar
    period_end: Date
    period_type: Varchar  # annual | quarterly
    revenue: Decimal38_6
    currency: Varchar
    segment: Varchar  # the filing's name for it
    source_url: Varchar


@dataclass(slots=True, kw_only=True)
class AlertRow:
    alert_id: BigInt  # numbers rows in the order they were recorded
    alert_key: Varchar
    message_type: Varchar  # alert | source_broken
    trigger_id: Varchar | None = None
    kind: Varchar
    thesis_id: Varchar | None = None
    severity: Varchar
    provider: Varchar | None = None
    model: Varchar | None = None
    source_model_key: Varchar | None = None
    subject: Varchar
    old_value: Varchar | None = None
    new_value: Varchar | None = None
    unit: Varchar | None = None
    explanation: Varchar | None = None
    source_url: Varchar | None = None
    event_date: Date
    fired_at: TimestampTz
    run_id: Varchar | None
    channel: Varchar
    status: Varchar = "pending"  # pending | delivered | failed | no_channel
    attempts: Integer = 0
    last_error: Varchar | None = None
    last_attempt_at: TimestampTz | None = None
    delivered_at: TimestampTz | None = None
    evidence: Varchar | None = None  # migration 013: NULL on rows recorded before it


@dataclass(slots=True, kw_only=True)
class TriggerStateRow:
    trigger_id: Varchar
    subject: Varchar
    active: Boolean
    since: Date
    last_value: Varchar | None
    evaluated_on: Date
    updated_at: TimestampTz


@dataclass(slots=True, kw_only=True)
class PageSectionFailureRow:
    snapshot_id: Varchar
    source: Varchar
    observed_at: TimestampTz
    section: Varchar  # the section's key on the page
    heading: Varchar
    error_kind: Varchar
    error: Varchar  # one-line reason
    models: VarcharList


@dataclass(slots=True, kw_only=True)
class PageDiffRow:
    snapshot_id: Varchar
    source: Varchar
    observed_at: TimestampTz
    content_sha256: Varchar
    previous_sha256: Varchar
    previous_observed_at: TimestampTz
    lines_added: Integer
    lines_removed: Integer
    diff: Varchar  # unified diff of the page's pricing text from the previous payload


@dataclass(slots=True, kw_only=True)
class ModelIdentityRow:
    """A source key's canonical model and why (reconcile/identity.py decides it)."""

    source: Varchar
    source_model_key: Varchar
    provider: Varchar  # as the source's parser named it
    model: Varchar
    family: Varchar  # what the naming rules read in the key
    canonical_provider: Varchar
    canonical_model: Varchar
    rule: Varchar  # the naming rules applied, '+'-joined; exact | override
    outcome: Varchar  # exact | alias | own-series | own-key | override-alias | override-apart
    explanation: Varchar
    lab_provider: Varchar | None  # whose model family it is (a host's: the lab's)
    lab_model: Varchar | None
    first_seen_at: TimestampTz
    last_seen_at: TimestampTz  # the last loaded snapshot that had the key
    present: Boolean  # in the source's latest loaded snapshot


@dataclass(slots=True, kw_only=True)
class ModelIdentityStateRow:
    name: Varchar  # rules_version | overrides_sha256: what model_identity was built with
    value: Varchar


@dataclass(slots=True, kw_only=True)
class WatchedSnapshotRow:
    snapshot_id: Varchar  # source:model/observed_at/hash prefix
    source: Varchar
    source_model_key: Varchar
    observed_at: TimestampTz
    content_sha256: Varchar | None  # None: the fetch got no payload
    run_id: Varchar | None
    origin: Varchar  # fetch | import | reprocess
    url: Varchar | None
    etag: Varchar | None
    last_modified: Varchar | None
    status: Varchar  # loaded | failed
    error_kind: Varchar | None
    error: Varchar | None
    rows: Integer | None  # hosts (endpoints) or 1 (a config)
    unmapped_fields: VarcharList | None


@dataclass(slots=True, kw_only=True)
class EndpointObservationRow:
    """core.rows.EndpointRow on its day; `long_context_tiers` as JSON text. A price or
    statistic left out is not stated (NULL), as in EndpointRow."""

    day: Date
    source: Varchar
    source_model_key: Varchar
    endpoint_key: Varchar
    host: Varchar
    endpoint_name: Varchar
    quantization: Varchar | None
    context_tokens: BigInt | None
    max_output_tokens: BigInt | None
    max_prompt_tokens: BigInt | None
    input_usd_per_mtok: Decimal20_9 | None = None
    output_usd_per_mtok: Decimal20_9 | None = None
    cache_read_usd_per_mtok: Decimal20_9 | None = None
    cache_write_usd_per_mtok: Decimal20_9 | None = None
    cache_write_1h_usd_per_mtok: Decimal20_9 | None = None
    internal_reasoning_usd_per_mtok: Decimal20_9 | None = None
    audio_input_usd_per_mtok: Decimal20_9 | None = None
    audio_cache_read_usd_per_mtok: Decimal20_9 | None = None
    audio_output_usd_per_mtok: Decimal20_9 | None = None
    image_token_usd_per_mtok: Decimal20_9 | None = None
    image_input_usd_per_image: Decimal20_9 | None = None
    image_output_usd_per_image: Decimal20_9 | None = None
    request_usd: Decimal20_9 | None = None
    web_search_usd_per_search: Decimal20_9 | None = None
    discount_fraction: Decimal20_9 | None = None
    long_context_tiers: Json | None = None
    status: Integer | None = None
    uptime_last_5m_pct: Double | None = None
    uptime_last_30m_pct: Double | None = None
    uptime_last_1d_pct: Double | None = None
    latency_p50_ms: Double | None = None
    latency_p75_ms: Double | None = None
    latency_p90_ms: Double | None = None
    latency_p99_ms: Double | None = None
    throughput_p50_tokens_per_s: Double | None = None
    throughput_p75_tokens_per_s: Double | None = None
    throughput_p90_tokens_per_s: Double | None = None
    throughput_p99_tokens_per_s: Double | None = None
    supports_implicit_caching: Boolean | None = None
    snapshot_id: Varchar
    observed_at: TimestampTz


@dataclass(slots=True, kw_only=True)
class ArchitectureObservationRow:
    """core.rows.ArchitectureRow when it is new or changed (`change`)."""

    source: Varchar
    source_model_key: Varchar
    config_format: Varchar  # hf | deepseek-inference
    model_type: Varchar | None
    layers: Integer | None
    hidden_size: Integer | None
    heads: Integer | None
    kv_heads: Integer | None
    head_dim: Integer | None
    intermediate_size: Integer | None
    experts_routed: Integer | None
    experts_per_token: Integer | None
    experts_shared: Integer | None
    expert_intermediate_size: Integer | None
    dense_layers: Integer | None
    moe_layer_step: Integer | None
    mla_kv_lora_rank: Integer | None
    mla_q_lora_rank: Integer | None
    mla_rope_head_dim: Integer | None
    mla_nope_head_dim: Integer | None
    mla_v_head_dim: Integer | None
    sliding_window_tokens: Integer | None
    sliding_window_layers: Integer | None
    sparse_attention_topk: Integer | None
    indexer_heads: Integer | None
    indexer_head_dim: Integer | None
    max_position_tokens: BigInt | None
    vocab_size: Integer | None
    tied_embeddings: Boolean | None
    torch_dtype: Varchar | None
    weight_format: Varchar | None
    expert_weight_format: Varchar | None
    unmapped_fields: VarcharList
    change: Varchar  # new | changed
    content_sha256: Varchar
    snapshot_id: Varchar
    observed_at: TimestampTz


@dataclass(slots=True, kw_only=True)
class PriceSeriesRow:
    """A canonical price from `day` on (reconcile/series.py decides it)."""

    provider: Varchar
    model: Varchar
    component: Varchar
    service_tier: Varchar
    tier_min_prompt_tokens: BigInt
    condition: Varchar
    day: Date
    usd_per_mtok: Decimal20_9 | None  # None: no source prices it from `day`
    state: Varchar  # confirmed | pending | disputed | gone
    source: Varchar | None
    sheet_source: Varchar | None
    filled_from: Varchar | None
    source_model_key: Varchar | None
    agreeing_sources: VarcharList
    disagreeing_sources: VarcharList
    value_since: Date | None
    effective_from: Date | None
    effective_to: Date | None


@dataclass(slots=True, kw_only=True)
class PriceSeriesStateRow:
    name: Varchar  # rules_version: what price_series was built with
    value: Varchar


RUNS = Table("runs", RunRow, key=("run_id",))
SOURCE_RUNS = Table("source_runs", SourceRunRow, key=("run_id", "source"))
RAW_SNAPSHOTS = Table("raw_snapshots", RawSnapshotRow, key=("content_sha256",))
SNAPSHOTS = Table("snapshots", SnapshotRow, key=("snapshot_id",))
PRICE_OBSERVATIONS = Table("price_observations", PriceObservationRow)
MODEL_LIMITS = Table("model_limits", ModelLimitRow)
INFERENCES = Table(
    "inferences",
    InferenceRow,
    key=("day", "provider", "model", "name", "reference_model", "reference_hardware"),
)
INFERENCE_BANDS = Table(
    "inference_bands", InferenceBandRow, key=("day", "provider", "model", "name")
)
INFERENCE_SHEETS = Table("inference_sheets", InferenceSheetRow, key=("day", "provider", "model"))
FX_RATES = Table("fx_rates", FxRateRow, key=("currency", "as_of"))
MEMORY_SEGMENT_REVENUE = Table(
    "memory_segment_revenue",
    MemorySegmentRevenueRow,
    key=("ticker", "period_end", "period_type"),
)
ALERTS = Table("alerts", AlertRow, key=("alert_key", "channel"))
TRIGGER_STATE = Table("trigger_state", TriggerStateRow, key=("trigger_id", "subject"))
PAGE_SECTION_FAILURES = Table(
    "page_section_failures", PageSectionFailureRow, key=("snapshot_id", "section")
)
PAGE_DIFFS = Table("page_diffs", PageDiffRow, key=("snapshot_id",))
MODEL_IDENTITY = Table("model_identity", ModelIdentityRow, key=("source", "source_model_key"))
MODEL_IDENTITY_STATE = Table("model_identity_state", ModelIdentityStateRow, key=("name",))
PRICE_SERIES = Table(
    "price_series",
    PriceSeriesRow,
    key=(
        "provider",
        "model",
        "component",
        "service_tier",
        "tier_min_prompt_tokens",
        "condition",
        "day",
    ),
)
PRICE_SERIES_STATE = Table("price_series_state", PriceSeriesStateRow, key=("name",))
# The parser's rows are stored as they are (extractors/fundamentals/rows.py).
QUOTES = Table("quotes", QuoteRow, key=("ticker", "as_of"))
FUNDAMENTALS = Table(
    "fundamentals",
    FundamentalRow,
    key=("ticker", "period_end", "period_type", "item", "fetched_at"),
)
WATCHED_SNAPSHOTS = Table("watched_snapshots", WatchedSnapshotRow, key=("snapshot_id",))
ENDPOINT_OBSERVATIONS = Table(
    "endpoint_observations",
    EndpointObservationRow,
    key=("source_model_key", "endpoint_key", "day"),
)
ARCHITECTURE_OBSERVATIONS = Table("architecture_observations", ArchitectureObservationRow)

TABLES: tuple[Table[Any], ...] = (
    RUNS,
    SOURCE_RUNS,
    RAW_SNAPSHOTS,
    SNAPSHOTS,
    PRICE_OBSERVATIONS,
    MODEL_LIMITS,
    INFERENCES,
    INFERENCE_BANDS,
    INFERENCE_SHEETS,
    FX_RATES,
    MEMORY_SEGMENT_REVENUE,
    ALERTS,
    TRIGGER_STATE,
    PAGE_SECTION_FAILURES,
    PAGE_DIFFS,
    MODEL_IDENTITY,
    MODEL_IDENTITY_STATE,
    PRICE_SERIES,
    PRICE_SERIES_STATE,
    QUOTES,
    FUNDAMENTALS,
    WATCHED_SNAPSHOTS,
    ENDPOINT_OBSERVATIONS,
    ARCHITECTURE_OBSERVATIONS,
)
# Tables the migrations fill and the code only reads: no row type.
MIGRATION_DATA = ("schema_migrations", "source_catalog", "reconciliation_settings")
