"""What every table, view and column of the warehouse means, as DuckDB comments.

`duckdb` CLI and notebook users read them with `select comment from duckdb_columns() where
table_name = 'latest_prices'` (and duckdb_tables(), duckdb_views()). A column's comment is
its table's entry in OVERRIDES if it has one, else its name's entry in GLOSSARY: one entry
per column name, where the name means the same thing everywhere, with its unit.
migrate() applies them after every open for writing, writing only the comments that differ
from the stored ones, so a view a later migration redefines gets its comments back.
"""

from __future__ import annotations

import duckdb

from warehouse.db import transaction

TABLES: dict[str, str] = {
    # 001 core
    "runs": "One row per run of thesis (daily, import, reprocess, backtest) with its outcome.",
    "source_runs": "One row per source in each run: loaded, unchanged, not_modified or failed.",
    "raw_snapshots": "Every payload ever fetched or imported, once per content hash, gzipped.",
    "snapshots": "Each time a source's payload was observed (fetched or imported), loaded or "
    "failed, with its error and row counts.",
    "price_observations": "Change log of prices: a row when a price series is first seen, "
    "changes value or disappears; unchanged values add nothing.",
    "model_limits": "Change log of context window, max input and max output tokens per "
    "source model key.",
    "source_catalog": "Which source to trust when several state the same price: official "
    "pages first, then by rank (lower wins).",
    "price_history": "One row per value a price series held at a source, with valid_from and "
    "valid_to (NULL while it holds).",
    "source_freshness": "When each source last loaded a snapshot.",
    "latest_prices": "Today's price per canonical (provider, model, component, service_tier, "
    "tier_min_prompt_tokens, condition): the newest value of price_series, with its state.",
    "price_spreads": "Output/input price ratio of each canonical model's base price "
    "(standard tier, no long-context tier), one row per model and snapshot day, from "
    "price_series_daily.",
    "context_tiers": "Each model's current long-context price thresholds and the price "
    "multiplier at each.",
    "context_limits_history": "Context window and max input/output tokens per source model "
    "key over time, with valid_from and valid_to.",
    "latest_limits": "Current context window and max input/output tokens per model, from the "
    "most trusted source.",
    # 002 reconciliation
    "reconciliation_settings": "Tunables of the reconciliation views, e.g. "
    "relative_tolerance (0.01 = 1%).",
    "price_sources": "The value every source states today for each price series, whether "
    "the source is official, and since when.",
    "price_discrepancies": "Pairs of sources whose values for the same price series differ "
    "by more than reconciliation_settings.relative_tolerance; side a is the one to trust.",
    # 003 inferences
    "inferences": "Roofline inversion of each day's prices: one value per (day, provider, "
    "model, inference name, reference model, reference hardware).",
    "latest_inferences": "The newest row of inferences per (provider, model, name, "
    "reference_model, reference_hardware).",
    # 004 alerts
    "alerts": "Every alert fired and source failure noticed, one row per channel it is due "
    "on, with its delivery status.",
    "trigger_state": "Fire once, re-arm when clear: whether each trigger's condition holds "
    "for each subject, and since when.",
    "recent_alerts": "alerts without the delivery internals, newest first.",
    # 005 fundamentals
    "quotes": "One share price quote per ticker and trading day (the first fetch of a day "
    "stands), with market cap.",
    "fundamentals": "Change log of statement line items per ticker and period: a row when a "
    "value is first seen or restated.",
    "fundamentals_latest": "The newest value of each statement line item per ticker and "
    "period (fundamentals without restated values).",
    "capex_growth": "Year-on-year growth of capital expenditure per company and summed over "
    "the hyperscalers (GOOGL, AMZN, MSFT, META), one currency at a time.",
    "memory_margins": "Gross margin of the memory makers (MU, SK Hynix, Samsung) per period, "
    "in their reporting currency, beside the margin a year before.",
    # 006 price changes
    "price_changes": "Every change of a canonical price's value in price_series, and the "
    "day (if any) the confirmation rule (reconcile/confirm.py) confirmed it.",
    # 007 model identity
    "model_identity": "Every source model key mapped to one canonical provider and model, "
    "with the naming rule that decided it (derived from the observations).",
    "model_identity_state": "What model_identity was built with (rules version, override "
    "file hash): a change rebuilds it.",
    "model_aliases": "One row per source model key: the canonical model it belongs to, and why.",
    # 008 inference bands
    "inference_bands": "Each inference's band across the stand-in reference models: lowest "
    "and highest value and the verdict they share, per day, provider, model and name.",
    "latest_inference_bands": "The newest row of inference_bands per (provider, model, name).",
    "implied_margin_daily": "Implied revenue per chip-hour and the serving margin it leaves "
    "over the chip's rental price, as a band per model and day.",
    "long_context_verdicts": "Per tiered model and threshold: the modelled decode cost step "
    "over the price step, as a band across stand-ins.",
    "cache_ladder": "Every cache price as US dollars per GB-hour of KV cache, with the "
    "memory tier it pays for.",
    # 012 inference sheets
    "inference_sheets": "Per day the roofline inversion ran and model it priced: the price "
    "sheet it read (sheet_key) and whether the inferences were computed that day or the "
    "model's last computed ones stand.",
    "inference_bands_daily": "inference_bands spelled out per day the inversion ran: a "
    "model whose price sheet did not change carries its last computed bands.",
    "fx_rates": "Exchange rates entered by hand: US dollars per unit of a currency, dated, "
    "with their source.",
    "fx_usd": "All exchange rates to US dollars: fx_rates, Yahoo FX quotes from quotes, "
    "and USD itself.",
    "memory_segment_revenue": "Memory revenue from a filing's memory segment (e.g. Samsung's "
    "Memory in its DS division), entered by hand with the filing.",
    "memory_revenue_vs_capex": "The memory makers' memory revenue in US dollars against the "
    "hyperscalers' capex, per period.",
    # 009 page sections
    "page_section_failures": "Sections of an official page snapshot that could not be read "
    "(the page's other sections loaded).",
    "page_diffs": "Unified diff of an official page's pricing text against the previous "
    "payload's, when it changed.",
    # 010 watched models
    "watched_snapshots": "Each fetch of one model by a watched-model source (OpenRouter "
    "endpoints, architecture configs): loaded, or failed with its typed error.",
    "endpoint_observations": "One row per model, host (endpoint) and UTC day from OpenRouter: "
    "prices as the host states them, limits, status, uptime, latency and throughput.",
    "architecture_observations": "Change log of each open-weight model's architecture as its "
    "published config states it: a row when first seen or changed.",
    "latest_architectures": "Each model's newest architecture.",
    "latest_endpoints": "Each model's hosts on its newest observed day.",
    "endpoint_price_dispersion": "Same-model price dispersion across hosts, per model and "
    "day (spreads over hosts stating a positive price).",
    "endpoint_speed": "Decode speed per host and day beside its output price.",
    "openrouter_endpoints_daily": "The report's host-throughput panel: output price and p50 "
    "throughput per model, host and day.",
    # 011 price series
    "price_series": "The reconciled price series: per canonical price, change rows from "
    "`day` on (a row holds until the next of the same price), with the value in force, its "
    "state and the sources behind it (reconcile/series.py decides it).",
    "price_series_state": "What price_series was built with (rules version): a change rebuilds it.",
    "snapshot_days": "Every UTC day on which any source loaded a snapshot.",
    "price_series_daily": "price_series spelled out: one row per canonical price and "
    "snapshot day on which a value is in force.",
    "source_latest_prices": "Per source (not reconciled): today's price per source "
    "(provider, model, ...) from the most trusted source stating it, one component at a time "
    "(what latest_prices meant before migration 011).",
    "source_price_spreads": "Per source (not reconciled): output/input ratio of each source "
    "model's base price (standard, untiered, undated) on every day its source was observed.",
    # migrate() itself
    "schema_migrations": "The warehouse migrations applied, by number, and when.",
}

