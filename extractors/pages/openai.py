"""OpenAI's API pricing page (`openai-docs`): the docs Markdown (HTML read the same way).

Layout relied on (each a named anchor when missing):
- price tables with a "Model" column and price columns named "Input", "Cached input",
  "Output" (mapped by name, so columns added later are reported, not misread);
- a tab label line ("Standard", "Batch", "Flex", "Priority") before each tier's table; a
  table without a label is the standard tier;
- an optional group row over the columns, "Short context" / "Long context". Long-context
  prices apply above a threshold the table does not state: it is read from the page
  text ("prompts with more than 272K input tokens"), else from the model limits OpenAI
  documents per model family (KNOWN_LONG_CONTEXT_THRESHOLDS); a long-context price with
  neither is skipped and reported (never filed under a guessed threshold), so the rest
  of the page still loads. Two different thresholds stated on one page is AmbiguousPrice.

`-` means not offered (no row). Rows split by modality ("Text" / "Audio" / "Image"): text
is the unconditioned row, audio a row with condition="audio", image skipped and reported.
Prices per minute, per second or per call are not per-token prices and are reported.
The fine-tuning and tools sections price other things and are skipped. A JavaScript or
cookie challenge page instead of the page raises Blocked (never zero rows).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from core.errors import AmbiguousPrice, BadPayload, LayoutChanged
from core.rows import Component, Parsed, ServiceTier
from extractors.base import Source
from extractors.pages.common import RowContext, tab_label
from extractors.pages.doc import Heading, Table, Text, find_column, page_blocks
from extractors.pages.text import normalize_space, parse_token_count, usd_amounts

SOURCE_ID = "openai-docs"
PROVIDER = "openai"
URL = "https://developers.openai.com/api/docs/pricing.md"
PAGE_URL = "https://platform.openai.com/docs/pricing"

_PRICE_COLUMNS: dict[str, Component] = {
    "input": "input",
    "cached input": "cache_read",
    "output": "output",
    "output / cost": "output",
}
_SKIPPED_SECTIONS = ("fine-tun", "finetun", "tools")
_THRESHOLD_RE = re.compile(
    r"(?:>|more than|over|above|exceed(?:s|ing)?|beyond|longer than)\s*"
    r"(\d+(?:\.\d+)?\s*[KkMm])\s*(?:input\s+)?tokens",
)
_PER_UNIT_RE = re.compile(r"/\s*(?:minute|min|second|sec|hour|image|call|1k)\b|\bper\b", re.I)
_MODEL_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.\-:_]*$")


@dataclass(frozen=True, slots=True)
class Stated:
    """One price cell: tier, long-context threshold, component, modality, raw text."""

    service_tier: ServiceTier
    tier_min_prompt_tokens: int
    component: Component
    condition: str
    cell: str


@dataclass(slots=True)
class ModelEntry:
    model: str
    stated: list[Stated] = field(default_factory=list)


@dataclass(slots=True)
class _Page:
    threshold: int | None
    entries: dict[str, ModelEntry] = field(default_factory=dict)
    notes: set[str] = field(default_factory=set)
    tables: int = 0


def long_context_threshold(texts: list[str]) -> int | None:
    """The long-context threshold stated in the page text, or None when not stated.

    Raises AmbiguousPrice when the page states two different thresholds.
    """
    found = {parse_token_count(m) for t in texts for m in _THRESHOLD_RE.findall(t)}
    if len(found) > 1:
        raise AmbiguousPrice(SOURCE_ID, f"several long-context thresholds stated: {sorted(found)}")
    return found.pop() if found else None


def split(payload: bytes) -> Mapping[str, object]:
    """Models by id with their price cells. Raises BadPayload/Blocked/LayoutChanged."""
    blocks = page_blocks(SOURCE_ID, payload)
    page = _Page(long_context_threshold([b.text for b in blocks if isinstance(b, Text)]))
    section, tier = "", None
    for block in blocks:
        if isinstance(block, Heading) and block.level <= 3:
            section, tier = block.text, None
        elif isinstance(block, Text):
            tier = tab_label(block.text) or tier
        elif isinstance(block, Table):
            if not any(s in section.lower() for s in _SKIPPED_SECTIONS):
                _read_table(page, section, tier or "standard", block)
            tier = None
    if page.tables == 0:
        raise LayoutChanged(
            SOURCE_ID, "missing anchor: no table with 'Model' and 'Input'/'Output' columns"
        )
    out: dict[str, object] = dict(page.entries)
    if page.notes:
        out[""] = frozenset(page.notes)
    return out


def _header_row(table: Table) -> tuple[int, list[tuple[str, ...]]]:
    rows = [*table.header, *table.body]
    for i, row in enumerate(rows):
        if find_column(row, "model") is not None:
            return i, rows
    return -1, rows


def _read_table(page: _Page, section: str, tier: ServiceTier, table: Table) -> None:
    at, rows = _header_row(table)
    if at < 0:
        if any("$" in c for row in rows for c in row):
            page.notes.add(f"table without a 'Model' column in {section!r}")
        return
    header = rows[at]
    columns = {
        i: _PRICE_COLUMNS[h.lower()] for i, h in enumerate(header) if h.lower() in _PRICE_COLUMNS
    }
    if not columns:
        page.notes.add(f"table {' | '.join(header)!r} in {section!r} (no per-token columns)")
        return
    page.tables += 1
    groups = _column_groups(section, rows[at - 1] if at > 0 else (), header, columns)
    known = {find_column(header, "model"), find_column(header, "modality"), *columns}
    page.notes |= {f"column {h!r} in {section!r}" for i, h in enumerate(header) if i not in known}
    _read_rows(page, section, tier, header, rows[at + 1 :], columns, groups)


def _column_groups(
    section: str, group_row: tuple[str, ...], header: tuple[str, ...], columns: dict[int, Component]
) -> dict[int, str]:
    """Each price column's group ("short context" / "long context"; "" without groups)."""
    labels = [g.strip().lower() for g in group_row if g.strip()]
    labels = [g for k, g in enumerate(labels) if k == 0 or g != labels[k - 1]]  # HTML spans
    if not any("context" in g for g in labels):
        return dict.fromkeys(columns, "")
    for g in labels:
        if g not in ("short context", "long context"):
            raise LayoutChanged(SOURCE_ID, f"{section!r}: unknown column group {g!r}")
    out: dict[int, str] = {}
    k, seen = 0, set[str]()
    for i in sorted(columns):
        name = header[i].lower()
        if name in seen:  # a price column repeats: the next group starts here
            k, seen = k + 1, set[str]()
        seen.add(name)
        if k >= len(labels):
            raise LayoutChanged(SOURCE_ID, f"{section!r}: more column groups than {labels}")
        out[i] = labels[k]
    if k + 1 != len(labels):
        raise LayoutChanged(SOURCE_ID, f"{section!r}: columns do not fill groups {labels}")
    return out


