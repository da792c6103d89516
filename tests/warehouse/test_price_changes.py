"""Confirmed vs unconfirmed changes: a typo that reverts next day is never confirmed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from extractors.registry import get_source
from pipeline.history import import_snapshots


def _changes(con: duckdb.DuckDBPyConnection, key: str, component: str) -> list[tuple]:
    return con.execute(
        "select old_usd_per_mtok, new_usd_per_mtok, cast(changed_at as date), persisted,"
        " corroborated, confirmed from price_changes where source_model_key = ?"
        " and component = ? and service_tier = 'standard' and tier_min_prompt_tokens = 0"
        " order by changed_at",
        [key, component],
    ).fetchall()


def test_a_cut_that_persists_is_confirmed_and_a_one_day_typo_is_not(
    con: duckdb.DuckDBPyConnection, history: Path
) -> None:
    import_snapshots(con, get_source("litellm"), history)
    assert _changes(con, "gpt-4o", "input") == [
        (Decimal("5"), Decimal("2.5"), date(2024, 10, 3), True, False, True)
    ]
    typo, revert = _changes(con, "claude-3-5-sonnet-20240620", "input")
    assert typo == (Decimal("3"), Decimal("30"), date(2024, 10, 4), False, False, False)
    # The revert is the newest snapshot: nothing after it yet, so not confirmed either.
    assert revert[:3] == (Decimal("30"), Decimal("3"), date(2024, 10, 5))
    assert revert[5] is False


def test_a_change_seen_in_a_second_source_is_confirmed_at_once(
    con: duckdb.DuckDBPyConnection, history: Path, tmp_path: Path
) -> None:
    litellm = get_source("litellm")
    early = tmp_path / "early"
    early.mkdir()
    for path in sorted(history.glob("2024-*"))[:3]:  # up to the gpt-4o cut on 2024-10-03
        (early / path.name).write_bytes(path.read_bytes())
    import_snapshots(con, litellm, early)
    assert _changes(con, "gpt-4o", "input")[0][5] is False  # newest: not persisted yet
    genai = tmp_path / "genai"
    genai.mkdir()
    (genai / "2024-10-03T180000_genai.json").write_text(
        '[{"id": "openai", "name": "OpenAI", "api_pattern": "https://api\\\\.openai\\\\.com",'
        ' "models": [{"id": "gpt-4o", "match": {"equals": "gpt-4o"},'
        ' "prices": {"input_mtok": 2.5, "output_mtok": 10}}]}]'
    )
    import_snapshots(con, get_source("genai-prices"), genai)
    old, new, _, persisted, corroborated, confirmed = _changes(con, "gpt-4o", "input")[0]
    assert (old, new, persisted, corroborated, confirmed) == (
        Decimal("5"),
        Decimal("2.5"),
        False,
        True,
        True,
    )