_ENDPOINT_DAY = "UTC day of the observation (the day's newest answer stands)."

GLOSSARY: dict[str, str] = {
    # who and what
    "source": "The source of the row, a name in source_catalog (e.g. openai-docs, litellm).",
    "provider": "Provider of the model as the source's parser named it (e.g. openai).",
    "model": "Model name as the source's parser named it (e.g. gpt-4o).",
    "source_model_key": "The source's own identifier of the model, unique within the source.",
    "ticker": "Yahoo Finance ticker of the company (e.g. MU, 000660.KS).",
    "run_id": "The run that wrote the row (runs.run_id, e.g. daily-20260801T060000-1a2b3c4d).",
    "snapshot_id": "The snapshot the row was read from (snapshots.snapshot_id).",
    "content_sha256": "SHA-256 of the uncompressed payload, hex (raw_snapshots key).",
    # a price series
    "component": "What the price is for: input, output, cache_read, cache_write_5m, "
    "cache_write_1h or cache_storage_per_hour.",
    "service_tier": "Service tier of the price: standard, batch, flex or priority.",
    "tier_min_prompt_tokens": "Prompt length in tokens above which this price applies; 0 for "
    "the base (short-context) price.",
    "condition": "Any other qualifier of the price (a time-of-day window, a modality such as "
    "audio); empty for the plain price.",
    "effective_from": "First day a dated price applies (scheduled change, time-limited "
    "discount); NULL: undated.",
    "effective_to": "First day a dated price no longer applies (exclusive end); NULL: open-ended.",
    "usd_per_mtok": "Price in US dollars per million tokens (for cache_storage_per_hour: "
    "per million tokens per hour).",
    "official": "True when the source is the provider's own price page.",
    "change": "new (first seen), changed (new value) or removed (no longer stated).",
    "valid_from": "When the source was first observed stating this value (UTC).",
    "valid_to": "First observation (UTC) where the value no longer held; NULL while it holds.",
    "observed_at": "When the source's payload was observed, fetched or imported (UTC).",
    "last_seen_at": "When the source last loaded a snapshot (UTC).",
    # limits
    "context_window_tokens": "Context window in tokens (input plus output); NULL: not stated.",
    "max_input_tokens": "Most input tokens one request may send; NULL: not stated.",
    "max_output_tokens": "Most output tokens one request may produce; NULL: not stated.",
    "threshold_tokens": "Prompt length in tokens above which the long-context price applies.",
    # watched models: hosts (OpenRouter endpoints)
    "input_usd_per_mtok": "Input price in US dollars per million tokens, as the host states "
    "it (its discount included); NULL: not stated.",
    "output_usd_per_mtok": "Output price in US dollars per million tokens, as the host "
    "states it (its discount included); NULL: not stated.",
    "cache_read_usd_per_mtok": "Cache read price in US dollars per million tokens; NULL: not "
    "stated.",
    "cache_write_usd_per_mtok": "Cache write price in US dollars per million tokens; NULL: "
    "not stated.",
    "cache_write_1h_usd_per_mtok": "One-hour cache write price in US dollars per million "
    "tokens; NULL: not stated.",
    "internal_reasoning_usd_per_mtok": "Reasoning-token price in US dollars per million "
    "tokens; NULL: not stated.",
    "audio_input_usd_per_mtok": "Audio input price in US dollars per million tokens; NULL: "
    "not stated.",
    "audio_cache_read_usd_per_mtok": "Audio cache read price in US dollars per million "
    "tokens; NULL: not stated.",
    "audio_output_usd_per_mtok": "Audio output price in US dollars per million tokens; NULL: "
    "not stated.",
    "image_token_usd_per_mtok": "Image token price in US dollars per million tokens; NULL: "
    "not stated.",
    "image_input_usd_per_image": "Price in US dollars per input image; NULL: not stated.",
    "image_output_usd_per_image": "Price in US dollars per output image; NULL: not stated.",
    "request_usd": "Price in US dollars per request; NULL: not stated.",
    "web_search_usd_per_search": "Price in US dollars per web search; NULL: not stated.",
    "discount_fraction": "The host's discount, already in its stated prices (0.25 = a "
    "quarter off).",
    "long_context_tiers": "Long-context prices as JSON: [{min_prompt_tokens, <price "
    "column>: text}].",
    "endpoint_key": "The host's tag (e.g. deepinfra/fp4); a second endpoint with the same tag "
    "in one answer is tag#2.",
    "host": "The host's name as OpenRouter states it.",
    "endpoint_name": "The endpoint's name as OpenRouter states it.",
    "quantization": "Weights' quantization the host serves (fp4, fp8, bf16, ...); NULL: unknown.",
    "context_tokens": "Context length in tokens the host serves; NULL: not stated.",
    "max_prompt_tokens": "Most prompt tokens the host accepts in one request; NULL: not stated.",
    "uptime_last_5m_pct": "The host's uptime over the last 5 minutes, in percent.",
    "uptime_last_30m_pct": "The host's uptime over the last 30 minutes, in percent.",
    "uptime_last_1d_pct": "The host's uptime over the last day, in percent.",
    "latency_p50_ms": "Median latency over the last 30 minutes, in milliseconds; "
    "NULL without an API key.",
    "latency_p75_ms": "75th percentile latency over the last 30 minutes, in milliseconds.",
    "latency_p90_ms": "90th percentile latency over the last 30 minutes, in milliseconds.",
    "latency_p99_ms": "99th percentile latency over the last 30 minutes, in milliseconds.",
    "throughput_p50_tokens_per_s": "Median per-request throughput over the last 30 minutes, "
    "in output tokens per second; NULL without an API key.",
    "throughput_p75_tokens_per_s": "75th percentile throughput over the last 30 minutes, in "
    "tokens per second.",
    "throughput_p90_tokens_per_s": "90th percentile throughput over the last 30 minutes, in "
    "tokens per second.",
    "throughput_p99_tokens_per_s": "99th percentile throughput over the last 30 minutes, in "
    "tokens per second.",
    "supports_implicit_caching": "True when the host caches prompts without being asked.",
    # watched models: architectures (NULL: the config does not state it)
    "config_format": "Format of the published config: hf (Hugging Face config.json) or "
    "deepseek-inference.",
    "model_type": "The config's model_type (e.g. deepseek_v3, gpt_oss).",
    "layers": "Number of transformer layers.",
    "hidden_size": "Model (residual) dimension.",
    "heads": "Number of attention (query) heads.",
    "kv_heads": "Number of key/value heads (fewer than heads: grouped-query attention).",
    "head_dim": "Dimension of one attention head.",
    "intermediate_size": "Dense MLP hidden dimension.",
    "experts_routed": "Routed experts per MoE layer; NULL for a dense model (not 0).",
    "experts_per_token": "Routed experts each token is sent to.",
    "experts_shared": "Shared (always active) experts per MoE layer.",
    "expert_intermediate_size": "Hidden dimension of one expert's MLP.",
    "dense_layers": "Leading layers with a dense MLP in an MoE model.",
    "moe_layer_step": "MoE layer interval (2: every second layer is MoE).",
    "mla_kv_lora_rank": "Multi-head latent attention: rank of the compressed key/value.",
    "mla_q_lora_rank": "Multi-head latent attention: rank of the compressed query.",
    "mla_rope_head_dim": "Multi-head latent attention: rotary part of each head's dimension.",
    "mla_nope_head_dim": "Multi-head latent attention: non-rotary part of each head's dimension.",
    "mla_v_head_dim": "Multi-head latent attention: value head dimension.",
    "sliding_window_tokens": "Tokens a sliding-window layer attends to.",
    "sliding_window_layers": "Layers that attend within sliding_window_tokens only.",
    "sparse_attention_topk": "DeepSeek sparse attention: tokens each query attends to "
    "(the indexer's top-k).",
    "indexer_heads": "DeepSeek sparse attention: heads of the indexer.",
    "indexer_head_dim": "DeepSeek sparse attention: head dimension of the indexer.",
    "max_position_tokens": "Longest position the config supports, in tokens.",
    "vocab_size": "Vocabulary size in tokens.",
    "tied_embeddings": "True when input and output embeddings share weights.",
    "torch_dtype": "The config's torch_dtype (e.g. bfloat16).",
    "weight_format": "Shipped weights' quantization (fp8, mxfp4, int4) or their dtype when "
    "unquantized (bf16).",
    "expert_weight_format": "Experts' weight format where it differs from the rest.",
    # runs and failures
    "started_at": "When it started (UTC).",
    "finished_at": "When it finished (UTC); NULL while running.",
    "error_kind": "Typed reason of the failure (fetch_failed, blocked, layout_changed, ...); "
    "NULL when it did not fail.",
    "error": "One-line reason of the failure; NULL when it did not fail.",
    "origin": "fetch, import or reprocess.",
    "url": "The URL fetched; NULL for an import without one.",
    "etag": "The response's ETag header, for a conditional next fetch.",
    "last_modified": "The response's Last-Modified header, as sent.",
    "unmapped_fields": "Payload fields the parser did not read (kept in the archived "
    "payload; never a failure).",
    # inversion
    "day": "UTC date the inversion ran (the date of computed_at).",
    "computed_at": "When the inversion computed the row (UTC).",
    "name": "Inference name, e.g. serving_margin, implied_revenue_usd_per_chip_hour.",
    "unit": "Unit of the values: fraction (0.25 = 25%), x (a multiple), tokens, "
    "usd_per_chip_hour, usd_per_gb_hour, ...",
    "explanation": "One paragraph in words: what the value means and what it rests on.",
    "hardware": "The reference hardware the stand-ins are deployed on.",
    "stand_ins": "Number of stand-in reference models the band is taken across.",
    "verdict": "The label every stand-in shares (e.g. solved, above-rental), or empty when "
    "they differ.",
    "firm": "True when every stand-in carries the same label.",
    "decided_by": "The stand-in property that separates the labels; empty when firm.",
    "low": "Lowest value across the stand-ins, in unit; NULL when none gives a value.",
    "high": "Highest value across the stand-ins, in unit; NULL when none gives a value.",
    # alerts
    "alert_id": "Row number of the alert, in the order recorded.",
    "alert_key": "Identity of the event: a re-run adds no second row for it.",
    "message_type": "alert (a trigger fired) or source_broken (a source failed).",
    "trigger_id": "The trigger's id in the theses file; NULL for source_broken.",
    "thesis_id": "The thesis the trigger belongs to; NULL for source_broken.",
    "severity": "info, warning or critical.",
    "subject": "What the alert is about: a model, provider, ticker, or the broken source.",
    "old_value": "The value before the change, as exact text (Decimal as written).",
    "new_value": "The value after the change, as exact text (Decimal as written).",
    "source_url": "Where the fact can be checked: the source page or filing URL.",
    "event_date": "The date the change is dated by.",
    "fired_at": "When the run recorded the alert (UTC).",
    "channel": "Delivery channel by name: slack, email, apprise:<scheme>:<hash> or none "
    "(never a URL or secret).",
    "attempts": "Delivery attempts made so far.",
    "last_error": "Why the last delivery failed, e.g. 'slack: HTTP 500' (never a secret).",
    "last_attempt_at": "When delivery was last tried (UTC).",
    "delivered_at": "When the channel accepted the message (UTC); NULL until then.",
    # company figures
    "period_end": "Last day of the reporting period.",
    "period_type": "annual or quarterly.",
    "currency": "ISO 4217 currency of the amounts (e.g. USD, KRW).",
    "fetched_at": "When the figure was fetched from Yahoo Finance (UTC).",
    "fiscal_year": "Calendar year of the period end (Microsoft's fiscal year ends in June).",
    "fiscal_quarter": "Calendar quarter (1-4) of the period end; 0 for annual periods.",
    "as_of": "Date the rate or price applies to.",
    "usd_per_unit": "US dollars per one unit of the currency.",
    # model identity
    "canonical_provider": "Provider of the canonical model this key belongs to.",
    "canonical_model": "Canonical model this key belongs to, the same across sources.",
    "rule": "Naming rules applied, '+'-joined; exact or override when none rewrote it.",
    "outcome": "exact, alias, own-series, own-key, override-alias or override-apart.",
    "lab_provider": "Whose model family it is (for a host's key: the lab's); NULL: unknown.",
    "lab_model": "The lab's name of the model; NULL: unknown.",
    "first_seen_at": "When the key was first seen in a loaded snapshot (UTC).",
    "present": "True when the key is in the source's latest loaded snapshot.",
    # the reconciled price series (011)
    "state": "confirmed (the confirmation rule holds or another source agrees), pending "
    "(not yet), disputed (another fresh source states a value more than 1% apart) or gone "
    "(no source prices it any more).",
    "sheet_source": "The source chosen for the model's whole price sheet that day (fresh "
    "first, official first, then source_catalog rank).",
    "filled_from": "The source that filled a price the sheet source does not state (it "
    "agrees with the sheet source on every price both state); NULL for the sheet's own.",
    "agreeing_sources": "Other fresh sources stating the same value (within 1%).",
    "disagreeing_sources": "Other fresh sources stating a value more than 1% apart.",
    "value_since": "First snapshot day (UTC) of the value in force, in the series.",
}

