"""Anthropic's API pricing page (`anthropic-docs`): the docs Markdown, HTML as fallback.

Layout relied on (each a named anchor when missing):
- the model pricing table: a "Model" column and "Base Input Tokens", "5m Cache Writes",
  "1h Cache Writes", "Cache Hits & Refreshes", "Output Tokens" (mapped by header name, so
  reordered columns are fine; an unknown column of prices skips the table, an unknown
  column without prices is reported in unmapped_fields);
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

One section per model row of each table (docs/sources.md, "Salvage"): a row that cannot
be read is skipped alone. Cells "$0.003 / KTok" (per 1K tokens) are scaled to per 1M.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import partial

from core.errors import AmbiguousPrice, InvalidPrice, LayoutChanged
from core.rows import Component, LimitRow, Parsed, ServiceTier
from extractors.pages.common import RowContext
from extractors.pages.doc import Heading, Table, Text, find_column, page_blocks
from extractors.pages.sections import (
    PageSection,
    assemble,
    failed_section,
    page_source,
    read_section,
)
from extractors.pages.text import (
    is_free,
    normalize_space,
    parse_token_count,
    parse_word_date,
    token_unit_scale,
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
    """Sections by key: one per model row of each price table, one per long-context
    table, one for the context-window sentences. Raises BadPayload/Blocked, or
    LayoutChanged when the main table is gone or too little of the page parses."""
    blocks = page_blocks(SOURCE_ID, payload)
    found: list[PageSection] = []
    notes: set[str] = set()
    windows: dict[str, int] = {}
    found_main = False
    heading, context = "", list[str]()
    for block in blocks:
        if isinstance(block, Heading):
            heading, context = block.text, []
        elif isinstance(block, Text):
            context.append(block.text)
            windows |= _context_limits(block.text)
        elif isinstance(block, Table):
            found_main |= _table_sections(block, heading, " ".join(context), found, notes)
    if not found_main:
        raise LayoutChanged(
            SOURCE_ID, f"missing anchor: table with 'Model' and {MAIN_ANCHOR!r} columns"
        )
    if windows:
        found.append(_windows_section(windows))
    if notes:
        unmapped = {f"{SOURCE_ID}: {note}" for note in notes}
        found.append(PageSection("page notes", "", (), Parsed(unmapped_fields=unmapped)))
    return assemble(SOURCE_ID, found)


def _table_sections(
    table: Table, heading: str, context: str, found: list[PageSection], notes: set[str]
) -> bool:
    """Add the table's sections; True when it is the main pricing table."""
    header = table.header[-1] if table.header else ()
    model_col = find_column(header, "model")
    if "long context" in heading.lower():
        names = tuple(_ids(_names_in_sentence(context)))
        read = partial(_read_long_context, table, header, model_col, context)
        found.append(read_section(SOURCE_ID, heading, heading, names, read))
        return False
    mapped = {i: _COLUMNS[_norm(h)] for i, h in enumerate(header) if _norm(h) in _COLUMNS}
    if model_col is None or not mapped:
        if any("$" in c for row in table.body for c in row):
            notes.add(f"table {' | '.join(header)!r} under {heading!r}")
        return False
    is_main = any(_norm(h) == MAIN_ANCHOR.lower() for h in header)
    key = heading or ("Model pricing" if is_main else "Batch processing")
    problem = _table_problem(table, header, model_col, mapped)
    if problem:
        models = tuple(m for row in table.body for m in _row_ids(row, model_col))
        found.append(
            failed_section(SOURCE_ID, key, heading, models, LayoutChanged(SOURCE_ID, problem))
        )
        return is_main
    notes |= {f"column {h!r}" for i, h in enumerate(header) if i not in mapped and i != model_col}
    for row in table.body:
        cell = row[model_col] if model_col < len(row) else ""
        read = partial(_read_row, row, header, model_col, mapped)
        found.append(
            read_section(SOURCE_ID, f"{key} / {cell}", heading, _row_ids(row, model_col), read)
        )
    return is_main


def _norm(header: str) -> str:
    return normalize_space(header).lower().strip()


