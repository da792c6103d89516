"""The report built from real warehouses: one self-contained page, each chart's data as the
confirmation rule leaves it, tables with the fixture figures, and words, not blank panels,
where there is nothing to draw."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

import duckdb
import pytest
from bokeh.models import ColumnDataSource, OpenURL, TapTool

from extractors.registry import get_source
from pipeline.history import import_snapshots
from pipeline.report import build_report
from reporting.build import Report, draw
from reporting.figures import CSV_TAG
from reporting.page import problems
from reporting.read import read
from reporting.section import Section
from tests.paths import FIXTURES
from warehouse.db import connect
from warehouse.tables import ENDPOINT_OBSERVATIONS, EndpointObservationRow
from warehouse.write import insert_rows

NOW = datetime(2024, 10, 6, 8, 30, tzinfo=UTC)
CHARTS = (
    "price-history",
    "spreads",
    "context-tiers",
    "context-ceilings",
    "context-frontier",
    "roofline",
    "implied-margin",
    "host-throughput",
    "memory-vs-capex",
)
NOT_DRAWN = ("host-throughput",)  # the fixture has no endpoint observations
FIVE_MB = 5 * 1024 * 1024


@pytest.fixture(scope="module")
def report(shared_full: Path, tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The report of the full fixture warehouse, built once for the read-only tests."""
    return build_report(shared_full, tmp_path_factory.mktemp("report"), now=NOW)


def section(sections: tuple[Section, ...], id_: str) -> Section:
    (found,) = [s for s in sections if s.id == id_]
    return found


def csv_rows(s: Section) -> list[dict[str, Any]]:
    """The rows the section's CSV download writes, read from the chart's data sources."""
    assert s.chart is not None
    rows: list[dict[str, Any]] = []
    for model in s.chart.references():
        if isinstance(model, ColumnDataSource) and model.tags[:2] == [CSV_TAG, s.id]:
            names = [c[0] for c in model.tags[2]]
            data = model.data
            rows += [{n: data[n][i] for n in names} for i in range(len(data[names[0]]))]
    return rows


def with_file(tmp_path: Path, db: Path, source: str, name: str, text: str) -> None:
    folder = tmp_path / f"{source}-import"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    con = connect(db)
    try:
        import_snapshots(con, get_source(source), folder)
    finally:
        con.close()


def test_one_page_with_every_chart_and_the_runtime_inlined_once(report: Report) -> None:
    html = report.index.read_text(encoding="utf-8")
    assert [s.id for s in report.sections] == list(CHARTS)
    drawn = [s.id for s in report.sections if s.drawn]
    assert drawn == [c for c in CHARTS if c not in NOT_DRAWN]
    for chart in drawn:
        assert f'data-chart="{chart}"' in html  # its CSV button
    assert "<script src=" not in html and "cdn.bokeh.org" not in html  # offline
    assert html.count("/* BEGIN bokeh.min.js */") == 1  # one runtime for every chart
    assert "/* BEGIN bokeh-mathjax.min.js */" not in html  # only the parts the charts use
    assert report.size_bytes == len(html.encode()) < FIVE_MB
    assert list(report.index.parent.iterdir()) == [report.index]


def test_header_names_the_warehouse_and_the_generation_time(
    report: Report, shared_full: Path
) -> None:
    html = report.index.read_text(encoding="utf-8")
    assert f"<code>{shared_full}</code>" in html
    assert "Generated: 2024-10-06 08:30 UTC" in html


def test_price_table_shows_the_current_confirmed_prices(report: Report) -> None:
    prices = section(report.sections, "price-history")
    assert prices.table is not None
    rows = {row[1]: row for row in prices.table.rows}
    # GPT-4o was cut from $5/$15 to $2.50/$10 (two confirmed changes).
    assert rows["gpt-4o"][2:5] == (2.5, 10.0, 2)
    # Claude's one-day $30 input typo reverted: no change, and it is said, not drawn.
    # The charts name canonical models (its dated key is an alias).
    assert rows["claude-3-5-sonnet"][2:5] == (3.0, 15.0, 0)
    assert "claude-3-5-sonnet input 30 USD/Mtok on 2024-10-04 (litellm)" in (prices.notes[0])


