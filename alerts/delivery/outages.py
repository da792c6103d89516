"""Source failures read as outages: one line per source, however many of its parts failed.

The fundamentals record a failure per ticker (`yfinance:NVDA`), so one DNS outage is
eleven failures. A message shows them as one outage of `yfinance` naming the tickers,
with the tickers that share a reason on one clause ("AMD, NVDA: DNS lookup failed").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from alerts.records import SourceFailure

# What the part after "source:" is called, for the count in the line.
PART_WORDS = {"yfinance": "ticker"}


@dataclass(frozen=True, slots=True)
class Outage:
    """One source down on one date; `causes` pairs each reason with the parts it hit
    (no parts for a source that failed as a whole)."""

    source: str
    kinds: tuple[str, ...]
    date: date
    causes: tuple[tuple[str, tuple[str, ...]], ...]
    source_url: str = ""

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(sorted(p for _, parts in self.causes for p in parts))

    @property
    def name(self) -> str:
        """ "yfinance (11 tickers)" or "openrouter"."""
        n = len(self.parts)
        if not n:
            return self.source
        word = PART_WORDS.get(self.source, "part")
        return f"{self.source} ({n} {word}{'' if n == 1 else 's'})"

    @property
    def reason(self) -> str:
        """ "AMD, NVDA: DNS lookup failed; TSM: HTTP 404", or the one reason."""
        clauses = [
            f"{', '.join(parts)}: {reason}" if parts else reason for reason, parts in self.causes
        ]
        return "; ".join(clauses)


def outages(failures: Iterable[SourceFailure]) -> list[Outage]:
    """The failures grouped per source ("yfinance:NVDA" belongs to "yfinance") and date,
    in source order; the reasons in the order they first appear."""
    groups: dict[tuple[str, date], list[SourceFailure]] = {}
    for f in failures:
        groups.setdefault((f.source.partition(":")[0], f.date), []).append(f)
    found = []
    for (source, on), items in sorted(groups.items()):
        causes: dict[str, list[str]] = {}
        for f in items:
            part = f.source.partition(":")[2]
            causes.setdefault(f.reason, [])
            if part:
                causes[f.reason].append(part)
        found.append(
            Outage(
                source=source,
                kinds=tuple(sorted({f.kind for f in items})),
                date=on,
                causes=tuple((r, tuple(sorted(p))) for r, p in causes.items()),
                source_url=next((f.source_url for f in items if f.source_url), ""),
            )
        )
    return found
