"""How good a backtest's alerts are, judged against the price files themselves.

The ground truth is read straight from the dated LiteLLM JSON files (`read_snapshots`),
never through the parser, the warehouse or the trigger code, so it can find the alerts
that code misses. Only the model identity (which source key is which canonical model,
reconcile/identity.py) is shared: duplicates and watched models are defined by it.

- A *watched* model: canonical provider one of the frontier labs and matched by the
  theses file's `price_change` trigger (its providers and model globs).
- A *persistent change*: a key's input or output price moving to a value that is still
  the one shown on the first snapshot 14 days or more later, with nothing else shown in
  between, and large enough for the `price_change` trigger (its `change_fraction`, or an
  output cut with input unchanged). The same move of a model's keys within 14 days is
  one change.
- An alert on a *reverted* value: the fields the alert is about went back, within 3
  snapshots of changing, to what they were before.
- A *duplicate*: an alert of the same trigger, canonical model, change and values as
  another within 14 days.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from alerts.records import Alert, value_text
from alerts.theses.load import Theses

FRONTIER = ("openai", "anthropic", "google", "deepseek", "xai")
PERSIST = timedelta(days=14)
ALERTED_WITHIN = 2  # snapshots, the first one carrying the new value included
REVERT_WITHIN = 3  # snapshots after the change
DUPLICATE_WINDOW = timedelta(days=14)
PRICE_FIELDS = {"input": "input_cost_per_token", "output": "output_cost_per_token"}
# LiteLLM's text-inference modes (a missing mode is chat); other entries are not token prices.
TEXT_MODES = frozenset({"chat", "completion", "responses", None})
Entries = Mapping[str, Mapping[str, Any]]
Canonical = tuple[str, str]  # (provider, model)


@dataclass(frozen=True, slots=True)
class Snapshot:
    day: date
    entries: Entries


@dataclass(frozen=True, slots=True)
class PriceMove:
    """A persistent change of a watched model's price, as the files show it."""

    canonical: Canonical
    component: str
    old: Decimal
    new: Decimal
    first: int  # index of the first snapshot showing the new value
    day: date
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Miss:
    move: PriceMove
    reason: str


@dataclass(frozen=True, slots=True)
class Identity:
    """Model identity as the backtest left it: source key -> canonical model, and the set
    of canonical models."""

    aliases: Mapping[str, Canonical]
    models: frozenset[Canonical]

    @classmethod
    def of(cls, aliases: Mapping[str, Canonical]) -> Identity:
        return cls(aliases, frozenset(aliases.values()))

    def canonical(self, alert: Alert) -> Canonical:
        """The canonical model an alert is about: the one it names, if it names one (a
        series alert does; its key is then the model's name, which may be another
        model's source key: LiteLLM's `gemini-1.5-pro` is Vertex's), else its key's."""
        own = (alert.provider, alert.model)
        return own if own in self.models else self.aliases.get(alert.source_model_key, own)

    def keys(self, alert: Alert) -> list[str]:
        """The source keys an alert about a canonical model may be about."""
        model = self.canonical(alert)
        return sorted(k for k, c in self.aliases.items() if c == model) or [alert.source_model_key]


@dataclass(frozen=True, slots=True)
class Quality:
    snapshots: int
    alerts: int
    per_kind: dict[str, int]
    alert_days_per_year: dict[int, int]
    persistent: tuple[PriceMove, ...]
    alerted_in_time: int
    misses: tuple[Miss, ...]
    reverted: tuple[Alert, ...]
    duplicates: tuple[Alert, ...]


def read_snapshots(folder: Path) -> list[Snapshot]:
    """The dated JSON files of `folder` (names start with an ISO date), oldest first."""
    out = []
    for path in sorted(folder.iterdir()):
        if not path.name[:10].replace("-", "").isdigit() or ".json" not in path.name:
            continue
        raw = path.read_bytes()
        doc = json.loads(gzip.decompress(raw) if path.name.endswith(".gz") else raw)
        out.append(Snapshot(date.fromisoformat(path.name[:10]), doc))
    return out


