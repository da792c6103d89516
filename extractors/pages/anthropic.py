"""Anthropic's API pricing page (`anthropic-docs`): the docs Markdown, HTML as fallback.

Layout relied on (each a named anchor when missing):
- the model pricing table: a "Model" column and "Base Input Tokens", "5m Cache Writes",
  "1h Cache Writes", "Cache Hits & Refreshes", "Output Tokens" (mapped by header name, so
  added or reordered columns are fine; an unknown column is reported in unmapped_fields);
- the batch table ("Batch input" / "Batch output"): service_tier "batch";
- a long-context table under a "Long context" heading: the "> 200K" column gives rows with
  tier_min_prompt_tokens (the threshold from the header or the section text, never
  guessed: AmbiguousPrice when absent).

Model cells: "Claude Sonnet 4.5" -> `claude-sonnet-4-5` (see `anthropic_model_id`), "A / B"
names two models, "(deprecated)" or "(limited availability)" is status and dropped, and
"Claude Sonnet 5 through August 31, 2026" / "... starting September 1, 2026" are dated
prices (effective_to / effective_from). A sentence "X, Y and Z include the full 1M token
context window" gives LimitRows. Tables the parser does not know (no heading explains an
unlabelled "Model | Input | Output" table, for instance) are reported, not guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.errors import AmbiguousPrice, BadPayload, InvalidPrice, LayoutChanged
from core.rows import Component, LimitRow, Parsed, ServiceTier
from extractors.base import Source
from extractors.pages.common import RowContext
from extractors.pages.doc import Heading, Table, Text, find_column, page_blocks
from extractors.pages.text import (
    normalize_space,
    parse_token_count,
    parse_word_date,
    usd_amounts,
)

SOURCE_ID = "anthropic-docs"
PROVIDER = "anthropic"
URL = "https://platform.claude.com/docs/en/about-claude/pricing.md"
PAGE_URL = "https://platform.claude.com/docs/en/about-claude/pricing"
MAIN_ANCHOR = "Base Input Tokens"

_COLUMNS: dict[str, tuple[Component, ServiceTier]] = {
    "base input tokens": ("input", "standard"),
    "5m cache writes": ("cache_write_5m", "standard"),
    "5-minute cache writes": ("cache_write_5m", "standard"),
    "1h cache writes": ("cache_write_1h", "standard"),
    "1-hour cache writes": ("cache_write_1h", "standard"),
    "cache hits & refreshes": ("cache_read", "standard"),
    "cache hits": ("cache_read", "standard"),
    "output tokens": ("output", "standard"),
    "batch input": ("input", "batch"),
    "batch output": ("output", "batch"),
}
_VERSION_RE = re.compile(r"^\d+(?:\.\d+)?$")
_SCHEDULE_RE = re.compile(
    r"^(?P<name>.*?)\s+(?P<word>through|until|starting|from|beginning|effective)\s+(?P<when>.+)$",
    re.IGNORECASE,
)
_ABOVE_RE = re.compile(r"(?:>|more than|exceed(?:s|ing)?|over)\s*(\d+(?:\.\d+)?\s*[KkMm])\b")
_CONTEXT_RE = re.compile(
    r"^(?P<names>.+?)\s+(?:include|includes|support|supports|have|has)\s+"
    r"(?:the\s+full\s+|a\s+)?(?P<n>\d+(?:\.\d+)?\s*[KM])[ -]token context window",
)
_CELL_LABEL_RE = re.compile(r"^\s*(input|output)\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Stated:
    """One price cell of one model, still as text."""

    component: Component
    service_tier: ServiceTier
    cell: str
    tier_min_prompt_tokens: int = 0
    effective_from: date | None = None
    effective_to: date | None = None


@dataclass(slots=True)
class ModelEntry:
    model_id: str
    stated: list[Stated] = field(default_factory=list)
    context_window_tokens: int | None = None


def anthropic_model_id(display_name: str) -> str:
    """ "Claude Sonnet 4.5" -> "claude-sonnet-4-5"; "Claude Haiku 3.5" -> "claude-3-5-haiku".

    Anthropic's ids put the version after the family from Claude 4 on and before it for
    Claude 3 (`claude-3-7-sonnet`). Parenthesised status ("(deprecated)") is dropped.
    """
    name = normalize_space(re.sub(r"\([^)]*\)", " ", display_name)).rstrip("*† ")
    words = name.split()
    if words and words[0].lower() == "claude":
        words = words[1:]
    if not words:
        raise ValueError(f"not a Claude model name: {display_name!r}")
    if len(words) == 2 and _VERSION_RE.match(words[1]):
        family, version = words[0].lower(), words[1].replace(".", "-")
        if int(words[1].split(".")[0]) < 4:
            return f"claude-{version}-{family}"
        return f"claude-{family}-{version}"
    return "claude-" + "-".join(w.lower().replace(".", "-") for w in words)


def model_names(cell: str) -> list[str]:
    """ "Claude Opus 4.8 / Claude Opus 4.7" -> both; "Claude Sonnet 4.5 / 4" -> both."""
    names: list[str] = []
    for part in (p.strip() for p in cell.split("/")):
        if not part:
            continue
        if _VERSION_RE.match(part) and names:
            part = " ".join([*names[-1].split()[:-1], part])
        elif not part.lower().startswith("claude"):
            part = f"Claude {part}"
        names.append(part)
    return names


def schedule(source_name: str) -> tuple[str, date | None, date | None]:
    """Split "Claude Sonnet 5 through August 31, 2026" into name, effective_from, _to."""
    clean = normalize_space(re.sub(r"\([^)]*\)", " ", source_name))
    m = _SCHEDULE_RE.match(clean)
    if not m:
        return clean, None, None
    when = parse_word_date(m["when"])
    if when is None:
        raise AmbiguousPrice(SOURCE_ID, f"{source_name!r}: cannot read the date {m['when']!r}")
    if m["word"].lower() in ("through", "until"):
        return m["name"], None, when
    return m["name"], when, None


def split(payload: bytes) -> Mapping[str, object]:
    """Models by id, each with its stated prices. Raises BadPayload/Blocked/LayoutChanged."""
    blocks = page_blocks(SOURCE_ID, payload)
    entries: dict[str, ModelEntry] = {}
    notes: set[str] = set()
    found_main = False
    heading, context = "", list[str]()
    for block in blocks:
        if isinstance(block, Heading):
            heading, context = block.text, []
        elif isinstance(block, Text):
            context.append(block.text)
            _read_context_limits(block.text, entries)
        elif isinstance(block, Table):
            found_main |= _read_table(block, heading, " ".join(context), entries, notes)
    if not found_main:
        raise LayoutChanged(
            SOURCE_ID, f"missing anchor: table with 'Model' and {MAIN_ANCHOR!r} columns"
        )
    out: dict[str, object] = dict(entries)
    if notes:
        out[""] = frozenset(notes)  # parse_entry reports these as unmapped fields
    return out


def _read_table(
    table: Table, heading: str, context: str, entries: dict[str, ModelEntry], notes: set[str]
) -> bool:
    """Add the table's prices; True when it is the main pricing table."""
    header = table.header[-1] if table.header else ()
    model_col = find_column(header, "model")
    if "long context" in heading.lower():
        _read_long_context(table, header, model_col, context, entries)
        return False
    mapped = {
        i: _COLUMNS[h.lower().strip()]
        for i, h in enumerate(header)
        if h.lower().strip() in _COLUMNS
    }
    if model_col is None or not mapped:
        if any("$" in c for row in table.body for c in row):
            notes.add(f"table {' | '.join(header)!r} under {heading!r}")
        return False
    notes |= {f"column {h!r}" for i, h in enumerate(header) if i not in mapped and i != model_col}
    for row in table.body:
        if len(row) != len(header):
            raise LayoutChanged(SOURCE_ID, f"row {row!r} does not fit header {header!r}")
        name, start, end = schedule(row[model_col])
        for display in model_names(name):
            entry = _entry(entries, display)
            for i, (component, tier) in mapped.items():
                entry.stated.append(Stated(component, tier, row[i], 0, start, end))
    return any(h.lower().strip() == MAIN_ANCHOR.lower() for h in header)


