"""A page (Markdown or HTML) as a flat list of blocks: headings, text lines and tables.

The official pricing pages come as Markdown (the providers' `.md` twins, or a browser
rendering to Markdown) or as HTML. Both are reduced to the same blocks so each page
parser reads one shape. Tables keep their header rows apart; HTML row/column spans are
expanded so every row has one cell per column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.errors import LayoutChanged
from extractors.pages.text import (
    decode_page,
    ensure_english,
    ensure_not_challenge,
    looks_like_html,
    normalize_space,
    strip_markdown_inline,
)

if TYPE_CHECKING:
    from bs4 import Tag


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[tuple[str, ...], ...]
    body: tuple[tuple[str, ...], ...]


Block = Heading | Text | Table

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SEPARATOR_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "svg", "template", "nav", "header", "footer", "aside"}
)
_BLOCK_TAGS = frozenset(
    {"p", "li", "dt", "dd", "pre", "blockquote", "figcaption", "caption", "summary", "hr"}
)
_HEADING_TAGS = {f"h{i}": i for i in range(1, 7)}


def page_blocks(source: str, payload: bytes) -> list[Block]:
    """Decode, refuse challenge pages, and split the page into blocks.

    Raises BadPayload (not UTF-8, empty), Blocked (challenge page) or LayoutChanged
    (a page with no content at all, or in another language).
    """
    text = decode_page(source, payload)
    ensure_not_challenge(source, text)
    ensure_english(source, text)
    blocks = html_blocks(text) if looks_like_html(text) else markdown_blocks(text)
    if not blocks:
        raise LayoutChanged(source, "page has no headings, text or tables")
    return blocks


# --- Markdown ---------------------------------------------------------------------------


def markdown_blocks(text: str) -> list[Block]:
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
        elif line.startswith("|"):
            j = _run_end(lines, i, lambda s: s.startswith("|"))
            blocks.extend(_markdown_table(lines[i:j]))
            i = j
        elif line.startswith("<") and not line.startswith("<http"):
            # HTML embedded in Markdown (tables, tab sections): parse that chunk as HTML.
            j = _html_chunk_end(lines, i)
            blocks.extend(html_fragment_blocks("\n".join(lines[i:j])))
            i = j
        elif m := _HEADING_RE.match(line):
            blocks.append(Heading(len(m[1]), strip_markdown_inline(m[2])))
            i += 1
        else:
            blocks.append(Text(_markdown_text(line)))
            i += 1
    return blocks


def _run_end(lines: list[str], start: int, keep: Callable[[str], bool]) -> int:
    j = start
    while j < len(lines) and keep(lines[j].strip()):
        j += 1
    return j


def _html_chunk_end(lines: list[str], start: int) -> int:
    if lines[start].strip().lower().startswith("<table"):
        for j in range(start, len(lines)):
            if "</table>" in lines[j].lower():
                return j + 1
        return len(lines)
    j = start + 1
    while j < len(lines) and lines[j].strip() and not lines[j].strip().startswith(("|", "#")):
        j += 1
    return j


def _markdown_text(line: str) -> str:
    """A text line with links reduced to their text; backticks and emphasis kept."""
    line = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", line)
    return normalize_space(re.sub(r"(?<!!)\[([^\]]*)\]\([^)]*\)", r"\1 ", line))


def _markdown_table(lines: list[str]) -> list[Block]:
    rows = [_markdown_cells(line) for line in lines]
    sep = next((k for k, line in enumerate(lines) if _SEPARATOR_RE.match(line.strip())), None)
    if sep is None:  # not a GFM table: keep the lines as text
        return [Text(_markdown_text(line)) for line in lines]
    return [Table(header=tuple(rows[:sep]), body=tuple(rows[sep + 1 :]))]


def _markdown_cells(line: str) -> tuple[str, ...]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    cells = re.split(r"(?<!\\)\|", inner)
    return tuple(strip_markdown_inline(c).replace("`", "") for c in cells)


# --- HTML -------------------------------------------------------------------------------


def html_blocks(text: str) -> list[Block]:
    from bs4 import BeautifulSoup, Tag  # 0.15-0.3 s: paid only when an HTML page is read

    soup = BeautifulSoup(text, "html.parser")
    root = soup.find("main") or soup.find("article") or soup.body or soup
    title = soup.find("title")
    blocks: list[Block] = []
    if isinstance(title, Tag) and title.get_text(strip=True):
        blocks.append(Text(normalize_space(title.get_text())))
    if isinstance(root, Tag):
        blocks.extend(_walk(root))
    return blocks


def html_fragment_blocks(fragment: str) -> list[Block]:
    from bs4 import BeautifulSoup

    return list(_walk(BeautifulSoup(fragment, "html.parser")))


def _walk(container: Tag) -> Iterator[Block]:
    """Blocks of a container in document order; inline runs become one Text each."""
    from bs4 import NavigableString, Tag

    inline: list[str] = []
    for child in container.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a Comment/Doctype/CData
                inline.append(str(child))
            continue
        if not isinstance(child, Tag) or child.name in _SKIP_TAGS:
            continue
        if _is_inline(child):
            inline.append(inline_text(child))
            continue
        yield from _flush(inline)
        if child.name in _HEADING_TAGS:
            yield Heading(_HEADING_TAGS[child.name], inline_text(child), str(child.get("id", "")))
        elif child.name == "table":
            yield html_table(child)
        elif child.name in _BLOCK_TAGS and not child.find(_block_or_table):
            text = inline_text(child)
            if text:
                yield Text(text)
        else:
            yield from _walk(child)
    yield from _flush(inline)


def _flush(inline: list[str]) -> Iterator[Block]:
    text = normalize_space("".join(inline))
    inline.clear()
    if text:
        yield Text(text)


def _block_or_table(tag: Tag) -> bool:
    return tag.name in _HEADING_TAGS or tag.name in {"table", "div", "section", "ul", "ol", "p"}


def _is_inline(tag: Tag) -> bool:
    if tag.name in _HEADING_TAGS or tag.name in _BLOCK_TAGS or tag.name == "table":
        return False
    if tag.name in {"div", "section", "article", "main", "ul", "ol", "dl", "details", "form"}:
        return False
    return not tag.find(_block_or_table)


def inline_text(tag: Tag) -> str:
    """Text of an element: <code> as `code`, <br> as a space, whitespace collapsed."""
    from bs4 import NavigableString, Tag

    parts: list[str] = []
    for node in tag.descendants:
        if isinstance(node, Tag):
            if node.name == "br":
                parts.append(" ")
            continue
        if type(node) is not NavigableString:
            continue
        parent = node.parent
        in_code = parent is not None and parent.name == "code"
        in_skipped = any(p.name in _SKIP_TAGS for p in node.parents if isinstance(p, Tag))
        if not in_skipped:
            parts.append(f"`{node}`" if in_code else str(node))
    return normalize_space("".join(parts))


def html_grid(table: Tag) -> list[list[Tag]]:
    """Rows of a <table> with rowspan/colspan expanded: a spanning cell is repeated."""
    grid: list[list[Tag]] = []
    pending: dict[tuple[int, int], Tag] = {}  # (row, col) -> cell still spanning into it
    for r, tr in enumerate(_rows(table)):
        row: list[Tag] = []
        cells = iter(tr.find_all(["td", "th"], recursive=False))
        col = 0
        while True:
            if (r, col) in pending:
                row.append(pending.pop((r, col)))
                col += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            for dc in range(colspan):
                row.append(cell)
                for dr in range(1, rowspan):
                    pending[(r + dr, col + dc)] = cell
            col += colspan
        grid.append(row)
    return grid


def _rows(table: Tag) -> list[Tag]:
    # Rows of this table only (not of nested tables), in document order.
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def _span(cell: Tag, attr: str) -> int:
    raw = str(cell.get(attr, "1")).strip()
    return max(1, min(int(raw), 50)) if raw.isdigit() else 1


def html_table(table: Tag) -> Table:
    grid = html_grid(table)
    trs = _rows(table)
    n_header = 0
    for tr in trs:
        in_thead = tr.find_parent("thead") is not None
        all_th = all(c.name == "th" for c in tr.find_all(["td", "th"], recursive=False))
        if not (in_thead or all_th):
            break
        n_header += 1
    rows = [tuple(inline_text(c).replace("`", "") for c in row) for row in grid]
    return Table(header=tuple(rows[:n_header]), body=tuple(rows[n_header:]))


# --- helpers for parsers ----------------------------------------------------------------


def sections(blocks: list[Block], level: int) -> list[tuple[Heading, list[Block]]]:
    """Split blocks at headings of `level` (or higher): each heading with what follows."""
    out: list[tuple[Heading, list[Block]]] = []
    for block in blocks:
        if isinstance(block, Heading) and block.level <= level:
            out.append((block, []))
        elif out:
            out[-1][1].append(block)
    return out


def find_column(header: tuple[str, ...], *names: str) -> int | None:
    """Index of the first header cell equal (case-insensitively) to one of `names`."""
    wanted = {n.lower() for n in names}
    for i, cell in enumerate(header):
        if cell.strip().lower() in wanted:
            return i
    return None
