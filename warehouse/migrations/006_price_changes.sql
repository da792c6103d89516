-- Every change of a price series, and whether it is confirmed: it persisted into the
-- source's next snapshot (a one-day typo reverts before that), or another source shows
-- the same new value within a week of it. Alerts fire on confirmed changes only.

create view price_changes as
with snaps as (
    select source, snapshot_id, observed_at,
           lead(observed_at) over (partition by source order by observed_at) as next_snapshot_at
    from snapshots where status = 'loaded'
),
series as (
    select o.*,
           lag(usd_per_mtok) over w as old_usd_per_mtok,
           lead(observed_at) over w as next_change_at
    from price_observations o
    window w as (partition by source, source_model_key, component, service_tier,
                 tier_min_prompt_tokens, condition, effective_from, effective_to
                 order by observed_at)
),
changes as (
    select c.*, s.next_snapshot_at
    from series c join snaps s using (source, snapshot_id)
    where c.change = 'changed'
),
flagged as (
select c.source, c.provider, c.model, c.source_model_key, c.component, c.service_tier,
       c.tier_min_prompt_tokens, c.condition, c.old_usd_per_mtok,
       c.usd_per_mtok as new_usd_per_mtok, c.observed_at as changed_at, c.next_snapshot_at,
       c.next_snapshot_at is not null
         and (c.next_change_at is null or c.next_change_at > c.next_snapshot_at) as persisted,
       exists (
           select 1 from price_history h
           where h.source <> c.source and h.provider = c.provider and h.model = c.model
             and h.component = c.component and h.service_tier = c.service_tier
             and h.tier_min_prompt_tokens = c.tier_min_prompt_tokens
             and h.condition = c.condition and h.usd_per_mtok = c.usd_per_mtok
             and h.valid_from <= c.observed_at + interval 7 day
             and (h.valid_to is null or h.valid_to > c.observed_at - interval 7 day)
       ) as corroborated,
       c.snapshot_id
from changes c
)
select * exclude (snapshot_id), persisted or corroborated as confirmed, snapshot_id
from flagged;
