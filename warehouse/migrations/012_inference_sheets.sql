-- Issue 13 point 8: only today's work is done today. The daily run inverts a model only
-- when its price sheet changed (pipeline/inference.py refresh_inferences); a model whose
-- sheet is unchanged keeps its last inferences and bands, which are no longer copied to
-- every day. `inferences` and `inference_bands` therefore hold a model's rows on the days
-- they were computed, and `inference_sheets` says, per day the inversion ran and model it
-- priced, which sheet it read (`sheet_key`) and whether the rows were computed that day or
-- carried from the model's last computed day. `inference_bands_daily` spells the bands out
-- per such day, so the per-day views below read as before.

create table inference_sheets (
    day          date not null,          -- UTC date of computed_at
    computed_at  timestamptz not null,
    run_id       varchar,                -- the daily run, null for `thesis infer`
    provider     varchar not null,       -- canonical, as in latest_prices
    model        varchar not null,
    sheet_key    varchar,                -- null: computed before keys were kept
    recomputed   boolean not null,       -- false: the last computed day's rows stand
    primary key (day, provider, model)
);

-- The days already stored were each computed in full.
insert into inference_sheets
select day, max(computed_at), max(run_id), provider, model, null, true
from inferences
group by day, provider, model;

create view inference_bands_daily as
select * from inference_bands
union all
select b.* replace (s.day as day)
from inference_sheets s
asof join (select provider, model, day from inference_sheets where recomputed) c
  on c.provider = s.provider and c.model = s.model and c.day <= s.day
join inference_bands b on b.provider = c.provider and b.model = c.model and b.day = c.day
where not s.recomputed;

create or replace view implied_margin_daily as
select m.day, m.provider, m.model, m.hardware,
       m.low as margin_low, m.high as margin_high, m.verdict, m.firm, m.decided_by,
       r.low as revenue_usd_per_chip_hour_low, r.high as revenue_usd_per_chip_hour_high,
       m.stand_ins, m.explanation
from inference_bands_daily m
left join inference_bands_daily r
  on r.day = m.day and r.provider = m.provider and r.model = m.model
 and r.name = 'implied_revenue_usd_per_chip_hour'
where m.name = 'serving_margin';

create or replace view long_context_verdicts as
select day, provider, model,
       cast(regexp_extract(name, '_at_([0-9]+)$', 1) as bigint) as threshold_tokens,
       low as gap_low, high as gap_high, verdict, firm, decided_by, explanation
from inference_bands_daily
where name like 'long_context_verdict_at_%';

create or replace view cache_ladder as
select day, provider, model, name, low as usd_per_gb_hour_low, high as usd_per_gb_hour_high,
       verdict as pays_for, firm, decided_by, explanation
from inference_bands_daily
where unit = 'usd_per_gb_hour';
