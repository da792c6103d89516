"""The page escapes every piece of text: model names are scraped third-party strings."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser

from reporting.page import render
from reporting.section import Section, table

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def page_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_hostile_text_in_every_field_stays_text() -> None:
    section = Section(
        id='x" onmouseover="alert(1)',
        title=HOSTILE,
        lede=HOSTILE,
        image='a.png" onerror="alert(2)',
        alt=HOSTILE,
        notes=(HOSTILE,),
        table=table(("model", HOSTILE), [(HOSTILE, 1.5)]),
    )
    html = render([section], HOSTILE, datetime(2026, 1, 2, 3, 4, tzinfo=UTC))
    tags = page_tags(html)
    assert [t for t, _ in tags].count("script") == 0
    (img,) = [attrs for tag, attrs in tags if tag == "img"]
    assert img["src"] == 'a.png" onerror="alert(2)'  # one attribute value, not two
    assert img["onerror"] == "this.dataset.loaded='error'"
    assert img["alt"] == HOSTILE
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_numbers_are_right_aligned_and_missing_cells_dashed() -> None:
    section = Section(
        id="s", title="t", lede="l", table=table(("a", "b", "c"), [("gpt-4o", 128_000, None)])
    )
    html = render([section], "/tmp/w.duckdb", datetime(2026, 1, 2, tzinfo=UTC))
    assert '<td>gpt-4o</td><td class="num">128,000</td><td>—</td>' in html


def test_long_tables_say_how_many_rows_were_left_out() -> None:
    rows = [(f"m{i}", i) for i in range(45)]
    section = Section(id="s", title="t", lede="l", table=table(("m", "n"), rows, limit=40))
    html = render([section], "w", datetime(2026, 1, 2, tzinfo=UTC))
    assert html.count("<tr><td>") == 40
    assert "… and 5 more rows" in html
