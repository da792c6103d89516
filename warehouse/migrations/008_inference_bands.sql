-- Issue 17: the inversion's stand-in bands (long-context verdicts, the cache ladder, the
-- implied $/chip-hour and serving margin among them), stored daily, and memory revenue
-- against hyperscaler capex in one currency.
--
-- `inferences` (003) keeps one row per stand-in; `inference_bands` sets them side by side:
-- one row per (day, provider, model, inference name) with the lowest and highest value
-- across the stand-ins and the verdict they share. `firm` is true only when every
-- stand-in carries the same label; otherwise `decided_by` names the stand-in property
-- that separates them. Re-running a day replaces that day's rows (written by
-- warehouse/inference_bands.py from model/inversion/band.py).

create table inference_bands (
    day              date not null,           -- UTC date of computed_at
    computed_at      timestamptz not null,
    run_id           varchar,                 -- the daily run, null for `thesis infer`
    provider         varchar not null,
    model            varchar not null,
    name             varchar not null,        -- as in inferences.name
    unit             varchar not null,
    low              double,                  -- null when no stand-in gives a value
    high             double,
    stand_ins        integer not null,
    verdict          varchar not null,        -- the label every stand-in shares, or ''
    firm             boolean not null,
    decided_by       varchar not null,        -- '' when firm
    hardware         varchar not null,
    stand_in_values  json not null,           -- {"deepseek-v3.2": 638.1, ...}
    stand_in_labels  json not null,           -- {"deepseek-v3.2": "solved", ...}
    explanation      varchar not null,
    primary key (day, provider, model, name)
);

create view latest_inference_bands as
select * from inference_bands
qualify row_number() over (partition by provider, model, name order by computed_at desc) = 1;

-- The headline of `thesis infer`: implied revenue per chip-hour and the serving margin it
-- leaves over the rental price, as a band per model and day (its trend is this view; the
-- report's implied-margin panel reads day, provider, model, margin_low and margin_high).
create view implied_margin_daily as
select m.day, m.provider, m.model, m.hardware,
       m.low as margin_low, m.high as margin_high, m.verdict, m.firm, m.decided_by,
       r.low as revenue_usd_per_chip_hour_low, r.high as revenue_usd_per_chip_hour_high,
       m.stand_ins, m.explanation
from inference_bands m
left join inference_bands r
  on r.day = m.day and r.provider = m.provider and r.model = m.model
 and r.name = 'implied_revenue_usd_per_chip_hour'
where m.name = 'serving_margin';

-- Long-context verdict per tiered model and threshold: the modelled decode cost step over
-- the price step (gap > 1: the tier charges less than this stand-in's cost rises).
create view long_context_verdicts as
select day, provider, model,
       cast(regexp_extract(name, '_at_([0-9]+)$', 1) as bigint) as threshold_tokens,
       low as gap_low, high as gap_high, verdict, firm, decided_by, explanation
from inference_bands
where name like 'long_context_verdict_at_%';

-- Every cache price as USD per GB-hour of KV, with the memory tier it pays for.
create view cache_ladder as
select day, provider, model, name, low as usd_per_gb_hour_low, high as usd_per_gb_hour_high,
       verdict as pays_for, firm, decided_by, explanation
from inference_bands
where unit = 'usd_per_gb_hour';

-- Exchange rates, USD per unit of a currency, dated. Rows come from `fx_rates` (entered
-- by hand, with their source) and from Yahoo FX quotes in `quotes` when the fundamentals
-- run fetches them (ticker 'KRW=X' quotes KRW per USD, so one unit is 1 / price USD).
create table fx_rates (
    currency      varchar not null,           -- ISO 4217, e.g. KRW
    as_of         date not null,
    usd_per_unit  double not null,
    source        varchar not null,
    primary key (currency, as_of)
);

create view fx_usd as
select currency, as_of, usd_per_unit, source from fx_rates
union all
select currency, as_of, 1.0 / cast(price as double) as usd_per_unit, 'quote ' || ticker
from quotes
where ticker = currency || '=X' and price > 0
union all
select 'USD', date '1900-01-01', 1.0, 'identity';

-- A company's memory revenue where its filing reports a memory segment (Samsung reports
-- Memory inside its DS division). Entered by hand with the filing it comes from.
create table memory_segment_revenue (
    ticker       varchar not null,
    period_end   date not null,
    period_type  varchar not null,            -- annual | quarterly
    revenue      decimal(38, 6) not null,
    currency     varchar not null,
    segment      varchar not null,            -- the filing's name for it
    source_url   varchar not null,
    primary key (ticker, period_end, period_type)
);

-- "Half of capex is memory", testable: the memory makers' memory revenue in USD against
-- the hyperscalers' capex (capex_growth, scope 'hyperscalers', USD) per period. Micron and
-- SK Hynix count with total revenue (memory makers); Samsung only with a memory segment
-- row, never with its consolidated revenue. Each revenue converts at the latest rate on or
-- before its period end; one without a rate is listed in `unconverted`, not summed.
create view memory_revenue_vs_capex as
with makers(ticker, pure_memory) as (
    values ('MU', true), ('000660.KS', true), ('005930.KS', false)
),
revenue as (
    select f.ticker, f.period_end, f.period_type, cast(f.value as double) as revenue,
           f.currency, 'total revenue' as basis, 1 as preference
    from fundamentals_latest f
    join makers m on m.ticker = f.ticker
    where f.item = 'total_revenue' and f.value is not null and m.pure_memory
    union all
    select ticker, period_end, period_type, cast(revenue as double), currency,
           'memory segment: ' || segment, 0
    from memory_segment_revenue
),
chosen as (
    select * from revenue
    qualify row_number() over (
        partition by ticker, period_end, period_type order by preference) = 1
),
converted as (
    select c.ticker, c.period_type, c.basis,
           year(c.period_end) as fiscal_year,
           case when c.period_type = 'quarterly' then quarter(c.period_end) else 0 end
               as fiscal_quarter,
           c.revenue * fx.usd_per_unit as revenue_usd
    from chosen c
    asof left join fx_usd fx on fx.currency = c.currency and fx.as_of <= c.period_end
),
memory as (
    select period_type, fiscal_year, fiscal_quarter,
           sum(revenue_usd) as memory_revenue_usd,
           count(revenue_usd) as memory_makers,
           string_agg(ticker || ' (' || basis || ')', '; ' order by ticker)
               filter (where revenue_usd is not null) as memory_members,
           string_agg(ticker, ',' order by ticker) filter (where revenue_usd is null)
               as unconverted
    from converted
    group by period_type, fiscal_year, fiscal_quarter
)
select m.period_type, m.fiscal_year, m.fiscal_quarter, m.memory_revenue_usd,
       m.memory_makers, m.memory_members, m.unconverted,
       cast(c.capex as double) as hyperscaler_capex_usd, c.members as hyperscalers,
       m.memory_revenue_usd / cast(c.capex as double) as memory_revenue_over_capex
from memory m
left join capex_growth c
  on c.scope = 'hyperscalers' and c.currency = 'USD' and c.period_type = m.period_type
 and c.fiscal_year = m.fiscal_year and c.fiscal_quarter = m.fiscal_quarter;
