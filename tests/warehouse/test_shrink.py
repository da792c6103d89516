"""A payload that would delete much of a source at once is a broken feed, not news, until
the next payload confirms the removal (warehouse/shrink.py, the rule every loader uses)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from core.errors import SuspiciousShrink
from extractors.registry import get_source
from warehouse.db import connect
from warehouse.load import Payload, load_payload
from warehouse.shrink import confirms_removal, outcome_columns

LITELLM = get_source("litellm")
DAY = datetime(2026, 3, 1, 12, tzinfo=UTC)
MODELS = 10


def _feed(models: int) -> bytes:
    """A LiteLLM file with the first `models` of ten chat models (input and output each)."""
    doc: dict[str, object] = {"sample_spec": {"mode": "chat"}}
    for i in range(models):
        doc[f"gpt-test-{i}"] = {
            "input_cost_per_token": (i + 1) * 1e-06,
            "output_cost_per_token": (i + 1) * 4e-06,
            "litellm_provider": "openai",
            "mode": "chat",
            "max_input_tokens": 128000,
            "max_output_tokens": 4096,
        }
    return json.dumps(doc).encode()


def _live(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(
        "select count(*) from price_history where source = 'litellm' and valid_to is null"
    ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize(
    ("share", "loads"), [(100, True), (90, True), (60, False), (50, False), (10, False)]
)
def test_a_shrink_is_judged_by_what_it_would_delete(
    tmp_path: Path, share: int, loads: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("THESIS_MAX_SHRINK_SHARE", raising=False)  # the default, 20%
    con = connect(str(tmp_path / "thesis.duckdb"))
    try:
        assert load_payload(con, Payload(LITELLM, _feed(MODELS), DAY)).status == "loaded"
        assert _live(con) == 2 * MODELS
        kept = MODELS * share // 100
        result = load_payload(con, Payload(LITELLM, _feed(kept), DAY + timedelta(days=1)))
        if loads:
            assert result.status in ("loaded", "unchanged")
            assert _live(con) == 2 * kept
            return
        assert result.status == "failed" and result.error is not None
        assert result.error.kind == "suspicious_shrink"
        lost = MODELS - kept
        assert result.error.reason == (
            f"would remove {2 * lost} of {2 * MODELS} live prices and {lost} of {MODELS} "
            "models at once (more than 20%, THESIS_MAX_SHRINK_SHARE); keeping the last good data"
        )
        assert _live(con) == 2 * MODELS  # the last good data stands
        removed = con.execute(
            "select count(*) from price_observations where change = 'removed'"
        ).fetchone()
        assert removed == (0,)
    finally:
        con.close()


def test_a_looser_share_lets_a_real_withdrawal_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THESIS_MAX_SHRINK_SHARE", "0.6")
    con = connect(str(tmp_path / "thesis.duckdb"))
    try:
        load_payload(con, Payload(LITELLM, _feed(MODELS), DAY))
        result = load_payload(con, Payload(LITELLM, _feed(5), DAY + timedelta(days=1)))
        assert result.status == "loaded"
        assert _live(con) == 10
    finally:
        con.close()


def test_a_shrink_seen_again_in_the_next_payload_is_a_real_withdrawal(tmp_path: Path) -> None:
    """LiteLLM really dropped 78 of 275 models on 2026-03-11: refused once, the same
    smaller file the next day loads, so the source is never stuck on its last good day."""
    con = connect(str(tmp_path / "thesis.duckdb"))
    try:
        load_payload(con, Payload(LITELLM, _feed(MODELS), DAY))
        first = load_payload(con, Payload(LITELLM, _feed(5), DAY + timedelta(days=1)))
        assert first.error is not None and first.error.kind == "suspicious_shrink"
        second = load_payload(con, Payload(LITELLM, _feed(5), DAY + timedelta(days=2)))
        assert second.status == "loaded"
        assert _live(con) == 10
    finally:
        con.close()


def test_a_different_shrink_the_next_day_is_refused_again(tmp_path: Path) -> None:
    con = connect(str(tmp_path / "thesis.duckdb"))
    try:
        load_payload(con, Payload(LITELLM, _feed(MODELS), DAY))
        load_payload(con, Payload(LITELLM, _feed(5), DAY + timedelta(days=1)))
        other = load_payload(con, Payload(LITELLM, _feed(2), DAY + timedelta(days=2)))
        assert other.error is not None and other.error.kind == "suspicious_shrink"
        assert _live(con) == 2 * MODELS
    finally:
        con.close()


def test_a_withdrawal_of_one_model_from_a_small_source_is_news(tmp_path: Path) -> None:
    con = connect(str(tmp_path / "thesis.duckdb"))
    try:
        load_payload(con, Payload(LITELLM, _feed(4), DAY))
        assert load_payload(con, Payload(LITELLM, _feed(3), DAY + timedelta(days=1))).status == (
            "loaded"
        )
        assert _live(con) == 6
    finally:
        con.close()


# The one rule both loaders use (feeds here, watched host lists in test_watched_load.py).
@pytest.mark.parametrize(
    ("gone", "refused", "confirms"),
    [
        (set("abcdefghij"), set("abcdefghij"), True),  # the same removal, seen again
        (set("abcdefghij"), set("abcdefghi"), True),  # 9 of 10 shared: the same
        (set("abcdefghij"), set("abcdefgh"), False),  # 8 of 10: another removal
        (set("abcde"), set("vwxyz"), False),  # other keys gone
        (set("abc"), set(), False),  # nothing was refused: a first shrink
        (set(), set("abc"), False),  # nothing goes now
    ],
)
def test_a_removal_is_confirmed_only_by_nearly_the_same_keys_gone_again(
    gone: set[str], refused: set[str], confirms: bool
) -> None:
    assert confirms_removal(frozenset(gone), frozenset(refused)) is confirms


def test_a_snapshot_row_says_its_outcome_and_counts_only_a_loaded_payload() -> None:
    err = SuspiciousShrink("litellm", "would remove 10 of 20 live prices")
    assert outcome_columns("failed", err, "models", 3) == {
        "status": "failed",
        "error_kind": "suspicious_shrink",
        "error": "would remove 10 of 20 live prices",
        "models": None,
    }
    assert outcome_columns("loaded", None, "rows", 13) == {
        "status": "loaded",
        "error_kind": None,
        "error": None,
        "rows": 13,
    }
