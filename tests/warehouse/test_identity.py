"""model_identity and the model_aliases view: kept in step at load time, rebuilt on upgrade."""

from __future__ import annotations

import json
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from core.errors import ConfigError
from extractors.registry import get_source
from pipeline.history import import_snapshots
from tests.warehouse.conftest import HISTORY
from tests.warehouse_templates import warehouse_location
from warehouse.db import connect, migrate, migrations
from warehouse.load import Payload, load_payload, rebuild_source

LITELLM = get_source("litellm")


def entry(provider: str, input_usd: float, output_usd: float) -> dict[str, Any]:
    """A LiteLLM entry with real list prices, given in USD per million tokens."""
    return {
        "litellm_provider": provider,
        "mode": "chat",
        "input_cost_per_token": input_usd / 1e6,
        "output_cost_per_token": output_usd / 1e6,
        "max_input_tokens": 200000,
    }


DAY_1 = {
    "claude-sonnet-4-5": entry("anthropic", 3, 15),
    "claude-sonnet-4-5-20250929": entry("anthropic", 3, 15),
    "gpt-4o": entry("openai", 2.5, 10),
    "gpt-4o-2024-05-13": entry("openai", 5, 15),
    "gemini/gemini-2.5-pro": entry("gemini", 1.25, 10),
    "gemini-2.5-pro": entry("vertex_ai-language-models", 1.25, 10),
}
DAY_2 = {k: v for k, v in DAY_1.items() if k != "gpt-4o-2024-05-13"} | {
    "gpt-4o-2024-11-20": entry("openai", 2.5, 10)
}
# A dated snapshot that stops matching its family leaves it, visibly.
DAY_3 = DAY_2 | {"claude-sonnet-4-5-20250929": entry("anthropic", 3.3, 16.5)}
DAYS = [DAY_1, DAY_2, DAY_3]


def at(day: int) -> datetime:
    return datetime(2025, 10, day, 6, tzinfo=UTC)


def load_day(con: duckdb.DuckDBPyConnection, day: int) -> None:
    payload = json.dumps(DAYS[day - 1]).encode()
    result = load_payload(con, Payload(LITELLM, payload, at(day)))
    assert result.status == "loaded", result.error


