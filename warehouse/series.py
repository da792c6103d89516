"""Keep `price_series` in step with the observations (the decisions: reconcile/series.py).

The table is derived from `price_observations`, `snapshots` and `model_identity`. When a
batch of snapshots loads, in its transaction and after model identity, only the models
whose sheet can differ are decided again, and only from the batch's first day on: models
with an observation that day, models with a pending price (its source's next snapshot
may confirm it), models of a source that turns fresh or stale that day, models with a
dated price starting or ending, and models whose identity changed (those from their
first day). It is rebuilt whole when price_series_state says other rules built it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from operator import itemgetter

import duckdb

from reconcile.confirm import (
    AGREEMENT_WINDOW,
    CONFIRM_SNAPSHOTS,
    Change,
    Run,
    confirmations,
    confirmed_on_day,
)
from reconcile.series import PriceKey, Quote, SeriesValue, in_force, reconcile_sheet
from warehouse.tables import PRICE_SERIES, PRICE_SERIES_STATE, PriceSeriesRow, PriceSeriesStateRow
from warehouse.write import insert_rows, merge_rows

RULES_VERSION = 3  # bump when reconcile/series.py or reconcile/confirm.py decide otherwise
Model = tuple[str, str]  # canonical provider, model
# source, source_model_key, price key, effective_from, effective_to
SourceSeries = tuple[str, str, PriceKey, date | None, date | None]


_DAY = itemgetter(0)  # the day of a (day, value) change


def _day(at: datetime) -> date:
    return at.astimezone(UTC).date()


@dataclass
class _Inputs:
    """Everything the sheets of some models need, read once."""

    snapshot_days: dict[str, list[date]]  # per source, one entry per loaded snapshot
    catalog: dict[str, tuple[bool, int]]
    # per model: per source series, its changes (observed day, value or None = removed)
    series: dict[Model, dict[SourceSeries, list[tuple[date, Decimal | None]]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    # per model and source series, its confirmed changes (computed on first use)
    _confirmed: dict[tuple[Model, SourceSeries], list[Change[Decimal]]] = field(
        default_factory=dict
    )
    _fresh: dict[tuple[str, date], bool] = field(default_factory=dict)

    def fresh(self, source: str, day: date) -> bool:
        found = self._fresh.get((source, day))
        if found is None:
            days = self.snapshot_days.get(source, [])
            at = bisect_right(days, day)
            found = self._fresh[(source, day)] = at > 0 and day - days[at - 1] <= AGREEMENT_WINDOW
        return found

    def removal_confirmed_on(self, source: str, removed_on: date) -> date | None:
        """The snapshot day a key missing since `removed_on` reads as removed: once it has
        been absent from CONFIRM_SNAPSHOTS of its source's snapshots (None: not yet)."""
        days = self.snapshot_days.get(source, [])
        at = bisect_left(days, removed_on) + CONFIRM_SNAPSHOTS - 1
        return days[at] if at < len(days) else None

    def runs(self, source: str, changes: list[tuple[date, Decimal | None]]) -> list[Run[Decimal]]:
        days = self.snapshot_days.get(source, [])
        bounds = [bisect_left(days, d) for d, _ in changes] + [len(days)]
        return [Run(v, days[bounds[i] : bounds[i + 1]]) for i, (_, v) in enumerate(changes)]

    def confirmed(self, model: Model, series: SourceSeries, day: date) -> Decimal | None:
        """The value of `series` its own snapshots confirm on `day` (the rule of
        reconcile/confirm.py, worked out once per series: a model is decided on many days)."""
        changes = self._confirmed.get((model, series))
        if changes is None:
            runs = self.runs(series[0], self.series[model][series])
            changes = self._confirmed[(model, series)] = confirmations(runs, CONFIRM_SNAPSHOTS)
        return confirmed_on_day(changes, day)