# A column whose name means something else in one table, or a column only one table has.
OVERRIDES: dict[str, dict[str, str]] = {
    "runs": {
        "run_id": "The run's id: its kind, start time (UTC) and a nonce.",
        "kind": "daily, import, reprocess or backtest.",
        "status": "running, ok, partial (a source, ticker or delivery failed), failed or "
        "interrupted (Ctrl-C, or its process killed: closed by the next run).",
        "summary": "The run's summary as JSON: each source's outcome, fundamentals, inferences, "
        "alerts, problems.",
    },
    "source_runs": {
        "status": "loaded, unchanged, not_modified (HTTP 304) or failed.",
        "snapshot_id": "The snapshot this run observed; NULL when nothing was fetched.",
        "rows_added": "Rows the source added to price_observations and model_limits.",
    },
    "raw_snapshots": {
        "source": "The source the payload came from, the first time it was seen.",
        "first_seen_at": "When the payload was first fetched or imported (UTC).",
        "size_bytes": "Size of the uncompressed payload in bytes.",
        "encoding": "Compression of payload: gzip.",
        "payload": "The payload, compressed as encoding says.",
    },
    "snapshots": {
        "snapshot_id": "The snapshot's id: source/observed_at/hash prefix.",
        "run_id": "The run that fetched or imported it; NULL when none was recorded.",
        "status": "loaded or failed.",
        "models": "Number of models in the payload; NULL when not loaded.",
        "price_rows": "Rows added to price_observations (changes only).",
        "limit_rows": "Rows added to model_limits (changes only).",
    },
    "price_observations": {
        "usd_per_mtok": "Price in US dollars per million tokens (per million tokens per hour "
        "for cache_storage_per_hour); NULL when change = removed.",
    },
    "source_catalog": {
        "source": "The source's name (e.g. anthropic-docs, genai-prices).",
        "rank": "Trust order among sources: lower wins (official pages 0).",
    },
    "latest_prices": {
        "provider": "Canonical provider (model_identity).",
        "model": "Canonical model (model_identity), the same across sources.",
        "source": "The source the value is taken from: the sheet source, or filled_from.",
        "source_model_key": "That source's key of the model.",
        "official": "True when that source is the provider's own price page.",
        "price_since": "First snapshot day (UTC) of this value in the series.",
        "last_seen_at": "When that source last loaded a snapshot (UTC).",
        "effective_from": "First day of the dated price used (scheduled change, time-limited "
        "discount); NULL: the undated list price.",
        "effective_to": "First day the dated price used no longer applies (exclusive); NULL: "
        "open-ended or undated.",
    },
    "price_spreads": {
        "day": "UTC snapshot day (any source loaded a snapshot).",
        "provider": "Canonical provider (model_identity).",
        "model": "Canonical model (model_identity).",
        "input_usd_per_mtok": "Base input price in US dollars per million tokens.",
        "output_usd_per_mtok": "Base output price in US dollars per million tokens.",
        "output_input_ratio": "output_usd_per_mtok / input_usd_per_mtok (a multiple).",
        "sheet_source": "The source chosen for the model's price sheet that day.",
        "confirmed": "True when both base prices are confirmed that day.",
        "disputed": "True when either base price is disputed that day.",
    },
    "source_price_spreads": {
        "day": "UTC date the source was observed.",
        "input_usd_per_mtok": "Base input price in US dollars per million tokens.",
        "output_usd_per_mtok": "Base output price in US dollars per million tokens.",
        "output_input_ratio": "output_usd_per_mtok / input_usd_per_mtok (a multiple).",
    },
    "source_latest_prices": {
        "source": "The source the price is taken from (the most trusted stating it).",
        "price_since": "When that source was first observed stating this value (UTC).",
    },
    "price_series": {
        "provider": "Canonical provider (model_identity).",
        "model": "Canonical model (model_identity), the same across sources.",
        "day": "UTC snapshot day from which this row holds (until the next row of the same price).",
        "usd_per_mtok": "Price in US dollars per million tokens (per million tokens per hour "
        "for cache_storage_per_hour); NULL: no source prices it from `day` (state gone).",
        "source": "The source the value is taken from: the sheet source, or filled_from; "
        "NULL when gone.",
        "source_model_key": "That source's key of the model.",
        "effective_from": "First day of the dated price used; NULL: the undated list price.",
        "effective_to": "First day the dated price used no longer applies (exclusive); NULL: "
        "open-ended or undated.",
    },
    "price_series_daily": {
        "day": "UTC snapshot day (any source loaded a snapshot) on which the value is in force.",
        "provider": "Canonical provider (model_identity).",
        "model": "Canonical model (model_identity).",
        "source": "The source the value is taken from: the sheet source, or filled_from.",
        "source_model_key": "That source's key of the model.",
        "effective_from": "First day of the dated price used; NULL: the undated list price.",
        "effective_to": "First day the dated price used no longer applies (exclusive); NULL: "
        "open-ended or undated.",
    },
    "price_series_state": {
        "name": "Setting name: rules_version.",
        "value": "The version of reconcile/series.py's rules that built price_series.",
    },
    "snapshot_days": {
        "day": "UTC date on which at least one source loaded a snapshot.",
    },
    "context_tiers": {
        "provider": "Canonical provider (model_identity), as in latest_prices.",
        "model": "Canonical model (model_identity), as in latest_prices.",
        "source": "The source of the long-context price (latest_prices.source).",
        "base_usd_per_mtok": "Price below the threshold in US dollars per million tokens.",
        "tier_usd_per_mtok": "Price above the threshold in US dollars per million tokens.",
        "multiplier": "tier_usd_per_mtok / base_usd_per_mtok (a multiple).",
    },
    "latest_limits": {
        "limits_since": "When the source was first observed stating these limits (UTC).",
    },
    "reconciliation_settings": {
        "name": "Setting name: relative_tolerance.",
        "value": "Setting value; relative_tolerance is a fraction of the larger price (0.01 = 1%).",
    },
    "price_sources": {
        "source_rank": "source_catalog.rank of the source (lower wins; 100 if uncatalogued).",
        "value_since": "When the source was first observed stating this value (UTC).",
        "observed_at": "When the source last loaded a snapshot, i.e. last said so (UTC).",
        "observed_date": "observed_at as a UTC date.",
    },
    "price_discrepancies": {
        "source_a": "The source to trust (official first, then by source_catalog rank).",
        "official_a": "True when source_a is an official page.",
        "usd_per_mtok_a": "source_a's price in US dollars per million tokens.",
        "observed_date_a": "UTC date source_a last loaded a snapshot.",
        "source_b": "The other source.",
        "official_b": "True when source_b is an official page.",
        "usd_per_mtok_b": "source_b's price in US dollars per million tokens.",
        "observed_date_b": "UTC date source_b last loaded a snapshot.",
        "official_source": "The official page among the two; NULL when neither is.",
        "relative_difference": "|a - b| / max(|a|, |b|), a fraction (0.01 = 1%).",
    },
    "price_changes": {
        "old_usd_per_mtok": "Price before the change in US dollars per million tokens.",
        "new_usd_per_mtok": "Price after the change in US dollars per million tokens.",
        "provider": "Canonical provider (model_identity).",
        "model": "Canonical model (model_identity).",
        "changed_on": "First snapshot day (UTC) of the new value in the series.",
        "confirmed_on": "First day (UTC) the series shows the new value confirmed; NULL: "
        "never (it reverted or is still pending or disputed).",
        "confirmed": "True when confirmed_on is set: alerts fire on confirmed changes only.",
        "source": "The source of the new value on changed_on.",
        "source_model_key": "That source's key of the model.",
    },
    "inferences": {
        "run_id": "The daily run that computed it; NULL for `thesis infer`.",
        "value": "The inferred value in unit; NULL when the prices and the reference "
        "deployment cannot agree (label says why).",
        "label": "Verdict on the value, e.g. solved, above-range, does-not-fit.",
        "reference_model": "The open-weights model whose architecture stands in for it.",
        "reference_hardware": "The hardware the reference deployment runs on.",
        "assumptions": "Everything the value rests on, as JSON.",
    },
    "alerts": {
        "kind": "Trigger kind, or the source's error kind for source_broken.",
        "unit": "Unit of old_value and new_value (e.g. usd_per_mtok).",
        "explanation": "The roofline reading, or the failure reason.",
        "status": "pending, delivered, failed or no_channel; pending and failed go out in "
        "the next run's digest.",
        "source_model_key": "The source's key of the model; for an alert of the reconciled "
        "price series, the canonical model's name.",
        "evidence": "The sources and keys behind an alert of the price series, e.g. "
        "'litellm: gpt-4o, gpt-4o-2024-08-06 (confirms); genai-prices: gpt-4o (agrees)'; "
        "NULL for other alerts and for rows recorded before migration 013.",
    },
    "trigger_state": {
        "subject": "What the condition is evaluated for: a model, provider, ticker or source.",
        "active": "True while the condition holds; it fires on the transition to true.",
        "since": "Date of the last transition.",
        "last_value": "The value last evaluated, as text.",
        "evaluated_on": "Latest date fed in; older dates are ignored.",
        "updated_at": "When the row was last written (UTC).",
    },
    "quotes": {
        "as_of": "The exchange's trading date of the price.",
        "price": "Share price in currency.",
        "currency": "ISO 4217 currency of price and market_cap (may differ from the "
        "company's statement currency).",
        "market_cap": "Market capitalisation in currency; NULL: not stated.",
    },
    "fundamentals": {
        "item": "total_revenue, cost_of_revenue, gross_profit, gross_margin, "
        "operating_income, research_and_development, capital_expenditure or free_cash_flow.",
        "value": "Amount in currency (capital_expenditure negative: cash out); gross_margin "
        "a fraction; NULL: not reported for the period (never 0).",
        "currency": "ISO 4217 statement currency; NULL for gross_margin.",
    },
    "capex_growth": {
        "scope": "company or hyperscalers (the four summed).",
        "name": "The ticker, or GOOGL+AMZN+MSFT+META for the hyperscalers.",
        "period_end": "Last day of the period (hyperscalers: the latest member's).",
        "companies": "Number of companies summed.",
        "members": "Tickers summed, comma-separated.",
        "capex": "Capital expenditure as a positive amount spent, in currency.",
        "prev_capex": "Capital expenditure of the same period a year before, in currency.",
        "yoy_growth": "capex / prev_capex - 1, a fraction; NULL unless both years have the "
        "same members.",
    },
    "memory_margins": {
        "currency": "ISO 4217 statement currency of the revenue and profit.",
        "total_revenue": "Total revenue in currency.",
        "gross_profit": "Gross profit in currency.",
        "gross_margin": "gross_profit / total_revenue, a fraction (0.4 = 40%).",
        "prev_year_gross_margin": "gross_margin of the same period a year before, a fraction.",
        "margin_change": "gross_margin - prev_year_gross_margin, in fraction points.",
    },
    "model_identity": {
        "family": "What the naming rules read in the key.",
        "explanation": "Why the key maps to its canonical model, in words.",
        "last_seen_at": "Last loaded snapshot that had the key (UTC).",
    },
    "model_identity_state": {
        "name": "rules_version or overrides_sha256.",
        "value": "The naming rules' version, or the SHA-256 of the user's override file.",
    },
    "model_aliases": {
        "provider": "Canonical provider of the model.",
        "model": "Canonical model, the same across sources.",
        "source_provider": "Provider as the source's parser named it.",
        "source_model": "Model as the source's parser named it.",
        "is_alias": "True when the key is an alias of another name for the same model.",
        "explanation": "Why the key maps to its canonical model, in words.",
        "last_seen_at": "Last loaded snapshot that had the key (UTC).",
    },
    "inference_bands": {
        "run_id": "The daily run that computed it; NULL for `thesis infer`.",
        "name": "Inference name, as in inferences.name.",
        "stand_in_values": 'Each stand-in\'s value as JSON, e.g. {"deepseek-v3.2": 638.1}.',
        "stand_in_labels": 'Each stand-in\'s label as JSON, e.g. {"deepseek-v3.2": "solved"}.',
    },
    "inference_sheets": {
        "run_id": "The daily run that read the sheet; NULL for `thesis infer`.",
        "sheet_key": "SHA-256 (hex) of the model's price rows and context window as the "
        "inversion reads them, the catalog and the inversion's code and assumptions; NULL "
        "for days stored before keys were kept.",
        "recomputed": "True when the inferences were computed that day; false when the "
        "sheet_key equalled the last one and the last computed rows stand.",
    },
    "implied_margin_daily": {
        "margin_low": "Lowest serving margin across the stand-ins: 1 - rental / implied "
        "revenue, a fraction (0.25 = 25%).",
        "margin_high": "Highest serving margin across the stand-ins, a fraction.",
        "revenue_usd_per_chip_hour_low": "Lowest implied revenue in US dollars per chip-hour.",
        "revenue_usd_per_chip_hour_high": "Highest implied revenue in US dollars per chip-hour.",
    },
    "long_context_verdicts": {
        "gap_low": "Lowest decode cost step over price step (a multiple; > 1: the tier "
        "charges less than the cost rises).",
        "gap_high": "Highest decode cost step over price step (a multiple).",
    },
    "cache_ladder": {
        "name": "Inference name of the cache price.",
        "usd_per_gb_hour_low": "Lowest implied price in US dollars per GB-hour of KV cache.",
        "usd_per_gb_hour_high": "Highest implied price in US dollars per GB-hour of KV cache.",
        "pays_for": "The fastest memory tier whose cost per GB-hour the price covers.",
    },
    "fx_rates": {
        "source": "Where the rate comes from.",
    },
    "fx_usd": {
        "source": "Where the rate comes from: fx_rates' source, 'quote KRW=X', or identity.",
    },
    "memory_segment_revenue": {
        "revenue": "Memory segment revenue in currency.",
        "segment": "The filing's name for the segment.",
    },
    "memory_revenue_vs_capex": {
        "memory_revenue_usd": "The memory makers' memory revenue summed, in US dollars.",
        "memory_makers": "Number of memory makers summed.",
        "memory_members": "Makers summed, each with its basis (total revenue or segment).",
        "unconverted": "Makers left out for want of an exchange rate, comma-separated.",
        "hyperscaler_capex_usd": "The hyperscalers' capex summed, in US dollars.",
        "hyperscalers": "Hyperscalers in the capex sum, comma-separated.",
        "memory_revenue_over_capex": "memory_revenue_usd / hyperscaler_capex_usd (a multiple).",
    },
    "page_section_failures": {
        "section": "The section's key on the page.",
        "heading": "The section's heading as the page shows it.",
        "models": "Model ids the section names, when readable.",
    },
    "page_diffs": {
        "previous_sha256": "SHA-256 of the previous payload of the page.",
        "previous_observed_at": "When the previous payload was observed (UTC).",
        "lines_added": "Lines added to the normalised pricing text.",
        "lines_removed": "Lines removed from the normalised pricing text.",
        "diff": "Unified diff of the normalised pricing text.",
    },
    "watched_snapshots": {
        "snapshot_id": "The fetch's id: source:model/observed_at/hash prefix.",
        "content_sha256": "SHA-256 of the payload (in raw_snapshots); NULL: no payload.",
        "run_id": "The run that fetched or imported it; NULL when none was recorded.",
        "status": "loaded or failed.",
        "rows": "Rows parsed: hosts (endpoints), or 1 for a config.",
    },
    "endpoint_observations": {
        "day": _ENDPOINT_DAY,
        "source_model_key": "OpenRouter model id.",
        "max_output_tokens": "Most output tokens the host produces in one request; NULL: not "
        "stated.",
        "status": "The host's status: 0 normal, negative degraded or down.",
        "snapshot_id": "The fetch the row was read from (watched_snapshots.snapshot_id).",
    },
    "architecture_observations": {
        "source_model_key": "Hugging Face repo id of the model.",
        "change": "new (first seen) or changed (a different architecture).",
        "snapshot_id": "The fetch the row was read from (watched_snapshots.snapshot_id).",
    },
    "endpoint_price_dispersion": {
        "day": _ENDPOINT_DAY,
        "hosts": "Hosts observed.",
        "hosts_up": "Hosts whose status is normal (0) or not stated.",
        "hosts_priced": "Hosts stating a positive output price.",
        "quantizations": "Quantizations served, comma-separated.",
        "input_min_usd_per_mtok": "Lowest positive input price, US dollars per million tokens.",
        "input_median_usd_per_mtok": "Median positive input price, US dollars per million tokens.",
        "input_max_usd_per_mtok": "Highest input price, US dollars per million tokens.",
        "output_min_usd_per_mtok": "Lowest positive output price, US dollars per million tokens.",
        "output_median_usd_per_mtok": "Median positive output price, US dollars per million "
        "tokens.",
        "output_max_usd_per_mtok": "Highest output price, US dollars per million tokens.",
        "output_max_over_min": "Highest over lowest positive output price (a multiple).",
        "output_coefficient_of_variation": "Standard deviation over mean of the positive output "
        "prices (a fraction).",
        "cheapest_output_endpoint": "endpoint_key of the host with the lowest positive output "
        "price.",
    },
    "endpoint_speed": {
        "day": _ENDPOINT_DAY,
        "tokens_per_s_per_usd_per_mtok": "throughput_p50_tokens_per_s / output_usd_per_mtok: "
        "tokens per second bought per US dollar per million tokens.",
    },
    "openrouter_endpoints_daily": {
        "day": _ENDPOINT_DAY,
        "model": "OpenRouter model id.",
        "host": "The host, with its tag's suffix for a second endpoint (e.g. Google #2).",
        "status": "The host's status: 0 normal, negative degraded or down.",
    },
    "schema_migrations": {
        "version": "Migration number.",
        "name": "Migration file name in warehouse/migrations.",
        "applied_at": "When the migration was applied (UTC).",
    },
}