def test_the_reverted_typo_is_not_in_the_chart_data(report: Report) -> None:
    prices = section(report.sections, "price-history")
    claude = [r for r in csv_rows(prices) if r["model"] == "claude-3-5-sonnet"]
    # Seen once on 2024-09-01 (pending), confirmed by the next snapshot; never $30.
    assert {(r["metric"], r["value"], r["state"]) for r in claude} == {
        ("input", 3.0, "pending"),
        ("input", 3.0, "confirmed"),
        ("output", 15.0, "pending"),
        ("output", 15.0, "confirmed"),
    }


def test_a_price_seen_once_then_replaced_is_an_unconfirmed_point(
    report: Report,
) -> None:
    prices = section(report.sections, "price-history")
    gemini = [
        (r["value"], r["state"])
        for r in csv_rows(prices)
        if r["model"] == "gemini-1.5-pro" and r["metric"] == "input"
    ]
    # $3.50 on the one 2024-09-01 snapshot, then the $1.25 cut: pending on its first
    # snapshot, confirmed by the second (the series' rule is causal).
    assert gemini == [(3.5, "pending"), (1.25, "pending"), (1.25, "confirmed")]


def test_one_snapshot_of_a_second_source_adds_points_never_a_blank_panel(
    prices_only: Path, tmp_path: Path
) -> None:
    genai = FIXTURES / "alerts" / "genai_prices" / "2024-10-04T180000_genai.json"
    with_file(tmp_path, prices_only, "genai-prices", genai.name, genai.read_text())
    prices = section(build_report(prices_only, tmp_path / "r", now=NOW).sections, "price-history")
    rows = csv_rows(prices)
    assert {r["model"] for r in rows} == {"gpt-4o", "claude-3-5-sonnet", "gemini-1.5-pro"}
    gpt = [(r["value"], r["state"], r["source"]) for r in rows if r["model"] == "gpt-4o"]
    # genai-prices is trusted over LiteLLM and agrees with it: confirmed at once.
    assert (2.5, "confirmed", "genai-prices") in gpt
    # The one dispute: LiteLLM's $30 typo against genai-prices' $3 for Claude that day;
    # the value drawn is genai-prices', flagged, and the typo is no price.
    disputed = [(r["model"], r["value"], r["note"]) for r in rows if r["state"] == "disputed"]
    assert disputed == [("claude-3-5-sonnet", 3.0, "disputed by litellm")]
    assert not [r for r in rows if r["value"] == 30.0]


def test_sources_that_disagree_make_a_disputed_point(prices_only: Path, tmp_path: Path) -> None:
    data = (
        '[{"id": "openai", "name": "OpenAI", "api_pattern": "x", "models": [{"id": "gpt-4o",'
        ' "match": {"equals": "gpt-4o"}, "prices": {"input_mtok": 3, "output_mtok": 10}}]}]'
    )
    with_file(tmp_path, prices_only, "genai-prices", "2024-10-05T180000_genai.json", data)
    prices = section(build_report(prices_only, tmp_path / "r", now=NOW).sections, "price-history")
    disputed = [r for r in csv_rows(prices) if r["state"] == "disputed"]
    assert [(r["model"], r["metric"], r["value"], r["note"]) for r in disputed] == [
        ("gpt-4o", "input", 3.0, "disputed by litellm")
    ]
    assert prices.table is not None  # the disputed value is not taken as the price
    assert {row[1]: row[2] for row in prices.table.rows}["gpt-4o"] == 2.5