def measure(
    snapshots: Sequence[Snapshot],
    alerts: Sequence[Alert],
    aliases: Mapping[str, Canonical],
    theses: Theses,
    failed_days: Iterable[date] = (),
) -> Quality:
    """Every figure of the alert-quality table; `aliases` maps source keys to canonical
    models, `failed_days` are snapshots the import refused (named in a miss's reason)."""
    moves = persistent_moves(snapshots, aliases, theses)
    index = {s.day: i for i, s in enumerate(snapshots)}
    identity = Identity.of(aliases)
    misses = [
        Miss(m, _why_missed(m, alerts, identity, snapshots, index, set(failed_days)))
        for m in moves
        if not _alerted(m, alerts, identity, index, within=ALERTED_WITHIN)
    ]
    return Quality(
        snapshots=len(snapshots),
        alerts=len(alerts),
        per_kind=dict(sorted(Counter(a.kind for a in alerts).items())),
        alert_days_per_year=dict(sorted(Counter(d.year for d in {a.date for a in alerts}).items())),
        persistent=tuple(moves),
        alerted_in_time=len(moves) - len(misses),
        misses=tuple(misses),
        reverted=tuple(a for a in alerts if reverted(a, snapshots, index, identity)),
        duplicates=tuple(duplicates(alerts, identity)),
    )


def _usd_per_mtok(entry: Mapping[str, Any], field: str) -> Decimal | None:
    value = entry.get(field)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return (Decimal(repr(value)) * 1_000_000).normalize()


def watched_filter(theses: Theses) -> tuple[Callable[[Canonical], bool], Decimal, bool]:
    """Which canonical models are watched, and the price_change trigger's thresholds."""
    trigger = next(t for t in theses.triggers if t.kind == "price_change")
    providers = [p for p in getattr(trigger, "providers", ()) or FRONTIER if p in FRONTIER]
    globs = getattr(trigger, "models", ("*",))

    def watched(canonical: Canonical) -> bool:
        provider, model = canonical
        return provider in providers and any(fnmatchcase(model, g) for g in globs)

    fraction: Decimal = getattr(trigger, "change_fraction", Decimal("0.1"))
    return watched, fraction, bool(getattr(trigger, "output_cut_without_input_cut", True))


def persistent_moves(
    snapshots: Sequence[Snapshot], aliases: Mapping[str, Canonical], theses: Theses
) -> list[PriceMove]:
    """Every persistent, large-enough input/output price change of a watched model."""
    watched, fraction, output_cuts = watched_filter(theses)
    found: list[PriceMove] = []
    for key, canonical in sorted(aliases.items()):
        if not watched(canonical):
            continue
        points = {c: _points(snapshots, key, f) for c, f in PRICE_FIELDS.items()}
        input_moves = {i for i, _, _ in _moves(points["input"])}
        for component, series in points.items():
            for first, old, new in _moves(series):
                move = (new - old) / old if old else None
                output_only = output_cuts and component == "output" and new < old
                big = move is not None and abs(move) >= fraction
                if not (big or (output_only and first not in input_moves)):
                    continue
                if _persists(series, first, snapshots):
                    day = snapshots[first].day
                    found.append(PriceMove(canonical, component, old, new, first, day, (key,)))
    return _merge_keys(found)


def _points(snapshots: Sequence[Snapshot], key: str, field: str) -> list[tuple[int, Decimal]]:
    """(snapshot index, value) where the key states the field; absent snapshots left out."""
    out = []
    for i, snap in enumerate(snapshots):
        entry = snap.entries.get(key)
        value = _usd_per_mtok(entry, field) if entry is not None and _is_text(entry) else None
        if value is not None:
            out.append((i, value))
    return out


def _is_text(entry: object) -> bool:
    return isinstance(entry, dict) and entry.get("mode") in TEXT_MODES


def _moves(points: Sequence[tuple[int, Decimal]]) -> list[tuple[int, Decimal, Decimal]]:
    return [(i, old, new) for (_, old), (i, new) in itertools.pairwise(points) if new != old]