# Views whose columns are their table's, with the same meaning.
SAME_COLUMNS: dict[str, str] = {
    "latest_inferences": "inferences",
    "latest_inference_bands": "inference_bands",
    "inference_bands_daily": "inference_bands",
    "fundamentals_latest": "fundamentals",
    "recent_alerts": "alerts",
    "latest_endpoints": "endpoint_observations",
    "latest_architectures": "architecture_observations",
}


def comment_for(table: str, column: str | None = None) -> str | None:
    """The comment of `table` (a table or view), or of its `column`; None if none is
    written here."""
    if column is None:
        return TABLES.get(table)
    for owner in (table, SAME_COLUMNS.get(table, "")):
        if column in OVERRIDES.get(owner, {}):
            return OVERRIDES[owner][column]
    return GLOSSARY.get(column)


def apply_comments(con: duckdb.DuckDBPyConnection) -> int:
    """Write every comment written here that differs from the stored one, in one
    transaction; return how many were written (0 on an unchanged warehouse).

    DuckLake takes comments on tables, their columns and views, not on a view's columns.
    """
    stored = stored_comments(con)
    skipped = set() if view_columns_take_comments(con) else views_of(stored)
    statements = [
        f"comment on {kind} {_name(table, column)} is '{_quoted(wanted)}'"
        for kind, table, column, comment in stored
        if not (kind == "column" and table in skipped)
        and (wanted := comment_for(table, column)) is not None
        and wanted != comment
    ]
    if statements:
        with transaction(con):
            for statement in statements:
                con.execute(statement)
    return len(statements)


