-- Official pages (extractors/pages): sections skipped by salvage, and page diffs.
--
-- page_section_failures: one row per section of a page snapshot that could not be read
-- (the page's other sections loaded; the skipped section's last good rows stand).
-- `models` are the model ids the section names, when readable: a model first named here
-- is news even before its prices parse.
create table page_section_failures (
    snapshot_id  varchar not null,
    source       varchar not null,
    observed_at  timestamptz not null,
    section      varchar not null,          -- the section's key on the page
    heading      varchar not null,
    error_kind   varchar not null,          -- layout_changed | ambiguous_price | ...
    error        varchar not null,          -- one-line reason
    models       varchar[] not null,
    primary key (snapshot_id, section)
);

-- page_diffs: when a page's pricing text (its sections with prices, normalised: one line
-- per heading, text line or table row) differs from the previous payload's, the unified
-- diff between the two, kept beside the archived payloads (raw_snapshots).
create table page_diffs (
    snapshot_id          varchar not null primary key,
    source               varchar not null,
    observed_at          timestamptz not null,
    content_sha256       varchar not null,
    previous_sha256      varchar not null,
    previous_observed_at timestamptz not null,
    lines_added          integer not null,
    lines_removed        integer not null,
    diff                 varchar not null
);

-- xAI's page is the fifth official source.
insert into source_catalog values ('xai-docs', true, 0);