def aliases(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[Any, ...]]:
    rows = con.execute(
        "select source_model_key, provider || '/' || model, outcome, is_alias, present,"
        " first_seen_at, last_seen_at from model_aliases where source = 'litellm'"
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


def identity_table(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return con.execute("select * from model_identity order by source, source_model_key").fetchall()


def test_a_loaded_snapshot_maps_each_key_to_its_canonical_model(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_day(con, 1)
    found = aliases(con)
    assert found["claude-sonnet-4-5-20250929"][:3] == ("anthropic/claude-sonnet-4-5", "alias", True)
    assert found["claude-sonnet-4-5"][:3] == ("anthropic/claude-sonnet-4-5", "exact", False)
    assert found["gpt-4o-2024-05-13"][:2] == ("openai/gpt-4o-2024-05-13", "own-series")
    assert found["gemini/gemini-2.5-pro"][0] == "google/gemini-2.5-pro"
    assert found["gemini-2.5-pro"][0] == "google-vertex/gemini-2.5-pro"
    explanation = con.execute(
        "select explanation from model_aliases where source_model_key = 'gpt-4o-2024-05-13'"
    ).fetchone()
    assert explanation == (
        "dated snapshot (2024-05-13) of gpt-4o, priced apart (input 5 vs 2.5 under gpt-4o): "
        "own series",
    )


def test_later_loads_keep_first_and_last_seen_and_split_a_family_whose_prices_part(
    con: duckdb.DuckDBPyConnection,
) -> None:
    for day in (1, 2, 3):
        load_day(con, day)
    found = aliases(con)
    # Gone from day 2 on: last seen on day 1, no longer present.
    assert found["gpt-4o-2024-05-13"][3:] == (False, at(1), at(1))
    assert found["gpt-4o-2024-11-20"][:1] + found["gpt-4o-2024-11-20"][3:] == (
        "openai/gpt-4o",
        True,
        at(2),
        at(3),
    )
    assert found["gpt-4o"][3:] == (True, at(1), at(3))
    assert found["claude-sonnet-4-5-20250929"][:3] == (
        "anthropic/claude-sonnet-4-5-20250929",
        "own-series",
        False,
    )


def test_the_table_kept_at_load_time_equals_one_rebuilt_from_the_observations(
    con: duckdb.DuckDBPyConnection, history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The older history, rebuilt before day 1, shares no model with it: let day 1 replace
    # every model (the shrink guard has its own tests, tests/warehouse/test_shrink.py).
    monkeypatch.setenv("THESIS_MAX_SHRINK_SHARE", "1")
    for day in (1, 2, 3):
        load_day(con, day)
    import_snapshots(con, LITELLM, history)
    kept = identity_table(con)
    con.execute("update model_identity_state set value = '0' where name = 'rules_version'")
    migrate(con)
    assert identity_table(con) == kept
    assert len(kept) == 9


def test_an_existing_warehouse_is_upgraded_in_place(tmp_path: Path) -> None:
    """A warehouse at migration 6 holding observations gets its identity from them."""
    loaded = connect(tmp_path / "loaded.duckdb")
    for day in (1, 2, 3):
        load_day(loaded, day)
    expected = identity_table(loaded)
    loaded.close()

    old = duckdb.connect(str(tmp_path / "old.duckdb"))
    old.execute(
        "create table schema_migrations (version integer primary key, name varchar not null,"
        " applied_at timestamptz not null default current_timestamp)"
    )
    for version, name, sql in migrations():
        if version < 7:
            old.execute(sql)
            old.execute("insert into schema_migrations values (?, ?, now())", [version, name])
    old.execute(f"attach '{tmp_path / 'loaded.duckdb'}' as loaded (read_only)")
    for table in ("snapshots", "price_observations", "model_limits"):
        old.execute(f"insert into {table} select * from loaded.{table}")
    old.close()

    upgraded = connect(tmp_path / "old.duckdb")
    assert identity_table(upgraded) == expected
    assert upgraded.execute("select max(version) from schema_migrations").fetchone() >= (7,)
    upgraded.close()


def test_reprocessing_a_source_keeps_the_table_in_step(con: duckdb.DuckDBPyConnection) -> None:
    for day in (1, 2, 3):
        load_day(con, day)
    before = identity_table(con)
    rebuild_source(con, LITELLM)
    assert identity_table(con) == before


def test_a_changed_override_file_is_applied_when_the_warehouse_is_next_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = warehouse_location(tmp_path, "wh", "file")
    con = connect(location)
    load_day(con, 1)
    con.close()
    overrides = tmp_path / "aliases.toml"
    overrides.write_text(
        '[[separate]]\nsource = "litellm"\nkey = "claude-sonnet-4-5-20250929"\n'
        'reason = "tracked on its own"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("THESIS_MODEL_ALIASES_FILE", str(overrides))
    con = connect(location)
    found = con.execute(
        "select model, outcome, explanation from model_aliases"
        " where source_model_key = 'claude-sonnet-4-5-20250929'"
    ).fetchone()
    assert found == (
        "claude-sonnet-4-5-20250929",
        "override-apart",
        f"kept apart from claude-sonnet-4-5 by {overrides}:1 (tracked on its own)",
    )
    con.close()


def test_a_bad_override_file_stops_the_open_naming_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    overrides = tmp_path / "aliases.toml"
    overrides.write_text('[[alias]]\nkey = "x"\n', encoding="utf-8")
    monkeypatch.setenv("THESIS_MODEL_ALIASES_FILE", str(overrides))
    with pytest.raises(ConfigError, match=rf"^{overrides}:1: \[\[alias\]\] is missing 'model'"):
        connect(tmp_path / "wh.duckdb")
    monkeypatch.setenv("THESIS_MODEL_ALIASES_FILE", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="unset THESIS_MODEL_ALIASES_FILE"):
        connect(tmp_path / "wh.duckdb")


def test_history_fixture_keys_all_have_an_identity(
    con: duckdb.DuckDBPyConnection,
) -> None:
    import_snapshots(con, LITELLM, HISTORY)
    keys = con.execute("select count(distinct source_model_key) from price_observations").fetchone()
    assert con.execute("select count(*) from model_aliases").fetchone() == keys


@pytest.mark.samples
def test_daily_loads_of_real_history_keep_the_table_a_rebuild_would_give(
    tmp_path: Path, samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real LiteLLM days, one a month, loaded one by one as the daily run does, prices
    parting and joining as they really did (one engine: it is the load path under test).
    A month apart, LiteLLM may drop more models than the daily shrink guard allows."""
    monkeypatch.setenv("THESIS_MAX_SHRINK_SHARE", "1")
    con = connect(tmp_path / "real.duckdb")
    (archive,) = samples.glob("litellm_history/*.tar.gz")
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name.endswith(".json")]
        days = sorted(members, key=lambda m: Path(m.name).name)[::20]
        for member in days:
            handle = tar.extractfile(member)
            assert handle is not None
            day = datetime.fromisoformat(Path(member.name).name[:10]).replace(tzinfo=UTC)
            assert load_payload(con, Payload(LITELLM, handle.read(), day)).status == "loaded"
    kept = identity_table(con)
    con.execute("update model_identity_state set value = '0' where name = 'rules_version'")
    migrate(con)
    assert identity_table(con) == kept
    assert {row[8] for row in kept} >= {"exact", "alias", "own-series"}
