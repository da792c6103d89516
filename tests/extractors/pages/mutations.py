"""Realistic drifts of the official pages, applied to real captures, and a judge that
says whether a parser survived each one, refused it cleanly, or produced a wrong price.

Each mutation comes with a control page: the same prices in a form the parser already
reads (often the original page). The rows parsed from the control, adjusted by the
mutation's `expect` where it changes what the page says (a new tier threshold), are the
right answer. The mutated page must give exactly those rows, or a subset whose missing
rows all belong to a section the parser reported as skipped (or a typed page failure);
anything else (a different value, an invented series, a row lost without a failure) is
wrong. Series the mutation made ambiguous (a price range) must not appear at all.

Run `uv run python -m tests.extractors.pages.mutations` to print the table that
docs/sources.md shows (needs ../shared/samples).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import markdown
from bs4 import BeautifulSoup, Tag

from core.errors import SourceError
from core.rows import Parsed, PriceRow
from extractors.pages import anthropic, deepseek, gemini, openai, xai
from tests.paths import FIXTURES, SAMPLES

Series = tuple[object, ...]
PRICE_RE = re.compile(r"\$\s*(\d[\d,]*(?:\.\d+)?)")
SENTINEL = Decimal("987.654321")
# A price per token, not the "$4.50 / 1,000,000 tokens per hour" storage price beside it.
PER_TOKEN_PRICE_RE = re.compile(r"\$\s*(\d[\d,]*(?:\.\d+)?)(?!\d|[.,]\d|\s*/\s*1,000,000)")
OUTCOMES = ("survived", "section rejected", "page rejected", "wrong")

# The real captures each parser is mutated on (../shared/samples/pages).
CAPTURES: dict[str, tuple[ModuleType, tuple[str, ...]]] = {
    "gemini-docs": (
        gemini,
        ("gemini_2026-05-08_96a8198e.jina.md", "gemini_2026-06-05_3a8ccd31.jina.md"),
    ),
    "anthropic-docs": (anthropic, ("anthropic_pricing.md_kmodels-fixture.md",)),
    "openai-docs": (openai, ("openai_2026-05-08_96a8198e.jina.md",)),
    "deepseek-docs": (deepseek, ("deepseek_2026-05-08_d1507e12.html",)),
    "xai-docs": (xai, ("grok_2026-05-08_618e39f0.jina.md",)),
}
# The project's own fixtures (tests/fixtures/pages), for the always-on test.
FIXTURE_PAGES: dict[str, tuple[ModuleType, tuple[str, ...]]] = {
    "gemini-docs": (gemini, ("gemini_pricing.md", "gemini_pricing.html")),
    "anthropic-docs": (anthropic, ("anthropic_pricing.md", "anthropic_pricing.html")),
    "openai-docs": (openai, ("openai_pricing.md",)),
    "deepseek-docs": (deepseek, ("deepseek_pricing.html",)),
    "xai-docs": (xai, ("xai_pricing.md",)),
}


@dataclass(frozen=True)
class Mutation:
    kind: str
    page: str
    control: str
    forbidden: frozenset[Series] = frozenset()
    expect: Callable[[PriceRow], PriceRow] | None = None


@dataclass
class Judged:
    mutation: Mutation
    outcome: str
    detail: str = ""


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    wrong: list[Judged] = field(default_factory=list)

    def add(self, judged: Judged) -> None:
        self.counts[judged.outcome] += 1
        if judged.outcome == "wrong":
            self.wrong.append(judged)

    @property
    def tried(self) -> int:
        return sum(self.counts.values())


# --- judging ------------------------------------------------------------------------------


def _rows(parsed: Parsed) -> dict[Series, Decimal]:
    return {r.series_key(): r.usd_per_mtok for r in parsed.prices}


def judge(module: ModuleType, m: Mutation) -> Judged:
    control = module.parse(m.control.encode())
    expected = {
        (m.expect(r) if m.expect else r).series_key(): r.usd_per_mtok for r in control.prices
    }
    for key in m.forbidden:
        expected.pop(key, None)
    try:
        got = module.parse(m.page.encode())
    except SourceError as err:
        return Judged(m, "page rejected", f"{err.kind}: {err.reason}")
    produced = _rows(got)
    for key, value in produced.items():
        if key in m.forbidden or key not in expected:
            return Judged(m, "wrong", f"invented {key} = {value}")
        if expected[key] != value:
            return Judged(m, "wrong", f"{key}: {value}, right is {expected[key]}")
    covered = {model for f in got.section_failures for model in f.models}
    lost = [k for k in expected if k not in produced and k[0] not in covered]
    if lost:
        return Judged(m, "wrong", f"lost without a section failure: {lost[:3]}")
    if produced == expected and not got.section_failures:
        return Judged(m, "survived")
    reasons = "; ".join(f"{f.section}: {f.reason}" for f in got.section_failures[:2])
    return Judged(m, "section rejected", reasons)


# --- where the prices are -----------------------------------------------------------------


def _table_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the page's tables (HTML tables and Markdown table lines)."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"<table.*?</table>", text, re.S | re.I)]
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("|"):
            spans.append((offset, offset + len(line)))
        offset += len(line)
    return sorted(spans)


def price_tokens(text: str) -> list[re.Match[str]]:
    spans = _table_spans(text)
    return [m for m in PRICE_RE.finditer(text) if any(a <= m.start() < b for a, b in spans)]


def _swap(text: str, m: re.Match[str], new: str) -> str:
    return text[: m.start()] + new + text[m.end() :]


def effective_tokens(
    module: ModuleType, text: str, want: int = 3, *, alone: bool = False, tries: int = 40
) -> list[re.Match[str]]:
    """Up to `want` price tokens, spread over the page, that the parser actually reads
    (`alone`: each the only price of its cell)."""
    base = _rows(module.parse(text.encode()))
    tokens = price_tokens(text)
    picked: list[re.Match[str]] = []
    for n, i in enumerate(_spread(len(tokens))):
        if n >= tries:
            break
        if alone and len(PRICE_RE.findall(text[slice(*_cell_of(text, tokens[i]))])) != 1:
            continue
        if _touched(module, text, tokens[i], base):
            picked.append(tokens[i])
            if len(picked) == want:
                break
    return picked


def _spread(n: int) -> Iterator[int]:
    """0, n-1, n/2, n/4, 3n/4, ...: indexes spread over the page, each once."""
    seen: set[int] = set()
    for frac in (0, 1, 0.5, 0.25, 0.75, 0.125, 0.375, 0.625, 0.875):
        i = min(n - 1, int(frac * (n - 1))) if n else -1
        if i >= 0 and i not in seen:
            seen.add(i)
            yield i
    yield from (i for i in range(n) if i not in seen)


def _touched(
    module: ModuleType, text: str, token: re.Match[str], base: dict[Series, Decimal]
) -> frozenset[Series]:
    """The series whose value a price token sets (probed with a sentinel value)."""
    try:
        probe = _rows(module.parse(_swap(text, token, f"${SENTINEL}").encode()))
    except SourceError:
        return frozenset()
    return frozenset(k for k, v in probe.items() if base.get(k) != v)


def _cell_of(text: str, m: re.Match[str]) -> tuple[int, int]:
    """The span of the table cell holding a token (Markdown `| ... |` or HTML `<td>`)."""
    line_start = text.rfind("\n", 0, m.start()) + 1
    if text[line_start:].lstrip().startswith("|"):
        a = text.rfind("|", line_start, m.start()) + 1
        b = text.find("|", m.end())
        return a, b
    a = max(text.rfind("<td", 0, m.start()), text.rfind("<th", 0, m.start()))
    a = text.find(">", a) + 1
    b = re.search(r"</t[dh]>", text[m.end() :])
    return a, m.end() + (b.start() if b else 0)


# --- the drifts ---------------------------------------------------------------------------


def value_mutations(module: ModuleType, text: str) -> Iterator[Mutation]:
    """Drifts of single price cells, at a few cells the parser reads."""
    base = _rows(module.parse(text.encode()))
    for token in effective_tokens(module, text):
        raw = token.group(0)
        value = Decimal(token.group(1).replace(",", ""))
        yield Mutation("footnote marker ($1.25*)", _swap(text, token, raw + "*"), text)
        yield Mutation(
            "non-breaking and zero-width spaces",
            _swap(text, token, "$\u00a0\u200b" + token.group(1) + "\u200b"),
            text,
        )
        yield Mutation(
            "price range ($0.10 - $0.20)",
            _swap(text, token, f"{raw} - ${value * 2}"),
            text,
            forbidden=_touched(module, text, token, base),
        )
        big = value * 1000 + Decimal("0.25")
        yield Mutation(
            "thousand separators ($1,000.25)",
            _swap(text, token, f"${big:,}"),
            _swap(text, token, f"${big}"),
        )
    for token in effective_tokens(module, text, 1, alone=True):
        a, b = _cell_of(text, token)
        yield Mutation(
            '"Free of charge"',
            text[:a] + " Free of charge " + text[b:],
            text[:a] + " $0 " + text[b:],
        )


def html_instead_of_markdown(text: str) -> str | None:
    if text.lstrip().lower().startswith(("<!doctype", "<html")):
        return None
    body = markdown.markdown(text, extensions=["tables"])
    head = '<!DOCTYPE html>\n<html lang="en"><head><title>t</title></head>'
    return f"{head}<body><main>\n{body}\n</main></body></html>\n"


def markdown_instead_of_html(text: str) -> str | None:
    if not text.lstrip().lower().startswith(("<!doctype", "<html")):
        return None
    soup = BeautifulSoup(text, "html.parser")
    root = soup.find("main") or soup.find("article") or soup.body or soup
    lines: list[str] = []
    for el in (
        root.find_all(["h1", "h2", "h3", "h4", "p", "li", "table"]) if isinstance(root, Tag) else []
    ):
        if el.find_parent("table") is not None:
            continue
        if el.name == "table":
            rows = [
                [c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
                for tr in el.find_all("tr")
            ]
            if rows:
                lines += ["", "| " + " | ".join(rows[0]) + " |", "|" + " --- |" * len(rows[0])]
                lines += ["| " + " | ".join(r) + " |" for r in rows[1:]] + [""]
        elif el.name.startswith("h"):
            lines += ["", "#" * int(el.name[1]) + " " + el.get_text(" ", strip=True), ""]
        else:
            lines.append(el.get_text(" ", strip=True))
    return "\n".join(lines) + "\n"


def format_mutations(text: str) -> Iterator[Mutation]:
    as_html = html_instead_of_markdown(text)
    if as_html is not None:
        yield Mutation("page served as HTML instead of Markdown", as_html, text)
    as_md = markdown_instead_of_html(text)
    if as_md is not None:
        yield Mutation("page served as Markdown instead of HTML", as_md, text)


def _md_header_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) of each Markdown table header row (the row above a separator)."""
    lines = text.splitlines(keepends=True)
    out, offset = [], 0
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.lstrip().startswith("|") and re.match(r"^\s*\|?\s*:?-{3,}", nxt):
            out.append((offset, line))
        offset += len(line)
    return out


