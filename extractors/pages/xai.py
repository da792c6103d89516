"""xAI's "Models and Pricing" page (`xai-docs`): the docs' Markdown twin, HTML read alike.

The page links its Markdown twin ("View as Markdown": docs.x.ai/developers/models.md),
which is what we fetch. Layout relied on (each a named anchor when missing):
- price tables with a "Model" column and per-token price columns named "Input",
  "Cached input" and "Output" (mapped by name; an unknown column of token prices skips
  the table rather than dropping its prices), or one combined column
  "Pricing [in (cached in) / out]" holding "$2.00 ($0.20) / $6.00";
- a "Context" column: the context ceiling ("2M", "2,000,000") -> a LimitRow;
- long-context tiers: a price column whose header names a prompt threshold
  ("Input (> 128K tokens)") gives rows with tier_min_prompt_tokens; a cell
  "$0.20 (≤ 128K) $0.40 (> 128K)" gives both tiers. Never a guessed threshold;
- prices are per million tokens unless the section says "per thousand tokens" (x1000).

Image, video and voice tables (no token price columns) are reported, not read. One
section per model row: a row that cannot be read skips that model only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from core.errors import AmbiguousPrice, LayoutChanged
from core.rows import Component, LimitRow, Parsed
from extractors.pages.common import RowContext
from extractors.pages.doc import Block, Heading, Table, Text, find_column, page_blocks
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
    token_unit_scale,
    usd_amounts,
)

SOURCE_ID = "xai-docs"
PROVIDER = "xai"
URL = "https://docs.x.ai/developers/models.md"
PAGE_URL = "https://docs.x.ai/developers/models"
TITLE_ANCHOR = "Models and Pricing"

_COLUMNS: dict[str, Component] = {
    "input": "input",
    "text input": "input",
    "cached input": "cache_read",
    "cached text input": "cache_read",
    "cached input tokens": "cache_read",
    "output": "output",
    "text completion": "output",
}
_COMBINED_RE = re.compile(r"^pricing\b.*\bin\b.*\bout\b", re.IGNORECASE)
# "$2.00 ($0.20) / $6.00": input, cached input, output.
_COMBINED_CELL_RE = re.compile(
    r"^\s*(\$\s*[\d.,]+)\s*(?:\(\s*(\$\s*[\d.,]+)\s*\))?\s*/\s*(\$\s*[\d.,]+)\s*$"
)
_THRESHOLD = r"(\d+(?:\.\d+)?\s*[KkMm])"
_ABOVE_RE = re.compile(r"(?:>|≥|>=|above|over|more than)\s*" + _THRESHOLD)
_BELOW_RE = re.compile(r"(?:<|≤|<=|up to|under)\s*" + _THRESHOLD)
_TIERED_CELL_RE = re.compile(r"(\$\s*[\d.,]+)\s*\(([^)]*)\)")
_PER_UNIT_RE = re.compile(
    r"/\s*(?:image|sec|second|min|minute|hr|hour|1k calls|call|request|gib)\b"
    r"|\bper\s+(?:image|second|minute|request)",
    re.IGNORECASE,
)
_MODEL_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.\-:_]*$")


@dataclass(frozen=True, slots=True)
class _Column:
    """A price column: what it prices and from which prompt length (0: base tier)."""

    component: Component | None  # None: the combined "in (cached in) / out" column
    threshold: int = 0


def split(payload: bytes) -> Mapping[str, object]:
    """Sections by key: one per model row of each token-price table. Raises BadPayload,
    Blocked, or LayoutChanged when the title or every price table is gone."""
    blocks = page_blocks(SOURCE_ID, payload)
    if not any(
        isinstance(b, Heading | Text) and TITLE_ANCHOR.lower() in b.text.lower() for b in blocks
    ):
        raise LayoutChanged(SOURCE_ID, f"missing anchor: page title {TITLE_ANCHOR!r}")
    found: list[PageSection] = []
    notes: set[str] = set()
    tables = 0
    for heading, texts, section_tables in _heading_sections(blocks):
        scale = next((s for t in texts if (s := token_unit_scale(t))), 1)
        for table in section_tables:
            tables += _table_sections(heading, scale, table, found, notes)
    if tables == 0:
        raise LayoutChanged(
            SOURCE_ID, "missing anchor: no table with 'Model' and 'Input'/'Output' columns"
        )
    if notes:
        unmapped = {f"{SOURCE_ID}: {note}" for note in notes}
        found.append(PageSection("page notes", "", (), Parsed(unmapped_fields=unmapped)))
    return assemble(SOURCE_ID, found)


def _heading_sections(blocks: list[Block]) -> list[tuple[str, list[str], list[Table]]]:
    """(heading, its text lines, its tables) per heading: a unit statement may come
    before or after the table it describes."""
    out: list[tuple[str, list[str], list[Table]]] = [("", [], [])]
    for block in blocks:
        if isinstance(block, Heading):
            out.append((block.text, [], []))
        elif isinstance(block, Text):
            out[-1][1].append(block.text)
        elif isinstance(block, Table):
            out[-1][2].append(block)
    return out


def _table_sections(
    heading: str, scale: int, table: Table, found: list[PageSection], notes: set[str]
) -> int:
    """Add a section per model row; 1 when the table is a token-price table, else 0."""
    header = tuple(normalize_space(h) for h in (table.header[-1] if table.header else ()))
    model_col = find_column(header, "model")
    columns = _price_columns(header)
    if model_col is None or not columns:
        if any("$" in c for row in table.body for c in row):
            notes.add(f"table {' | '.join(header)!r} under {heading!r} (not per token)")
        return 0
    key = heading or "Models"
    models = tuple(
        m for row in table.body if model_col < len(row) and (m := _model_id(row[model_col]))
    )
    unknown = _unknown_price_column(header, table.body, {model_col, *columns})
    if unknown:
        err = LayoutChanged(SOURCE_ID, f"unknown price column {unknown!r} in {header}")
        found.append(failed_section(SOURCE_ID, key, heading, models, err))
        return 1
    context_col = find_column(header, "context", "context window")
    for row in table.body:
        model = _model_id(row[model_col]) if model_col < len(row) else ""
        if not model:
            notes.add(f"model cell {row[model_col] if row else ''!r} under {heading!r}")
            continue
        read = partial(_read_row, model, header, row, columns, context_col, scale)
        found.append(read_section(SOURCE_ID, f"{key} / {model}", heading, (model,), read))
    return 1


def _price_columns(header: tuple[str, ...]) -> dict[int, _Column]:
    out: dict[int, _Column] = {}
    for i, h in enumerate(header):
        name = h.lower()
        if _COMBINED_RE.match(name):
            out[i] = _Column(None)
            continue
        above = _ABOVE_RE.search(name)
        base = re.sub(r"\(.*\)|" + _ABOVE_RE.pattern, "", name).strip(" -:")
        if base in _COLUMNS:
            out[i] = _Column(_COLUMNS[base], parse_token_count(above[1]) if above else 0)
    return out


def _unknown_price_column(
    header: tuple[str, ...], body: tuple[tuple[str, ...], ...], known: set[int]
) -> str:
    for i, h in enumerate(header):
        cells = [r[i] for r in body if i < len(r) and "$" in r[i]]
        if i not in known and any(not _PER_UNIT_RE.search(c) for c in cells):
            return h
    return ""


def _model_id(cell: str) -> str:
    name = normalize_space(re.sub(r"\([^)]*\)|[*†`]", " ", cell)).lower()
    return name if _MODEL_ID_RE.match(name) else ""


def _read_row(
    model: str,
    header: tuple[str, ...],
    row: tuple[str, ...],
    columns: dict[int, _Column],
    context_col: int | None,
    scale: int,
) -> Parsed:
    if len(row) < len(header):
        raise LayoutChanged(SOURCE_ID, f"row {row!r} does not fit header {header!r}")
    out = Parsed()
    ctx = RowContext(SOURCE_ID, model, PROVIDER, model)
    for i, column in columns.items():
        for component, threshold, usd in _cell_prices(model, column, row[i], out):
            out.prices.append(ctx.price(component, usd * scale, tier_min_prompt_tokens=threshold))
    window = _context_window(model, row[context_col]) if context_col is not None else None
    if window:
        out.limits.append(LimitRow(SOURCE_ID, model, PROVIDER, model, context_window_tokens=window))
    return out


def _cell_prices(
    model: str, column: _Column, cell: str, out: Parsed
) -> list[tuple[Component, int, Decimal]]:
    text = cell.strip()
    if text in ("", "-", "–", "—", "N/A"):
        return []
    if _PER_UNIT_RE.search(text):
        out.unmapped_fields.add(f"{SOURCE_ID}: per-unit price {text!r}")
        return []
    if column.component is None:
        return _combined(model, text)
    if is_free(text):
        return [(column.component, column.threshold, Decimal(0))]
    amounts = usd_amounts(SOURCE_ID, text)
    if len(amounts) == 1 and not _ABOVE_RE.search(text):
        return [(column.component, column.threshold, _unit(text) * amounts[0])]
    return [(column.component, t, usd) for t, usd in _tiers(model, text)]


def _unit(text: str) -> Decimal:
    return Decimal(token_unit_scale(text) or 1)


def _combined(model: str, text: str) -> list[tuple[Component, int, Decimal]]:
    m = _COMBINED_CELL_RE.match(text)
    if m is None:
        raise AmbiguousPrice(SOURCE_ID, f"{model}: cannot read 'in (cached in) / out' {text!r}")
    parts: list[tuple[Component, str | None]] = [
        ("input", m[1]),
        ("cache_read", m[2]),
        ("output", m[3]),
    ]
    return [(c, 0, usd_amounts(SOURCE_ID, v)[0]) for c, v in parts if v]


def _tiers(model: str, text: str) -> list[tuple[int, Decimal]]:
    """ "$0.20 (≤ 128K) $0.40 (> 128K)" -> base and tier; anything else is ambiguous."""
    below: list[tuple[int, Decimal]] = []
    above: list[tuple[int, Decimal]] = []
    for amount, note in _TIERED_CELL_RE.findall(text):
        usd = usd_amounts(SOURCE_ID, amount)[0]
        if m := _ABOVE_RE.search(note):
            above.append((parse_token_count(m[1]), usd))
        elif m := _BELOW_RE.search(note):
            below.append((parse_token_count(m[1]), usd))
    amounts = usd_amounts(SOURCE_ID, text)
    if len(below) != 1 or len(above) != 1 or len(amounts) != 2 or below[0][0] != above[0][0]:
        raise AmbiguousPrice(SOURCE_ID, f"{model}: cannot read prompt-length tiers in {text!r}")
    return [(0, below[0][1]), (above[0][0], above[0][1])]


def _context_window(model: str, cell: str) -> int | None:
    text = re.sub(r"(?i)\s*tokens?$", "", cell.strip())
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):  # "2,000,000"
        text = text.replace(",", "")
    if text in ("", "-", "–", "—", "N/A"):
        return None
    try:
        return parse_token_count(text)
    except ValueError as exc:
        raise LayoutChanged(SOURCE_ID, f"{model}: context {cell!r} is not a token count") from exc


SOURCE = page_source(
    SOURCE_ID,
    URL,
    "xAI 'Models and Pricing' page (docs.x.ai), its Markdown twin",
    split,
    page_url=PAGE_URL,
)
parse = SOURCE.parse
fetch = SOURCE.fetch
