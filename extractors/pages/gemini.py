"""Google's Gemini API pricing page (`gemini-docs`): Markdown twin or HTML.

Layout relied on (each a named anchor when missing):
- the page title "Gemini Developer API pricing";
- one `##` section per model, with the model id(s) in code (`gemini-2.5-pro`) before
  the first table; sections without an id line (tools, agents, notes, Gemma) are not
  models of the paid API and are skipped;
- per section, one table per service tier. In HTML each table sits under a tab heading
  (Standard / Batch / Flex / Priority); in Markdown the tab strip ("Standard Batch Flex
  Priority More") is one line and the tables follow unlabelled, in that order. A section
  without a strip has one table, the standard tier; a strip over a single table is its
  default (first) tab when that is Standard; any other mismatch skips the section;
- tables have a "Paid Tier, per 1M tokens in USD" column: that is what we record (the
  free tier has no price; "per 1K tokens" is scaled). Tables priced per image, second or
  request are skipped; a price unit the parser does not know skips the section.

Each model section is read on its own (docs/sources.md, "Salvage"): one that cannot be
read is skipped with a SectionFailure and the others load.

Cells: `$1.25, prompts <= 200k tokens $2.50, prompts > 200k tokens` gives a base row and
a row with tier_min_prompt_tokens=200000; a context-caching cell's
`$4.50 / 1,000,000 tokens per hour (storage price)` gives a cache_storage_per_hour row.
The page states no per-model limits (a context window only in prose), so no LimitRow.
Modality splits (`$0.30 (text / image / video) $1.00 (audio)`): the text price is the
unconditioned row, the audio price a row with condition="audio", and any other modality
(images, audio / video, per-image equivalents) is skipped and named in unmapped_fields,
because those are often per image or per minute rather than per token.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from core.errors import AmbiguousPrice, LayoutChanged
from core.rows import Component, Parsed, ServiceTier
from extractors.pages.common import RowContext, tab_label, tab_strip
from extractors.pages.doc import Block, Heading, Table, Text, page_blocks
from extractors.pages.sections import (
    PageSection,
    assemble,
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

SOURCE_ID = "gemini-docs"
PROVIDER = "google"
URL = "https://ai.google.dev/gemini-api/docs/pricing.md.txt"
PAGE_URL = "https://ai.google.dev/gemini-api/docs/pricing"
TITLE_ANCHOR = "Gemini Developer API pricing"
PAID_ANCHOR = "paid tier"

_ID_LINE_RE = re.compile(r"^[_*\s]*`")
_CODE_RE = re.compile(r"`([A-Za-z0-9][A-Za-z0-9.\-_]*)`")
_AMOUNT = r"\$\s*(\d[\d,]*(?:\.\d+)?)"
_STORAGE_RE = re.compile(
    _AMOUNT + r"\s*/\s*1,000,000 tokens per hour(?:\s*\(storage price\))?", re.IGNORECASE
)
_TIER_RE = re.compile(_AMOUNT + r"\s*,?\s*prompts\s*(<=|≤|>)\s*(\d+(?:\.\d+)?\s*[kKmM]?)")
_MODALITY_RE = re.compile(_AMOUNT + r"\s*\(([^)]*)\)")
_PER_UNIT_RE = re.compile(r"\$\s*[\d.,]+\s*(?:per\s+[^$]*|/\s*min\b)", re.IGNORECASE)
_ALTERNATIVE_RE = re.compile(r"\bor\s+\$\s*[\d.,]+\s*/\s*min\b", re.IGNORECASE)
_PER_OTHER_UNIT_RE = re.compile(
    r"\bper\s+(?:image|second|request|minute|hour|character|video)", re.I
)
_EMOJI_RE = re.compile(r"[^\w\s.\-()/]")
_KIND_COMPONENT: dict[str, Component] = {
    "input": "input",
    "output": "output",
    "cache": "cache_read",
}


@dataclass(frozen=True, slots=True)
class TierTable:
    service_tier: ServiceTier
    header: tuple[str, ...]
    body: tuple[tuple[str, ...], ...]
    scale: int = 1  # stated per 1K tokens: x1000 to per 1M


def gemini_model_id(display_name: str) -> str:
    """ "Gemini 2.5 Pro" -> "gemini-2.5-pro"; emoji and "(…)" qualifiers are dropped.

    Used only when a section states no id in code; the stated id always wins.
    """
    name = _EMOJI_RE.sub("", display_name)
    name = re.sub(r"\([^)]*\)", "", name)
    return "-".join(name.lower().split())


def split(payload: bytes) -> Mapping[str, object]:
    """Model sections by heading. Raises BadPayload, Blocked or LayoutChanged (page-wide);
    a section that cannot be read is a failed section, the others load."""
    blocks = page_blocks(SOURCE_ID, payload)
    if not any(TITLE_ANCHOR.lower() in _block_text(b).lower() for b in blocks):
        raise LayoutChanged(SOURCE_ID, f"missing anchor: page title {TITLE_ANCHOR!r}")
    found: list[PageSection] = []
    for heading, body in _model_sections(blocks):
        ids = _model_ids(heading, body)
        if not ids or not any(isinstance(b, Table) for b in body):
            continue
        name = normalize_space(_EMOJI_RE.sub("", heading.text))
        found.append(read_section(SOURCE_ID, name, name, ids, partial(_read, name, ids, body)))
    return assemble(SOURCE_ID, found)


def _model_sections(blocks: list[Block]) -> list[tuple[Heading, list[Block]]]:
    """A section per heading of level 2 to 4, tab headings (Standard, Batch...) aside:
    a model section moved a level up or down is still its own section."""
    out: list[tuple[Heading, list[Block]]] = []
    for block in blocks:
        if isinstance(block, Heading) and block.level <= 4 and not tab_label(block.text):
            out.append((block, []))
        elif out:
            out[-1][1].append(block)
    return out


def _block_text(block: Block) -> str:
    return block.text if isinstance(block, Heading | Text) else ""


def _read(name: str, ids: tuple[str, ...], body: list[Block]) -> Parsed:
    labelled = _label_tables(name, body)
    kept: list[TierTable] = []
    notes: set[str] = set()
    for tier, table in labelled:
        header = table.header[-1] if table.header else ()
        paid = next((i for i, h in enumerate(header) if PAID_ANCHOR in h.lower()), None)
        if paid is None:
            raise LayoutChanged(
                SOURCE_ID, f"section {name!r}: missing anchor: 'Paid Tier' column in {header}"
            )
        scale = token_unit_scale(header[paid])
        if scale is None:
            if not _PER_OTHER_UNIT_RE.search(header[paid]):
                raise LayoutChanged(
                    SOURCE_ID, f"section {name!r}: price unit of {header[paid]!r} not understood"
                )
            notes.add(f"table priced {header[paid]!r} (not per token) in {name!r}")
            continue
        rows = tuple((r[0], r[paid]) for r in table.body if len(r) > paid)
        if not any(_component(label) in ("input", "output") for label, _ in rows):
            raise LayoutChanged(
                SOURCE_ID, f"section {name!r}: missing anchor: 'Input price' or 'Output price' row"
            )
        kept.append(TierTable(tier, header, rows, scale))
    out = Parsed()
    out.unmapped_fields |= {f"{SOURCE_ID}: {note}" for note in notes}
    for model_id in ids:
        ctx = RowContext(SOURCE_ID, model_id, PROVIDER, model_id)
        for tier_table in kept:
            for label, cell in tier_table.body:
                _add_row(out, ctx, tier_table, label, cell)
    return out


def _model_ids(heading: Heading, body: list[Block]) -> tuple[str, ...]:
    for block in body:
        if isinstance(block, Table):
            break
        if isinstance(block, Text) and _ID_LINE_RE.match(block.text):
            return tuple(dict.fromkeys(_CODE_RE.findall(block.text)))
    # No id line: only a "Gemini …" heading names a model we can map explicitly.
    if heading.text.lower().startswith("gemini "):
        return (gemini_model_id(heading.text),)
    return ()


def _label_tables(name: str, body: list[Block]) -> list[tuple[ServiceTier, Table]]:
    """Each table with its service tier (HTML tab headings, or a Markdown tab strip).

    A strip of N tabs over N tables pairs them in order. A strip over one table: the
    table is the tab the page shows by default, the first, when that is Standard (a
    renderer that keeps only the visible tab). Any other count is ambiguous: refused.
    """
    strip: list[ServiceTier] | None = None
    pending: ServiceTier | None = None
    labelled: list[tuple[ServiceTier | None, Table]] = []
    for block in body:
        if isinstance(block, Heading | Text):
            strip = tab_strip(block.text) or strip
            pending = tab_label(block.text) or pending
        elif isinstance(block, Table):
            labelled.append((pending, block))
            pending = None
    if all(tier is not None for tier, _ in labelled):
        tiers = [tier for tier, _ in labelled]
        if len(set(tiers)) != len(tiers):
            raise LayoutChanged(SOURCE_ID, f"section {name!r}: two tables under one tab {tiers}")
        return [(tier, t) for tier, t in labelled if tier is not None]
    tables = [t for _, t in labelled]
    if strip is None:
        if len(tables) == 1:
            return [("standard", tables[0])]
        raise LayoutChanged(
            SOURCE_ID, f"section {name!r}: missing anchor: tab strip for {len(tables)} tables"
        )
    if len(strip) == len(tables):
        return list(zip(strip, tables, strict=True))
    if len(tables) == 1 and strip[0] == "standard":
        return [("standard", tables[0])]
    raise LayoutChanged(
        SOURCE_ID, f"section {name!r}: tab strip {strip} does not match {len(tables)} tables"
    )


def _component(label: str) -> str | None:
    label = label.lower().strip()
    if label.startswith(("context caching (storage)", "context caching storage")):
        return "storage"
    if label.startswith("context caching"):
        return "cache"
    if label.startswith(("input price", "text input price")):
        return "input"
    if label.startswith("output price"):
        return "output"
    return None


@dataclass(frozen=True, slots=True)
class CellPrices:
    """One paid-tier cell read: (condition, tier_min_prompt_tokens, usd) rows + storage."""

    prices: tuple[tuple[str, int, Decimal], ...] = ()
    storage_usd_per_mtok_hour: Decimal | None = None
    skipped: tuple[str, ...] = ()


def parse_paid_cell(key: str, cell: str) -> CellPrices:
    """Read one paid-tier cell. Raises AmbiguousPrice when it can be read two ways."""
    text = cell.replace("*", " ")
    storage = _storage(key, text)
    text = _STORAGE_RE.sub(" ", text)
    text = re.split(r"(?i)\bequivalent to\b", text)[0]
    text = _ALTERNATIVE_RE.sub(" ", text)
    text, per_unit = _PER_UNIT_RE.subn(" ", text)
    text = re.sub(r"/\s*1,000,000 tokens", " ", text)
    if "$" not in text:
        if is_free(text):
            return CellPrices((("", 0, Decimal(0)),), storage)
        return CellPrices((), storage, ("per-unit price",) if per_unit else ())
    if re.search(r"prompts\s*(<=|≤|>)", text):
        return CellPrices(_tiers(key, text), storage)
    if _MODALITY_RE.search(text):
        prices, skipped = _modalities(key, text)
        return CellPrices(prices, storage, skipped)
    amounts = usd_amounts(SOURCE_ID, text)
    if len(amounts) != 1:
        raise AmbiguousPrice(SOURCE_ID, f"{key}: {len(amounts)} unlabelled prices in {cell!r}")
    return CellPrices((("", 0, amounts[0]),), storage)


def _storage(key: str, text: str) -> Decimal | None:
    found = {Decimal(a.replace(",", "")) for a in _STORAGE_RE.findall(text)}
    if len(found) > 1:
        raise AmbiguousPrice(SOURCE_ID, f"{key}: several storage prices in {text!r}")
    return found.pop() if found else None


def _tiers(key: str, text: str) -> tuple[tuple[str, int, Decimal], ...]:
    matches = _TIER_RE.findall(text)
    below = [(a, t) for a, op, t in matches if op in ("<=", "≤")]
    above = [(a, t) for a, op, t in matches if op == ">"]
    if len(below) != 1 or len(above) != 1 or len(usd_amounts(SOURCE_ID, text)) != 2:
        raise AmbiguousPrice(SOURCE_ID, f"{key}: cannot read prompt-length tiers in {text!r}")
    threshold = parse_token_count(below[0][1])
    if parse_token_count(above[0][1]) != threshold:
        raise AmbiguousPrice(SOURCE_ID, f"{key}: tier thresholds disagree in {text!r}")
    return (
        ("", 0, Decimal(below[0][0].replace(",", ""))),
        ("", threshold, Decimal(above[0][0].replace(",", ""))),
    )


def _modalities(
    key: str, text: str
) -> tuple[tuple[tuple[str, int, Decimal], ...], tuple[str, ...]]:
    segments = _MODALITY_RE.findall(text)
    if len(segments) != len(usd_amounts(SOURCE_ID, text)):
        raise AmbiguousPrice(SOURCE_ID, f"{key}: a price without a modality in {text!r}")
    prices: list[tuple[str, int, Decimal]] = []
    skipped: list[str] = []
    for amount, label in segments:
        modality = normalize_space(label.lower())
        condition = "" if "text" in modality else modality
        if condition not in ("", "audio"):
            skipped.append(f"modality {modality!r}")
            continue
        if any(c == condition for c, _, _ in prices):
            raise AmbiguousPrice(SOURCE_ID, f"{key}: two {modality!r} prices in {text!r}")
        prices.append((condition, 0, Decimal(amount.replace(",", ""))))
    return tuple(prices), tuple(skipped)


def _add_row(out: Parsed, ctx: RowContext, table: TierTable, label: str, cell: str) -> None:
    kind = _component(label)
    if kind is None:
        if "$" in cell:
            out.unmapped_fields.add(f"{SOURCE_ID}: row {label!r}")
        return
    tier, scale = table.service_tier, table.scale
    where = f"{ctx.model} {tier} {label!r}"
    read = parse_paid_cell(where, cell)
    out.unmapped_fields |= {f"{SOURCE_ID}: {label!r} {s}" for s in read.skipped}
    if kind == "storage":
        storage = read.storage_usd_per_mtok_hour
        if storage is None and len(read.prices) == 1:
            storage = read.prices[0][2] * scale  # "Context caching (storage)": a bare price
        if storage is not None:
            out.prices.append(ctx.price("cache_storage_per_hour", storage, service_tier=tier))
        return
    for condition, threshold, usd in read.prices:
        out.prices.append(
            ctx.price(
                _KIND_COMPONENT[kind],
                usd * scale,
                service_tier=tier,
                tier_min_prompt_tokens=threshold,
                condition=condition,
            )
        )
    if kind == "cache" and read.storage_usd_per_mtok_hour is not None:
        out.prices.append(
            ctx.price("cache_storage_per_hour", read.storage_usd_per_mtok_hour, service_tier=tier)
        )


SOURCE = page_source(
    SOURCE_ID,
    URL,
    "Gemini Developer API pricing page (ai.google.dev), Markdown twin or HTML",
    split,
    page_url=PAGE_URL,
)
parse = SOURCE.parse
fetch = SOURCE.fetch
