"""The reprocess use case: rebuilding from the raw archive gives the same observations."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from pipeline.history import import_history
from pipeline.reprocess import reprocess
from tests.paths import FIXTURES
from warehouse.db import connection

PRICES = (
    "select source_model_key, component, service_tier, tier_min_prompt_tokens,"
    " usd_per_mtok, change, observed_at from price_observations order by all"
)
LIMITS = "select * from model_limits order by all"


def _read(db: Path, sql: str) -> list[tuple[object, ...]]:
    with connection(db, read_only=True) as con:
        return con.execute(sql).fetchall()


def test_reprocess_rebuilds_the_same_observations_from_the_archive(
    tmp_path: Path, history: Path
) -> None:
    db = tmp_path / "w.duckdb"
    import_history(db, "litellm", history)
    prices, limits = _read(db, PRICES), _read(db, LIMITS)
    doc = reprocess(db, ["litellm"])
    rows = len(prices) + len(limits)
    assert doc == {"litellm": {"snapshots": 5, "loaded": 5, "failed": 0, "rows": rows}}
    assert (_read(db, PRICES), _read(db, LIMITS)) == (prices, limits)


def test_every_source_by_default_and_an_unknown_one_refused(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    doc = reprocess(db, None)
    official = ["gemini-docs", "anthropic-docs", "openai-docs", "deepseek-docs", "xai-docs"]
    assert sorted(doc) == sorted([*official, "genai-prices", "litellm", "openrouter"])
    nothing = {"snapshots": 0, "loaded": 0, "failed": 0, "rows": 0}
    assert all(counts == nothing for counts in doc.values())
    with pytest.raises(ConfigError, match="unknown source 'nope'"):
        reprocess(db, ["nope"])


def test_progress_counts_every_snapshot_across_the_sources(tmp_path: Path, history: Path) -> None:
    db = tmp_path / "w.duckdb"
    import_history(db, "litellm", history)
    genai = tmp_path / "genai"
    genai.mkdir()
    (genai / "2026-08-21.json").write_bytes(
        (FIXTURES / "feeds/genai-prices_2026-08-21.json").read_bytes()
    )
    import_history(db, "genai-prices", genai)
    told: list[tuple[int, int]] = []
    doc = reprocess(db, ["genai-prices", "litellm"], progress=lambda d, t: told.append((d, t)))
    assert [doc[s]["snapshots"] for s in ("genai-prices", "litellm")] == [1, 5]
    assert told == [(done, 6) for done in range(1, 7)]
