-- Watched-model sources (issue 16; extractors/watched): OpenRouter's hosts of each
-- watched model, and each open-weight model's published architecture config.

-- Each fetch of one model by a watched-model source: loaded (its payload archived in
-- raw_snapshots under content_sha256), or failed with its typed error. A fetch that got
-- no payload (gated, renamed, rate-limited, unreachable) has content_sha256 NULL; a payload
-- that did not parse, or whose host list shrank below half, is archived all the same and
-- can be reprocessed after a parser fix.
create table watched_snapshots (
    snapshot_id      varchar primary key,  -- source:model/observed_at/hash prefix
    source           varchar not null,
    source_model_key varchar not null,
    observed_at      timestamptz not null,
    content_sha256   varchar,
    run_id           varchar,
    origin           varchar not null,     -- fetch | import | reprocess
    url              varchar,
    etag             varchar,
    last_modified    varchar,
    status           varchar not null,     -- loaded | failed
    error_kind       varchar,              -- access_denied | not_found | rate_limited | ...
    error            varchar,
    rows             integer,              -- hosts (endpoints) or 1 (a config)
    unmapped_fields  varchar[]
);

-- One row per model, host and UTC day: the day's newest answer stands. Prices are the
-- host's stated prices, which already include its discount (discount_fraction: 0.25 is a
-- quarter off). NULL is "not stated", never 0. latency and throughput are the host's
-- last-30-minute percentiles, stated only when the request carried an API key.
create table endpoint_observations (
    day                             date not null,
    source                          varchar not null,
    source_model_key                varchar not null,  -- OpenRouter model id
    endpoint_key                    varchar not null,  -- host tag (#2: same tag again)
    host                            varchar not null,
    endpoint_name                   varchar not null,
    quantization                    varchar,           -- fp4 | fp8 | bf16 | ...; NULL: unknown
    context_tokens                  bigint,
    max_output_tokens               bigint,
    max_prompt_tokens               bigint,
    input_usd_per_mtok              decimal(20, 9),
    output_usd_per_mtok             decimal(20, 9),
    cache_read_usd_per_mtok         decimal(20, 9),
    cache_write_usd_per_mtok        decimal(20, 9),
    cache_write_1h_usd_per_mtok     decimal(20, 9),
    internal_reasoning_usd_per_mtok decimal(20, 9),
    audio_input_usd_per_mtok        decimal(20, 9),
    audio_cache_read_usd_per_mtok   decimal(20, 9),
    audio_output_usd_per_mtok       decimal(20, 9),
    image_token_usd_per_mtok        decimal(20, 9),
    image_input_usd_per_image       decimal(20, 9),
    image_output_usd_per_image      decimal(20, 9),
    request_usd                     decimal(20, 9),
    web_search_usd_per_search       decimal(20, 9),
    discount_fraction               decimal(20, 9),
    long_context_tiers              json,    -- [{min_prompt_tokens, <price column>: "..."}]
    status                          integer, -- 0 normal, negative: degraded or down
    uptime_last_5m_pct              double,
    uptime_last_30m_pct             double,
    uptime_last_1d_pct              double,
    latency_p50_ms                  double,
    latency_p75_ms                  double,
    latency_p90_ms                  double,
    latency_p99_ms                  double,
    throughput_p50_tokens_per_s     double,
    throughput_p75_tokens_per_s     double,
    throughput_p90_tokens_per_s     double,
    throughput_p99_tokens_per_s     double,
    supports_implicit_caching       boolean,
    snapshot_id                     varchar not null,
    observed_at                     timestamptz not null,
    primary key (source_model_key, endpoint_key, day)
);

-- Append-only change log of each model's normalised architecture: a row when a model's
-- config is first seen (change = 'new') or states a different architecture ('changed';
-- a config that only bumps transformers_version adds nothing). NULL: not stated (a dense
-- model has experts_routed NULL, not 0).
create table architecture_observations (
    source                   varchar not null,
    source_model_key         varchar not null,  -- Hugging Face repo id
    config_format            varchar not null,  -- hf | deepseek-inference
    model_type               varchar,
    layers                   integer,
    hidden_size              integer,
    heads                    integer,
    kv_heads                 integer,
    head_dim                 integer,
    intermediate_size        integer,
    experts_routed           integer,
    experts_per_token        integer,
    experts_shared           integer,
    expert_intermediate_size integer,
    dense_layers             integer,
    moe_layer_step           integer,
    mla_kv_lora_rank         integer,
    mla_q_lora_rank          integer,
    mla_rope_head_dim        integer,
    mla_nope_head_dim        integer,
    mla_v_head_dim           integer,
    sliding_window_tokens    integer,
    sliding_window_layers    integer,
    sparse_attention_topk    integer,
    indexer_heads            integer,
    indexer_head_dim         integer,
    max_position_tokens      bigint,
    vocab_size               integer,
    tied_embeddings          boolean,
    torch_dtype              varchar,
    weight_format            varchar,           -- fp8 | mxfp4 | bf16 | ...
    expert_weight_format     varchar,
    unmapped_fields          varchar[] not null,
    change                   varchar not null,  -- new | changed
    content_sha256           varchar not null,
    snapshot_id              varchar not null,
    observed_at              timestamptz not null
);

-- Each model's newest architecture.
create view latest_architectures as
select * exclude (change)
from architecture_observations
qualify row_number() over (partition by source, source_model_key order by observed_at desc) = 1;

-- Each model's hosts on its newest observed day.
create view latest_endpoints as
select * from endpoint_observations
qualify day = max(day) over (partition by source, source_model_key);

-- Same-model price dispersion across hosts, per model and day. Spreads are over hosts
-- that state a positive price (a free promotional host would make every ratio infinite);
-- hosts_up counts hosts whose status is normal (0) or not stated.
create view endpoint_price_dispersion as
select day, source, source_model_key,
       count(*) as hosts,
       count(*) filter (where coalesce(status, 0) >= 0) as hosts_up,
       count(output_usd_per_mtok) filter (where output_usd_per_mtok > 0) as hosts_priced,
       string_agg(distinct quantization, ',' order by quantization) as quantizations,
       min(input_usd_per_mtok) filter (where input_usd_per_mtok > 0) as input_min_usd_per_mtok,
       median(input_usd_per_mtok) filter (where input_usd_per_mtok > 0)
           as input_median_usd_per_mtok,
       max(input_usd_per_mtok) as input_max_usd_per_mtok,
       min(output_usd_per_mtok) filter (where output_usd_per_mtok > 0)
           as output_min_usd_per_mtok,
       median(output_usd_per_mtok) filter (where output_usd_per_mtok > 0)
           as output_median_usd_per_mtok,
       max(output_usd_per_mtok) as output_max_usd_per_mtok,
       cast(max(output_usd_per_mtok) as double)
           / cast(min(output_usd_per_mtok) filter (where output_usd_per_mtok > 0) as double)
           as output_max_over_min,
       stddev_pop(cast(output_usd_per_mtok as double)) filter (where output_usd_per_mtok > 0)
           / avg(cast(output_usd_per_mtok as double)) filter (where output_usd_per_mtok > 0)
           as output_coefficient_of_variation,
       arg_min(endpoint_key, output_usd_per_mtok) filter (where output_usd_per_mtok > 0)
           as cheapest_output_endpoint
from endpoint_observations
group by day, source, source_model_key;

-- Decode speed per host and day beside its output price: tokens_per_s_per_usd_per_mtok is
-- the median per-request throughput divided by the output price (tokens/s bought per
-- USD/Mtok); it rises when a host gets faster at the same price or cheaper at the same
-- speed. NULL where either is not stated.
create view endpoint_speed as
select day, source, source_model_key, endpoint_key, host, quantization,
       output_usd_per_mtok, throughput_p50_tokens_per_s, latency_p50_ms,
       throughput_p50_tokens_per_s / nullif(cast(output_usd_per_mtok as double), 0)
           as tokens_per_s_per_usd_per_mtok
from endpoint_observations;

-- The report's host-throughput panel (reporting/read.py): one row per model, host and day
-- with the output price and p50 throughput (NULL without an API key). `model` is the
-- OpenRouter model id; a host with several endpoints for one model keeps their tag's
-- suffix (`Google #2`), so each (day, model, host) is one endpoint.
create view openrouter_endpoints_daily as
select day, source_model_key as model,
       host || coalesce(' ' || nullif(regexp_extract(endpoint_key, '#[0-9]+$'), ''), '') as host,
       output_usd_per_mtok, throughput_p50_tokens_per_s,
       endpoint_key, quantization, latency_p50_ms, status
from endpoint_observations
where source = 'openrouter-endpoints';
