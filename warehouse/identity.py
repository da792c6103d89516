"""Keep `model_identity` in step with the observations (the rules: reconcile/identity.py).

The table is derived: everything in it can be rebuilt from `price_observations`,
`model_limits` and `snapshots`. It is brought up to date incrementally in the transaction
that writes a batch of snapshots (only the families of the keys that changed are decided
again), and rebuilt whole when the rules or the user's override file differ from the ones
it was built with (checked whenever the warehouse is opened for writing).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from core.errors import ConfigError, WarehouseError
from core.settings import WarehouseSettings
from reconcile.identity import RULES_VERSION, Identity, KeyPrices, SeriesKey, resolve
from reconcile.naming import name_key
from reconcile.overrides import NO_OVERRIDES, Overrides, parse_overrides
from warehouse.diff import Changes
from warehouse.tables import (
    MODEL_IDENTITY,
    MODEL_IDENTITY_STATE,
    ModelIdentityRow,
    ModelIdentityStateRow,
)
from warehouse.write import insert_rows, merge_rows, staged

KEYS_FRAME = "_identity_keys"
NAMES_FRAME = "_identity_names"
_IDENTITY_FIELDS = tuple(f.name for f in fields(Identity))


@dataclass(frozen=True, slots=True)
class Seen:
    """A key as the observations know it: its latest naming and when it was seen."""

    source: str
    source_model_key: str
    provider: str
    model: str
    first_seen_at: datetime
    last_seen_at: datetime
    present: bool


def load_overrides(path: Path | None = None) -> Overrides:
    """The override file THESIS_MODEL_ALIASES_FILE names (or `path`), validated."""
    from extractors.registry import SOURCES  # the registry is heavy; only needed here

    path = path if path is not None else WarehouseSettings.load().model_aliases_file
    if path is None:
        return NO_OVERRIDES
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"model alias file {path}: {exc.strerror or exc}; create it or unset "
            "THESIS_MODEL_ALIASES_FILE"
        ) from None
    return parse_overrides(text, str(path), known_sources=SOURCES.keys())


def _wanted_state(overrides: Overrides) -> dict[str, str]:
    return {"rules_version": str(RULES_VERSION), "overrides_sha256": overrides.fingerprint}


def identity_is_current(con: duckdb.DuckDBPyConnection, overrides: Overrides) -> bool:
    """Whether the stored identity was built by these rules and these overrides."""
    state = dict(con.execute("select name, value from model_identity_state").fetchall())
    return all(state.get(k) == v for k, v in _wanted_state(overrides).items())


def ensure_identity(con: duckdb.DuckDBPyConnection, overrides: Overrides | None = None) -> bool:
    """Rebuild the table when it was built by other rules or overrides; True if it was."""
    overrides = load_overrides() if overrides is None else overrides
    if identity_is_current(con, overrides):
        return False
    con.execute("delete from model_identity")
    _decide(con, seen_keys(con), set(), overrides)
    state = [ModelIdentityStateRow(name=k, value=v) for k, v in _wanted_state(overrides).items()]
    merge_rows(con, MODEL_IDENTITY_STATE, state, replace=True)
    return True


def read_aliases(
    con: duckdb.DuckDBPyConnection, source: str | None = None
) -> list[dict[str, object]]:
    """Every row of the `model_aliases` view (or `source`'s), ordered by canonical model,
    source and key; a WarehouseError when the warehouse predates model identity."""
    try:
        cur = con.execute(
            "select * from model_aliases where ? is null or source = ?"
            " order by provider, model, source, source_model_key",
            [source, source],
        )
    except duckdb.CatalogException:
        raise WarehouseError(
            "this warehouse has no model identity yet; open it once for writing "
            "(`thesis run` or `thesis import-snapshots`) to upgrade it"
        ) from None
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def refresh_identity(
    con: duckdb.DuckDBPyConnection,
    source: str,
    batch: Sequence[tuple[Changes, str, datetime]],
) -> None:
    """After a batch of `source`'s snapshots is written, in the same transaction."""
    if not batch:
        return
    overrides = load_overrides()
    if ensure_identity(con, overrides):
        return
    newest = max(observed_at for _, _, observed_at in batch)
    con.execute(
        "update model_identity set last_seen_at = ? where source = ? and present",
        [newest, source],
    )
    appeared, repriced = _touched(batch)
    if repriced:
        repriced -= _alone(con, source, repriced)
    keys = [(source, key) for key in appeared | repriced]
    if keys:
        _decide(con, seen_keys(con, keys), _families_of(con, keys), overrides)


def _touched(batch: Sequence[tuple[Changes, str, datetime]]) -> tuple[set[str], set[str]]:
    """Keys with a series that appeared or went, and keys whose prices changed only.

    A changed context window decides nothing. (A parser fix that renames a key's model
    comes with `thesis reprocess`, which rebuilds the source's identity whole.)
    """
    appeared: set[str] = set()
    repriced: set[str] = set()
    for changes, _, _ in batch:
        for row, _, kind in changes.prices:
            (repriced if kind == "changed" else appeared).add(row.source_model_key)
        for lim, _, kind in changes.limits:
            if kind != "changed":
                appeared.add(lim.source_model_key)
    return appeared, repriced - appeared


def _alone(con: duckdb.DuckDBPyConnection, source: str, keys: Collection[str]) -> set[str]:
    """The keys that are the only key of their family in every source: a new price of
    theirs changes no decision."""
    with _registered(con, KEYS_FRAME, [(source, k) for k in keys], ["source", "source_model_key"]):
        rows = con.execute(
            "select min(source_model_key) from model_identity where (provider, family) in"
            f" (select provider, family from model_identity semi join {KEYS_FRAME}"
            " using (source, source_model_key)) group by provider, family having count(*) = 1"
        ).fetchall()
    return {key for (key,) in rows}


def rebuild_source_identity(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """After a source's observations were re-derived (`rebuild_source`)."""
    overrides = load_overrides()
    if ensure_identity(con, overrides):
        return
    old = {
        (provider, family)
        for provider, family in con.execute(
            "select provider, family from model_identity where source = ?", [source]
        ).fetchall()
    }
    con.execute("delete from model_identity where source = ?", [source])
    _decide(con, seen_keys(con, source=source), old, overrides)


def _decide(
    con: duckdb.DuckDBPyConnection,
    seen: list[Seen],
    stale_families: set[tuple[str, str]],
    overrides: Overrides,
) -> None:
    """Decide again every family `seen` or `stale_families` touch, all sources, and store."""
    names = stale_families | {(s.provider, s.model) for s in seen}
    names |= {(s.provider, name_key(s.source_model_key, s.provider, s.model).family) for s in seen}
    fresh = {(s.source, s.source_model_key) for s in seen}
    members = seen + [
        s for s in _stored_members(con, names) if (s.source, s.source_model_key) not in fresh
    ]
    if not members:
        return
    prices = current_prices(con, _sharing_a_family(members))
    keys = [
        KeyPrices(
            s.source,
            s.source_model_key,
            s.provider,
            s.model,
            prices.get((s.source, s.source_model_key), {}),
        )
        for s in members
    ]
    seen_of = {(s.source, s.source_model_key): s for s in members}
    rows = [_record(i, seen_of[(i.source, i.source_model_key)]) for i in resolve(keys, overrides)]
    _replace_rows(con, rows)


def _sharing_a_family(members: list[Seen]) -> list[tuple[str, str]]:
    """The keys whose prices can matter: a key alone in its family (every source) joins
    it whatever it costs, and most keys are alone."""
    family = {
        (s.source, s.source_model_key): (
            s.provider,
            name_key(s.source_model_key, s.provider, s.model).family,
        )
        for s in members
    }
    size = Counter(family.values())
    return [key for key, name in family.items() if size[name] > 1]


def _record(identity: Identity, seen: Seen) -> ModelIdentityRow:
    """A model_identity row: the decision, and when the key was seen."""
    decided = {name: getattr(identity, name) for name in _IDENTITY_FIELDS}
    return ModelIdentityRow(
        **decided,
        first_seen_at=seen.first_seen_at,
        last_seen_at=seen.last_seen_at,
        present=seen.present,
    )


def _replace_rows(con: duckdb.DuckDBPyConnection, rows: list[ModelIdentityRow]) -> None:
    """Write `rows`, replacing the stored ones of the same keys. Delete-and-insert: a
    third of the cost of a MERGE of object columns at import sizes."""
    with staged(con, MODEL_IDENTITY, rows) as stage:
        con.execute(
            "delete from model_identity where (source, source_model_key) in"
            f" (select source, source_model_key from {stage})"
        )
    insert_rows(con, MODEL_IDENTITY, rows)


def _families_of(
    con: duckdb.DuckDBPyConnection, keys: Collection[tuple[str, str]]
) -> set[tuple[str, str]]:
    if not keys:
        return set()
    with _registered(con, KEYS_FRAME, keys, ["source", "source_model_key"]):
        rows = con.execute(
            f"select provider, family from model_identity semi join {KEYS_FRAME}"
            " using (source, source_model_key)"
        ).fetchall()
    return {(provider, family) for provider, family in rows}


def _stored_members(
    con: duckdb.DuckDBPyConnection, names: Collection[tuple[str, str]]
) -> list[Seen]:
    """Every stored key of each family that has a key named (by family or model) in
    `names`: keys that may share a group when the families are decided again."""
    if not names:
        return []
    with _registered(con, NAMES_FRAME, names, ["provider", "name"]):
        rows = con.execute(
            "with hit as (select distinct m.provider, m.family from model_identity m"
            f" join {NAMES_FRAME} n on m.provider = n.provider"
            " and (m.family = n.name or m.model = n.name))"
            " select source, source_model_key, provider, model, first_seen_at, last_seen_at,"
            " present from model_identity semi join hit using (provider, family)"
        ).fetchall()
    return [Seen(*row) for row in rows]


_SEEN_SQL = """
with series as (
    select source, source_model_key,
           arg_max(provider, observed_at) as provider, arg_max(model, observed_at) as model,
           min(observed_at) as first_at, max(observed_at) as last_at,
           arg_max(change, observed_at) as last_change
    from price_observations {where}
    group by source, source_model_key, component, service_tier, tier_min_prompt_tokens,
             condition, effective_from, effective_to
    union all
    select source, source_model_key,
           arg_max(provider, observed_at), arg_max(model, observed_at),
           min(observed_at), max(observed_at), arg_max(change, observed_at)
    from model_limits {where}
    group by source, source_model_key
),
per_key as (
    select source, source_model_key,
           arg_max(provider, last_at) as provider, arg_max(model, last_at) as model,
           min(first_at) as first_seen_at, max(last_at) as last_change_at,
           bool_or(last_change <> 'removed') as present
    from series group by source, source_model_key
),
loaded as (select source, observed_at from snapshots where status = 'loaded')
select k.source, k.source_model_key, k.provider, k.model, k.first_seen_at,
       coalesce(
           case when k.present
                then (select max(l.observed_at) from loaded l where l.source = k.source)
                else (select max(l.observed_at) from loaded l
                      where l.source = k.source and l.observed_at < k.last_change_at)
           end,
           k.first_seen_at) as last_seen_at,
       k.present
from per_key k
"""


def seen_keys(
    con: duckdb.DuckDBPyConnection,
    keys: Collection[tuple[str, str]] | None = None,
    *,
    source: str | None = None,
) -> list[Seen]:
    """Every key with observations (or only `keys`, or only `source`'s): its latest
    provider and model, when first seen, whether the latest snapshot has it, and the last
    loaded snapshot that did."""
    if keys is None:
        where, params = ("where source = ?", [source]) if source else ("", [])
        rows = con.execute(_SEEN_SQL.format(where=where), params * 2).fetchall()
        return [Seen(*row) for row in rows]
    if not keys:
        return []
    where = f"semi join {KEYS_FRAME} using (source, source_model_key)"
    with _registered(con, KEYS_FRAME, keys, ["source", "source_model_key"]):
        rows = con.execute(_SEEN_SQL.format(where=where)).fetchall()
    return [Seen(*row) for row in rows]


def current_prices(
    con: duckdb.DuckDBPyConnection, keys: Collection[tuple[str, str]]
) -> dict[tuple[str, str], dict[SeriesKey, Decimal]]:
    """Each key's prices as its latest snapshot states them; for a key no longer listed,
    the prices it had when it went."""
    if not keys:
        return {}
    with _registered(con, KEYS_FRAME, keys, ["source", "source_model_key"]):
        rows = con.execute(
            "select source, source_model_key, component, service_tier, tier_min_prompt_tokens,"
            " condition, coalesce(cast(effective_from as varchar), ''),"
            " coalesce(cast(effective_to as varchar), ''),"
            " arg_max(usd_per_mtok, observed_at) filter (where change <> 'removed'),"
            " arg_max(change, observed_at) = 'removed'"
            f" from price_observations semi join {KEYS_FRAME} using (source, source_model_key)"
            " group by all"
        ).fetchall()
    live: dict[tuple[str, str], dict[SeriesKey, Decimal]] = defaultdict(dict)
    last: dict[tuple[str, str], dict[SeriesKey, Decimal]] = defaultdict(dict)
    for source, key, *series, value, gone in rows:
        if value is None:
            continue
        last[(source, key)][tuple(series)] = value  # type: ignore[index]
        if not gone:
            live[(source, key)][tuple(series)] = value  # type: ignore[index]
    return {k: live.get(k) or v for k, v in last.items()}


@contextmanager
def _registered(
    con: duckdb.DuckDBPyConnection, name: str, rows: Iterable[tuple[str, str]], columns: list[str]
) -> Iterator[None]:
    """`rows` as a table named `name` for the length of a `with` block."""
    con.register(name, pd.DataFrame(list(rows), columns=columns, dtype=object))
    try:
        yield
    finally:
        con.unregister(name)


def known_before(con: duckdb.DuckDBPyConnection, provider: str, model: str, at: datetime) -> bool:
    """Whether some source listed, before `at`, a key of the model `provider`/`model` names.

    A name some key already carries is the canonical model its identity decided (so a dated
    snapshot priced like its family is that family, and one priced apart is its own). A
    name no key carries yet (a page section whose prices could not be read) is its family
    by the naming rules alone: `-latest`, a date or a version pin off a known model.
    """
    row = con.execute(
        "with named as (select distinct canonical_provider, canonical_model"
        " from model_identity where lower(model) = lower(?))"
        " select exists (select 1 from named),"
        " exists (select 1 from model_identity semi join named"
        " using (canonical_provider, canonical_model) where first_seen_at < ?)",
        [model, at],
    ).fetchone()
    carried, known = row if row else (False, False)
    if carried:
        return bool(known)
    family = name_key(model, provider, model).family.lower()
    found = con.execute(
        "select 1 from model_identity where first_seen_at < ?"
        " and (lower(family) = ? or lower(lab_model) = ?) limit 1",
        [at, family, family],
    ).fetchone()
    return found is not None
