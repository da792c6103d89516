"""The history import use case: observations dated by file name, idempotent, order-proof."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from extractors.registry import get_source
from pipeline.history import import_history, import_snapshots, observed_at_from_name
from warehouse.db import connection

LITELLM = get_source("litellm")


def _history(con: duckdb.DuckDBPyConnection, key: str, component: str) -> list[tuple]:
    return con.execute(
        "select usd_per_mtok, cast(valid_from as date), cast(valid_to as date) from price_history"
        " where source_model_key = ? and component = ? and service_tier = 'standard'"
        " and tier_min_prompt_tokens = 0 order by valid_from",
        [key, component],
    ).fetchall()


def test_file_names_give_the_observation_time() -> None:
    assert observed_at_from_name("2023-11-03T171521_0.12.12.json.gz") == datetime(
        2023, 11, 3, 17, 15, 21, tzinfo=UTC
    )
    assert observed_at_from_name("2024-10-02.json") == datetime(2024, 10, 2, tzinfo=UTC)
    assert observed_at_from_name("20241002T0930_x.json") == datetime(2024, 10, 2, 9, 30, tzinfo=UTC)
    assert observed_at_from_name("README.md") is None
    assert observed_at_from_name("2024-13-40.json") is None


def test_price_history_shows_each_change_with_the_dates_it_held(
    con: duckdb.DuckDBPyConnection, history: Path
) -> None:
    result = import_snapshots(con, LITELLM, history)
    assert result.count("loaded") == 5
    assert result.skipped_files == ["README.md"]
    assert _history(con, "gpt-4o", "input") == [
        (Decimal("5.000000000"), datetime(2024, 9, 1).date(), datetime(2024, 10, 3).date()),
        (Decimal("2.500000000"), datetime(2024, 10, 3).date(), None),
    ]
    # The one-day typo is history too: it held for exactly one snapshot.
    assert _history(con, "claude-3-5-sonnet-20240620", "input") == [
        (Decimal("3.000000000"), datetime(2024, 9, 1).date(), datetime(2024, 10, 4).date()),
        (Decimal("30.000000000"), datetime(2024, 10, 4).date(), datetime(2024, 10, 5).date()),
        (Decimal("3.000000000"), datetime(2024, 10, 5).date(), None),
    ]


def test_reimport_adds_nothing(con: duckdb.DuckDBPyConnection, history: Path) -> None:
    import_snapshots(con, LITELLM, history)
    counts = con.execute(
        "select (select count(*) from price_observations), (select count(*) from model_limits),"
        " (select count(*) from snapshots), (select count(*) from raw_snapshots)"
    ).fetchone()
    again = import_snapshots(con, LITELLM, history)
    assert again.count("unchanged") == 5 and again.count("loaded") == 0
    assert (
        con.execute(
            "select (select count(*) from price_observations), (select count(*) from model_limits),"
            " (select count(*) from snapshots), (select count(*) from raw_snapshots)"
        ).fetchone()
        == counts
    )


def test_older_history_imported_later_gives_the_same_observations(
    tmp_path: Path, history: Path
) -> None:
    from warehouse.db import connect

    in_order = connect(tmp_path / "a.duckdb")
    import_snapshots(in_order, LITELLM, history)
    late = tmp_path / "late"
    early = tmp_path / "early"
    late.mkdir()
    early.mkdir()
    for path in history.glob("2024-*"):
        shutil.copy(path, (late if path.name >= "2024-10-03" else early) / path.name)
    shuffled = connect(tmp_path / "b.duckdb")
    import_snapshots(shuffled, LITELLM, late)
    import_snapshots(shuffled, LITELLM, early)
    query = (
        "select source_model_key, component, service_tier, tier_min_prompt_tokens,"
        " usd_per_mtok, change, observed_at from price_observations order by all"
    )
    assert shuffled.execute(query).fetchall() == in_order.execute(query).fetchall()
    assert len(in_order.execute(query).fetchall()) > 10


def test_latest_prices_and_views_answer_from_the_newest_snapshot(
    con: duckdb.DuckDBPyConnection, history: Path
) -> None:
    import_snapshots(con, LITELLM, history)
    latest = dict(
        con.execute(
            "select component || '@' || tier_min_prompt_tokens, usd_per_mtok from latest_prices"
            " where provider = 'google' and model = 'gemini-1.5-pro'"
        ).fetchall()
    )
    assert latest == {
        "input@0": Decimal("1.25"),
        "input@128000": Decimal("2.5"),
        "output@0": Decimal("5"),
        "output@128000": Decimal("10"),
    }
    tiers = con.execute(
        "select component, threshold_tokens, multiplier from context_tiers"
        " where model = 'gemini-1.5-pro' order by component"
    ).fetchall()
    assert tiers == [("input", 128000, 2.0), ("output", 128000, 2.0)]
    spreads = con.execute(
        "select day, output_input_ratio from price_spreads where model = 'gpt-4o' order by day"
    ).fetchall()
    assert [round(r, 2) for _, r in spreads] == [3.0, 3.0, 4.0, 4.0, 4.0]
    limits = con.execute(
        "select max_output_tokens, cast(valid_from as date) from context_limits_history"
        " where model = 'gpt-4o' order by valid_from"
    ).fetchall()
    assert [m for m, _ in limits] == [4096, 16384]


def test_an_import_is_a_run_of_its_own_with_its_summary(tmp_path: Path, history: Path) -> None:
    db = tmp_path / "w.duckdb"
    doc = import_history(db, "litellm", history)
    assert {k: doc[k] for k in ("source", "files", "loaded", "unchanged", "failed")} == {
        "source": "litellm",
        "files": 5,
        "loaded": 5,
        "unchanged": 0,
        "failed": [],
    }
    assert doc["skipped_files"] == ["README.md"]
    again = import_history(db, "litellm", history)
    assert (again["loaded"], again["unchanged"], again["rows_added"]) == (0, 5, 0)
    with connection(db, read_only=True) as con:
        runs = con.execute("select kind, status, summary from runs order by started_at").fetchall()
    assert [(kind, status) for kind, status, _ in runs] == [("import", "ok"), ("import", "ok")]
    assert json.loads(runs[0][2])["rows_added"] == doc["rows_added"] > 0


def test_progress_is_told_after_each_file_in_order_and_in_older_history(
    tmp_path: Path, history: Path
) -> None:
    from warehouse.db import connect

    con = connect(tmp_path / "w.duckdb")
    late, early = tmp_path / "late", tmp_path / "early"
    late.mkdir()
    early.mkdir()
    for path in history.glob("2024-*"):
        shutil.copy(path, (late if path.name >= "2024-10-03" else early) / path.name)
    told: list[tuple[int, int]] = []
    import_snapshots(con, LITELLM, late, progress=lambda done, total: told.append((done, total)))
    assert told == [(1, 3), (2, 3), (3, 3)]
    told.clear()  # older than what is loaded: staged file by file, then one rebuild
    import_snapshots(con, LITELLM, early, progress=lambda done, total: told.append((done, total)))
    assert told == [(1, 2), (2, 2)]
