-- Core schema: runs, the raw payload archive, snapshots, and the change-log tables of
-- prices and limits. Times are UTC (timestamptz; connections set TimeZone to UTC).

create table runs (
    run_id      varchar primary key,
    kind        varchar not null,          -- daily | import | reprocess | backtest
    started_at  timestamptz not null,
    finished_at timestamptz,
    status      varchar not null,          -- running | ok | partial | failed
    summary     json
);

create table source_runs (
    run_id      varchar not null,
    source      varchar not null,
    status      varchar not null,          -- loaded | unchanged | not_modified | failed
    error_kind  varchar,                   -- fetch_failed | blocked | layout_changed | ...
    error       varchar,                   -- one-line reason
    snapshot_id varchar,
    rows_added  integer not null default 0,
    started_at  timestamptz not null,
    finished_at timestamptz,
    primary key (run_id, source)
);

-- Every payload ever fetched or imported, once per content hash, gzip-compressed.
create table raw_snapshots (
    content_sha256 varchar primary key,    -- of the uncompressed payload
    source         varchar not null,
    first_seen_at  timestamptz not null,
    size_bytes     bigint not null,
    encoding       varchar not null,       -- gzip
    payload        blob not null
);

-- Each time a source's payload was observed (fetched or imported), loaded or not.
create table snapshots (
    snapshot_id    varchar primary key,    -- source/observed_at/hash prefix
    source         varchar not null,
    observed_at    timestamptz not null,
    content_sha256 varchar not null,
    run_id         varchar,
    origin         varchar not null,       -- fetch | import | reprocess
    url            varchar,
    etag           varchar,
    last_modified  varchar,
    status         varchar not null,       -- loaded | failed
    error_kind     varchar,
    error          varchar,
    models         integer,
    price_rows     integer,
    limit_rows     integer,
    unmapped_fields varchar[]
);

-- Append-only change log: a row when a price series is first seen, changes value, or
-- disappears (change = 'removed', usd_per_mtok NULL). Unchanged values add nothing, so
-- a re-run writes nothing twice; price_history turns it into dated intervals.
create table price_observations (
    source                 varchar not null,
    source_model_key       varchar not null,
    provider               varchar not null,
    model                  varchar not null,
    component              varchar not null,
    service_tier           varchar not null,
    tier_min_prompt_tokens bigint not null,
    condition              varchar not null,
    effective_from         date,
    effective_to           date,
    usd_per_mtok           decimal(20, 9),
    change                 varchar not null,   -- new | changed | removed
    snapshot_id            varchar not null,
    observed_at            timestamptz not null
);

create table model_limits (
    source                 varchar not null,
    source_model_key       varchar not null,
    provider               varchar not null,
    model                  varchar not null,
    context_window_tokens  bigint,
    max_input_tokens       bigint,
    max_output_tokens      bigint,
    change                 varchar not null,   -- new | changed | removed
    snapshot_id            varchar not null,
    observed_at            timestamptz not null
);

-- Which source to trust when several state the same price (lower rank wins; a fresh
-- official page beats every feed).
create table source_catalog (
    source   varchar primary key,
    official boolean not null,
    rank     integer not null
);
insert into source_catalog values
    ('anthropic-docs', true, 0), ('openai-docs', true, 0),
    ('gemini-docs', true, 0), ('deepseek-docs', true, 0),
    ('genai-prices', false, 10), ('litellm', false, 20), ('openrouter', false, 30);

create view price_history as
select source, provider, model, source_model_key, component, service_tier,
       tier_min_prompt_tokens, condition, effective_from, effective_to, usd_per_mtok,
       observed_at as valid_from,
       lead(observed_at) over (
           partition by source, source_model_key, component, service_tier,
                        tier_min_prompt_tokens, condition, effective_from, effective_to
           order by observed_at) as valid_to,
       snapshot_id
from price_observations
qualify change <> 'removed';

create view source_freshness as
select source, max(observed_at) as last_seen_at
from snapshots where status = 'loaded' group by source;