def test_spreads_are_read_against_the_theses_band(report: Report) -> None:
    spreads = section(report.sections, "spreads")
    assert spreads.table is not None
    assert {row[1]: (row[3], row[5]) for row in spreads.table.rows} == {
        "gpt-4o": (4.0, "inside"),
        "claude-3-5-sonnet": (5.0, "inside"),
        "gemini-1.5-pro": (4.0, "inside"),
    }
    assert "Band: 3x to 8x (theses.toml, trigger frontier-spread-band)." in spreads.notes


def test_a_narrower_band_in_a_theses_file_moves_models_outside(
    shared_full: Path, tmp_path: Path
) -> None:
    theses = tmp_path / "theses.toml"
    theses.write_text(
        '[[trigger]]\nid = "tight"\nkind = "spread_change"\n'
        "[trigger.params]\nband_low = 4.5\nband_high = 6\n",
        encoding="utf-8",
    )
    report = build_report(shared_full, tmp_path / "r", theses_path=theses, now=NOW)
    spreads = section(report.sections, "spreads")
    assert spreads.facts["outside_band"] == 2  # the two 4x spreads
    assert spreads.table is not None
    assert {row[1]: row[5] for row in spreads.table.rows}["gpt-4o"] == "below"


def test_alerts_are_markers_that_link_to_their_text(report: Report) -> None:
    spreads = section(report.sections, "spreads")
    headings = [(e.anchor, e.heading) for e in spreads.entries]
    assert ("alert-1", "2024-10-04 · warning · frontier-spread-band") in headings
    assert any("gpt-4o input price cut: 5 → 2.5 USD/Mtok" in e.body for e in spreads.entries)
    assert spreads.chart is not None
    taps = [m for m in spreads.chart.references() if isinstance(m, TapTool)]
    assert [t.callback.url for t in taps if isinstance(t.callback, OpenURL)] == ["#@anchor"]
    marks = [
        m
        for m in spreads.chart.references()
        if isinstance(m, ColumnDataSource) and "anchor" in m.data
    ]
    anchors = sorted(marks[0].data["anchor"])
    assert anchors == sorted(e.anchor for e in spreads.entries)
    html = report.index.read_text(encoding="utf-8")
    assert all(f'id="{a}"' in html for a in anchors)


def test_long_context_tier_of_gemini_is_tabled(report: Report) -> None:
    tiers = section(report.sections, "context-tiers")
    assert tiers.table is not None
    # Gemini 1.5 Pro above 128k: $2.50 vs $1.25 input, $10 vs $5 output.
    assert set(tiers.table.rows) == {
        ("google", "input", 128_000, 2.0, 1, "gemini-1.5-pro"),
        ("google", "output", 128_000, 2.0, 1, "gemini-1.5-pro"),
    }


def test_context_ceiling_per_lab_is_its_largest_window(report: Report) -> None:
    sections = report.sections
    ceilings = section(sections, "context-ceilings")
    assert ceilings.table is not None
    assert {row[0]: row[1:3] for row in ceilings.table.rows} == {
        "openai": (128_000, "gpt-4o"),
        "anthropic": (200_000, "claude-3-5-sonnet-20240620"),
        "google": (2_097_152, "gemini-1.5-pro"),
    }
    frontier = section(sections, "context-frontier")
    assert frontier.table is not None
    google = {row[1]: row[2] for row in frontier.table.rows if row[0] == "google"}
    assert google == {
        "context ceiling": 2_097_152,
        "long-context tier from 128,000 tokens": 128_000,
    }