def _read_long_context(
    table: Table,
    header: tuple[str, ...],
    model_col: int | None,
    context: str,
    entries: dict[str, ModelEntry],
) -> None:
    above = [i for i, h in enumerate(header) if _ABOVE_RE.search(h)]
    stated = _ABOVE_RE.search(header[above[0]]) if above else None
    if stated is None:
        raise AmbiguousPrice(
            SOURCE_ID, f"long-context table {header!r}: no '> N tokens' column (threshold)"
        )
    threshold = parse_token_count(stated[1])
    # Without a Model column the models are the ones the section's text names.
    in_text = _names_in_sentence(context)
    for row in table.body:
        names = model_names(row[model_col]) if model_col is not None else in_text
        if not names:
            raise AmbiguousPrice(SOURCE_ID, "long-context table: which models it applies to")
        for i in above:
            for component, cell in _labelled_prices(row, i, header):
                for display in names:
                    _entry(entries, display).stated.append(
                        Stated(component, "standard", cell, threshold)
                    )


def _labelled_prices(
    row: tuple[str, ...], i: int, header: tuple[str, ...]
) -> list[tuple[Component, str]]:
    """ "Input: $6 / MTok Output: $22.50 / MTok" -> both; a bare "$6" takes the row label."""
    parts = re.findall(r"(input|output)\s*:\s*([^:]*?)(?=\b(?:input|output)\s*:|$)", row[i], re.I)
    if not parts:
        parts = [(row[0], row[i])]
    out: list[tuple[Component, str]] = []
    for word, cell in parts:
        if "input" in word.lower():
            out.append(("input", cell))
        elif "output" in word.lower():
            out.append(("output", cell))
        else:
            raise AmbiguousPrice(SOURCE_ID, f"long-context cell {row[i]!r} under {header[i]!r}")
    return out


