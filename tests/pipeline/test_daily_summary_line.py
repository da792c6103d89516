"""The failed streams of a run, told per source: a line that reads well with 41 of them."""

from __future__ import annotations

from pipeline.daily_summary import RunSummary, SourceOutcome, failed_streams


def offline_run() -> RunSummary:
    """What a machine without network gives: every stream fails to fetch."""
    outcomes = [
        SourceOutcome(s, "failed", error_kind="fetch_failed") for s in ("litellm", "openrouter")
    ]
    outcomes += [
        SourceOutcome(f"openrouter-endpoints:m{i}", "failed", error_kind="fetch_failed")
        for i in range(12)
    ]
    return RunSummary("daily-1", "w.duckdb", outcomes=outcomes)


def test_many_failed_models_of_one_source_are_counted_not_listed() -> None:
    line = failed_streams(o.__dict__ for o in offline_run().outcomes)
    assert line == (
        "litellm (fetch_failed), openrouter (fetch_failed), "
        "openrouter-endpoints 12 of 12 models (fetch_failed)"
    )


def test_the_failure_message_counts_streams_and_groups_them_per_source() -> None:
    assert offline_run().failure_message() == (
        "14 of 14 sources failed: litellm (fetch_failed), openrouter (fetch_failed), "
        "openrouter-endpoints 12 of 12 models (fetch_failed)"
    )


def test_one_failed_model_is_named_and_mixed_kinds_are_counted() -> None:
    streams = [
        {"source": "litellm", "status": "loaded", "error_kind": None},
        {"source": "model-configs:org/a", "status": "failed", "error_kind": "access_denied"},
        {"source": "model-configs:org/b", "status": "loaded", "error_kind": None},
        {"source": "openrouter-endpoints:x", "status": "failed", "error_kind": "rate_limited"},
        {"source": "openrouter-endpoints:y", "status": "failed", "error_kind": "rate_limited"},
        {"source": "openrouter-endpoints:z", "status": "failed", "error_kind": "fetch_failed"},
    ]
    assert failed_streams(streams) == (
        "model-configs:org/a (access_denied), "
        "openrouter-endpoints 3 of 3 models (rate_limited 2, fetch_failed 1)"
    )


def test_a_run_with_no_failure_has_no_failed_streams() -> None:
    assert failed_streams([{"source": "litellm", "status": "loaded", "error_kind": None}]) == ""
