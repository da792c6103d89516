"""The reconciled price sheet of one canonical model on one day (pure).

Every source that prices the model offers a `Quote` per price it states (the price in
force that day: a dated price in force before an undated one). One source is chosen for
the model's whole sheet, by precedence: a fresh source before a stale one, an official
page before a feed, then `source_catalog` rank (genai-prices, LiteLLM, OpenRouter).
Another source may only fill a price the chosen one does not state (`filled_from`), and
only a source that agrees with the chosen one on every price both state: a cache price
read against another source's input price would make an incoherent sheet.
Each price's state:

- `disputed`: another fresh source states a different value (beyond TOLERANCE);
- `confirmed`: the rule of reconcile/confirm.py holds (its source carried the value on
  CONFIRM_SNAPSHOTS snapshots up to the day, or another fresh source states it too);
- `pending`: neither yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# (component, service_tier, tier_min_prompt_tokens, condition)
PriceKey = tuple[str, str, int, str]
TOLERANCE = Decimal("0.01")  # relative: values closer than 1% agree


@dataclass(frozen=True, slots=True)
class Quote:
    """What one source states for one price of the model on the day."""

    source: str
    official: bool
    rank: int
    fresh: bool  # the source has a snapshot within AGREEMENT_WINDOW of the day
    key: PriceKey
    usd_per_mtok: Decimal
    source_model_key: str
    confirmed: bool  # its own snapshots confirm the value (persistence, causal)
    effective_from: date | None = None
    effective_to: date | None = None

    @property
    def precedence(self) -> tuple[bool, bool, int, str]:
        return (not self.fresh, not self.official, self.rank, self.source)


@dataclass(frozen=True, slots=True)
class SeriesValue:
    """One price of the reconciled sheet."""

    key: PriceKey
    usd_per_mtok: Decimal
    state: str  # confirmed | pending | disputed
    source: str  # where the value came from
    sheet_source: str  # the source chosen for the model's sheet
    filled_from: str | None  # = source when the sheet source does not state this price
    source_model_key: str
    agreeing: tuple[str, ...]
    disagreeing: tuple[str, ...]
    effective_from: date | None
    effective_to: date | None


def agrees(a: Decimal, b: Decimal) -> bool:
    """Equal within TOLERANCE of the larger value."""
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


def sheet_source(quotes: Iterable[Quote]) -> str | None:
    """The source chosen for the model's sheet: the first by precedence."""
    best = min((q.precedence for q in quotes), default=None)
    return best[3] if best else None


def reconcile_sheet(quotes: Sequence[Quote]) -> list[SeriesValue]:
    """The model's sheet: one value per price any source states, in key order."""
    chosen = sheet_source(quotes)
    if chosen is None:
        return []
    stated = {q.key: q.usd_per_mtok for q in quotes if q.source == chosen}
    incoherent = {
        q.source for q in quotes if q.key in stated and not agrees(q.usd_per_mtok, stated[q.key])
    }
    by_key: dict[PriceKey, list[Quote]] = {}
    for q in quotes:
        by_key.setdefault(q.key, []).append(q)
    out = []
    for key, qs in sorted(by_key.items()):
        ordered = sorted(qs, key=lambda q: q.precedence)
        if key not in stated:
            fillers = [q for q in ordered if q.source not in incoherent]
            if not fillers:
                continue  # only sources that price the model otherwise state it
            ordered = fillers + [q for q in ordered if q.source in incoherent]
        out.append(_value(ordered, chosen))
    return out


def _value(ordered: list[Quote], chosen: str) -> SeriesValue:
    used = ordered[0]
    voters = [q for q in ordered[1:] if q.fresh and q.source != used.source]
    agreeing = tuple(
        sorted({q.source for q in voters if agrees(q.usd_per_mtok, used.usd_per_mtok)})
    )
    disagreeing = tuple(sorted({q.source for q in voters} - set(agreeing)))
    if disagreeing:
        state = "disputed"
    elif used.confirmed or agreeing:
        state = "confirmed"
    else:
        state = "pending"
    return SeriesValue(
        key=used.key,
        usd_per_mtok=used.usd_per_mtok,
        state=state,
        source=used.source,
        sheet_source=chosen,
        filled_from=None if used.source == chosen else used.source,
        source_model_key=used.source_model_key,
        agreeing=agreeing,
        disagreeing=disagreeing,
        effective_from=used.effective_from,
        effective_to=used.effective_to,
    )


def in_force(
    dated: Iterable[tuple[Decimal, date | None, date | None]], day: date
) -> tuple[Decimal, date | None, date | None] | None:
    """Of one source's values for one price (value, effective_from, effective_to with an
    exclusive end), the one in force on `day`: a dated one before the undated list price,
    the latest start first."""
    live = [d for d in dated if (d[1] is None or d[1] <= day) and (d[2] is None or d[2] > day)]
    live.sort(key=lambda d: (d[1] is None and d[2] is None, -(d[1] or date.min).toordinal()))
    return live[0] if live else None