def _md_table_at(text: str, offset: int) -> tuple[int, int, list[str]]:
    """The Markdown table starting at `offset`: (start, end, lines)."""
    lines, end = [], offset
    for line in text[offset:].splitlines(keepends=True):
        if not line.lstrip().startswith("|"):
            break
        lines.append(line)
        end += len(line)
    return offset, end, lines


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return inner.split("|")


def _join(cells: list[str]) -> str:
    return "|" + "|".join(cells) + "|\n"


def _priced_columns(lines: list[str]) -> list[int]:
    """Columns holding prices, or named as price columns ("Free Tier", "Input")."""
    header = _cells(lines[0])
    rows = [_cells(ln) for ln in lines[2:]]
    named = re.compile(r"tier|price|input|output|cost", re.I)
    return [
        i
        for i in range(len(header))
        if any(i < len(r) and "$" in r[i] for r in rows) or named.search(header[i])
    ]


def column_mutations(text: str) -> Iterator[Mutation]:
    """Renamed, reordered and extra columns in the first priced Markdown table."""
    for offset, _ in _md_header_lines(text):
        start, end, lines = _md_table_at(text, offset)
        priced = _priced_columns(lines)
        if len(priced) < 2 or any(len(_cells(ln)) != len(_cells(lines[0])) for ln in lines):
            continue
        table = [_cells(ln) for ln in lines]
        a, b = priced[0], priced[-1]
        renamed = [list(r) for r in table]
        renamed[0][b] = " Cost B "
        yield Mutation("renamed column header", _put(text, start, end, renamed), text)
        swapped = [list(r) for r in table]
        for r in swapped:
            r[a], r[b] = r[b], r[a]
        yield Mutation("reordered columns", _put(text, start, end, swapped), text)
        extra = [
            [*r, " --- "] if i == 1 else [*r, " Priority input " if i == 0 else " $9.99 "]
            for i, r in enumerate(table)
        ]
        yield Mutation("an extra column", _put(text, start, end, extra), text)
        return