def _persists(points: Sequence[tuple[int, Decimal]], first: int, snaps: Sequence[Snapshot]) -> bool:
    """The value shown at `first` is the only one shown up to, and on, the first snapshot
    14 days or more later."""
    new = dict(points)[first]
    until = snaps[first].day + PERSIST
    for i, value in points:
        if i <= first:
            continue
        if value != new:
            return False
        if snaps[i].day >= until:
            return True
    return False


def _merge_keys(moves: list[PriceMove]) -> list[PriceMove]:
    """One change per canonical model, component and values within 14 days."""
    out: list[PriceMove] = []
    for m in sorted(moves, key=lambda m: (m.canonical, m.component, m.old, m.new, m.first)):
        last = out[-1] if out else None
        if (
            last is not None
            and (last.canonical, last.component, last.old, last.new)
            == (m.canonical, m.component, m.old, m.new)
            and m.day - last.day < PERSIST
        ):
            out[-1] = PriceMove(
                last.canonical, last.component, last.old, last.new, last.first, last.day,
                (*last.keys, *m.keys),
            )  # fmt: skip
            continue
        out.append(m)
    return sorted(out, key=lambda m: (m.day, m.canonical, m.component))


def _same(value: object, expected: Decimal) -> bool:
    try:
        return math.isclose(float(str(value)), float(expected), rel_tol=1e-9)
    except ValueError:
        return False


def _matches(alert: Alert, move: PriceMove, identity: Identity) -> bool:
    """The alert reports the move: same canonical model, component and new value. Its
    old value is the canonical model's previous confirmed price, which is another key's
    when the model's keys disagreed before the move (deepseek-chat in 2025)."""
    return (
        alert.kind == "price_change"
        and identity.canonical(alert) == move.canonical
        and f" {move.component} price " in f"{alert.subject} "
        and _same(alert.new_value, move.new)
    )


def _alerted(
    move: PriceMove,
    alerts: Sequence[Alert],
    identity: Identity,
    index: Mapping[date, int],
    within: int,
) -> bool:
    return any(
        _matches(a, move, identity) and move.first <= index.get(a.date, -1) < move.first + within
        for a in alerts
    )


def _why_missed(
    move: PriceMove,
    alerts: Sequence[Alert],
    identity: Identity,
    snapshots: Sequence[Snapshot],
    index: Mapping[date, int],
    failed: set[date],
) -> str:
    late = [a for a in alerts if _matches(a, move, identity) and a.date >= move.day]
    if late:
        after = index.get(late[0].date, move.first) - move.first + 1
        return f"alerted late, on {late[0].date} (snapshot {after} of the new value)"
    if move.first < 2:
        return "in the backtest's baseline (the first 2 snapshots are not news)"
    reasons = []
    if _shown_once(move, snapshots):
        reasons.append(
            f"the old price was listed on one snapshot only, so it was never confirmed:"
            f" {value_text(move.new)} is the model's first confirmed price, not a change"
        )
    if move.day in failed:
        reasons.append(f"the snapshot of {move.day} that first shows it failed to load")
    nxt = snapshots[move.first + 1] if move.first + 1 < len(snapshots) else None
    if nxt is None or (move.day in failed and move.first + 2 >= len(snapshots)):
        reasons.append("no later snapshot to confirm it on")
    if nxt is not None and nxt.day in failed:
        reasons.append(f"the next snapshot ({nxt.day}) failed to load")
    if nxt is not None and not any(k in nxt.entries for k in move.keys):
        reasons.append(f"the next snapshot ({nxt.day}) does not list the model")
    other = [
        a for a in alerts
        if a.kind == "price_change" and _same(a.old_value, move.old)
        and _same(a.new_value, move.new) and abs((a.date - move.day).days) <= 14
    ]  # fmt: skip
    if other:
        reasons.append(f"alerted as {other[0].provider}/{other[0].model} on {other[0].date}")
    return "; ".join(reasons) or "no alert"