def test_roofline_places_models_the_inversion_solved(report: Report) -> None:
    roofline = section(report.sections, "roofline")
    assert roofline.table is not None
    # One stand-in per model is placed (deepseek-v3.2, the first): the 4x and 5x ratios
    # solve on the GB200 and Trainium2 references.
    rows = {row[1]: row for row in roofline.table.rows}
    assert set(rows) == {"gpt-4o", "claude-3-5-sonnet"}
    assert rows["claude-3-5-sonnet"][2] == "trainium2"
    for _provider, _model, _chip, batch, *_rest, share, bound in rows.values():
        assert isinstance(batch, float) and batch > 1
        assert bound == "memory"
        assert isinstance(share, str) and int(share.rstrip("%")) < 100  # left of the ridge
    # Gemini's 4x needs more sequences than 8 TPU7x hold: said, not drawn.
    assert any("hbm-capped" in n and "gemini-1.5-pro" in n for n in roofline.notes)
    kinds = sorted(r["kind"] for r in csv_rows(roofline))
    assert kinds == ["chip", "chip", "operating point", "operating point"]


def test_memory_chart_uses_full_hyperscaler_years(report: Report) -> None:
    memory = section(report.sections, "memory-vs-capex")
    assert memory.table is not None
    capex = [row for row in memory.table.rows if str(row[0]).startswith("hyperscaler")]
    assert [(row[2], row[5]) for row in capex] == [("2023-12-31", "—"), ("2024-12-31", "+55.0%")]
    margins = {(row[0], row[2]): row[3] for row in memory.table.rows if "margin" in str(row[0])}
    assert margins[("Micron gross margin", "2024-08-29")] == "35.3%"


def test_host_throughput_without_endpoint_rows_says_there_is_no_throughput_yet(
    report: Report,
) -> None:
    html = report.index.read_text(encoding="utf-8")
    (why,) = section(report.sections, "host-throughput").notes
    assert why == (
        "no data yet: `openrouter_endpoints_daily` has no throughput with a positive output"
        " price (throughput needs OPENROUTER_API_KEY)"
    )
    assert f'<div class="empty">{escape(why)}</div>' in html