def _put(text: str, start: int, end: int, table: list[list[str]]) -> str:
    return text[:start] + "".join(_join(r) for r in table) + text[end:]


def heading_mutation(text: str, heading: str) -> Iterator[Mutation]:
    m = re.search(rf"^(#+) {re.escape(heading)}", text, re.M)
    if m:
        page = text[: m.start()] + "#" + text[m.start() :]
        yield Mutation("section moved to another heading level", page, text)


@dataclass(frozen=True)
class Adapter:
    """Where a parser's page keeps the things a structural drift moves."""

    heading: str  # a section heading to move a level down
    new_section: Callable[[str], Iterator[Mutation]] = lambda text: iter(())
    tabs: Callable[[str], Iterator[Mutation]] = lambda text: iter(())
    threshold: Callable[[str], Iterator[Mutation]] = lambda text: iter(())
    per_1k: Callable[[str], Iterator[Mutation]] = lambda text: iter(())


def _div(match: re.Match[str]) -> str:
    value = Decimal(match.group(1).replace(",", "")) / 1000
    return f"${value.normalize():f}"


def _threshold_to(old: int, new: int) -> Callable[[PriceRow], PriceRow]:
    def move(row: PriceRow) -> PriceRow:
        return (
            replace(row, tier_min_prompt_tokens=new) if row.tier_min_prompt_tokens == old else row
        )

    return move


