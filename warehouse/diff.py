"""Pure diffing of one snapshot's entries against the previous one's.

The warehouse stores a change log: a row when a series appears, changes or disappears.
Entries (one per model) that are byte-for-byte equal to the previous snapshot's are not
parsed again, which is what makes importing years of daily history cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from core.rows import LimitRow, Parsed, PriceRow, SectionFailure
from extractors.base import Source
from extractors.pages.sections import PageSection

PriceKey = tuple[str, str, str, str, int, str, str]
_ABSENT = object()  # an entry missing from the previous snapshot


@dataclass(slots=True)
class EntryState:
    """A source's previous snapshot: its entries and the rows parsed from some of them."""

    entries: Mapping[str, object] = field(default_factory=dict)
    parsed: dict[str, Parsed] = field(default_factory=dict)

    def rows_of(self, source: Source, key: str) -> Parsed:
        if key not in self.parsed:
            self.parsed[key] = source.parse_entry(key, self.entries[key])
        return self.parsed[key]


@dataclass(slots=True)
class Changes:
    """Observation rows to append: (row, usd_per_mtok or None, change kind)."""

    prices: list[tuple[PriceRow, Decimal | None, str]] = field(default_factory=list)
    limits: list[tuple[LimitRow, bool, str]] = field(default_factory=list)
    unmapped_fields: set[str] = field(default_factory=set)
    # Every skipped page section of the snapshot, unchanged ones included.
    section_failures: list[SectionFailure] = field(default_factory=list)


def diff_snapshot(
    source: Source, prev: EntryState, entries: Mapping[str, object]
) -> tuple[Changes, EntryState]:
    """Changes from `prev` to `entries`, and the state to diff the next snapshot against.

    Raises the parser's typed errors before anything is returned, so a bad entry means
    nothing of the snapshot is written. A page section that was skipped (a SectionFailure)
    changes nothing: its last good rows stand, and the next snapshot diffs against them.
    """
    out = Changes()
    nxt = EntryState(entries=dict(entries))
    before = prev.entries
    # Most entries equal yesterday's: find the others in one pass at C speed, and carry
    # the rows parsed from the rest. A page's sections are all looked at (a skipped one
    # is reported every time, unchanged or not).
    touched = [key for key, entry in entries.items() if before.get(key, _ABSENT) != entry]
    gone = before.keys() - entries.keys()
    nxt.parsed = dict(prev.parsed)
    for key in (*touched, *gone):
        nxt.parsed.pop(key, None)
    for key in entries if source.page_text is not None else touched:
        entry = entries[key]
        if isinstance(entry, PageSection) and entry.failure is not None:
            out.section_failures.append(entry.failure)
            _carry(prev, nxt, key)
            continue
        if key in before and before[key] == entry:
            continue
        new = source.parse_entry(key, entry)
        nxt.parsed[key] = new
        out.unmapped_fields |= new.unmapped_fields
        old = prev.rows_of(source, key) if key in prev.entries else Parsed()
        _diff_rows(old, new, out)
    skipped = {m for f in out.section_failures for m in f.models}
    for key in gone:
        entry = before[key]
        if isinstance(entry, PageSection) and skipped.intersection(entry.models):
            _carry(prev, nxt, key)  # its models are in a skipped section: not removed
            continue
        _diff_rows(prev.rows_of(source, key), Parsed(), out)
    _moved_is_not_removed(out)
    return out, nxt


def _carry(prev: EntryState, nxt: EntryState, key: str) -> None:
    """Keep the previous entry of a skipped section (or nothing, for a new section)."""
    assert isinstance(nxt.entries, dict)
    if key in prev.entries:
        nxt.entries[key] = prev.entries[key]
        if key in prev.parsed:
            nxt.parsed[key] = prev.parsed[key]
    else:
        del nxt.entries[key]


def _moved_is_not_removed(out: Changes) -> None:
    """A series that left one entry and appeared in another (a page section renamed or
    regrouped) in the same snapshot is one change, or none when its value is the same."""
    removed = {r.series_key(): i for i, (r, _, c) in enumerate(out.prices) if c == "removed"}
    drop: set[int] = set()
    for i, (row, value, change) in enumerate(out.prices):
        j = removed.get(row.series_key())
        if change == "new" and j is not None and j not in drop:
            drop.add(j)
            if out.prices[j][0].usd_per_mtok == value and not _renamed(out.prices[j][0], row):
                drop.add(i)
            else:
                out.prices[i] = (row, value, "changed")
    out.prices = [p for i, p in enumerate(out.prices) if i not in drop]
    gone = {lim.source_model_key: i for i, (lim, _, c) in enumerate(out.limits) if c == "removed"}
    drop = set()
    for i, (lim, present, change) in enumerate(out.limits):
        j = gone.get(lim.source_model_key)
        if change == "new" and j is not None and j not in drop:
            drop.add(j)
            if out.limits[j][0] == lim:
                drop.add(i)
            else:
                out.limits[i] = (lim, present, "changed")
    out.limits = [lim for i, lim in enumerate(out.limits) if i not in drop]


def _diff_rows(old: Parsed, new: Parsed, out: Changes) -> None:
    old_prices = {r.series_key(): r for r in old.prices}
    new_prices = {r.series_key(): r for r in new.prices}
    for key, row in new_prices.items():
        before = old_prices.get(key)
        if before is None:
            out.prices.append((row, row.usd_per_mtok, "new"))
        elif before.usd_per_mtok != row.usd_per_mtok or _renamed(before, row):
            out.prices.append((row, row.usd_per_mtok, "changed"))
    for key in old_prices.keys() - new_prices.keys():
        out.prices.append((old_prices[key], None, "removed"))
    old_limits = {r.source_model_key: r for r in old.limits}
    new_limits = {r.source_model_key: r for r in new.limits}
    for model_key, lim in new_limits.items():
        before_lim = old_limits.get(model_key)
        if before_lim is None:
            out.limits.append((lim, True, "new"))
        elif before_lim != lim:
            out.limits.append((lim, True, "changed"))
    for model_key in old_limits.keys() - new_limits.keys():
        out.limits.append((old_limits[model_key], False, "removed"))


def _renamed(before: PriceRow, after: PriceRow) -> bool:
    """A mapping fix that moves a series to another provider/model is a change too."""
    return (before.provider, before.model) != (after.provider, after.model)