def _read_rows(
    page: _Page,
    section: str,
    tier: ServiceTier,
    header: tuple[str, ...],
    body: list[tuple[str, ...]],
    columns: dict[int, Component],
    groups: dict[int, str],
) -> None:
    model_col = find_column(header, "model")
    modality_col = find_column(header, "modality")
    model = ""
    for raw in body:
        # A row short of cells continues the row above (a spanned model/category cell).
        row = ("",) * (len(header) - len(raw)) + tuple(raw) if len(raw) < len(header) else raw
        model = _model_id(row[model_col]) if model_col is not None and row[model_col] else model
        if not _MODEL_ID_RE.match(model):
            page.notes.add(f"model cell {model!r} in {section!r}")
            continue
        modality = row[modality_col].lower() if modality_col is not None else "text"
        condition = "" if modality == "text" else modality
        if condition not in ("", "audio"):
            page.notes.add(f"modality {modality!r} in {section!r}")
            continue
        for i, component in columns.items():
            threshold = _threshold(page, model, groups[i], row[i])
            if threshold is None:
                continue
            entry = page.entries.setdefault(model, ModelEntry(model))
            entry.stated.append(Stated(tier, threshold, component, condition, row[i]))


def _model_id(cell: str) -> str:
    return normalize_space(re.sub(r"\([^)]*\)|[*†]", " ", cell.replace("`", ""))).lower()