# Gemini ---------------------------------------------------------------------------------

G_STRIP = "[Standard](#standard)[Batch](#batch)[Flex](#flex)[Priority](#priority)More"
G_TABLE = (
    "|  | Free Tier | Paid Tier, per 1M tokens in USD |\n| --- | --- | --- |\n"
    "| Input price | Not available | {0} |\n| Output price | Not available | {1} |\n"
)


def _g_section(strip: str, tables: list[tuple[str, str]]) -> str:
    body = "\n".join(G_TABLE.format(*t) for t in tables)
    return f"## Gemini 9 Ultra\n\n_`gemini-9-ultra`_\n\n{strip}\n\n{body}\n"


def _g_insert(text: str, section: str) -> str:
    at = text.index("\n## Gemini ") + 1
    return text[:at] + section + "\n" + text[at:]


def gemini_new_section(text: str) -> Iterator[Mutation]:
    if "\n## Gemini " not in text:
        return
    one = [("$4.00", "$20.00")]
    yield Mutation(
        "new section, 4 tabs over 1 table",
        _g_insert(text, _g_section(G_STRIP, one)),
        _g_insert(text, _g_section("", one)),
    )
    three = [("$4.00", "$20.00"), ("$2.00", "$10.00"), ("$7.20", "$36.00")]
    yield Mutation(
        "new section, 4 tabs over 3 tables", _g_insert(text, _g_section(G_STRIP, three)), text
    )


