"""Watched-model payloads into the warehouse (both engines), from the real samples:
per host and day rows, nulls kept, a halved host list refused, failures recorded."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import duckdb
import pytest

from core.errors import AccessDenied
from extractors.watched import model_configs, openrouter_endpoints
from tests.paths import SAMPLES
from warehouse.archive import read_raw
from warehouse.watched_load import (
    WatchedPayload,
    WatchedResult,
    conditional_headers,
    load_watched,
    rebuild_watched,
    record_fetch_failure,
    reobserve_watched,
)

ENDPOINTS = SAMPLES / "openrouter_endpoints"
CONFIGS = SAMPLES / "model_configs"
pytestmark = pytest.mark.skipif(not ENDPOINTS.is_dir(), reason=f"{SAMPLES} absent")
DAY1 = datetime(2026, 10, 5, 4, 43, tzinfo=UTC)
V32 = "deepseek/deepseek-v3.2"


def v32_answer(keep: int | None = None, drop: int | None = None) -> bytes:
    """The 13-host answer; its first `keep` hosts, or all but its first `drop`."""
    doc = json.loads(
        (ENDPOINTS / "openrouter_endpoints_deepseek-v3.2_2026-10-05.json").read_bytes()
    )
    if keep is not None:
        doc["data"]["endpoints"] = doc["data"]["endpoints"][:keep]
    if drop is not None:
        doc["data"]["endpoints"] = doc["data"]["endpoints"][drop:]
    return json.dumps(doc).encode()


def endpoints(
    con: duckdb.DuckDBPyConnection, payload: bytes, at: datetime, model: str = V32
) -> WatchedResult:
    return load_watched(
        con, WatchedPayload(openrouter_endpoints.SOURCE, model, payload, at, run_id="r1")
    )


def config(
    con: duckdb.DuckDBPyConnection,
    payload: bytes,
    at: datetime,
    repo: str = "deepseek-ai/DeepSeek-V3",
) -> WatchedResult:
    return load_watched(con, WatchedPayload(model_configs.SOURCE, repo, payload, at))


def hf(repo: str) -> bytes:
    return (CONFIGS / f"hf_config_{repo.replace('/', '__')}.json").read_bytes()


def rows(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return con.execute(sql, list(params)).fetchall()


def test_one_row_per_host_and_day_with_nulls_kept_and_prices_exact(
    con: duckdb.DuckDBPyConnection,
) -> None:
    result = endpoints(con, v32_answer(), DAY1)
    assert (result.status, result.rows_added, result.hosts) == ("loaded", 13, 13)
    got = rows(
        con,
        "select input_usd_per_mtok, discount_fraction, cache_write_usd_per_mtok, latency_p50_ms,"
        " status, quantization from endpoint_observations where endpoint_key = ?",
        "gmicloud/fp8",
    )
    assert got == [(Decimal("0.208800000"), Decimal("0.280000000"), None, None, -2, "fp8")]
    nulls = rows(con, "select count(*) from endpoint_observations where quantization is null")
    assert nulls == [(7,)]  # "unknown" is not a quantization


def test_the_same_answer_the_same_day_adds_nothing_and_a_new_day_adds_a_day(
    con: duckdb.DuckDBPyConnection,
) -> None:
    endpoints(con, v32_answer(), DAY1)
    again = endpoints(con, v32_answer(), DAY1 + timedelta(hours=3))
    assert again.status == "unchanged"
    endpoints(con, v32_answer(), DAY1 + timedelta(days=1))
    assert rows(
        con, "select day, count(*) from endpoint_observations group by day order by day"
    ) == [
        (DAY1.date(), 13),
        (DAY1.date() + timedelta(days=1), 13),
    ]


def test_a_host_list_halved_is_one_failure_and_the_last_good_rows_stand(
    con: duckdb.DuckDBPyConnection,
) -> None:
    endpoints(con, v32_answer(), DAY1)
    halved = endpoints(con, v32_answer(keep=6), DAY1 + timedelta(days=1))
    assert (halved.status, halved.error and halved.error.kind) == ("failed", "too_few_hosts")
    assert "6 hosts where the last good answer had 13" in str(halved.error)
    assert rows(con, "select distinct day from latest_endpoints") == [(DAY1.date(),)]
    failed = rows(
        con,
        "select status, error_kind, content_sha256 is not null from watched_snapshots"
        " order by observed_at",
    )
    assert failed == [("loaded", None, True), ("failed", "too_few_hosts", True)]
    # the refused payload is archived, whole
    (digest,) = rows(con, "select content_sha256 from watched_snapshots where status = 'failed'")[0]
    assert len(json.loads(read_raw(con, digest))["data"]["endpoints"]) == 6
    shrunk_a_little = endpoints(con, v32_answer(keep=7), DAY1 + timedelta(days=2))
    assert shrunk_a_little.status == "loaded"


def test_a_halved_host_list_seen_again_in_the_next_answer_is_real_and_loads(
    con: duckdb.DuckDBPyConnection,
) -> None:
    endpoints(con, v32_answer(), DAY1)
    assert endpoints(con, v32_answer(keep=6), DAY1 + timedelta(days=1)).status == "failed"
    again = endpoints(con, v32_answer(keep=6), DAY1 + timedelta(days=2))
    assert (again.status, again.hosts) == ("loaded", 6)
    assert rows(con, "select count(*) from latest_endpoints") == [(6,)]


def test_a_different_host_list_shrink_the_next_day_is_refused_again(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Only the same hosts gone twice confirm a withdrawal (warehouse/shrink.py), as for
    feeds: six hosts, then six others, is two broken answers."""
    endpoints(con, v32_answer(), DAY1)
    assert endpoints(con, v32_answer(keep=6), DAY1 + timedelta(days=1)).status == "failed"
    other = endpoints(con, v32_answer(drop=7), DAY1 + timedelta(days=2))
    assert (other.status, other.error and other.error.kind) == ("failed", "too_few_hosts")
    assert rows(con, "select count(*) from latest_endpoints") == [(13,)]


