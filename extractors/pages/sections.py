"""Salvage per section: an official page is read section by section, one model or model
family (or one price table) per section, and a section that cannot be read is skipped
with a `SectionFailure` while the others load.

A page parser's `split` returns `assemble(...)`: its sections by key, each holding the
rows it gave or the failure that skipped it. Rules (docs/sources.md, "Salvage"):

- a section that parses loads; a section-level LayoutChanged, AmbiguousPrice or
  InvalidPrice skips that section only, naming the section, its heading and the reason;
- a page with no section, or where more sections fail than parse, is a broken page
  (LayoutChanged), as are challenge pages and other languages (raised before this);
- a series two sections state alike is kept once (the first section); stated with two
  values, the later section is skipped (AmbiguousPrice): never a guess between them.

The warehouse keeps the last good rows of a skipped section (warehouse/diff.py), so a
page that grew a section the parser cannot read yet still loads every other model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

from core.errors import AmbiguousPrice, BadPayload, InvalidPrice, LayoutChanged, SourceError
from core.rows import LimitRow, Parsed, PriceRow, SectionFailure
from extractors.base import Source
from extractors.pages.pagetext import pricing_text

# The errors that skip one section; anything else (Blocked, BadPayload) is about the page.
SECTION_ERRORS = (LayoutChanged, AmbiguousPrice, InvalidPrice)


@dataclass(frozen=True, slots=True)
class PageSection:
    """One section of a page after reading: its rows, or the failure that skipped it."""

    key: str
    heading: str
    models: tuple[str, ...]
    parsed: Parsed = field(default_factory=Parsed)
    failure: SectionFailure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


def read_section(
    source: str,
    key: str,
    heading: str,
    models: tuple[str, ...],
    read: Callable[[], Parsed],
) -> PageSection:
    """Run `read` for one section; a section-scoped typed error becomes a failure."""
    try:
        parsed = read()
    except SECTION_ERRORS as err:
        return failed_section(source, key, heading, models, err)
    keys = [r.source_model_key for r in parsed.prices] + [r.source_model_key for r in parsed.limits]
    named = tuple(dict.fromkeys(keys))
    return PageSection(key, heading, named or models, parsed)


def failed_section(
    source: str, key: str, heading: str, models: tuple[str, ...], err: SourceError
) -> PageSection:
    failure = SectionFailure(source, key, heading, err.kind, err.reason, models)
    return PageSection(key, heading, models, Parsed(), failure)


def assemble(source: str, sections: list[PageSection]) -> dict[str, PageSection]:
    """The page's sections by unique key, checked as a whole. Raises LayoutChanged when
    the page has no section or more sections fail than parse."""
    out: dict[str, PageSection] = {}
    stated: dict[tuple[object, ...], object] = {}
    for section in sections:
        key = _unique(section.key, out)
        out[key] = _dedupe(source, key, section, stated)
    good = [s for s in out.values() if s.ok and (s.parsed.prices or s.parsed.limits)]
    bad = [s for s in out.values() if not s.ok]
    if not good:
        detail = f": {bad[0].failure.reason}" if bad and bad[0].failure else ""
        raise LayoutChanged(source, f"missing anchor: no model section could be read{detail}")
    if len(bad) > len(good):
        names = ", ".join(repr(s.heading) for s in bad[:5])
        raise LayoutChanged(
            source,
            f"{len(bad)} of {len(out)} sections could not be read ({names}); "
            "too little of the page parses to trust it",
        )
    return out


def _unique(key: str, taken: Mapping[str, object]) -> str:
    n, candidate = 1, key
    while candidate in taken:
        n += 1
        candidate = f"{key} ({n})"
    return candidate


def _dedupe(
    source: str, key: str, section: PageSection, stated: dict[tuple[object, ...], object]
) -> PageSection:
    """Drop series (and limits) an earlier section already stated alike; a section that
    states one differently fails."""
    if not section.ok:
        return PageSection(key, section.heading, section.models, Parsed(), section.failure)
    mine: dict[tuple[object, ...], object] = {}
    stated_rows: list[tuple[tuple[object, ...], object, PriceRow | LimitRow]] = [
        (("price", *r.series_key()), r.usd_per_mtok, r) for r in section.parsed.prices
    ] + [(("limit", r.source_model_key), r, r) for r in section.parsed.limits]
    kept: list[PriceRow | LimitRow] = []
    for series, value, row in stated_rows:
        earlier = stated.get(series, mine.get(series))
        if earlier is not None and earlier != value:
            err = AmbiguousPrice(source, f"{series[1:4]} stated as {earlier} and as {value}")
            return failed_section(source, key, section.heading, section.models, err)
        if earlier is None:
            kept.append(row)
            mine[series] = value
    stated.update(mine)
    prices = [r for r in kept if isinstance(r, PriceRow)]
    limits = [r for r in kept if isinstance(r, LimitRow)]
    parsed = Parsed(prices, limits, set(section.parsed.unmapped_fields))
    return PageSection(key, section.heading, section.models, parsed)


def section_entry(source: str) -> Callable[[str, object], Parsed]:
    """The `parse_entry` of a sectioned page: a section's rows, or its failure."""

    def parse_entry(key: str, entry: object) -> Parsed:
        if not isinstance(entry, PageSection):
            raise BadPayload(source, f"{key}: entry is {type(entry).__name__}, not a section")
        if entry.failure is not None:
            return Parsed(section_failures=[entry.failure])
        out = Parsed()
        out.extend(entry.parsed)
        return out

    return parse_entry


def count_models(entries: Mapping[str, object]) -> int:
    """Distinct models of the sections that parsed (the broken-page check compares it
    with the last good capture's)."""
    models = {m for e in entries.values() if isinstance(e, PageSection) and e.ok for m in e.models}
    return len(models)


MARKDOWN_FIRST = "text/markdown, text/plain;q=0.9, text/html;q=0.5"


def page_source(
    source_id: str,
    url: str,
    description: str,
    split: Callable[[bytes], Mapping[str, object]],
    *,
    page_url: str,
    accept: str = MARKDOWN_FIRST,
) -> Source:
    """The registry entry of an official page read section by section."""
    return Source(
        id=source_id,
        url=url,
        official=True,
        description=description,
        split=split,
        parse_entry=section_entry(source_id),
        accept=accept,
        page_url=page_url,
        count_models=count_models,
        page_text=partial(pricing_text, source_id),
    )
