"""Bad payloads: each a typed failure, recorded, archived, and nothing of it written."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from extractors.registry import get_source
from pipeline.history import import_snapshots
from warehouse.archive import read_raw
from warehouse.load import Payload, load_payload

LITELLM = get_source("litellm")
GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "litellm_history"


def _good_doc() -> dict[str, object]:
    doc: dict[str, object] = json.loads((GOOD / "2024-09-01T120000_litellm.json").read_bytes())
    return doc


def _counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    row = con.execute(
        "select (select count(*) from price_observations), (select count(*) from model_limits)"
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _bad_payloads() -> dict[str, tuple[bytes, str]]:
    doc = _good_doc()
    not_a_number = json.loads(json.dumps(doc))
    not_a_number["gpt-4o"]["input_cost_per_token"] = "five dollars"
    negative = json.loads(json.dumps(doc))
    negative["gpt-4o"]["output_cost_per_token"] = -1.5e-05
    few = {"sample_spec": doc["sample_spec"], "gpt-4o": doc["gpt-4o"]}
    with_extra = json.loads(json.dumps(doc))
    return {
        "truncated": (json.dumps(doc).encode()[:-40], "bad_payload"),
        "html error page": (
            b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>",
            "bad_payload",
        ),
        "not a number": (json.dumps(not_a_number).encode(), "invalid_price"),
        "negative": (json.dumps(negative).encode(), "invalid_price"),
        "too few models": (json.dumps(few).encode(), "suspicious_shrink"),
        "empty body": (b"", "bad_payload"),
        "wrong shape": (json.dumps([1, 2, 3]).encode(), "layout_changed"),
        "ok": (json.dumps(with_extra).encode(), "ok"),
    }


@pytest.mark.parametrize("case", [c for c in _bad_payloads() if c != "ok"])
def test_bad_payload_is_a_typed_failure_that_writes_no_observation(
    con: duckdb.DuckDBPyConnection, case: str
) -> None:
    start = datetime(2024, 9, 1, 12, tzinfo=UTC)
    good = (GOOD / "2024-09-01T120000_litellm.json").read_bytes()
    load_payload(con, Payload(LITELLM, good, start))
    before = _counts(con)
    payload, kind = _bad_payloads()[case]
    result = load_payload(con, Payload(LITELLM, payload, start + timedelta(days=1)))
    assert result.status == "failed"
    assert result.error is not None and result.error.kind == kind
    assert "\n" not in str(result.error) and str(result.error).startswith("litellm: ")
    assert _counts(con) == before
    # The last good data stands, and the bad payload is archived for a later reprocess.
    gpt = con.execute(
        "select usd_per_mtok from latest_prices where source_model_key = 'gpt-4o'"
        " and component = 'input' and service_tier = 'standard'"
    ).fetchone()
    assert gpt is not None and str(gpt[0]) == "5.000000000"
    status, digest = con.execute(
        "select status, content_sha256 from snapshots where observed_at = ?",
        [start + timedelta(days=1)],
    ).fetchone() or (None, None)
    assert status == "failed"
    assert read_raw(con, str(digest)) == payload


def test_unknown_new_fields_load_and_are_reported(con: duckdb.DuckDBPyConnection) -> None:
    doc = _good_doc()
    doc["gpt-4o"]["input_cost_per_teleport_token"] = 1e-06  # type: ignore[index]
    doc["gpt-4o"]["supports_telepathy"] = True  # type: ignore[index]
    result = load_payload(
        con, Payload(LITELLM, json.dumps(doc).encode(), datetime(2024, 9, 1, tzinfo=UTC))
    )
    assert result.status == "loaded"
    assert "input_cost_per_teleport_token" in result.unmapped_fields
    stored = con.execute("select unmapped_fields from snapshots").fetchone()
    assert stored is not None and "input_cost_per_teleport_token" in stored[0]


def test_a_failed_file_in_an_import_leaves_the_rest_loaded(
    con: duckdb.DuckDBPyConnection, history: Path
) -> None:
    (history / "2024-10-02T130000_broken.json").write_bytes(b'{"gpt-4o": {"input_cost_per_')
    result = import_snapshots(con, LITELLM, history)
    assert result.count("loaded") == 5
    assert [r.error.kind for r in result.results if r.error] == ["bad_payload"]
    # The snapshot after the broken one is diffed against the last good one.
    assert con.execute(
        "select count(*) from price_history where source_model_key = 'gpt-4o'"
        " and component = 'input' and service_tier = 'standard'"
    ).fetchone() == (2,)