def objects_commented(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether every table and view carries its comment: a few milliseconds, where reading
    every column's comment (`apply_comments`) costs tens. A view a migration or a user
    redefined has lost its own comment too, so this finds it."""
    here = "database_name = current_database() and schema_name = current_schema()"
    rows = con.execute(
        f"select table_name, comment from duckdb_tables() where {here}"
        f" union all select view_name, comment from duckdb_views() where {here}"
    ).fetchall()
    return all(comment_for(str(t)) in (None, c) for t, c in rows)


def stored_comments(
    con: duckdb.DuckDBPyConnection,
) -> list[tuple[str, str, str | None, str | None]]:
    """(kind, table, column, comment) of every table, view and column of the warehouse;
    kind is table, view or column, and column is None but for a column."""
    here = "database_name = current_database() and schema_name = current_schema()"
    rows = con.execute(
        f"select 'table', table_name, null, comment from duckdb_tables() where {here}"
        f" union all select 'view', view_name, null, comment from duckdb_views() where {here}"
        " union all select 'column', table_name, column_name, comment from duckdb_columns()"
        f" where {here}"
    ).fetchall()
    return [(str(k), str(t), None if c is None else str(c), s) for k, t, c, s in rows]


def view_columns_take_comments(con: duckdb.DuckDBPyConnection) -> bool:
    """False on DuckLake ("Cannot comment on columns for entry ... - it is not a table")."""
    found = con.execute(
        "select type from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    return found is None or found[0] != "ducklake"


def views_of(stored: list[tuple[str, str, str | None, str | None]]) -> set[str]:
    return {table for kind, table, _, _ in stored if kind == "view"}


def _name(table: str, column: str | None) -> str:
    quoted = '"' + table.replace('"', '""') + '"'
    return quoted if column is None else quoted + '."' + column.replace('"', '""') + '"'


def _quoted(text: str) -> str:
    return text.replace("'", "''")
