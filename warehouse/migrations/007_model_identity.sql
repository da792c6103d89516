-- Model identity (reconcile/identity.py): every source key -> one canonical provider and
-- model, with the rule that decided it. Derived from the observations: kept up to date
-- when snapshots load (warehouse/identity.py), and built from the observations already
-- stored when the warehouse is opened for writing and model_identity_state says the rules
-- or the user's override file changed (rules_version 0 below: build on first open).

create table model_identity (
    source             varchar not null,
    source_model_key   varchar not null,
    provider           varchar not null,   -- as the source's parser named it
    model              varchar not null,
    family             varchar not null,   -- what the naming rules read in the key
    canonical_provider varchar not null,
    canonical_model    varchar not null,
    rule               varchar not null,   -- naming rules applied, '+'-joined; exact | override
    outcome            varchar not null,   -- exact | alias | own-series | own-key
                                           -- | override-alias | override-apart
    explanation        varchar not null,
    lab_provider       varchar,            -- whose model family it is (a host's: the lab's)
    lab_model          varchar,
    first_seen_at      timestamptz not null,
    last_seen_at       timestamptz not null,  -- last loaded snapshot that had the key
    present            boolean not null,      -- in the source's latest loaded snapshot
    primary key (source, source_model_key)
);

create table model_identity_state (
    name  varchar primary key,             -- rules_version | overrides_sha256
    value varchar not null
);
insert into model_identity_state values ('rules_version', '0'), ('overrides_sha256', '');

-- One row per source key: the canonical model it belongs to, and why.
create view model_aliases as
select canonical_provider as provider, canonical_model as model,
       source, source_model_key,
       provider as source_provider, model as source_model,
       outcome in ('alias', 'override-alias') as is_alias,
       rule, outcome, explanation, lab_provider, lab_model,
       first_seen_at, last_seen_at, present
from model_identity;