def _names_in_sentence(text: str) -> list[str]:
    """ "Claude Sonnet 4 or Sonnet 4.5" -> ["Claude Sonnet 4", "Claude Sonnet 4.5"]."""
    found = re.findall(r"(?:Claude\s+)?([A-Z][a-z]+)\s+(\d+(?:\.\d+)?|Preview)\b", text)
    return [f"Claude {family} {version}" for family, version in found if family != "Claude"]


def _read_context_limits(text: str, entries: dict[str, ModelEntry]) -> None:
    m = _CONTEXT_RE.match(text)
    if not m:
        return
    tokens = parse_token_count(m["n"])
    for display in _names_in_sentence(m["names"]):
        _entry(entries, display).context_window_tokens = tokens


def _entry(entries: dict[str, ModelEntry], display: str) -> ModelEntry:
    model_id = anthropic_model_id(display)
    return entries.setdefault(model_id, ModelEntry(model_id))


def parse_entry(key: str, entry: object) -> Parsed:
    out = Parsed()
    if isinstance(entry, frozenset):
        out.unmapped_fields |= {f"{SOURCE_ID}: {note}" for note in entry}
        return out
    if not isinstance(entry, ModelEntry):
        raise BadPayload(SOURCE_ID, f"{key}: entry is {type(entry).__name__}, not a ModelEntry")
    ctx = RowContext(SOURCE_ID, entry.model_id, PROVIDER, entry.model_id)
    for s in entry.stated:
        text = _CELL_LABEL_RE.sub("", s.cell)
        if text.strip() in ("", "-", "—", "N/A"):
            continue
        out.prices.append(
            ctx.price(
                s.component,
                _one_amount(key, text),
                service_tier=s.service_tier,
                tier_min_prompt_tokens=s.tier_min_prompt_tokens,
                effective_from=s.effective_from,
                effective_to=s.effective_to,
            )
        )
    if entry.context_window_tokens is not None:
        out.limits.append(
            LimitRow(
                SOURCE_ID,
                entry.model_id,
                PROVIDER,
                entry.model_id,
                context_window_tokens=entry.context_window_tokens,
            )
        )
    return out


def _one_amount(key: str, text: str) -> Decimal:
    amounts = usd_amounts(SOURCE_ID, text)
    if not amounts:
        raise InvalidPrice(SOURCE_ID, f"{key}: no dollar amount in {text!r}")
    if len(amounts) > 1:
        raise AmbiguousPrice(SOURCE_ID, f"{key}: {len(amounts)} prices in one cell {text!r}")
    return amounts[0]


SOURCE = Source(
    id=SOURCE_ID,
    url=URL,
    official=True,
    description="Anthropic API pricing page (platform.claude.com docs), Markdown or HTML",
    split=split,
    parse_entry=parse_entry,
    accept="text/markdown, text/plain;q=0.9, text/html;q=0.5",
    page_url=PAGE_URL,
)
parse = SOURCE.parse
fetch = SOURCE.fetch