def _g_first_strip_section(text: str) -> tuple[int, int] | None:
    m = re.search(r"^## .*\n", text, re.M)
    while m:
        end = text.find("\n## ", m.end())
        end = len(text) if end < 0 else end + 1
        if "[Flex](" in text[m.start() : end]:
            return m.start(), end
        m = re.compile(r"^## .*\n", re.M).search(text, end)
    return None


def gemini_tabs(text: str) -> Iterator[Mutation]:
    span = _g_first_strip_section(text)
    if span is None:
        return
    a, b = span
    section = text[a:b]
    tables = [m for m in re.finditer(r"(?:^\|.*\n)+", section, re.M)]
    if len(tables) != 4:
        return
    batch, flex = tables[1], tables[2]
    moved = (
        section[: batch.start()]
        + flex.group(0)
        + section[batch.end() : flex.start()]
        + batch.group(0)
        + section[flex.end() :]
    )
    moved = re.sub(
        r"\[Batch\]\(([^)]*)\)\[Flex\]\(([^)]*)\)", r"[Flex](\2)[Batch](\1)", moved, count=1
    )
    yield Mutation("reordered tabs", text[:a] + moved + text[b:], text)


def gemini_threshold(text: str) -> Iterator[Mutation]:
    span = _g_first_strip_section(text)
    if span is None or "200k" not in text[span[0] : span[1]]:
        return
    a, b = span
    model = re.search(r"`([a-z0-9.\-]+)`", text[a:b])
    page = text[:a] + text[a:b].replace("200k", "272k") + text[b:]

    def expect(row: PriceRow) -> PriceRow:
        if model and row.model == model[1] and row.tier_min_prompt_tokens == 200_000:
            return replace(row, tier_min_prompt_tokens=272_000)
        return row

    yield Mutation("new tier threshold (> 272K)", page, text, expect=expect)


def gemini_per_1k(text: str) -> Iterator[Mutation]:
    span = _g_first_strip_section(text)
    if span is None:
        return
    a, b = span
    section = text[a:b].replace("per 1M tokens", "per 1K tokens")
    token_rows = ("| Input", "| Output", "| Context caching price")
    lines = [
        PER_TOKEN_PRICE_RE.sub(_div, ln) if ln.startswith(token_rows) else ln
        for ln in section.splitlines(keepends=True)
    ]
    yield Mutation(
        "prices per 1K instead of per 1M tokens", text[:a] + "".join(lines) + text[b:], text
    )


# OpenAI ---------------------------------------------------------------------------------


def openai_new_section(text: str) -> Iterator[Mutation]:
    if "\n## " not in text:
        return
    table = (
        "| Model | Input | Cached input | Output |\n| --- | --- | --- | --- |\n"
        "| gpt-9 | {0} | - | {1} |\n"
    )
    add = "\n## Frontier models\n\nStandard Batch\n\n{}\n{}\n"
    at = text.index("\n## ") + 1
    page = (
        text[:at]
        + add.format(table.format("$8.00", "$40.00"), table.format("$4.00", "$20.00"))
        + text[at:]
    )
    control = add.replace("Standard Batch\n\n{}\n{}", "Standard\n\n{}\nBatch\n\n{}")
    control_page = (
        text[:at]
        + control.format(table.format("$8.00", "$40.00"), table.format("$4.00", "$20.00"))
        + text[at:]
    )
    yield Mutation("new section, 2 tabs over 2 unlabelled tables", page, control_page)