# Where the page omits the sentence: the prompt length above which OpenAI's model pages
# price a request as long context ("1M context window; prompts over 272K input tokens
# are priced at the long-context rate", GPT-5.4 and GPT-5.5 model pages, 2026).
KNOWN_LONG_CONTEXT_THRESHOLDS: dict[str, int] = {"gpt-5.4": 272_000, "gpt-5.5": 272_000}


def known_threshold(model: str) -> int | None:
    """The documented threshold of the model's family (`gpt-5.4-pro` is `gpt-5.4`)."""
    for family, threshold in KNOWN_LONG_CONTEXT_THRESHOLDS.items():
        if model == family or model.startswith(family + "-"):
            return threshold
    return None


def _threshold(page: _Page, model: str, group: str, cell: str) -> int | None:
    """0 for a base price; the long-context threshold; None: unknown, skip the cell."""
    if group != "long context":
        return 0
    if not usd_amounts(SOURCE_ID, cell):
        return 0  # '-': not offered, no row either way
    threshold = page.threshold or known_threshold(model)
    if threshold is None:
        page.notes.add(f"{model}: long-context price without a stated threshold")
    return threshold


def parse_entry(key: str, entry: object) -> Parsed:
    out = Parsed()
    if isinstance(entry, frozenset):
        out.unmapped_fields |= {f"{SOURCE_ID}: {note}" for note in entry}
        return out
    if not isinstance(entry, ModelEntry):
        raise BadPayload(SOURCE_ID, f"{key}: entry is {type(entry).__name__}, not a ModelEntry")
    ctx = RowContext(SOURCE_ID, entry.model, PROVIDER, entry.model)
    seen: dict[tuple[str, ...], Decimal] = {}
    for s in entry.stated:
        usd = _cell_price(out, key, s)
        if usd is None:
            continue
        series = (s.service_tier, str(s.tier_min_prompt_tokens), s.component, s.condition)
        if series in seen:
            if seen[series] != usd:
                raise AmbiguousPrice(
                    SOURCE_ID, f"{key}: {series} stated as {seen[series]} and {usd}"
                )
            continue
        seen[series] = usd
        out.prices.append(
            ctx.price(
                s.component,
                usd,
                service_tier=s.service_tier,
                tier_min_prompt_tokens=s.tier_min_prompt_tokens,
                condition=s.condition,
            )
        )
    return out


def _cell_price(out: Parsed, key: str, s: Stated) -> Decimal | None:
    text = s.cell.strip()
    if text in ("", "-", "–", "—"):
        return None  # not offered
    if _PER_UNIT_RE.search(text):
        out.unmapped_fields.add(f"{SOURCE_ID}: per-unit price {text!r}")
        return None
    amounts = usd_amounts(SOURCE_ID, text)
    if len(amounts) != 1:
        raise AmbiguousPrice(SOURCE_ID, f"{key}: cannot read one price from {text!r}")
    return amounts[0]


SOURCE = Source(
    id=SOURCE_ID,
    url=URL,
    official=True,
    description="OpenAI API pricing page (developers.openai.com docs), Markdown",
    split=split,
    parse_entry=parse_entry,
    accept="text/markdown, text/plain;q=0.9, text/html;q=0.5",
    page_url=PAGE_URL,
)
parse = SOURCE.parse
fetch = SOURCE.fetch
