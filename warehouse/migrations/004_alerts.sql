-- Alerts and trigger state (owned by alerts/).
--
-- alerts: every alert fired and every source failure noticed, one row per channel it is
-- due on (channels are recorded by name, never by URL or secret). A row is 'delivered'
-- only once that channel accepted the message; 'pending' and 'failed' rows go out in the
-- next run's digest, so a failed delivery is retried and delivered exactly once. With no
-- channel configured an alert is still recorded, under channel 'none', status 'no_channel'.

create sequence alerts_seq start 1;

create table alerts (
    alert_id         bigint primary key default nextval('alerts_seq'),
    alert_key        varchar not null,       -- identity of the event; a re-run adds no row
    message_type     varchar not null,       -- alert | source_broken
    trigger_id       varchar,                -- null for source_broken
    kind             varchar not null,       -- trigger kind, or the source's error kind
    thesis_id        varchar,
    severity         varchar not null,       -- info | warning | critical
    provider         varchar,
    model            varchar,
    source_model_key varchar,
    subject          varchar not null,       -- what changed (for source_broken: the source)
    old_value        varchar,                -- exact text of the value (Decimal as written)
    new_value        varchar,
    unit             varchar,
    explanation      varchar,                -- roofline reading, or the failure reason
    source_url       varchar,
    event_date       date not null,          -- the date the change is dated by
    fired_at         timestamptz not null,   -- when this run recorded it
    run_id           varchar,
    channel          varchar not null,       -- slack | email | apprise:<scheme>:<hash> | none
    status           varchar not null default 'pending',  -- pending|delivered|failed|no_channel
    attempts         integer not null default 0,
    last_error       varchar,                -- e.g. 'slack: HTTP 500' (never a secret)
    last_attempt_at  timestamptz,
    delivered_at     timestamptz,
    unique (alert_key, channel)
);

-- Fire once, re-arm when clear: one row per trigger and subject (a model, a provider,
-- a ticker, a source). `active` is true while the condition holds; it fires on the
-- transition to true and is not re-sent while it stays true. Feeding a date at or before
-- evaluated_on again (a re-run, a replayed history) changes nothing.
create table trigger_state (
    trigger_id varchar not null,
    subject    varchar not null,
    active     boolean not null,
    since      date not null,                -- date of the last transition
    last_value varchar,
    evaluated_on date not null,              -- latest date fed in; older dates are ignored
    updated_at timestamptz not null,
    primary key (trigger_id, subject)
);

create view recent_alerts as
select alert_id, fired_at, event_date, message_type, severity, trigger_id, kind,
       thesis_id, provider, model, subject, old_value, new_value, unit, channel, status,
       attempts, last_error, delivered_at
from alerts
order by fired_at desc, alert_id desc;