def test_a_fetch_without_payload_is_recorded_and_touches_nothing_else(
    con: duckdb.DuckDBPyConnection,
) -> None:
    item = WatchedPayload(model_configs.SOURCE, "meta-llama/Llama-3.1-70B", None, DAY1, run_id="r1")
    err = AccessDenied(
        "model-configs:meta-llama/Llama-3.1-70B", "HTTP 401 from https://hf (after 1 attempt(s))"
    )
    result = record_fetch_failure(con, item, err)
    assert (
        result.snapshot_id
        == "model-configs:meta-llama/Llama-3.1-70B/2026-10-05T04:43:00Z/no-payload"
    )
    assert rows(con, "select status, error_kind, error, content_sha256 from watched_snapshots") == [
        ("failed", "access_denied", "HTTP 401 from https://hf (after 1 attempt(s))", None)
    ]
    assert rows(con, "select count(*) from raw_snapshots") == [(0,)]


def test_dispersion_across_hosts_per_model_and_day(con: duckdb.DuckDBPyConnection) -> None:
    endpoints(con, v32_answer(), DAY1)
    (view,) = rows(
        con,
        "select hosts, hosts_up, hosts_priced, quantizations, output_min_usd_per_mtok,"
        " output_max_usd_per_mtok, round(output_max_over_min, 3), cheapest_output_endpoint"
        " from endpoint_price_dispersion",
    )
    assert view == (
        13,
        10,
        13,
        "fp4,fp8",
        Decimal("0.309600000"),
        Decimal("4.500000000"),
        14.535,
        "gmicloud/fp8",
    )


