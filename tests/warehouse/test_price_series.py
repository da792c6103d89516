"""The reconciled price series (warehouse/series.py): kept up to date at load time, the
same as a rebuild from the observations, and what the canonical views show."""

from __future__ import annotations

import gzip
import json
import shutil
import tarfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from extractors.registry import get_source
from model.inversion.infer import infer_all
from pipeline.history import import_snapshots
from tests.paths import SAMPLES
from tests.warehouse.conftest import HISTORY
from warehouse.db import connect
from warehouse.inferences import read_limit_rows, read_price_rows
from warehouse.series import rebuild_series

SERIES = "select * from price_series order by all"


def _series(con: duckdb.DuckDBPyConnection, model: str, component: str) -> list[tuple[object, ...]]:
    return con.execute(
        "select day, usd_per_mtok, state from price_series where model = ? and component = ?"
        " and service_tier = 'standard' and tier_min_prompt_tokens = 0 and condition = ''"
        " order by day",
        [model, component],
    ).fetchall()


def test_a_cut_is_pending_for_one_snapshot_then_confirmed(
    con: duckdb.DuckDBPyConnection, history: Path
) -> None:
    import_snapshots(con, get_source("litellm"), history)
    rows = _series(con, "gpt-4o", "input")
    cut = [r for r in rows if r[1] == Decimal("2.5")]
    assert [r[2] for r in cut][:2] == ["pending", "confirmed"]
    assert cut[0][0] == date(2024, 10, 3)


def test_a_one_day_typo_is_pending_and_gives_way_to_the_confirmed_value(
    con: duckdb.DuckDBPyConnection, history: Path
) -> None:
    import_snapshots(con, get_source("litellm"), history)
    rows = _series(con, "claude-3-5-sonnet", "input") or _series(
        con, "claude-3-5-sonnet-20240620", "input"
    )
    assert (date(2024, 10, 4), Decimal("30"), "pending") in rows
    assert rows[-1][1:] == (Decimal("3"), "confirmed")
    changes = con.execute(
        "select new_usd_per_mtok, confirmed from price_changes where model like 'claude-3-5%'"
        " and component = 'input' and tier_min_prompt_tokens = 0 order by changed_on"
    ).fetchall()
    assert (Decimal("30"), False) in changes


def test_the_series_kept_at_load_time_equals_a_rebuild(
    con: duckdb.DuckDBPyConnection, history: Path
) -> None:
    import_snapshots(con, get_source("litellm"), history)
    kept = con.execute(SERIES).fetchall()
    rebuild_series(con)
    assert con.execute(SERIES).fetchall() == kept


def test_an_existing_warehouse_is_upgraded_in_place_and_keeps_its_alerts(
    db_path: Path, history: Path
) -> None:
    con = connect(db_path)
    import_snapshots(con, get_source("litellm"), history)
    built = con.execute(SERIES).fetchall()
    alerts = con.execute("select count(*) from alerts").fetchall()
    # As a warehouse from before migration 011 would be: no series yet.
    con.execute("delete from price_series")
    con.execute("update price_series_state set value = '0'")
    con.close()
    con = connect(db_path)
    assert con.execute(SERIES).fetchall() == built
    assert con.execute("select count(*) from alerts").fetchall() == alerts
    con.close()


# The done-when check of issue 12 on the real samples.
TARBALL = SAMPLES / "litellm_history" / "litellm_daily_2023-11-03_2026-11-17.tar.gz"


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    if not TARBALL.exists():
        pytest.skip(f"needs the real samples at {SAMPLES} (absent)")
    root = tmp_path_factory.mktemp("samples")
    with tarfile.open(TARBALL) as tar:
        tar.extractall(root / "litellm", filter="data")
    files = sorted((root / "litellm").rglob("*.json"))
    for path in files:  # flat, for import-snapshots
        shutil.move(path, root / "litellm" / path.name)
    genai, openrouter = root / "genai", root / "openrouter"
    genai.mkdir()
    openrouter.mkdir()
    (genai / "2026-08-21T000000_genai.json").write_bytes(
        gzip.decompress((SAMPLES / "genai-prices_data_2026-08-21.json.gz").read_bytes())
    )
    (openrouter / "2026-08-01T000000_openrouter.json").write_bytes(
        gzip.decompress((SAMPLES / "openrouter_models_2026-08-01.json.gz").read_bytes())
    )
    con = connect(root / "thesis.duckdb")
    import_snapshots(con, get_source("litellm"), root / "litellm")
    import_snapshots(con, get_source("genai-prices"), genai)
    import_snapshots(con, get_source("openrouter"), openrouter)
    yield con
    con.close()