def openai_tabs(text: str) -> Iterator[Mutation]:
    m = re.search(r"^Batch\n\n((?:\|.*\n)+)", text, re.M)
    p = re.search(r"^Priority\n\n((?:\|.*\n)+)", text, re.M)
    if not m or not p or p.start() < m.end():
        return
    page = text[: m.start()] + p.group(0) + text[m.end() : p.start()] + m.group(0) + text[p.end() :]
    yield Mutation("reordered tabs", page, text)


def openai_threshold(text: str) -> Iterator[Mutation]:
    sentence = (
        "\nFor models with a 1.05M context window (GPT-5.5 and GPT-5.4), prompts with >272K "
        "input tokens are priced at 2x input and 1.5x output for the full session.\n"
    )
    base = text if ">272K" in text else text + sentence
    page = base.replace(">272K", ">128K")
    yield Mutation(
        "new tier threshold (> 128K)", page, base, expect=_threshold_to(272_000, 128_000)
    )


def openai_per_1k(text: str) -> Iterator[Mutation]:
    m = re.search(r"^Prices per 1M tokens\.?\n", text, re.M)
    if not m:
        return
    end = text.find("\n## ", m.end())
    end = len(text) if end < 0 else end
    body = "".join(
        PRICE_RE.sub(_div, ln) if ln.startswith("|") else ln
        for ln in text[m.end() : end].splitlines(keepends=True)
    )
    page = text[: m.start()] + "Prices per 1K tokens.\n" + body + text[end:]
    yield Mutation("prices per 1K instead of per 1M tokens", page, text)


# Anthropic -------------------------------------------------------------------------------


def anthropic_new_section(text: str) -> Iterator[Mutation]:
    add = (
        "\n## Priority pricing\n\n| Model | Base Input Tokens | Output Tokens |\n"
        "| --- | --- | --- |\n"
        "| Claude Opus 9 | $20 / MTok | $100 / MTok |\n\n| Model | Batch input | Batch output |\n"
        "| --- | --- | --- |\n| Claude Opus 9 | $10 / MTok | $50 / MTok |\n"
    )
    yield Mutation("new section with two tables", text + add, text + add)


def anthropic_threshold(text: str) -> Iterator[Mutation]:
    if "200K" not in text:
        return
    yield Mutation(
        "new tier threshold (> 272K)",
        text.replace("200K", "272K"),
        text,
        expect=_threshold_to(200_000, 272_000),
    )


def anthropic_per_1k(text: str) -> Iterator[Mutation]:
    def per_k(m: re.Match[str]) -> str:
        return _div(m) + " / KTok"

    page = re.sub(r"\$\s*(\d[\d,]*(?:\.\d+)?) / MTok", per_k, text)
    yield Mutation("prices per 1K instead of per 1M tokens", page, text)


# DeepSeek --------------------------------------------------------------------------------


def deepseek_per_1k(text: str) -> Iterator[Mutation]:
    page = re.sub(r"\b1M ((?:INPUT |OUTPUT )?TOKENS)", r"1K \1", text)
    page = re.sub(
        r"(<td[^>]*>)(.*?)(</td>)",
        lambda m: m.group(1) + PRICE_RE.sub(_div, m.group(2)) + m.group(3),
        page,
        flags=re.S,
    )
    yield Mutation("prices per 1K instead of per 1M tokens", page, text)


def deepseek_new_section(text: str) -> Iterator[Mutation]:
    m = re.search(r"</table>", text)
    if not m:
        return
    extra = (
        "<table><tr><td>MODEL</td><td>deepseek-v9</td></tr>"
        "<tr><td>1M INPUT TOKENS (CACHE MISS)</td><td>$0.30</td><td>$0.60</td></tr></table>"
    )
    page = text[: m.end()] + extra + text[m.end() :]
    yield Mutation("new table with an unusual column count", page, text)


def deepseek_renamed_row(text: str) -> Iterator[Mutation]:
    page = re.sub(r"1M OUTPUT TOKENS", "1M COMPLETION TOKENS", text, count=1)
    if page != text:
        yield Mutation("renamed row label", page, text)


