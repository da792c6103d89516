"""A page's pricing text, normalised for diffing: what `thesis pages diff` compares.

The page is reduced to blocks (extractors.pages.doc), cut at its headings, and only the
parts that state a dollar amount are kept: one line per heading, text line or table row,
whitespace collapsed. Navigation, scripts and markup churn do not show up as changes;
a price, a new section or a renamed column does.
"""

from __future__ import annotations

from extractors.pages.doc import Block, Heading, Table, Text, page_blocks


def pricing_text(source: str, payload: bytes) -> str:
    """The pricing sections of a page as normalised lines. Raises BadPayload or Blocked
    when the payload is not a readable page."""
    parts: list[list[str]] = [[]]
    for block in page_blocks(source, payload):
        if isinstance(block, Heading):
            parts.append([f"{'#' * block.level} {block.text}"])
        else:
            parts[-1].extend(_lines(block))
    priced = [p for p in parts if any("$" in line for line in p[1:] or p)]
    return "\n".join(line for part in priced for line in part) + "\n"


def _lines(block: Block) -> list[str]:
    if isinstance(block, Text):
        return [block.text]
    if isinstance(block, Table):
        return ["| " + " | ".join(row) + " |" for row in (*block.header, *block.body)]
    return []