def test_price_spreads_has_one_row_per_model_and_day(full: duckdb.DuckDBPyConnection) -> None:
    total, distinct = full.execute(
        "select count(*), count(distinct (day, provider, model)) from price_spreads"
    ).fetchone() or (0, 0)
    assert total == distinct > 10_000


def test_latest_prices_has_one_row_per_canonical_price(full: duckdb.DuckDBPyConnection) -> None:
    total, distinct = full.execute(
        "select count(*), count(distinct (provider, model, component, service_tier,"
        " tier_min_prompt_tokens, condition)) from latest_prices"
    ).fetchone() or (0, 0)
    assert total == distinct > 1_000


def test_the_inversion_prints_no_negative_premium(full: duckdb.DuckDBPyConnection) -> None:
    found = infer_all(read_price_rows(full), read_limit_rows(full))
    premiums = {
        (i.provider, i.model): i.value
        for i in found
        if i.name in ("cache_write_premium", "cache_hit_prefill_cost_avoided")
    }
    assert premiums and all(v is None or v >= 0 for v in premiums.values())


def test_deepseek_chat_keeps_its_cache_read_price(full: duckdb.DuckDBPyConnection) -> None:
    row = full.execute(
        "select usd_per_mtok from latest_prices where provider = 'deepseek'"
        " and model = 'deepseek-chat' and component = 'cache_read' and service_tier = 'standard'"
        " and tier_min_prompt_tokens = 0 and condition = ''"
    ).fetchone()
    assert row is not None and row[0] > 0


def test_the_series_kept_over_three_sources_equals_a_rebuild(
    full: duckdb.DuckDBPyConnection,
) -> None:
    # genai-prices and OpenRouter load after LiteLLM: each decides again only the models
    # it prices (and dated prices), and the result is what deciding everything gives.
    kept = full.execute(SERIES).fetchall()
    rebuild_series(full)
    assert full.execute(SERIES).fetchall() == kept


def _feed_days(folder: Path, days: list[tuple[str, bool]]) -> None:
    """Dated LiteLLM files from one real release, with or without gpt-4o."""
    release = json.loads((HISTORY / "2024-10-05T120000_litellm.json").read_text())
    for stamp, with_gpt4o in days:
        payload = {k: v for k, v in release.items() if with_gpt4o or k != "gpt-4o"}
        (folder / f"{stamp}T120000_litellm.json").write_text(json.dumps(payload))


def test_a_removal_reads_as_removed_only_once_absent_across_the_confirmation_window(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    _feed_days(folder, [("2024-11-01", True), ("2024-11-02", True), ("2024-11-03", False)])
    import_snapshots(con, get_source("litellm"), folder)
    # Absent from one snapshot: no evidence yet, the last price stands.
    latest = "select usd_per_mtok from latest_prices where model = 'gpt-4o' and component = 'input'"
    assert con.execute(latest).fetchall() == [(Decimal("2.5"),)]
    assert [r[2] for r in _series(con, "gpt-4o", "input")] == ["pending", "confirmed"]
    _feed_days(folder, [("2024-11-04", True), ("2024-11-05", False), ("2024-11-06", False)])
    import_snapshots(con, get_source("litellm"), folder)
    rows = _series(con, "gpt-4o", "input")
    # Back on the 4th; gone only on the 6th, the second snapshot in a row without it.
    assert [(d, s) for d, _, s in rows if s == "gone"] == [(date(2024, 11, 6), "gone")]
    assert con.execute(latest).fetchall() == []
    kept = con.execute(SERIES).fetchall()
    rebuild_series(con)
    assert con.execute(SERIES).fetchall() == kept
