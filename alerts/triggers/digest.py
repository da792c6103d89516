"""What a group of triggers reads, as one digest: the daily run evaluates a group again
only when its digest differs from the one stored at the group's last evaluation.

Evaluating unchanged inputs again finds nothing new: the alerts it would return were
recorded by the evaluation that stored the digest (the outbox drops them), and the
condition state it would write is already written. So a group whose digest is unchanged
is skipped, and the run does only the work its new data asks for.

A digest covers everything the group's result can depend on: the content of each
warehouse table it reads (the base tables under the views it queries), the theses, the
project's code and shipped data files, and whatever else the caller adds (the day, for
triggers that compare with today; the sources evaluated).

Of two tables that grow every day whatever happens, only the part that can still make
news is digested (`settled.py` says why that is all): the snapshots up to the last day a
price trigger can still confirm something on, and the inversion's daily sheet rows up to
the last day a margin band can still be confirmed on. A day that only repeats what the
warehouse held (every source answered 304, the inversion reused every sheet) then leaves
the digests as they were. Neither is `model_identity.last_seen_at` digested, which every
snapshot moves and no trigger reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import duckdb

from alerts.theses.load import Theses
from alerts.triggers.settled import margin_days_cutoff, snapshot_days_cutoff

ROOT = Path(__file__).resolve().parent.parent.parent
# The packages whose code or data files an evaluation runs or reads.
PACKAGES = ("alerts", "core", "extractors", "model", "reconcile", "warehouse")

# The base tables each group reads (through the views its queries name).
PRICE_TABLES = (
    "model_identity",
    "model_identity_state",
    "model_limits",
    "page_diffs",
    "page_section_failures",
    "price_observations",
    "price_series",
    "price_series_state",
    "reconciliation_settings",
    "snapshots",
    "source_catalog",
)
FUNDAMENTALS_TABLES = ("fundamentals", "fx_rates", "memory_segment_revenue", "quotes")
MARGIN_TABLES = ("inference_bands", "inference_sheets")
WATCHED_TABLES = (
    "architecture_observations",
    "endpoint_observations",
    "inferences where name = 'effective_decode_batch'",  # all it reads of the table
    "model_identity",
    "watched_snapshots",
)


def inputs_digest(
    con: duckdb.DuckDBPyConnection, tables: Iterable[str], theses: Theses, *extra: str
) -> str:
    """The digest of a group's inputs: its tables' content, the theses, the code and
    `extra`."""
    specs = [_narrowed(con, spec, theses) for spec in tables]
    parts = [code_digest(), repr(theses), *extra, *table_digests(con, specs)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _narrowed(con: duckdb.DuckDBPyConnection, spec: str, theses: Theses) -> str:
    """The part of a table the triggers can still draw news from (all of it but for
    the two tables that grow daily)."""
    if spec == "snapshots":
        cutoff = snapshot_days_cutoff(con, theses)
        day = "cast(observed_at as date)"
    elif spec == "inference_sheets":
        cutoff = margin_days_cutoff(con, theses)
        day = "day"
    else:
        return spec
    return spec if cutoff is None else f"{spec} where {day} <= date '{cutoff.isoformat()}'"


# Columns no trigger reads that change without news: the last time a key was seen moves
# with every snapshot.
UNREAD_COLUMNS = {"model_identity": ("last_seen_at",)}


def table_digests(con: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> list[str]:
    """Per table (a name, or a name and a `where` filter on it), its row count and the
    sum of its rows' hashes (order does not matter: every query of the triggers orders
    its rows itself). One scan per table."""
    specs = sorted(set(tables))
    selects = []
    for i, spec in enumerate(specs):
        name, _, where = spec.partition(" where ")
        unread = UNREAD_COLUMNS.get(name)
        relation = f"(select * exclude ({', '.join(unread)}) from {name})" if unread else name
        selects.append(
            f"select {i}, count(*), coalesce(sum(hash(t)), 0) from {relation} t"
            + (f" where {where}" if where else "")
        )
    rows = con.execute(" union all ".join(selects)).fetchall()
    return [f"{specs[i]}:{count}:{total}" for i, count, total in sorted(rows)]


@cache
def code_digest() -> str:
    """SHA-256 of every source and data file of the packages evaluation runs (a process
    reads them once)."""
    digest = hashlib.sha256()
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix in (".py", ".toml", ".sql") and path.is_file():
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()