def ensure_series(con: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild the table when other rules built it; True if it was rebuilt."""
    row = con.execute(
        "select value from price_series_state where name = 'rules_version'"
    ).fetchone()
    if row is not None and row[0] == str(RULES_VERSION):
        return False
    rebuild_series(con)
    return True


def rebuild_series(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("delete from price_series")
    first = con.execute("select min(day) from snapshot_days").fetchone()
    if first is not None and first[0] is not None:
        refresh_series(con, first[0], set())
    state = [PriceSeriesStateRow(name="rules_version", value=str(RULES_VERSION))]
    merge_rows(con, PRICE_SERIES_STATE, state, replace=True)


IDENTITY_BEFORE = "_series_identity_before"


def remember_identity(con: duckdb.DuckDBPyConnection) -> None:
    """Keep the key -> canonical model map (a temporary table) for `moved_models`."""
    con.execute(
        f"create or replace temp table {IDENTITY_BEFORE} as select source, source_model_key,"
        " canonical_provider, canonical_model from model_identity"
    )


def moved_models(con: duckdb.DuckDBPyConnection) -> set[Model]:
    """The canonical models a key left or joined since `remember_identity`."""
    rows = con.execute(
        "with now as (select source, source_model_key, canonical_provider, canonical_model"
        f" from model_identity), diff as ((select * from {IDENTITY_BEFORE} except select *"
        f" from now) union all (select * from now except select * from {IDENTITY_BEFORE}))"
        " select distinct canonical_provider, canonical_model from diff"
    ).fetchall()
    con.execute(f"drop table {IDENTITY_BEFORE}")
    return {(p, m) for p, m in rows}


def refresh_series(
    con: duckdb.DuckDBPyConnection, start: date, moved: set[Model], source: str | None = None
) -> None:
    """Decide again, from `start` on, every model whose sheet can differ; `moved` models
    (their identity changed) from their first day. With `source` (the one whose snapshots
    just loaded), a model it does not price is left alone unless an observation changed."""
    all_days = [d for (d,) in con.execute("select day from snapshot_days order by day").fetchall()]
    if not any(d >= start for d in all_days) and not moved:
        return
    snapshot_days = _snapshot_days(con)
    candidates = _candidates(con, start, all_days, snapshot_days, source) | moved
    inputs = _read_inputs(con, snapshot_days, candidates)
    stored = _stored_rows(con, set(inputs.series) | moved)
    restamp: dict[date, set[Model]] = defaultdict(set)  # stored rows to decide again
    for m, rows in stored.items():
        for r in rows:
            if r.day >= start:
                restamp[r.day].add(m)
    kept = {m: [r for r in rows if r.day < start and m not in moved] for m, rows in stored.items()}
    _evaluate(inputs, kept, all_days, start, moved, restamp)
    fresh_rows = [r for m, rows in kept.items() for r in rows if r.day >= start or m in moved]
    _replace(con, start, set(stored) | set(kept), moved, fresh_rows)


def _snapshot_days(con: duckdb.DuckDBPyConnection) -> dict[str, list[date]]:
    """Per source, the (UTC) day of each loaded snapshot, in order."""
    days: dict[str, list[date]] = defaultdict(list)
    for source, at in con.execute(
        "select source, observed_at from snapshots where status = 'loaded' order by observed_at"
    ).fetchall():
        days[source].append(_day(at))
    return dict(days)


# A subquery of a day per source (columns source, since): its parameters are the sources
# and their days, two lists.
SOURCE_SINCE = "(select unnest(?::varchar[]) as source, unnest(?::date[]) as since)"


def _models_param(models: Collection[Model]) -> tuple[str, list[list[str]]]:
    """A subquery of `models` (columns p, m) and its parameters: no frame to register."""
    listed = list(models)
    query = "(select unnest(?::varchar[]) as p, unnest(?::varchar[]) as m)"
    return query, [[p for p, _ in listed], [m for _, m in listed]]


def _candidates(
    con: duckdb.DuckDBPyConnection,
    start: date,
    all_days: list[date],
    snapshot_days: dict[str, list[date]],
    source: str | None,
) -> set[Model]:
    """Models whose sheet may differ on some day from `start`: a dated price starts or ends,
    or an observation changed, a row from `start` on or a pending price may be decided
    otherwise; of the last three, with `source`, only the models that source prices (a
    snapshot of another source changes neither its quotes nor their confirmation, and
    that source's own flush decided its changes).

    No query scans a whole table's history: observations from `start` on (or with a dated
    bound from then), price_series rows from `start` on or from their source's last
    snapshot day before it: a pending price of a source with a later snapshot was decided
    again on that snapshot's day (a candidate then), so the pending prices still in force
    are among those rows."""
    since = {s: _last_before(days, start) for s, days in snapshot_days.items()}
    since_params = [list(since), list(since.values())]
    at = datetime(start.year, start.month, start.day, tzinfo=UTC)
    found = con.execute(
        "with priced as (select canonical_provider as provider, canonical_model as model"
        "  from model_identity where ? is null or source = ?),"
        " observed as (select i.canonical_provider as provider, i.canonical_model as model,"
        "  o.observed_at >= ? as changed, o.effective_from >= ? or o.effective_to >= ? as dated"
        "  from price_observations o join model_identity i using (source, source_model_key)"
        "  where o.observed_at >= ? or o.effective_from >= ? or o.effective_to >= ?),"
        " recent as (select * from price_series where day >= ?),"
        f" pending as (select provider, model from recent p join {SOURCE_SINCE} b using (source)"
        "  where p.state = 'pending' and p.day >= b.since"
        "  and not exists (select 1 from recent q where q.provider = p.provider"
        "  and q.model = p.model and q.component = p.component"
        "  and q.service_tier = p.service_tier"
        "  and q.tier_min_prompt_tokens = p.tier_min_prompt_tokens"
        "  and q.condition = p.condition and q.day > p.day)),"
        " open as (select provider, model from price_series where day >= ?"
        "  union select provider, model from pending"
        "  union select provider, model from observed where changed)"
        " select provider, model from observed where dated"
        " union select provider, model from open semi join priced using (provider, model)",
        [
            source,
            source,
            at,
            start,
            start,
            at,
            start,
            start,
            min(since.values(), default=start),
            *since_params,
            start,
        ],
    ).fetchall()
    models = {(p, m) for p, m in found} | _removing(con, start, snapshot_days, source)
    flipped = _flipping_sources(snapshot_days, start, all_days)
    if flipped:
        rows = con.execute(
            "select distinct canonical_provider, canonical_model from model_identity"
            " where list_contains(?, source)",
            [sorted(flipped)],
        ).fetchall()
        models |= {(p, m) for p, m in rows}
    return models


def _removing(
    con: duckdb.DuckDBPyConnection,
    start: date,
    snapshot_days: dict[str, list[date]],
    source: str | None,
) -> set[Model]:
    """Models with a key removed before `start` whose removal a snapshot from `start` on
    may confirm (it was seen in fewer than CONFIRM_SNAPSHOTS of its source's snapshots)."""
    since = {}
    for s, days in snapshot_days.items():
        at = bisect_left(days, start)
        if at and (source is None or s == source):
            since[s] = days[max(at - CONFIRM_SNAPSHOTS + 1, 0)]
    if not since:
        return set()
    rows = con.execute(
        "select distinct i.canonical_provider, i.canonical_model from price_observations o"
        " join model_identity i using (source, source_model_key)"
        f" join {SOURCE_SINCE} b using (source)"
        " where o.change = 'removed' and o.observed_at >= b.since"
        " and o.observed_at < ?",
        [
            list(since),
            list(since.values()),
            datetime(start.year, start.month, start.day, tzinfo=UTC),
        ],
    ).fetchall()
    return {(p, m) for p, m in rows}


def _last_before(days: list[date], start: date) -> date:
    """The last of `days` before `start` (`start` when there is none)."""
    at = bisect_left(days, start)
    return days[at - 1] if at else start


def _flipping_sources(
    snapshot_days: dict[str, list[date]], start: date, all_days: list[date]
) -> set[str]:
    """Sources that turn fresh or stale on a day from `start` on."""
    probe = _Inputs(snapshot_days, {})
    days = _from_previous(all_days, start)
    return {s for s in snapshot_days if len({probe.fresh(s, d) for d in days}) > 1}


def _from_previous(all_days: list[date], start: date) -> list[date]:
    """The days from `start` on, and the one before it."""
    at = bisect_left(all_days, start)
    return all_days[max(at - 1, 0) :]


def _read_inputs(
    con: duckdb.DuckDBPyConnection,
    snapshot_days: dict[str, list[date]],
    models: Collection[Model],
) -> _Inputs:
    catalog = {
        s: (bool(o), int(r))
        for s, o, r in con.execute("select source, official, rank from source_catalog").fetchall()
    }
    inputs = _Inputs(snapshot_days, catalog)
    if not models:
        return inputs
    wanted, params = _models_param(models)
    rows = con.execute(
        "with i as (select * from model_identity semi join"
        f" {wanted} f on f.p = canonical_provider and f.m = canonical_model)"
        " select i.canonical_provider, i.canonical_model, o.source, o.source_model_key,"
        " o.component, o.service_tier, o.tier_min_prompt_tokens, o.condition,"
        " o.effective_from, o.effective_to, o.observed_at, o.usd_per_mtok, o.change"
        " from price_observations o join i using (source, source_model_key)"
        " order by o.observed_at",
        params,
    ).fetchall()
    for p, m, src, key, comp, tier, thr, cond, ef, et, at, usd, change in rows:
        series = (src, key, (comp, tier, int(thr), cond), ef, et)
        changes = inputs.series[(p, m)].setdefault(series, [])
        value = None if change == "removed" else usd
        if changes and changes[-1][0] == _day(at):
            changes[-1] = (_day(at), value)  # the day's last snapshot counts
        else:
            changes.append((_day(at), value))
    return inputs


def _stored_rows(
    con: duckdb.DuckDBPyConnection, models: Collection[Model]
) -> dict[Model, list[PriceSeriesRow]]:
    if not models:
        return {}
    wanted, params = _models_param(models)
    cur = con.execute(
        f"select * from price_series semi join {wanted} f on f.p = provider and f.m = model"
        " order by day",
        params,
    )
    out: dict[Model, list[PriceSeriesRow]] = defaultdict(list)
    for r in PRICE_SERIES.rows(cur):
        out[(r.provider, r.model)].append(r)
    return out


def _evaluate(
    inputs: _Inputs,
    kept: dict[Model, list[PriceSeriesRow]],
    all_days: list[date],
    start: date,
    moved: set[Model],
    restamp: dict[date, set[Model]],
) -> None:
    """Decide the touched models day by day, appending the rows that change to `kept`."""
    changed_on: dict[date, set[Model]] = defaultdict(set)
    by_source: dict[str, set[Model]] = defaultdict(set)
    for model, series in inputs.series.items():
        for (source, _, _, ef, et), changes in series.items():
            by_source[source].add(model)
            removals = [inputs.removal_confirmed_on(source, d) for d, v in changes if v is None]
            bounds = [b for b in (ef, et, *removals) if b is not None]
            for d in [d for d, _ in changes] + bounds:
                at = bisect_left(all_days, d)  # a dated bound counts from the next snapshot
                if at < len(all_days):
                    changed_on[all_days[at]].add(model)
    # per model, its rows in force (kept up to date as rows are added, not re-sorted)
    now = {m: _in_force(rows) for m, rows in kept.items()}
    pending = {m for m, in_force in now.items() if _has_pending(in_force)}
    days = all_days if moved else _from_previous(all_days, start)
    was_fresh: dict[str, bool] | None = None
    for day in days:
        fresh = {s: inputs.fresh(s, day) for s in inputs.snapshot_days}
        flips = set() if was_fresh is None else {s for s in fresh if fresh[s] != was_fresh[s]}
        was_fresh = fresh
        # As a rebuild does: a sheet can differ only on a day something happens to it.
        touched = pending | changed_on.get(day, set())
        for source in flips:
            touched |= by_source.get(source, set())
        if day >= start:
            touched |= restamp.get(day, set())
        else:
            touched &= moved  # before the batch, only the models decided from their first day
        for model in touched & inputs.series.keys():
            in_force = now.setdefault(model, {})
            sheet = reconcile_sheet(_quotes(inputs, model, day))
            changed = _changed_rows(model, day, dict(in_force), sheet)
            kept.setdefault(model, []).extend(changed)
            for r in changed:
                if r.usd_per_mtok is None:
                    in_force.pop(_key(r), None)
                else:
                    in_force[_key(r)] = r
            pending.discard(model)
            if _has_pending(in_force):
                pending.add(model)


def _has_pending(in_force: dict[PriceKey, PriceSeriesRow]) -> bool:
    return any(r.state == "pending" for r in in_force.values())


def _key(r: PriceSeriesRow) -> PriceKey:
    return (r.component, r.service_tier, r.tier_min_prompt_tokens, r.condition)


def _quotes(inputs: _Inputs, model: Model, day: date) -> list[Quote]:
    """What each source states for the model on `day` (the key named like the model first
    when a source has several keys for it)."""
    per: dict[
        tuple[str, PriceKey, str], list[tuple[Decimal, date | None, date | None, SourceSeries]]
    ] = defaultdict(list)
    for series, changes in inputs.series[model].items():
        source, key, price_key, ef, et = series
        at = bisect_right(changes, day, key=_DAY)
        if at and changes[at - 1][1] is None:
            confirmed_on = inputs.removal_confirmed_on(source, changes[at - 1][0])
            if confirmed_on is None or confirmed_on > day:
                at -= 1  # a removal not yet confirmed: the value before it stands
        if at and changes[at - 1][1] is not None:
            per[(source, price_key, key)].append((changes[at - 1][1], ef, et, series))  # type: ignore[arg-type]
    chosen: dict[tuple[str, PriceKey], Quote] = {}
    for (source, price_key, key), values in sorted(
        per.items(), key=lambda kv: (kv[0][2] != model[1], kv[0][2])
    ):
        if (source, price_key) in chosen:
            continue
        found = in_force([(v, ef, et) for v, ef, et, _ in values], day)
        if found is None:
            continue
        series = next(s for v, ef, et, s in values if (v, ef, et) == found)
        official, rank = inputs.catalog.get(source, (False, 100))
        chosen[(source, price_key)] = Quote(
            source=source,
            official=official,
            rank=rank,
            fresh=inputs.fresh(source, day),
            key=price_key,
            usd_per_mtok=found[0],
            source_model_key=key,
            confirmed=inputs.confirmed(model, series, day) == found[0],
            effective_from=found[1],
            effective_to=found[2],
        )
    return list(chosen.values())


def _in_force(rows: Iterable[PriceSeriesRow]) -> dict[PriceKey, PriceSeriesRow]:
    out: dict[PriceKey, PriceSeriesRow] = {}
    for r in sorted(rows, key=lambda r: r.day):
        out[_key(r)] = r
    return {k: r for k, r in out.items() if r.usd_per_mtok is not None}


def _changed_rows(
    model: Model, day: date, before: dict[PriceKey, PriceSeriesRow], sheet: list[SeriesValue]
) -> list[PriceSeriesRow]:
    """Rows for what differs on `day` from the rows in force before it."""
    out = []
    for value in sheet:
        old = before.pop(value.key, None)
        if old is None or _fact(old) != _value_fact(value):
            out.append(_row(model, day, value, old))
    for key in before:  # priced before, by no source now
        out.append(_gone(model, day, key))
    return out


def _row(model: Model, day: date, v: SeriesValue, old: PriceSeriesRow | None) -> PriceSeriesRow:
    same = old is not None and old.usd_per_mtok == v.usd_per_mtok
    return PriceSeriesRow(
        provider=model[0],
        model=model[1],
        component=v.key[0],
        service_tier=v.key[1],
        tier_min_prompt_tokens=v.key[2],
        condition=v.key[3],
        day=day,
        usd_per_mtok=v.usd_per_mtok,
        state=v.state,
        source=v.source,
        sheet_source=v.sheet_source,
        filled_from=v.filled_from,
        source_model_key=v.source_model_key,
        agreeing_sources=list(v.agreeing),
        disagreeing_sources=list(v.disagreeing),
        value_since=old.value_since if same and old is not None else day,
        effective_from=v.effective_from,
        effective_to=v.effective_to,
    )


def _gone(model: Model, day: date, key: PriceKey) -> PriceSeriesRow:
    return PriceSeriesRow(
        provider=model[0],
        model=model[1],
        component=key[0],
        service_tier=key[1],
        tier_min_prompt_tokens=key[2],
        condition=key[3],
        day=day,
        usd_per_mtok=None,
        state="gone",
        source=None,
        sheet_source=None,
        filled_from=None,
        source_model_key=None,
        agreeing_sources=[],
        disagreeing_sources=[],
        value_since=None,
        effective_from=None,
        effective_to=None,
    )


def _value_fact(v: SeriesValue) -> tuple[object, ...]:
    """`_fact` of the row `v` would make (without making it)."""
    return (
        v.usd_per_mtok,
        v.state,
        v.source,
        v.sheet_source,
        v.filled_from,
        v.source_model_key,
        v.agreeing,
        v.disagreeing,
        v.effective_from,
        v.effective_to,
    )


def _fact(r: PriceSeriesRow) -> tuple[object, ...]:
    """What a row says, its day aside."""
    return (
        r.usd_per_mtok,
        r.state,
        r.source,
        r.sheet_source,
        r.filled_from,
        r.source_model_key,
        tuple(r.agreeing_sources),
        tuple(r.disagreeing_sources),
        r.effective_from,
        r.effective_to,
    )


def _replace(
    con: duckdb.DuckDBPyConnection,
    start: date,
    models: set[Model],
    moved: set[Model],
    rows: list[PriceSeriesRow],
) -> None:
    """Delete the decided models' rows from `start` (all of a moved model's), insert
    `rows`."""
    if not models:
        return
    listed = list(models)
    con.execute(
        "delete from price_series where exists (select 1 from (select unnest(?::varchar[])"
        " as p, unnest(?::varchar[]) as m, unnest(?::boolean[]) as every_day) f"
        " where f.p = provider and f.m = model and (f.every_day or day >= ?))",
        [[p for p, _ in listed], [m for _, m in listed], [m in moved for m in listed], start],
    )
    # As list parameters however many rows: a daily flush writes tens, for which
    # registering a frame costs more than the statement.
    insert_rows(con, PRICE_SERIES, rows, parameter_rows=None)
