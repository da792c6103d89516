"""The inference use case: read `latest_prices`, invert, store once per day."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from pathlib import Path

import duckdb
import pytest

from alerts.triggers.registry import KINDS
from core.errors import WarehouseMissing
from extractors.registry import get_source
from pipeline.history import import_snapshots
from pipeline.inference import InferenceRequest, infer, infer_and_store
from tests.gemini import GEMINI_2_5_PRO_PRICES, observe_gemini
from tests.warehouse.conftest import HISTORY
from warehouse.db import connection
from warehouse.inferences import read_price_rows

NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _load_litellm_history(con: duckdb.DuckDBPyConnection) -> None:
    import_snapshots(con, get_source("litellm"), HISTORY)


def test_every_priced_model_in_the_history_gets_explained_and_stored(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _load_litellm_history(con)
    priced = {(r["provider"], r["model"]) for r in read_price_rows(con)}
    found = infer_and_store(con, now=NOON, run_id="daily-test")
    explained = {(i.provider, i.model) for i in found}
    assert explained  # the history prices claude, gemini and gpt models
    assert explained <= priced
    stored = con.execute(
        "select provider, model, value, label, reference_model, run_id, day from inferences "
        "where name = 'output_input_price_ratio' and model = 'claude-3-5-sonnet' "
        "order by reference_model"
    ).fetchall()
    # Claude 3.5 Sonnet: 3 USD in, 15 USD out per Mtok in LiteLLM's price file, read
    # against each of the three stand-in architectures, under its canonical name (its
    # dated key claude-3-5-sonnet-20240620 is an alias, priced the same)
    assert stored == [
        (
            "anthropic",
            "claude-3-5-sonnet",
            5.0,
            "memory-bound decode",
            stand_in,
            "daily-test",
            NOON.date(),
        )
        for stand_in in ("deepseek-v3.2", "llama-3.1-70b", "qwen3-235b-a22b")
    ]


def test_rerunning_the_same_day_replaces_rather_than_duplicates(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _load_litellm_history(con)
    first = len(infer_and_store(con, now=NOON))
    infer_and_store(con, now=NOON.replace(hour=18))
    infer_and_store(con, now=datetime(2026, 11, 25, 9, tzinfo=UTC))
    rows = con.execute("select day, count(*) from inferences group by day order by day").fetchall()
    assert [count for _, count in rows] == [first, first]
    latest = con.execute("select count(*), max(computed_at) from latest_inferences").fetchone()
    assert latest is not None
    assert latest[0] == first


def test_long_context_cache_and_storage_prices_become_inferences(
    con: duckdb.DuckDBPyConnection,
) -> None:
    observe_gemini(con, NOON)
    found = {
        i.name: i
        for i in infer_and_store(con, now=NOON, store=False)
        if i.assumptions["model"] == "deepseek-v3.2"
    }
    assert found["output_input_price_ratio"].value == 8.0
    assert found["long_context_input_cost_share_above_200000"].value == 0.5
    assert found["cache_hit_prefill_cost_avoided"].value == pytest.approx(0.9)
    assert found["implied_kv_storage_usd_per_gb_hour"].label == "hbm"
    assert con.execute("select count(*) from inferences").fetchone() == (0,)


def test_every_inference_a_trigger_kind_is_explained_by_is_one_the_inversion_writes(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # LiteLLM's history plus Gemini's cache-storage price: every family of inference.
    _load_litellm_history(con)
    observe_gemini(
        con, NOON, [("input", 0, "1.25"), ("output", 0, "10"), ("cache_storage_per_hour", 0, "4.5")]
    )
    names = {i.name for i in infer_and_store(con, now=NOON, store=False)}
    wanted = sorted({w for kind in KINDS.values() for w in kind.explained_by})
    assert len(wanted) == 11
    assert [w for w in wanted if not any(fnmatchcase(n, w) for n in names)] == []


def test_assumptions_are_stored_as_json(con: duckdb.DuckDBPyConnection) -> None:
    observe_gemini(con, NOON, GEMINI_2_5_PRO_PRICES[:2])
    assumed = InferenceRequest(assume_model="llama-3.1-405b", assume_hardware="h200")
    infer_and_store(con, assumed, now=NOON)
    (raw,) = con.execute(
        "select assumptions from inferences where name = 'effective_decode_batch'"
    ).fetchone() or ("{}",)
    assumptions = json.loads(raw)
    assert assumptions["model"] == "llama-3.1-405b"
    assert assumptions["hardware"] == "h200"
    assert assumptions["margin"] == "same on input and output"


def test_infer_opens_the_warehouse_for_the_step_and_reads_only_when_not_storing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "w.duckdb"
    with connection(db) as con:
        _load_litellm_history(con)
    shown = infer(db, now=NOON, store=False)
    assert shown
    with connection(db, read_only=True) as con:
        assert con.execute("select count(*) from inferences").fetchone() == (0,)
    stored = infer(db, now=NOON, run_id="daily-test")
    assert [i.name for i in stored] == [i.name for i in shown]
    with connection(db, read_only=True) as con:
        assert con.execute(
            "select count(*) from inferences where run_id = 'daily-test'"
        ).fetchone() == (len(stored),)


def test_infer_without_storing_needs_an_existing_warehouse(tmp_path: Path) -> None:
    with pytest.raises(WarehouseMissing):
        infer(tmp_path / "nope.duckdb", store=False)