def _shown_once(move: PriceMove, snapshots: Sequence[Snapshot]) -> bool:
    field = PRICE_FIELDS[move.component]
    for key in move.keys:
        points = _points(snapshots[: move.first], key, field)
        if len(points) >= 2 and points[-2][1] == move.old:
            return False
    return True


# Which entry fields an alert of each kind is about (a revert is of those fields).
_FIELDS: dict[str, Callable[[str, str], bool]] = {
    "price_change": lambda f, subject: any(
        f == field for c, field in PRICE_FIELDS.items() if f" {c} price " in f"{subject} "
    ),
    "spread_change": lambda f, _: f in PRICE_FIELDS.values(),
    "cache_pricing": lambda f, _: f in ("input_cost_per_token", "cache_read_input_token_cost"),
    "context_step_up": lambda f, _: f in ("max_input_tokens", "max_tokens"),
    "long_context_tier": lambda f, _: "cost_per_token_above" in f,
    "threshold": lambda f, _: f.startswith("input_cost_per_token"),
    "step_change": lambda f, _: f.startswith(("input_cost", "output_cost")),
}


def _sheet(snapshot: Snapshot, key: str, about: Callable[[str], bool]) -> tuple[Any, ...] | None:
    entry = snapshot.entries.get(key)
    if not isinstance(entry, dict):
        return None
    return tuple(sorted((f, str(v)) for f, v in entry.items() if about(f)))


def reverted(
    alert: Alert,
    snapshots: Sequence[Snapshot],
    index: Mapping[date, int],
    identity: Identity | None = None,
) -> bool:
    """The fields the alert is about went back, within 3 snapshots of the change it
    reports, to what they were before, under one of the model's keys (`identity` maps
    keys to canonical models; without it, the alert's key). For kinds about a model's
    presence (release cadence), presence is the field."""
    at = index.get(alert.date)
    if at is None:
        return False
    keys = identity.keys(alert) if identity else [alert.source_model_key]
    return any(_reverted(alert, key, snapshots, at) for key in keys)


def _reverted(alert: Alert, key: str, snapshots: Sequence[Snapshot], at: int) -> bool:
    pick = _FIELDS.get(alert.kind)
    if pick is None:  # a release: the key, maybe behind a provider prefix, is listed
        bare = key.rsplit("/", 1)[-1]
        present = [any(k.rsplit("/", 1)[-1] == bare for k in s.entries) for s in snapshots]
        if not present[at]:
            return False
        first = next((i for i in range(at, 0, -1) if present[i] and not present[i - 1]), 0)
        return not all(present[first : first + REVERT_WITHIN + 1])
    sheets = [_sheet(s, key, lambda f: pick(f, alert.subject)) for s in snapshots]
    seen = [i for i in range(len(snapshots)) if sheets[i] is not None]
    upto = [i for i in seen if i <= at]
    changed = [b for a, b in itertools.pairwise(upto) if sheets[a] != sheets[b]]
    if not changed or changed[-1] < at - REVERT_WITHIN:
        return False  # this key's sheet did not make the change the alert reports
    first = changed[-1]
    before = sheets[max(i for i in seen if i < first)]
    return any(sheets[i] == before for i in seen if first < i <= first + REVERT_WITHIN)


def duplicates(alerts: Sequence[Alert], identity: Identity) -> list[Alert]:
    """Alerts repeating an earlier one: same trigger, canonical model, subject (the model
    named canonically) and values, within 14 days."""
    last: dict[tuple[str, ...], date] = {}
    out = []
    for a in sorted(alerts, key=lambda a: a.date):
        provider, model = identity.canonical(a)
        subject = a.subject.replace(a.model, model) if a.model else a.subject
        event = (a.trigger_id, provider, model, subject, str(a.old_value), str(a.new_value))
        seen = last.get(event)
        if seen is not None and a.date - seen <= DUPLICATE_WINDOW:
            out.append(a)
        last[event] = a.date
    return out
