-- The reconciled price series (reconcile/series.py decides, warehouse/series.py stores):
-- per canonical price and day, the value in force, its state, the source it came from and
-- the sources that agree or disagree. Stored as change rows: a row holds from its `day`
-- until the next row of the same price (usd_per_mtok NULL: no source prices it any more);
-- `price_series_daily` spells it out per snapshot day. Derived from the observations and
-- model_identity: kept up to date when snapshots load, rebuilt when the warehouse is
-- opened for writing and price_series_state says it was built by other rules (version 0
-- below: build on first open, from the observations already stored).

create table price_series (
    provider               varchar not null,   -- canonical (model_identity)
    model                  varchar not null,
    component              varchar not null,
    service_tier           varchar not null,
    tier_min_prompt_tokens bigint not null,
    condition              varchar not null,
    day                    date not null,      -- in force from this snapshot day
    usd_per_mtok           decimal(20, 9),     -- NULL: no source prices it from `day`
    state                  varchar not null,   -- confirmed | pending | disputed | gone
    source                 varchar,            -- where the value came from
    sheet_source           varchar,            -- the source chosen for the model's sheet
    filled_from            varchar,            -- = source when the sheet source lacks it
    source_model_key       varchar,
    agreeing_sources       varchar[] not null,
    disagreeing_sources    varchar[] not null,
    value_since            date,               -- first day of this value
    effective_from         date,               -- of the dated price used, if any
    effective_to           date,
    primary key (provider, model, component, service_tier, tier_min_prompt_tokens,
                 condition, day)
);

create table price_series_state (
    name  varchar primary key,                 -- rules_version
    value varchar not null
);
insert into price_series_state values ('rules_version', '0');

create view snapshot_days as
select distinct cast(observed_at as date) as day from snapshots where status = 'loaded';

-- One row per canonical price and snapshot day it is priced.
create view price_series_daily as
with spans as (
    select *, lead(day) over (
        partition by provider, model, component, service_tier, tier_min_prompt_tokens,
                     condition order by day) as next_day
    from price_series
)
select d.day, s.provider, s.model, s.component, s.service_tier, s.tier_min_prompt_tokens,
       s.condition, s.usd_per_mtok, s.state, s.source, s.sheet_source, s.filled_from,
       s.source_model_key, s.agreeing_sources, s.disagreeing_sources, s.value_since,
       s.effective_from, s.effective_to
from spans s
join snapshot_days d on d.day >= s.day and (s.next_day is null or d.day < s.next_day)
where s.usd_per_mtok is not null;

-- The per-source views of 001 keep their meaning under names that say so.
create view source_latest_prices as
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

create view source_price_spreads as
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

-- One row per canonical price: the series' newest value.
create or replace view latest_prices as
select s.provider, s.model, s.component, s.service_tier, s.tier_min_prompt_tokens,
       s.condition, s.usd_per_mtok, s.state, s.source, s.sheet_source, s.filled_from,
       s.source_model_key, coalesce(c.official, false) as official,
       s.agreeing_sources, s.disagreeing_sources,
       s.value_since as price_since, f.last_seen_at, s.effective_from, s.effective_to
from price_series s
left join source_catalog c on c.source = s.source
left join source_freshness f on f.source = s.source
qualify row_number() over (
    partition by s.provider, s.model, s.component, s.service_tier,
                 s.tier_min_prompt_tokens, s.condition order by s.day desc) = 1
    and s.usd_per_mtok is not null;

-- One row per canonical model and snapshot day: its base output/input ratio.
create or replace view price_spreads as
select day, provider, model,
       max(usd_per_mtok) filter (where component = 'input') as input_usd_per_mtok,
       max(usd_per_mtok) filter (where component = 'output') as output_usd_per_mtok,
       cast(max(usd_per_mtok) filter (where component = 'output') as double)
         / cast(max(usd_per_mtok) filter (where component = 'input') as double)
         as output_input_ratio,
       max(sheet_source) as sheet_source,
       bool_and(state = 'confirmed') as confirmed,
       bool_or(state = 'disputed') as disputed
from price_series_daily
where component in ('input', 'output') and service_tier = 'standard'
  and tier_min_prompt_tokens = 0 and condition = ''
group by day, provider, model
having max(usd_per_mtok) filter (where component = 'input') > 0
   and max(usd_per_mtok) filter (where component = 'output') is not null;

-- Every change of a canonical price's value, and when (if ever) the series confirmed it.
-- The confirmation itself is the rule of reconcile/confirm.py, applied when the series
-- is built; this view only reads its states.
create or replace view price_changes as
with runs as (
    select provider, model, component, service_tier, tier_min_prompt_tokens, condition,
           value_since, any_value(usd_per_mtok) as usd_per_mtok,
           min(day) filter (where state = 'confirmed') as confirmed_on,
           arg_min(source, day) as source, arg_min(source_model_key, day) as source_model_key
    from price_series where usd_per_mtok is not null
    group by all
),
chained as (
    select *, lag(usd_per_mtok) over (
        partition by provider, model, component, service_tier, tier_min_prompt_tokens,
                     condition order by value_since) as old_usd_per_mtok
    from runs
)
select provider, model, component, service_tier, tier_min_prompt_tokens, condition,
       old_usd_per_mtok, usd_per_mtok as new_usd_per_mtok, value_since as changed_on,
       confirmed_on, confirmed_on is not null as confirmed, source, source_model_key
from chained
where old_usd_per_mtok is not null and old_usd_per_mtok <> usd_per_mtok;
