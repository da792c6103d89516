"""DeepSeek's "Models & Pricing" page (`deepseek-docs`), HTML.

Layout relied on (each a named anchor when missing): one transposed table, attributes as
rows and models as columns, found by its "MODEL" row. Rows used:
- "1M INPUT TOKENS (CACHE HIT)" -> cache_read, "(CACHE MISS)" -> input,
  "1M OUTPUT TOKENS" -> output (older pages write "1M TOKENS INPUT (CACHE HIT)");
- "CONTEXT LENGTH" and "MAX OUTPUT" ("MAXIMUM: 384K") -> a LimitRow (K and M decimal).

A discounted cell `$0.435 (75% off(3)) <del>$1.74</del>` gives two rows: the list price
$1.74 and the discounted $0.435 dated by its footnote ("extended until 2026/05/31" ->
effective_to). A footnote on a row label ("takes effect from 2026/4/26") dates every
price of that row. Older pages split prices by time of day under a group label such as
"DISCOUNT PRICE (UTC 16:30-00:30)": those rows get condition "off-peak UTC 16:30-00:30"
(the standard window's prices stay unconditioned). A footnote saying that other model
names "correspond" to a column's model (deepseek-chat, deepseek-reasoner ->
deepseek-v4-flash) gives those names the same rows.

One section per model column (docs/sources.md, "Salvage"): a column whose cell cannot be
read is skipped alone. A price row the parser does not know ("1M COMPLETION TOKENS")
fails the page: every column would lose it. "1K ... TOKENS" rows are scaled to per 1M.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING

from core.errors import AmbiguousPrice, LayoutChanged
from core.rows import Component, LimitRow, Parsed, PriceRow
from extractors.pages.common import RowContext
from extractors.pages.doc import html_grid, inline_text
from extractors.pages.sections import (
    PageSection,
    assemble,
    page_source,
    read_section,
)
from extractors.pages.text import (
    decode_page,
    ensure_english,
    ensure_not_challenge,
    find_dates,
    is_free,
    normalize_space,
    parse_token_count,
    usd_amounts,
)

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

SOURCE_ID = "deepseek-docs"
PROVIDER = "deepseek"
URL = "https://api-docs.deepseek.com/quick_start/pricing"
MODEL_ANCHOR = "MODEL"

_WINDOW_RE = re.compile(r"UTC\s*(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})")
_FOOTNOTE_RE = re.compile(r"\((\d{1,2})\)\s")
_TO_WORDS = ("until", "through", "till", "ends", "expires", "before")
_FROM_WORDS = ("from", "starting", "effective", "since", "begins", "as of")


@dataclass(frozen=True, slots=True)
class Cell:
    """A price cell: the price shown, a struck-through list price, footnote numbers."""

    shown: str
    struck: str = ""
    refs: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Stated:
    component: Component
    condition: str
    scale: int  # "1K ... TOKENS" rows: x1000 to per 1M
    cell: Cell
    label_notes: tuple[str, ...]  # footnotes on the row label
    cell_notes: tuple[str, ...]  # footnotes on the price itself


@dataclass(slots=True)
class ModelColumn:
    model: str
    stated: list[Stated] = field(default_factory=list)
    context_window_tokens: int | None = None
    max_output_tokens: int | None = None


def split(payload: bytes) -> Mapping[str, object]:
    """Model columns by model id. Raises BadPayload, Blocked or LayoutChanged."""
    text = decode_page(SOURCE_ID, payload)
    ensure_not_challenge(SOURCE_ID, text)
    ensure_english(SOURCE_ID, text)
    from bs4 import BeautifulSoup  # 0.15-0.3 s: paid only when the page is read

    soup = BeautifulSoup(text, "html.parser")
    table, grid, at = _model_table(soup)
    n_labels = _label_width(grid[at])
    notes = _footnotes(table)
    columns = [ModelColumn(_cell(tag).shown) for tag in grid[at][n_labels:]]
    if not columns or not all(c.model for c in columns):
        raise LayoutChanged(SOURCE_ID, "missing anchor: a model name in every 'MODEL' column")
    for row in grid[at + 1 :]:
        _read_row(row, n_labels, columns, notes)
    if not any(c.stated for c in columns):
        raise LayoutChanged(SOURCE_ID, "missing anchor: '1M INPUT TOKENS (CACHE MISS)' row")
    found: list[PageSection] = []
    for tag, column in zip(grid[at][n_labels:], columns, strict=True):
        for model in (column.model, *_aliases(column.model, _cell(tag).refs, notes)):
            named = _renamed(column, model)
            found.append(
                read_section(SOURCE_ID, model, column.model, (model,), partial(_column_rows, named))
            )
    return assemble(SOURCE_ID, found)


def _model_table(soup: BeautifulSoup) -> tuple[Tag, list[list[Tag]], int]:
    for table in soup.find_all("table"):
        grid = html_grid(table)
        for i, row in enumerate(grid):
            if row and _label(row[0]) == MODEL_ANCHOR:
                return table, grid, i
    raise LayoutChanged(SOURCE_ID, f"missing anchor: table with a {MODEL_ANCHOR!r} row")


def _label_width(model_row: list[Tag]) -> int:
    """How many leading columns are labels: the MODEL cell spans them."""
    return sum(1 for tag in model_row if tag is model_row[0])


def _label(tag: Tag) -> str:
    return normalize_space(re.sub(r"\(\d+\)", " ", tag.get_text(" "))).upper()


def _cell(tag: Tag) -> Cell:
    struck = " ".join(d.get_text(" ") for d in tag.find_all(["del", "s", "strike"]))
    refs = tuple(int(r) for s in tag.find_all("sup") for r in re.findall(r"\d+", s.get_text()))
    shown_parts = [
        str(node)
        for node in tag.find_all(string=True)
        if not any(p.name in ("del", "s", "strike", "sup") for p in node.parents if p is not tag)
    ]
    return Cell(normalize_space("".join(shown_parts)), normalize_space(struck), refs)


def _footnotes(table: Tag) -> dict[int, str]:
    """Numbered notes in the paragraphs after the table, up to the next heading."""
    from bs4 import Tag

    texts: list[str] = []
    for el in table.find_all_next(["p", "li", "h2", "h3"]):
        if not isinstance(el, Tag):
            continue
        if el.name in ("h2", "h3"):
            break
        texts.append(inline_text(el))
    parts = _FOOTNOTE_RE.split(" " + " ".join(texts))
    return {int(parts[i]): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def _read_row(
    row: list[Tag], n_labels: int, columns: list[ModelColumn], notes: dict[int, str]
) -> None:
    labels = list(dict.fromkeys(row[:n_labels]))  # a spanning label cell counts once
    label = " ".join(_label(t) for t in labels)
    values = row[n_labels:]
    if len(values) != len(columns):
        return  # a row that does not reach the model columns (a separator)
    if "CONTEXT LENGTH" in label or "MAX OUTPUT" in label:
        for column, tag in zip(columns, values, strict=True):
            _read_limit(column, label, _cell(tag).shown)
        return
    component = _component(label)
    if component is None:
        if any("$" in _cell(tag).shown + _cell(tag).struck for tag in values):
            raise LayoutChanged(SOURCE_ID, f"price row {label!r} not understood")
        return
    condition = _condition(_label(labels[0])) if len(labels) > 1 else ""
    label_notes = tuple(notes.get(r, "") for t in labels for r in _cell(t).refs)
    scale = _scale(label)
    for column, tag in zip(columns, values, strict=True):
        cell = _cell(tag)
        cell_notes = tuple(notes.get(r, "") for r in cell.refs)
        column.stated.append(Stated(component, condition, scale, cell, label_notes, cell_notes))


def _scale(label: str) -> int:
    """1 for a "1M ... TOKENS" row, 1000 for "1K"; 0 (unreadable) otherwise."""
    unit = re.search(r"\b1\s*([MK])\b", label)
    return {"M": 1, "K": 1000}.get(unit[1], 0) if unit else 0


def _component(label: str) -> Component | None:
    if "TOKENS" not in label:
        return None
    if "CACHE HIT" in label:
        return "cache_read"
    if "CACHE MISS" in label:
        return "input"
    if "OUTPUT" in label:
        return "output"
    return None


def _condition(group: str) -> str:
    window = _WINDOW_RE.search(group)
    if window is None or group.startswith("STANDARD"):
        return ""
    return f"off-peak UTC {window[1]}-{window[2]}"


def _read_limit(column: ModelColumn, label: str, text: str) -> None:
    maximum = re.search(r"MAXIMUM\s*:?\s*(\d+(?:\.\d+)?\s*[KkMm]?)", text, re.IGNORECASE)
    raw = maximum[1] if maximum else text
    try:
        tokens = parse_token_count(raw)
    except ValueError as exc:
        raise LayoutChanged(SOURCE_ID, f"{label}: not a token count: {text!r}") from exc
    if "CONTEXT LENGTH" in label:
        column.context_window_tokens = tokens
    else:
        column.max_output_tokens = tokens


def _aliases(model: str, refs: tuple[int, ...], notes: dict[int, str]) -> list[str]:
    out: list[str] = []
    for r in refs:
        note = notes.get(r, "")
        codes = re.findall(r"`([^`]+)`", note)
        if "correspond" in note and model in codes:
            out += [c for c in codes if c != model]
    return out


def _renamed(column: ModelColumn, alias: str) -> ModelColumn:
    return ModelColumn(
        alias, list(column.stated), column.context_window_tokens, column.max_output_tokens
    )


def note_dates(source_key: str, notes: tuple[str, ...]) -> tuple[date | None, date | None]:
    """(effective_from, effective_to) stated by footnotes; AmbiguousPrice if unreadable."""
    start: date | None = None
    end: date | None = None
    for note in notes:
        for at, when in find_dates(note):
            before = note[max(0, at - 40) : at].lower()
            if any(w in before for w in _TO_WORDS):
                end = when
            elif any(w in before for w in _FROM_WORDS):
                start = when
            else:
                raise AmbiguousPrice(SOURCE_ID, f"{source_key}: what does {when} mean in {note!r}")
    return start, end


def _column_rows(entry: ModelColumn) -> Parsed:
    """The rows of one model column; a cell read two ways fails this model only."""
    out = Parsed()
    ctx = RowContext(SOURCE_ID, entry.model, PROVIDER, entry.model)
    for s in entry.stated:
        if not s.scale:
            raise LayoutChanged(SOURCE_ID, f"{entry.model}: a price row without '1M TOKENS'")
        _add_prices(out, ctx, s)
    if entry.context_window_tokens or entry.max_output_tokens:
        out.limits.append(
            LimitRow(
                SOURCE_ID,
                entry.model,
                PROVIDER,
                entry.model,
                context_window_tokens=entry.context_window_tokens,
                max_output_tokens=entry.max_output_tokens,
            )
        )
    return out


def _add_prices(out: Parsed, ctx: RowContext, s: Stated) -> None:
    where = f"{ctx.model} {s.component}"
    shown = _one_amount(where, s.cell.shown)
    if shown is None:
        return
    label_from, label_to = note_dates(where, s.label_notes)
    if not s.cell.struck:
        start, end = note_dates(where, (*s.label_notes, *s.cell_notes))
        out.prices.append(_row(ctx, s, shown, start, end, s.condition))
        return
    listed = _one_amount(where, s.cell.struck)
    if listed is not None:
        out.prices.append(_row(ctx, s, listed, label_from, label_to, s.condition))
    start, end = note_dates(where, (*s.label_notes, *s.cell_notes))
    # An undated discount still differs from the list price: say so in the condition.
    dated = (start, end) != (label_from, label_to)
    condition = s.condition if dated else " ".join(filter(None, [s.condition, "discount"]))
    out.prices.append(_row(ctx, s, shown, start, end, condition))


def _row(
    ctx: RowContext, s: Stated, usd: Decimal, start: date | None, end: date | None, cond: str
) -> PriceRow:
    return ctx.price(
        s.component, usd * s.scale, condition=cond, effective_from=start, effective_to=end
    )


def _one_amount(where: str, text: str) -> Decimal | None:
    if is_free(text):
        return Decimal(0)
    amounts = usd_amounts(SOURCE_ID, text)
    if len(amounts) > 1:
        raise AmbiguousPrice(SOURCE_ID, f"{where}: {len(amounts)} prices in {text!r}")
    return amounts[0] if amounts else None


SOURCE = page_source(
    SOURCE_ID,
    URL,
    "DeepSeek API docs 'Models & Pricing' page (HTML, transposed table)",
    split,
    page_url=URL,
    accept="text/html, application/xhtml+xml;q=0.9",
)
parse = SOURCE.parse
fetch = SOURCE.fetch