# xAI -------------------------------------------------------------------------------------


def xai_new_section(text: str) -> Iterator[Mutation]:
    add = (
        "\n### Reasoning API\n\n| Model | Context | Input | Output |\n| --- | --- | --- | --- |\n"
        "| grok-9 | 2M | $3.00 | $15.00 |\n\n| Model | Input | Output |\n| --- | --- | --- |\n"
        "| grok-9 | $1.50 $3.00 | $7.50 |\n"
    )
    if "### Chat API" not in text:
        return
    at = text.index("### Chat API")
    yield Mutation(
        "new section, two tables, one ambiguous",
        text[:at] + add + "\n" + text[at:],
        text[:at] + add.split("\n\n| Model | Input")[0] + "\n\n" + text[at:],
    )


def xai_per_1k(text: str) -> Iterator[Mutation]:
    m = re.search(r"^\| Model \| Context \| Input \| Output \|.*\n(?:\|.*\n)+", text, re.M)
    if not m or "Prices shown per million tokens" not in text:
        return
    table = PRICE_RE.sub(_div, m.group(0))
    page = (text[: m.start()] + table + text[m.end() :]).replace(
        "Prices shown per million tokens", "Prices shown per 1K tokens"
    )
    yield Mutation("prices per 1K instead of per 1M tokens", page, text)


ADAPTERS: dict[str, Adapter] = {
    "gemini-docs": Adapter(
        "Gemini 2.5 Pro", gemini_new_section, gemini_tabs, gemini_threshold, gemini_per_1k
    ),
    "openai-docs": Adapter(
        "Flagship models", openai_new_section, openai_tabs, openai_threshold, openai_per_1k
    ),
    "anthropic-docs": Adapter(
        "Batch processing",
        anthropic_new_section,
        threshold=anthropic_threshold,
        per_1k=anthropic_per_1k,
    ),
    "deepseek-docs": Adapter(
        "Pricing Details", deepseek_new_section, tabs=deepseek_renamed_row, per_1k=deepseek_per_1k
    ),
    "xai-docs": Adapter("Chat API", xai_new_section, per_1k=xai_per_1k),
}


def mutations(source: str, module: ModuleType, text: str) -> Iterator[Mutation]:
    adapter = ADAPTERS[source]
    yield from value_mutations(module, text)
    yield from column_mutations(text)
    yield from heading_mutation(text, adapter.heading)
    yield from format_mutations(text)
    for drift in (adapter.new_section, adapter.tabs, adapter.threshold, adapter.per_1k):
        yield from drift(text)


def run(pages: dict[str, tuple[ModuleType, tuple[str, ...]]], folder: Path) -> dict[str, Tally]:
    """Every mutation of every page, judged; a tally per source."""
    out: dict[str, Tally] = {}
    for source, (module, names) in pages.items():
        tally = out.setdefault(source, Tally())
        for name in names:
            text = (folder / name).read_text(encoding="utf-8")
            for m in mutations(source, module, text):
                tally.add(judge(module, m))
    return out


def table(tallies: dict[str, Tally]) -> str:
    lines = [
        "| parser | mutations tried | survived with correct rows | section rejected"
        " | page rejected | wrong |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for source, t in tallies.items():
        c = t.counts
        lines.append(
            f"| {source} | {t.tried} | {c['survived']} | {c['section rejected']} "
            f"| {c['page rejected']} | {c['wrong']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    tallies = run(CAPTURES, SAMPLES / "pages")
    print(table(tallies), end="")
    for source, t in tallies.items():
        for j in t.wrong:
            print(f"WRONG {source} {j.mutation.kind}: {j.detail}")


if __name__ == "__main__":
    main()

__all__ = ["CAPTURES", "FIXTURES", "FIXTURE_PAGES", "OUTCOMES", "run", "table"]
