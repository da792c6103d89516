"""The page escapes every piece of text (model names are scraped third-party strings),
keeps only http(s) links, inlines the runtime once and offers a CSV download per chart."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html.parser import HTMLParser

from reporting.figures import new_figure
from reporting.page import render
from reporting.section import Entry, Section, table
from reporting.timeline import Timeline

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
WHEN = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


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
        caption=HOSTILE,
        chart=new_figure("x", "t"),
        notes=(HOSTILE,),
        table=table(("model", HOSTILE), [(HOSTILE, 1.5)]),
        entries=(Entry(anchor='a" onclick="x', heading=HOSTILE, body=HOSTILE),),
    )
    html = render([section], None, HOSTILE, WHEN)
    tags = page_tags(html)
    assert not [t for t, a in tags if t == "img"]  # the hostile <img> never became a tag
    assert all(t != "script" or not a for t, a in tags)  # no script with attributes (src)
    (button,) = [a for t, a in tags if t == "button"]
    assert button["data-chart"] == 'x" onmouseover="alert(1)'  # one attribute, not two
    assert not [k for _, a in tags for k in a if k.startswith("on")]  # no event handler
    assert ("div", {"id": 'a" onclick="x'}) in tags
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_only_http_links_are_kept() -> None:
    entries = (
        Entry("alert-1", "h", "b", url="javascript:alert(1)"),
        Entry("alert-2", "h", "b", url="https://api-docs.deepseek.com/quick_start/pricing"),
    )
    section = Section(id="s", title="t", caption="c", chart=new_figure("s", "t"), entries=entries)
    links = [a["href"] for t, a in page_tags(render([section], None, "w", WHEN)) if t == "a"]
    assert links == ["#s", "https://api-docs.deepseek.com/quick_start/pricing"]


def test_the_runtime_is_inlined_once_for_every_chart() -> None:
    sections = [
        Section(id=f"s{i}", title="t", caption="c", chart=new_figure(f"s{i}", "t"))
        for i in range(3)
    ]
    html = render(sections, None, "w", WHEN)
    assert html.count("/* BEGIN bokeh.min.js */") == 1
    assert [a.get("data-chart") for t, a in page_tags(html) if t == "button"] == ["s0", "s1", "s2"]
    assert "window.thesisCsv = function" in html


def test_a_section_without_a_chart_says_why_instead() -> None:
    section = Section(id="s", title="t", caption="c", notes=("no data yet: `x` is empty", "more"))
    html = render([section], None, "w", WHEN)
    assert '<div class="empty">no data yet: `x` is empty</div>' in html
    assert '<p class="note">more</p>' in html
    assert "<button" not in html and "bokeh.min.js" not in html  # nothing to draw, no runtime


def test_the_date_selector_heads_the_page_when_there_are_time_charts() -> None:
    timeline = Timeline()
    fig = timeline.figure("s", "t", "y")
    timeline.cover([date(2024, 1, 1), date(2026, 11, 17)])
    html = render(
        [Section(id="s", title="t", caption="c", chart=fig)], timeline.selector(), "w", WHEN
    )
    dates = html.index('<div class="dates">')
    assert html.index("data-root-id", dates) < html.index("<nav>")


def test_numbers_are_right_aligned_and_missing_cells_dashed() -> None:
    section = Section(
        id="s", title="t", caption="c", table=table(("a", "b", "c"), [("gpt-4o", 128_000, None)])
    )
    html = render([section], None, "/tmp/w.duckdb", WHEN)
    assert '<td>gpt-4o</td><td class="num">128,000</td><td>—</td>' in html


def test_long_tables_say_how_many_rows_were_left_out() -> None:
    rows = [(f"m{i}", i) for i in range(45)]
    section = Section(id="s", title="t", caption="c", table=table(("m", "n"), rows, limit=40))
    html = render([section], None, "w", WHEN)
    assert html.count("<tr><td>") == 40
    assert "… and 5 more rows" in html
