-- Ticker fundamentals from yfinance (issue 6). Money is decimal with its currency in a
-- column of its own. A quote's currency and its company's statement currency can differ
-- (the TSM ADR quotes in USD, TSMC reports in TWD): never sum or compare across them.

-- One quote per ticker and trading day; the first fetch of a day stands (insert or ignore).
create table quotes (
    ticker      varchar not null,
    as_of       date not null,             -- the exchange's trading date of the price
    price       decimal(38, 6) not null,
    currency    varchar not null,
    market_cap  decimal(38, 6),            -- NULL: not stated
    fetched_at  timestamptz not null,
    primary key (ticker, as_of)
);

-- Append-only change log of statement line items: a row when a (ticker, period, item)
-- is first seen or its value or currency changes (a restatement). Re-running adds
-- nothing. value NULL: the company does not report the item for that period (never 0).
create table fundamentals (
    ticker      varchar not null,
    period_end  date not null,
    period_type varchar not null,          -- annual | quarterly
    item        varchar not null,          -- total_revenue | cost_of_revenue | gross_profit
                                           -- | gross_margin | operating_income
                                           -- | research_and_development
                                           -- | capital_expenditure (negative: cash out)
                                           -- | free_cash_flow
    value       decimal(38, 6),
    currency    varchar,                   -- statement currency; NULL for gross_margin
    fetched_at  timestamptz not null,
    primary key (ticker, period_end, period_type, item, fetched_at)
);

create view fundamentals_latest as
select ticker, period_end, period_type, item, value, currency, fetched_at
from fundamentals
qualify row_number() over (
    partition by ticker, period_end, period_type, item order by fetched_at desc) = 1;

-- Year-on-year growth of capital expenditure (as a positive amount spent), per company
-- and summed over the hyperscalers. Annual periods compare with the fiscal year before
-- (keyed by the calendar year of the period end; Microsoft's year ends in June),
-- quarterly ones with the same calendar quarter a year before. The group sums only
-- within one currency and only states growth when both years have the same members.
create view capex_growth as
with hyperscalers(ticker) as (values ('GOOGL'), ('AMZN'), ('MSFT'), ('META')),
capex as (
    select ticker, period_type, period_end, currency,
           year(period_end) as fiscal_year,
           case when period_type = 'quarterly' then quarter(period_end) else 0 end
               as fiscal_quarter,
           -value as capex
    from fundamentals_latest
    where item = 'capital_expenditure' and value is not null
),
company as (
    select 'company' as scope, ticker as name, period_type, fiscal_year, fiscal_quarter,
           period_end, currency, 1 as companies, ticker as members, capex
    from capex
),
grouped as (
    select 'hyperscalers' as scope, 'GOOGL+AMZN+MSFT+META' as name, period_type,
           fiscal_year, fiscal_quarter, max(period_end) as period_end, currency,
           count(*) as companies, string_agg(ticker, ',' order by ticker) as members,
           sum(capex) as capex
    from capex where ticker in (select ticker from hyperscalers)
    group by period_type, fiscal_year, fiscal_quarter, currency
),
both_scopes as (select * from company union all select * from grouped)
select cur.scope, cur.name, cur.period_type, cur.fiscal_year, cur.fiscal_quarter,
       cur.period_end, cur.currency, cur.companies, cur.members,
       cur.capex, prev.capex as prev_capex,
       case when prev.capex > 0 and prev.members = cur.members
            then cast(cur.capex as double) / cast(prev.capex as double) - 1 end
           as yoy_growth
from both_scopes cur
left join both_scopes prev
  on prev.scope = cur.scope and prev.name = cur.name
 and prev.period_type = cur.period_type and prev.currency = cur.currency
 and prev.fiscal_year = cur.fiscal_year - 1 and prev.fiscal_quarter = cur.fiscal_quarter;

-- Gross margin of the memory makers over time, each in its own reporting currency,
-- beside the margin of the same period a year before (same pairing as capex_growth).
create view memory_margins as
with margins as (
    select ticker, period_type, period_end,
           year(period_end) as fiscal_year,
           case when period_type = 'quarterly' then quarter(period_end) else 0 end
               as fiscal_quarter,
           max(currency) as currency,       -- the statement currency (margins carry none)
           max(value) filter (where item = 'total_revenue') as total_revenue,
           max(value) filter (where item = 'gross_profit') as gross_profit,
           max(value) filter (where item = 'gross_margin') as gross_margin
    from fundamentals_latest
    where ticker in ('MU', '000660.KS', '005930.KS')
      and item in ('total_revenue', 'gross_profit', 'gross_margin')
    group by ticker, period_type, period_end
)
select cur.ticker, cur.period_type, cur.period_end, cur.fiscal_year, cur.fiscal_quarter,
       cur.currency, cur.total_revenue, cur.gross_profit, cur.gross_margin,
       prev.gross_margin as prev_year_gross_margin,
       cur.gross_margin - prev.gross_margin as margin_change
from margins cur
left join margins prev
  on prev.ticker = cur.ticker and prev.period_type = cur.period_type
 and prev.fiscal_year = cur.fiscal_year - 1 and prev.fiscal_quarter = cur.fiscal_quarter;
