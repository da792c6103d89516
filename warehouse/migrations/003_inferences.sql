-- Roofline inversion of each day's prices (owned by model/ and warehouse/inferences.py).
--
-- One row per (day, provider, model, inference name, reference model, reference hardware):
-- re-running the same day replaces that day's value rather than adding a second one, so
-- the table is a daily history of what the prices imply, queryable over time. `value` is
-- null when the prices and the reference deployment cannot agree (`label` says why, e.g.
-- 'above-range'). `assumptions` holds everything the value rests on, as JSON.

create table inferences (
    day                date not null,          -- UTC date of computed_at
    computed_at        timestamptz not null,
    run_id             varchar,                -- the daily run, null for `thesis infer`
    provider           varchar not null,
    model              varchar not null,
    name               varchar not null,
    value              double,
    unit               varchar not null,
    label              varchar not null,
    explanation        varchar not null,
    reference_model    varchar not null,
    reference_hardware varchar not null,
    assumptions        json not null,
    primary key (day, provider, model, name, reference_model, reference_hardware)
);

create view latest_inferences as
select * from inferences
qualify row_number() over (
    partition by provider, model, name, reference_model, reference_hardware
    order by computed_at desc) = 1;