def test_speed_per_output_dollar_from_a_keyed_capture(con: duckdb.DuckDBPyConnection) -> None:
    captured = json.loads(
        (ENDPOINTS / "openrouter_endpoints_14models_2026-08-15.json").read_bytes()
    )
    model = "meta-llama/llama-3.1-70b-instruct"
    endpoints(con, json.dumps(captured[model]).encode(), DAY1, model)
    got = rows(
        con,
        "select endpoint_key, throughput_p50_tokens_per_s, output_usd_per_mtok,"
        " tokens_per_s_per_usd_per_mtok from endpoint_speed order by endpoint_key",
    )
    assert got[-1] == ("deepinfra/turbo", 26.0, Decimal("0.400000000"), 65.0)


def test_a_config_is_logged_when_new_and_when_its_architecture_changes(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert config(con, hf("deepseek-ai/DeepSeek-V3"), DAY1).rows_added == 1
    assert config(con, hf("deepseek-ai/DeepSeek-V3.1"), DAY1 + timedelta(days=1)).rows_added == 0
    changed = config(con, hf("deepseek-ai/DeepSeek-V3.2"), DAY1 + timedelta(days=2))
    assert changed.rows_added == 1
    assert rows(
        con,
        "select change, model_type, sparse_attention_topk from architecture_observations"
        " order by observed_at",
    ) == [("new", "deepseek_v3", None), ("changed", "deepseek_v32", 2048)]
    assert rows(con, "select sparse_attention_topk from latest_architectures") == [(2048,)]


def test_unknown_config_fields_are_kept_in_the_archived_payload(
    con: duckdb.DuckDBPyConnection,
) -> None:
    doc = json.loads(hf("Qwen/Qwen3-30B-A3B")) | {"expert_capacity": 2}
    result = config(con, json.dumps(doc).encode(), DAY1, "Qwen/Qwen3-30B-A3B")
    assert result.unmapped_fields == {"expert_capacity"}
    ((digest, unmapped),) = rows(
        con, "select content_sha256, unmapped_fields from watched_snapshots"
    )
    assert unmapped == ["expert_capacity"]
    assert json.loads(read_raw(con, digest))["expert_capacity"] == 2


def test_etags_per_model_and_a_304_reobserves_the_newest_answer(
    con: duckdb.DuckDBPyConnection,
) -> None:
    item = WatchedPayload(openrouter_endpoints.SOURCE, V32, v32_answer(), DAY1, etag='"v1"')
    load_watched(con, item)
    assert conditional_headers(con, "openrouter-endpoints") == {V32: ('"v1"', None)}
    seen = WatchedPayload(openrouter_endpoints.SOURCE, V32, None, DAY1 + timedelta(days=1))
    again = reobserve_watched(con, seen)
    assert again is not None and again.status == "loaded"
    assert rows(con, "select count(distinct day) from endpoint_observations") == [(2,)]


def test_rebuild_re_derives_the_same_rows_and_retries_failures(
    con: duckdb.DuckDBPyConnection,
) -> None:
    endpoints(con, v32_answer(), DAY1)
    endpoints(con, v32_answer(keep=6), DAY1 + timedelta(days=1))
    config(con, hf("deepseek-ai/DeepSeek-V3"), DAY1)
    record_fetch_failure(
        con,
        WatchedPayload(model_configs.SOURCE, "meta-llama/x", None, DAY1),
        AccessDenied("model-configs:meta-llama/x", "HTTP 403"),
    )
    before = rows(con, "select * from endpoint_observations order by all")
    rebuilt = rebuild_watched(con, openrouter_endpoints.SOURCE)
    assert [r.status for r in rebuilt] == ["loaded", "failed"]
    assert rows(con, "select * from endpoint_observations order by all") == before
    again = rebuild_watched(con, model_configs.SOURCE)
    assert [(r.model, r.status) for r in again] == [
        ("deepseek-ai/DeepSeek-V3", "loaded"),
        ("meta-llama/x", "failed"),
    ]
    assert rows(con, "select count(*) from architecture_observations") == [(1,)]
