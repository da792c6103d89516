from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from alerts.explain import with_explanations
from alerts.records import Alert
from warehouse.db import connect
from warehouse.tables import INFERENCES, InferenceRow
from warehouse.write import insert_rows

NOW = dt.datetime(2026, 11, 24, 6, tzinfo=dt.UTC)
# Wording as model/ writes it for gpt-4o at $2.50/$10 on its reference deployment.
BOUND = (
    "At batch 22,097 and 8192-token context a decode step reads memory for 23.2 ms and "
    "computes for 13.1 ms: decode is memory-bound."
)


def test_alerts_get_the_inference_their_kind_reads_best(
    tmp_path: Path, gpt4o_cut: Alert, gemini_tier: Alert
) -> None:
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    rows = [
        ("openai", "gpt-4o", "decode_memory_compute_time_ratio", 1.78, "x", BOUND),
        ("openai", "gpt-4o", "effective_decode_batch", None, "sequences", "below range"),
        ("openai", "gpt-4o", "cache_hit_prefill_cost_avoided", 0.5, "fraction", "half"),
    ]
    inferences = [
        InferenceRow(
            day=NOW.date(),
            computed_at=NOW,
            run_id=None,
            provider=provider,
            model=model,
            name=name,
            value=value,
            unit=unit,
            label="",
            explanation=text,
            reference_model="m",
            reference_hardware="h",
            assumptions="{}",
        )
        for provider, model, name, value, unit, text in rows
    ]
    insert_rows(con, INFERENCES, inferences)
    cache_alert = replace(gpt4o_cut, kind="cache_pricing", subject="openai gpt-4o cache")
    explained = with_explanations(con, [gpt4o_cut, cache_alert, gemini_tier])
    assert [a.explanation for a in explained] == [
        BOUND,
        "half",
        gemini_tier.explanation,  # already explained: kept
    ]


def test_no_inference_leaves_the_explanation_empty(tmp_path: Path, gpt4o_cut: Alert) -> None:
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    assert with_explanations(con, [gpt4o_cut]) == [gpt4o_cut]
