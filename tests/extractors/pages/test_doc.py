"""Pages as blocks: Markdown and HTML reduce to the same headings, text and tables."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from extractors.pages.doc import (
    Heading,
    Table,
    Text,
    html_blocks,
    html_grid,
    markdown_blocks,
    sections,
)


def test_markdown_blocks() -> None:
    blocks = markdown_blocks(
        "# Title\n\nSome [link](https://x.test) text\n\n"
        "| Model | Input |\n| --- | --- |\n| `gpt-5` | $1.25 |\n\n## Next\n"
    )
    assert blocks == [
        Heading(1, "Title"),
        Text("Some link text"),
        Table(header=(("Model", "Input"),), body=(("gpt-5", "$1.25"),)),
        Heading(2, "Next"),
    ]


def test_html_embedded_in_markdown_is_parsed_as_html() -> None:
    blocks = markdown_blocks(
        "### Long context\n\n<table>\n<tr><th>A</th><th>&gt; 200K</th></tr>\n"
        "<tr><td>Input: $3</td><td>Input: $6</td></tr>\n</table>\n"
    )
    assert blocks[1] == Table(header=(("A", "> 200K"),), body=(("Input: $3", "Input: $6"),))


def test_html_blocks_render_code_and_skip_navigation() -> None:
    blocks = html_blocks(
        "<html><head><title>T</title></head><body><nav><h2>Menu</h2></nav><main>"
        "<div><h2 id='m'>Model</h2><em><code>gemini-2.5-pro</code></em></div>"
        "<section><h3>Batch</h3><table><thead><tr><th>x</th></tr></thead>"
        "<tbody><tr><td>$1</td></tr></tbody></table></section></main></body></html>"
    )
    assert blocks == [
        Text("T"),
        Heading(2, "Model", "m"),
        Text("`gemini-2.5-pro`"),
        Heading(3, "Batch"),
        Table(header=(("x",),), body=(("$1",),)),
    ]


def test_grid_expands_row_and_column_spans() -> None:
    soup = BeautifulSoup(
        "<table><tr><td colspan=2>MODEL</td><td>a</td><td>b</td></tr>"
        "<tr><td rowspan=2>PRICING</td><td>hit</td><td>1</td><td>2</td></tr>"
        "<tr><td>miss</td><td colspan=2>3</td></tr></table>",
        "html.parser",
    )
    table = soup.find("table")
    assert isinstance(table, Tag)
    text = [[c.get_text() for c in row] for row in html_grid(table)]
    assert text == [
        ["MODEL", "MODEL", "a", "b"],
        ["PRICING", "hit", "1", "2"],
        ["PRICING", "miss", "3", "3"],
    ]


def test_sections_split_at_headings() -> None:
    blocks = [Heading(2, "A"), Text("x"), Heading(3, "B"), Heading(2, "C")]
    assert sections(blocks, 2) == [
        (Heading(2, "A"), [Text("x"), Heading(3, "B")]),
        (Heading(2, "C"), []),
    ]