create view latest_prices as
with newest as (select max(last_seen_at) as newest_at from source_freshness),
candidates as (
    select h.*, f.last_seen_at, coalesce(c.official, false) as official,
           coalesce(c.rank, 100) as rank,
           coalesce(c.official, false)
               and f.last_seen_at >= (select newest_at from newest) - interval 3 day as fresh_official
    from price_history h
    join source_freshness f using (source)
    left join source_catalog c using (source)
    where h.valid_to is null
      and (h.effective_from is null or h.effective_from <= current_date)
      and (h.effective_to is null or h.effective_to > current_date)  -- exclusive end
)
select provider, model, component, service_tier, tier_min_prompt_tokens, condition,
       usd_per_mtok, source, source_model_key, official,
       valid_from as price_since, last_seen_at, effective_from, effective_to
from candidates
qualify row_number() over (
    partition by provider, model, component, service_tier, tier_min_prompt_tokens, condition
    order by case when fresh_official then 0 when not official then 1 else 2 end,
             rank, effective_from desc nulls last, source_model_key) = 1;

-- Output/input ratio of each model's base price (standard tier, no long-context tier,
-- undated) on every day its source was observed.
create view price_spreads as
with days as (
    select distinct source, cast(observed_at as date) as day
    from snapshots where status = 'loaded'
),
base as (
    select * from price_history
    where component in ('input', 'output') and service_tier = 'standard'
      and tier_min_prompt_tokens = 0 and condition = ''
      and effective_from is null and effective_to is null
),
daily as (
    select d.day, b.source, b.provider, b.model, b.source_model_key, b.component,
           b.usd_per_mtok
    from days d join base b
      on b.source = d.source
     and b.valid_from < d.day + interval 1 day
     and (b.valid_to is null or b.valid_to >= d.day + interval 1 day)
)
select day, source, provider, model, source_model_key,
       max(usd_per_mtok) filter (where component = 'input') as input_usd_per_mtok,
       max(usd_per_mtok) filter (where component = 'output') as output_usd_per_mtok,
       cast(max(usd_per_mtok) filter (where component = 'output') as double)
         / cast(max(usd_per_mtok) filter (where component = 'input') as double)
         as output_input_ratio
from daily
group by day, source, provider, model, source_model_key
having max(usd_per_mtok) filter (where component = 'input') > 0
   and max(usd_per_mtok) filter (where component = 'output') is not null;

-- Each model's current long-context thresholds and the price multiplier at each.
create view context_tiers as
select t.provider, t.model, t.component, t.service_tier,
       t.tier_min_prompt_tokens as threshold_tokens,
       b.usd_per_mtok as base_usd_per_mtok, t.usd_per_mtok as tier_usd_per_mtok,
       cast(t.usd_per_mtok as double) / cast(nullif(b.usd_per_mtok, 0) as double)
         as multiplier,
       t.source, t.source_model_key
from latest_prices t
join latest_prices b
  on b.provider = t.provider and b.model = t.model and b.component = t.component
 and b.service_tier = t.service_tier and b.condition = t.condition
 and b.tier_min_prompt_tokens = 0
where t.tier_min_prompt_tokens > 0;

create view context_limits_history as
select source, provider, model, source_model_key, context_window_tokens,
       max_input_tokens, max_output_tokens,
       observed_at as valid_from,
       lead(observed_at) over (partition by source, source_model_key
                               order by observed_at) as valid_to,
       snapshot_id
from model_limits
qualify change <> 'removed';

create view latest_limits as
with candidates as (
    select h.*, coalesce(c.official, false) as official, coalesce(c.rank, 100) as rank
    from context_limits_history h left join source_catalog c using (source)
    where h.valid_to is null
)
select provider, model, context_window_tokens, max_input_tokens, max_output_tokens,
       source, source_model_key, valid_from as limits_since
from candidates
qualify row_number() over (partition by provider, model
                           order by rank, source_model_key) = 1;
