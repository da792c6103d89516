-- Reconciliation: what every source says each price is today, and where they disagree.
--
-- A "price series" here is (provider, model, component, service_tier,
-- tier_min_prompt_tokens, condition): condition is part of it so an audio or off-peak
-- price is never compared with the plain text price.

-- Tunables of the views below; change with e.g.
--   update reconciliation_settings set value = 0.005 where name = 'relative_tolerance';
create table reconciliation_settings (
    name  varchar primary key,
    value double not null
);
insert into reconciliation_settings values ('relative_tolerance', 0.01);

-- The latest value from every source for every series, with the date the source was
-- last observed (an unchanged value adds no observation, so the source's last loaded
-- snapshot is when it last said so) and since when it has said this value. Of a source's
-- dated prices (a scheduled change, a time-limited discount) the one in effect today is
-- taken, a dated price before an undated list price.
create view price_sources as
with current_values as (
    select provider, model, component, service_tier, tier_min_prompt_tokens, condition,
           source, source_model_key, usd_per_mtok, effective_from, effective_to,
           valid_from
    from price_history
    where valid_to is null
      and (effective_from is null or effective_from <= current_date)
      and (effective_to is null or effective_to >= current_date)
)
select v.provider, v.model, v.component, v.service_tier, v.tier_min_prompt_tokens,
       v.condition, v.source,
       coalesce(c.official, false) as official,
       coalesce(c.rank, 100) as source_rank,
       v.usd_per_mtok, v.source_model_key,
       v.valid_from as value_since,
       f.last_seen_at as observed_at,
       cast(timezone('UTC', f.last_seen_at) as date) as observed_date,
       v.effective_from, v.effective_to
from current_values v
join source_freshness f on f.source = v.source
left join source_catalog c on c.source = v.source
qualify row_number() over (
    partition by v.provider, v.model, v.component, v.service_tier,
                 v.tier_min_prompt_tokens, v.condition, v.source
    order by (v.effective_from is not null or v.effective_to is not null) desc,
             v.effective_from desc nulls last, v.effective_to nulls last,
             v.source_model_key) = 1;

-- Pairs of sources whose values for the same series differ by more than `tolerance`
-- relative to the larger value. Side a is the source to trust (official first, then by
-- source_catalog rank); official_source names the official page when one is involved.
create macro price_discrepancies_at(tolerance) as table
with ranked as (
    select *,
           row_number() over (
               partition by provider, model, component, service_tier,
                            tier_min_prompt_tokens, condition
               order by official desc, source_rank, source) as preference
    from price_sources
)
select a.provider, a.model, a.component, a.service_tier, a.tier_min_prompt_tokens,
       a.condition,
       a.source as source_a, a.official as official_a, a.usd_per_mtok as usd_per_mtok_a,
       a.observed_date as observed_date_a,
       b.source as source_b, b.official as official_b, b.usd_per_mtok as usd_per_mtok_b,
       b.observed_date as observed_date_b,
       case when a.official then a.source when b.official then b.source end
           as official_source,
       cast(abs(a.usd_per_mtok - b.usd_per_mtok) as double)
           / cast(greatest(abs(a.usd_per_mtok), abs(b.usd_per_mtok)) as double)
           as relative_difference
from ranked a
join ranked b
  on b.provider = a.provider and b.model = a.model and b.component = a.component
 and b.service_tier = a.service_tier
 and b.tier_min_prompt_tokens = a.tier_min_prompt_tokens
 and b.condition = a.condition
 and b.preference > a.preference
where cast(abs(a.usd_per_mtok - b.usd_per_mtok) as double)
      > tolerance * cast(greatest(abs(a.usd_per_mtok), abs(b.usd_per_mtok)) as double);

-- The same at the tolerance in reconciliation_settings (1% unless changed).
create view price_discrepancies as
select d.*
from reconciliation_settings s,
     lateral (select * from price_discrepancies_at(s.value)) d
where s.name = 'relative_tolerance';