def _table_problem(
    table: Table,
    header: tuple[str, ...],
    model_col: int,
    mapped: dict[int, tuple[Component, ServiceTier]],
) -> str:
    """Why the table cannot be read as a whole ("" when it can): a price column we do
    not know (renamed or new: its prices would be lost) or a main price missing."""
    for i, h in enumerate(header):
        if i in mapped or i == model_col:
            continue
        if any(i < len(row) and "$" in row[i] for row in table.body):
            return f"unknown price column {h!r} in {' | '.join(header)!r}"
    components = {c for c, _ in mapped.values()}
    if not {"input", "output"} <= components:
        return f"table {' | '.join(header)!r} has no input or no output column"
    return ""


def _row_ids(row: tuple[str, ...], model_col: int) -> tuple[str, ...]:
    if model_col >= len(row):
        return ()
    try:
        name = schedule(row[model_col])[0]
    except AmbiguousPrice:
        name = row[model_col]
    return tuple(_ids(model_names(name)))


def _ids(names: list[str]) -> list[str]:
    out: list[str] = []
    for display in names:
        try:
            out.append(anthropic_model_id(display))
        except ValueError:
            continue
    return out


def _read_row(
    row: tuple[str, ...],
    header: tuple[str, ...],
    model_col: int,
    mapped: dict[int, tuple[Component, ServiceTier]],
) -> Parsed:
    if len(row) != len(header):
        raise LayoutChanged(SOURCE_ID, f"row {row!r} does not fit header {header!r}")
    name, start, end = schedule(row[model_col])
    out = Parsed()
    for display in model_names(name):
        ctx = _context(display)
        for i, (component, tier) in mapped.items():
            usd = _cell_usd(ctx.model, row[i])
            if usd is not None:
                out.prices.append(
                    ctx.price(
                        component, usd, service_tier=tier, effective_from=start, effective_to=end
                    )
                )
    return out


def _context(display: str) -> RowContext:
    model_id = anthropic_model_id(display)
    return RowContext(SOURCE_ID, model_id, PROVIDER, model_id)


def _read_long_context(
    table: Table,
    header: tuple[str, ...],
    model_col: int | None,
    context: str,
) -> Parsed:
    above = [i for i, h in enumerate(header) if _ABOVE_RE.search(h)]
    stated = _ABOVE_RE.search(header[above[0]]) if above else None
    if stated is None:
        raise AmbiguousPrice(
            SOURCE_ID, f"long-context table {header!r}: no '> N tokens' column (threshold)"
        )
    threshold = parse_token_count(stated[1])
    # Without a Model column the models are the ones the section's text names.
    in_text = _names_in_sentence(context)
    out = Parsed()
    for row in table.body:
        names = model_names(row[model_col]) if model_col is not None else in_text
        if not names:
            raise AmbiguousPrice(SOURCE_ID, "long-context table: which models it applies to")
        for i in above:
            for component, cell in _labelled_prices(row, i, header):
                for display in names:
                    ctx = _context(display)
                    usd = _cell_usd(ctx.model, cell)
                    if usd is not None:
                        out.prices.append(
                            ctx.price(component, usd, tier_min_prompt_tokens=threshold)
                        )
    return out


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


def _context_limits(text: str) -> dict[str, int]:
    m = _CONTEXT_RE.match(text)
    if not m:
        return {}
    tokens = parse_token_count(m["n"])
    return dict.fromkeys(_ids(_names_in_sentence(m["names"])), tokens)


def _windows_section(windows: dict[str, int]) -> PageSection:
    limits = [
        LimitRow(SOURCE_ID, model, PROVIDER, model, context_window_tokens=tokens)
        for model, tokens in windows.items()
    ]
    return PageSection("context windows", "", tuple(windows), Parsed(limits=limits))


def _cell_usd(model: str, cell: str) -> Decimal | None:
    """USD per million tokens of one cell; None for "-" (not offered)."""
    text = _CELL_LABEL_RE.sub("", cell)
    if text.strip() in ("", "-", "—", "N/A"):
        return None
    if is_free(text):
        return Decimal(0)
    amounts = usd_amounts(SOURCE_ID, text)
    if not amounts:
        raise InvalidPrice(SOURCE_ID, f"{model}: no dollar amount in {text!r}")
    if len(amounts) > 1:
        raise AmbiguousPrice(SOURCE_ID, f"{model}: {len(amounts)} prices in one cell {text!r}")
    return amounts[0] * (token_unit_scale(text) or 1)


SOURCE = page_source(
    SOURCE_ID,
    URL,
    "Anthropic API pricing page (platform.claude.com docs), Markdown or HTML",
    split,
    page_url=PAGE_URL,
)
parse = SOURCE.parse
fetch = SOURCE.fetch
