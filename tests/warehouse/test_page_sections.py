"""Official pages in the warehouse: salvage per section, skipped sections, page diffs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb

from extractors.registry import get_source
from tests.paths import FIXTURES
from warehouse.load import Payload, load_payload, rebuild_source

GEMINI = get_source("gemini-docs")
DAY1 = datetime(2026, 6, 1, 12, tzinfo=UTC)
PAGE = (FIXTURES / "pages" / "gemini_pricing.md").read_text(encoding="utf-8")
STRIP = (
    "[Standard](https://ai.google.dev/gemini-api/docs/pricing#standard)"
    "[Batch](https://ai.google.dev/gemini-api/docs/pricing#batch)"
    "[Flex](https://ai.google.dev/gemini-api/docs/pricing#flex)"
    "[Priority](https://ai.google.dev/gemini-api/docs/pricing#priority)More"
)
TABLE = (
    "|  | Free Tier | Paid Tier, per 1M tokens in USD |\n| --- | --- | --- |\n"
    "| Input price | Not available | {0} |\n| Output price | Not available | {1} |\n"
)


def _new_section(name: str, model: str, tables: list[tuple[str, str]]) -> str:
    body = "\n".join(TABLE.format(*t) for t in tables)
    return f"## {name}\n\n_`{model}`_\n\n{STRIP}\n\n{body}\n"


def _with(section: str, page: str = PAGE) -> str:
    at = page.index("## Gemini 2.0 Flash")
    return page[:at] + section + "\n" + page[at:]


# Three tables under four tabs: which tab is missing cannot be told, so it is refused.
UNREADABLE = _new_section(
    "Gemini 9 Ultra",
    "gemini-9-ultra",
    [("$4.00", "$20.00"), ("$2.00", "$10.00"), ("$7.20", "$36.00")],
)


def _load(con: duckdb.DuckDBPyConnection, text: str, day: int) -> object:
    return load_payload(con, Payload(GEMINI, text.encode(), DAY1 + timedelta(days=day)))


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    return con.execute(sql).fetchall()


def test_a_page_with_one_unreadable_new_section_loads_every_other_model(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _load(con, PAGE, 0)
    before = _rows(con, "select count(*) from price_observations")
    result = _load(con, _with(UNREADABLE.replace("## Gemini 9", "## Gemini 9")), 1)
    assert result.status == "loaded"  # type: ignore[attr-defined]
    failures = _rows(con, "select section, heading, error_kind, models from page_section_failures")
    assert failures == [("Gemini 9 Ultra", "Gemini 9 Ultra", "layout_changed", ["gemini-9-ultra"])]
    # Nothing removed, nothing invented: the page's other models stand as they were.
    assert _rows(con, "select count(*) from price_observations") == before
    assert _rows(con, "select count(*) from price_observations where change = 'removed'") == [(0,)]


def test_a_section_that_stops_parsing_keeps_its_last_good_rows(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _load(con, PAGE, 0)
    broken = PAGE.replace(
        "[Flex](https://ai.google.dev/gemini-api/docs/pricing#flex)"
        "[Priority](https://ai.google.dev/gemini-api/docs/pricing#priority)",
        "",
        1,
    )  # 2.5 Pro: two tabs over four tables
    _load(con, broken.replace("$0.40 |", "$0.45 |", 1), 1)  # and 2.0 Flash's output rises
    assert _rows(con, "select count(*) from price_observations where change = 'removed'") == [(0,)]
    pro = _rows(
        con,
        "select usd_per_mtok from latest_prices where model = 'gemini-2.5-pro'"
        " and component = 'input' and service_tier = 'priority' and tier_min_prompt_tokens = 0",
    )
    assert [str(v) for (v,) in pro] == ["2.250000000"]
    flash = _rows(
        con,
        "select change, usd_per_mtok from price_observations where model = 'gemini-2.0-flash'"
        " and component = 'output' and service_tier = 'standard' order by observed_at",
    )
    assert [(c, str(v)) for c, v in flash] == [("new", "0.400000000"), ("changed", "0.450000000")]
    # Day 3: 2.5 Pro parses again, with the same prices: no change recorded for it.
    _load(con, PAGE.replace("$0.40 |", "$0.45 |", 1), 2)
    assert _rows(
        con,
        "select count(*) from price_observations where model = 'gemini-2.5-pro'"
        " and change <> 'new'",
    ) == [(0,)]


def test_a_changed_page_stores_a_diff_of_its_pricing_text(con: duckdb.DuckDBPyConnection) -> None:
    _load(con, PAGE, 0)
    _load(con, PAGE, 1)  # the same page again: no diff
    assert _rows(con, "select count(*) from page_diffs") == [(0,)]
    _load(con, _with(UNREADABLE), 2)
    [(source, added, removed, diff)] = _rows(
        con, "select source, lines_added, lines_removed, diff from page_diffs"
    )
    assert (source, removed) == ("gemini-docs", 0)
    assert "+## Gemini 9 Ultra" in diff and "+| Input price | Not available | $4.00 |" in diff
    assert added == sum(
        1 for line in diff.splitlines() if line.startswith("+") and line[1:2] != "+"
    )
    assert diff.startswith("--- gemini-docs 2026-06-02 12:00Z\n+++ gemini-docs 2026-06-03 12:00Z")


def test_a_page_that_halves_is_broken_and_its_alert_points_at_the_diff(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _load(con, PAGE, 0)
    half = PAGE[: PAGE.index("## Gemini 2.0 Flash")]  # only 2.5 Pro is left of five models
    result = _load(con, half, 1)
    assert result.status == "failed"  # type: ignore[attr-defined]
    error = result.error  # type: ignore[attr-defined]
    assert error.kind == "suspicious_shrink"
    assert error.reason.endswith(
        "what changed on the page: `thesis pages diff gemini-docs --since 2026-06-02`"
    )
    assert _rows(con, "select count(*) from page_diffs") == [(1,)]
    assert _rows(con, "select count(*) from price_observations where change = 'removed'") == [(0,)]


def test_a_page_that_doubles_loads_the_new_models(con: duckdb.DuckDBPyConnection) -> None:
    _load(con, PAGE, 0)
    more = "".join(
        _new_section(f"Gemini 9.{n} Flash", f"gemini-9.{n}-flash", [(f"${n}.00", f"${n}.50")])
        for n in range(1, 6)
    )
    result = _load(con, _with(more), 1)
    assert result.status == "loaded" and result.models == 10  # type: ignore[attr-defined]
    new = _rows(
        con, "select count(distinct model) from price_observations where model like 'gemini-9%'"
    )
    assert new == [(5,)]


def test_a_rebuild_rewrites_the_page_records_once(con: duckdb.DuckDBPyConnection) -> None:
    _load(con, PAGE, 0)
    _load(con, _with(UNREADABLE), 1)
    counts = (
        "select (select count(*) from page_diffs), (select count(*) from page_section_failures)"
    )
    assert _rows(con, counts) == [(1, 1)]
    rebuild_source(con, GEMINI)
    assert _rows(con, counts) == [(1, 1)]


def test_a_page_seen_again_unchanged_repeats_its_outcome_and_confirms_its_prices(
    con: duckdb.DuckDBPyConnection,
) -> None:
    page = _with(UNREADABLE)
    entries = GEMINI.split(page.encode())
    skipped = [
        (e.failure.section, e.failure.kind, list(e.failure.models))
        for e in entries.values()
        if getattr(e, "failure", None) is not None
    ]
    assert skipped == [("Gemini 9 Ultra", "layout_changed", ["gemini-9-ultra"])]
    _load(con, page, 0)
    again = _load(con, page, 1)  # a 304, or the same bytes fetched again
    assert again.status == "loaded"  # type: ignore[attr-defined]
    snapshots = _rows(
        con,
        "select cast(observed_at as date), status, models, price_rows, limit_rows"
        " from snapshots order by observed_at",
    )
    models = GEMINI.count_models(entries)
    assert [s[2] for s in snapshots] == [models, models]
    assert snapshots[1][1:] == ("loaded", models, 0, 0)
    # What the split says of the page (the section it skips) holds for the repeat too,
    # so a section skipped day after day is seen to be.
    failures = _rows(
        con,
        "select cast(observed_at as date), section, error_kind, models"
        " from page_section_failures order by observed_at",
    )
    assert [f[1:] for f in failures] == [tuple(s) for s in skipped] * 2
    assert _rows(con, "select count(*) from page_diffs") == [(0,)]
    # The repeat is the second snapshot that carries each price: it confirms them.
    states = _rows(
        con,
        "select day, state, count(*) from price_series where model = 'gemini-2.5-pro'"
        " group by all order by all",
    )
    assert [(d.day, s) for d, s, _ in states] == [(1, "pending"), (2, "confirmed")]