def with_table(warehouse: Path, tmp_path: Path, sql: str) -> Path:
    """A copy of the warehouse with one more relation, as another part would write it."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(warehouse, db)
    con = connect(db)
    try:
        con.execute(sql)
    finally:
        con.close()
    return db


def test_the_margin_band_chart_draws_the_stored_stand_in_bands(
    report: Report, shared_full: Path
) -> None:
    # The fixture's inversion stores a serving-margin band per model (migration 008's
    # implied_margin_daily); the chart draws exactly those bands.
    con = connect(shared_full, read_only=True)
    try:
        stored = con.execute(
            "select provider, model, margin_low, margin_high from implied_margin_daily"
            " where margin_low is not null order by provider, model, day"
        ).fetchall()
    finally:
        con.close()
    margin = section(report.sections, "implied-margin")
    assert margin.drawn and margin.facts == {
        "models": len({r[:2] for r in stored}),
        "providers": len({r[0] for r in stored}),
    }
    drawn = [(r["provider"], r["model"], r["low"], r["high"]) for r in csv_rows(margin)]
    assert sorted(drawn) == sorted(tuple(r) for r in stored) and stored
    assert all(low <= high for *_key, low, high in drawn)


def _endpoint(host: str, key: str, usd: str, tokens_per_s: float | None) -> EndpointObservationRow:
    return EndpointObservationRow(
        day=date(2026, 8, 15),
        source="openrouter-endpoints",
        source_model_key="deepseek/deepseek-chat-v3-0324",
        endpoint_key=key,
        host=host,
        endpoint_name=f"{host} | deepseek/deepseek-chat-v3-0324",
        quantization="fp8",
        context_tokens=163840,
        max_output_tokens=None,
        max_prompt_tokens=None,
        output_usd_per_mtok=Decimal(usd),
        throughput_p50_tokens_per_s=tokens_per_s,
        snapshot_id="s",
        observed_at=datetime(2026, 8, 15, 6, tzinfo=UTC),
    )


def test_the_throughput_chart_draws_the_stored_endpoint_observations(
    shared_full: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(shared_full, db)
    con = connect(db)
    try:
        insert_rows(
            con,
            ENDPOINT_OBSERVATIONS,
            [
                _endpoint("Chutes", "chutes", "0.8", 60.0),
                _endpoint("Baseten", "baseten", "1.0", 150.0),
                _endpoint("Baseten", "baseten#2", "1.2", 120.0),  # a second Baseten endpoint
                _endpoint("Nebius", "nebius", "1.5", None),  # no throughput stated: no point
            ],
        )
    finally:
        con.close()
    hosts = section(build_report(db, tmp_path / "r", now=NOW).sections, "host-throughput")
    assert hosts.facts == {"models": 1, "hosts": 3}
    assert sorted((r["host"], r["per_dollar"]) for r in csv_rows(hosts)) == [
        ("Baseten", 150.0),
        ("Baseten #2", 100.0),
        ("Chutes", 75.0),
    ]


def test_a_contract_relation_missing_a_column_is_named(shared_full: Path, tmp_path: Path) -> None:
    db = with_table(
        shared_full,
        tmp_path,
        "drop view implied_margin_daily;"
        " create table implied_margin_daily (day date, provider varchar)",
    )
    margin = section(build_report(db, tmp_path / "r", now=NOW).sections, "implied-margin")
    assert margin.notes == (
        "no data yet: `implied_margin_daily` has no column model, margin_low, margin_high",
    )


def test_empty_warehouse_gives_words_not_charts(empty: Path, tmp_path: Path) -> None:
    report = build_report(empty, tmp_path / "r", now=NOW)
    for s in report.sections:
        if s.id == "roofline":
            continue  # the reference chips' rooflines need no data
        assert not s.drawn
        assert s.notes and s.notes[0].startswith("no data yet: ")
    roofline = section(report.sections, "roofline")
    assert roofline.drawn
    assert roofline.notes[0] == "no data yet: `inferences` has no effective_decode_batch rows"
    html = report.index.read_text(encoding="utf-8")
    assert html.count('<div class="empty">no data yet: ') == len(CHARTS) - 1
    assert 'name="date-selector"' not in html  # no time chart, no date range


def test_progress_is_told_after_the_reading_each_chart_and_the_page(
    empty: Path, tmp_path: Path
) -> None:
    told: list[tuple[int, int]] = []
    build_report(empty, tmp_path / "r", now=NOW, progress=lambda d, t: told.append((d, t)))
    steps = 1 + len(CHARTS) + 1
    assert told == [(done, steps) for done in range(1, steps + 1)]


def test_unmigrated_database_says_which_relation_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "bare.duckdb"
    duckdb.connect(str(path)).close()  # a DuckDB file, but not a thesis warehouse
    report = build_report(path, tmp_path / "r", now=NOW)
    notes = {s.id: s.notes[0] for s in report.sections}
    assert notes["price-history"] == (
        "no data yet: `price_series_daily` does not exist in this warehouse"
    )
    assert notes["memory-vs-capex"] == (
        "no data yet: `memory_margins` does not exist in this warehouse"
    )
    assert notes["roofline"].startswith("no data yet: `inferences` does not exist")


def test_images_of_an_older_static_report_are_removed(prices_only: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    out.mkdir()
    (out / "spreads.png").write_bytes(b"\x89PNG")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    build_report(prices_only, out, now=NOW)
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "notes.txt"]


def test_missing_warehouse_is_a_typed_error(tmp_path: Path) -> None:
    from core.errors import WarehouseMissing

    with pytest.raises(WarehouseMissing):
        build_report(tmp_path / "nope.duckdb", tmp_path / "r", now=NOW)


def test_bokeh_finds_nothing_wrong_with_the_charts(shared_full: Path) -> None:
    """Bokeh's own integrity checks (the page build skips them for speed)."""
    con = duckdb.connect(str(shared_full), read_only=True)
    try:
        sections, selector = draw(read(con))
    finally:
        con.close()
    roots = [s.chart for s in sections if s.chart is not None]
    assert selector is not None
    assert problems([*roots, selector]) == []
