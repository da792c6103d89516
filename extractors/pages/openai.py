"""OpenAI's API pricing page (`openai-docs`): the docs Markdown (HTML read the same way).

Layout relied on (each a named anchor when missing):
- price tables with a "Model" column and price columns named "Input", "Cached input",
  "Output" (mapped by name; a new column of token prices skips the table, never a
  column dropped or misread; columns priced per minute are reported);
- a tab label line ("Standard", "Batch", "Flex", "Priority") before each tier's table; a
  table without a label is the standard tier;
- an optional group row over the columns, "Short context" / "Long context". Long-context
  prices apply above a threshold the table does not state: it is read from the page
  text ("prompts with more than 272K input tokens"), else from the model limits OpenAI
  documents per model family (KNOWN_LONG_CONTEXT_THRESHOLDS); a model with a
  long-context price and neither is skipped (never filed under a guessed threshold), so
  the rest of the page still loads. Two thresholds stated on one page is AmbiguousPrice.

One section per model of each table (docs/sources.md, "Salvage"): a model whose cells
cannot be read is skipped alone; a table whose shape cannot be read is skipped whole.
A section stating "Prices per 1K tokens" is scaled to per 1M.

`-` means not offered (no row). Rows split by modality ("Text" / "Audio" / "Image"): text
is the unconditioned row, audio a row with condition="audio", image skipped and reported.
Prices per minute, per second or per call are not per-token prices and are reported.
The fine-tuning and tools sections price other things and are skipped. A JavaScript or
cookie challenge page instead of the page raises Blocked (never zero rows).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from core.errors import AmbiguousPrice, LayoutChanged
from core.rows import Component, Parsed, ServiceTier
from extractors.pages.common import RowContext, tab_label
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
    token_unit_scale,
    usd_amounts,
)

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
_MODALITIES = frozenset({"text", "audio", "image", "video"})
_MODEL_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.\-:_]*$")


@dataclass(frozen=True, slots=True)
class _Table:
    """Where a price table sits: its section heading, tab tier and stated token unit."""

    section: str
    tier: ServiceTier
    scale: int  # 1000 when the section states prices per 1K tokens
    threshold: int | None  # the page's long-context threshold, if stated


def long_context_threshold(texts: list[str]) -> int | None:
    """The long-context threshold stated in the page text, or None when not stated.

    Raises AmbiguousPrice when the page states two different thresholds.
    """
    found = {parse_token_count(m) for t in texts for m in _THRESHOLD_RE.findall(t)}
    if len(found) > 1:
        raise AmbiguousPrice(SOURCE_ID, f"several long-context thresholds stated: {sorted(found)}")
    return found.pop() if found else None


def split(payload: bytes) -> Mapping[str, object]:
    """Sections by key: one per model of each price table (rows continuing a model stay
    with it). Raises BadPayload/Blocked, or LayoutChanged when no price table is left."""
    blocks = page_blocks(SOURCE_ID, payload)
    threshold = long_context_threshold([b.text for b in blocks if isinstance(b, Text)])
    found: list[PageSection] = []
    notes: set[str] = set()
    section, tier, scale, tables = "", None, 1, 0
    for block in blocks:
        if isinstance(block, Heading) and not tab_label(block.text):
            section, tier, scale = block.text, None, 1
        elif isinstance(block, Heading | Text):
            tier = tab_label(block.text) or tier
            scale = token_unit_scale(block.text) or scale
        elif isinstance(block, Table):
            if not any(s in section.lower() for s in _SKIPPED_SECTIONS):
                where = _Table(section, tier or "standard", scale, threshold)
                tables += _table_sections(where, block, found, notes)
            tier = None
    if tables == 0:
        raise LayoutChanged(
            SOURCE_ID, "missing anchor: no table with 'Model' and 'Input'/'Output' columns"
        )
    if notes:
        unmapped = {f"{SOURCE_ID}: {note}" for note in notes}
        found.append(PageSection("page notes", "", (), Parsed(unmapped_fields=unmapped)))
    return assemble(SOURCE_ID, found)


def _header_row(table: Table) -> tuple[int, list[tuple[str, ...]]]:
    rows = [*table.header, *table.body]
    for i, row in enumerate(rows):
        if find_column(row, "model") is not None:
            return i, rows
    return -1, rows


def _table_sections(where: _Table, table: Table, found: list[PageSection], notes: set[str]) -> int:
    """Add a section per model of the table; 1 when it is a price table, else 0."""
    at, rows = _header_row(table)
    section = where.section
    if at < 0:
        if any("$" in c for row in rows for c in row):
            notes.add(f"table without a 'Model' column in {section!r}")
        return 0
    header = rows[at]
    columns = {
        i: _PRICE_COLUMNS[_norm(h)] for i, h in enumerate(header) if _norm(h) in _PRICE_COLUMNS
    }
    if not columns:
        notes.add(f"table {' | '.join(header)!r} in {section!r} (no per-token columns)")
        return 0
    key = f"{section} / {where.tier}"
    known = {find_column(header, "model"), find_column(header, "modality"), *columns}
    try:
        groups = _model_rows(header, rows[at + 1 :], section, notes)
        col_groups = _column_groups(section, rows[at - 1] if at > 0 else (), header, columns)
        _no_unknown_price_column(header, rows[at + 1 :], known)
    except LayoutChanged as err:
        named = _models_named(header, rows[at + 1 :])
        found.append(failed_section(SOURCE_ID, key, section, named, err))
        return 1
    notes |= {f"column {h!r} in {section!r}" for i, h in enumerate(header) if i not in known}
    for model, model_rows in groups.items():
        read = partial(_read_model, where, model, header, model_rows, columns, col_groups)
        found.append(read_section(SOURCE_ID, f"{key} / {model}", section, (model,), read))
    return 1


def _norm(header: str) -> str:
    return normalize_space(header).lower()


def _no_unknown_price_column(
    header: tuple[str, ...], body: list[tuple[str, ...]], known: set[int | None]
) -> None:
    """A column of token prices we cannot name would be dropped, losing its prices:
    refuse. Columns priced per minute or per call ("Estimated cost") are not tokens."""
    for i, h in enumerate(header):
        cells = [r[i] for r in body if i < len(r) and "$" in r[i]]
        if i not in known and any(not _PER_UNIT_RE.search(c) for c in cells):
            raise LayoutChanged(SOURCE_ID, f"unknown price column {h!r} in {header}")


def _model_rows(
    header: tuple[str, ...], body: list[tuple[str, ...]], section: str, notes: set[str]
) -> dict[str, list[tuple[str, ...]]]:
    """Body rows by model id; a row short of cells continues the model above it."""
    model_col = find_column(header, "model")
    modality_col = find_column(header, "modality")
    out: dict[str, list[tuple[str, ...]]] = {}
    model = ""
    for raw in body:
        row = ("",) * (len(header) - len(raw)) + tuple(raw) if len(raw) < len(header) else raw
        misplaced = [c for c in (model_col, modality_col) if c is not None and "$" in row[c]]
        if misplaced:
            raise LayoutChanged(SOURCE_ID, f"row {raw!r} does not fit header {header!r}")
        model = _model_id(row[model_col]) if model_col is not None and row[model_col] else model
        if not _MODEL_ID_RE.match(model):
            notes.add(f"model cell {model!r} in {section!r}")
            continue
        out.setdefault(model, []).append(row)
    return out


def _models_named(header: tuple[str, ...], body: list[tuple[str, ...]]) -> tuple[str, ...]:
    """Model ids a table that cannot be read names, in any cell (its rows may be shifted)."""
    cells = [_model_id(c) for r in body for c in r]
    return tuple(
        dict.fromkeys(
            c
            for c in cells
            if _MODEL_ID_RE.match(c) and c not in _MODALITIES and re.search(r"[a-z]", c)
        )
    )


def _read_model(
    where: _Table,
    model: str,
    header: tuple[str, ...],
    rows: list[tuple[str, ...]],
    columns: dict[int, Component],
    groups: dict[int, str],
) -> Parsed:
    out = Parsed()
    ctx = RowContext(SOURCE_ID, model, PROVIDER, model)
    modality_col = find_column(header, "modality")
    seen: dict[tuple[str, ...], Decimal] = {}
    for row in rows:
        modality = row[modality_col].lower() if modality_col is not None else "text"
        condition = "" if modality == "text" else modality
        if condition not in ("", "audio"):
            out.unmapped_fields.add(f"{SOURCE_ID}: modality {modality!r} in {where.section!r}")
            continue
        for i, component in columns.items():
            usd = _cell_price(out, model, row[i])
            if usd is None:
                continue
            threshold = _threshold(where, model, groups[i])
            series = (str(threshold), component, condition)
            if seen.setdefault(series, usd) != usd:
                raise AmbiguousPrice(
                    SOURCE_ID, f"{model}: {series} stated as {seen[series]} and {usd}"
                )
            out.prices.append(
                ctx.price(
                    component,
                    usd * where.scale,
                    service_tier=where.tier,
                    tier_min_prompt_tokens=threshold,
                    condition=condition,
                )
            )
    return out


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


def _threshold(where: _Table, model: str, group: str) -> int:
    """0 for a base price; else the long-context threshold, stated or documented.

    Raises AmbiguousPrice when neither: never a price filed under a guessed threshold.
    """
    if group != "long context":
        return 0
    threshold = where.threshold or known_threshold(model)
    if threshold is None:
        raise AmbiguousPrice(SOURCE_ID, f"{model}: long-context price without a stated threshold")
    return threshold


def _cell_price(out: Parsed, model: str, cell: str) -> Decimal | None:
    text = cell.strip()
    if text in ("", "-", "–", "—"):
        return None  # not offered
    if is_free(text):
        return Decimal(0)
    if _PER_UNIT_RE.search(text) and not token_unit_scale(text):
        out.unmapped_fields.add(f"{SOURCE_ID}: per-unit price {text!r}")
        return None
    amounts = usd_amounts(SOURCE_ID, text)
    if len(amounts) != 1:
        raise AmbiguousPrice(SOURCE_ID, f"{model}: cannot read one price from {text!r}")
    return amounts[0] * (token_unit_scale(text) or 1)


SOURCE = page_source(
    SOURCE_ID,
    URL,
    "OpenAI API pricing page (developers.openai.com docs), Markdown",
    split,
    page_url=PAGE_URL,
)
parse = SOURCE.parse
fetch = SOURCE.fetch
