"""Bands: the stand-ins side by side, firm only when all agree."""

from __future__ import annotations

from decimal import Decimal

from model.catalog.load import Catalog
from model.inversion.band import bands, deciding_assumption
from model.inversion.infer import infer_all
from model.inversion.inference import Assumptions, Inference

FACTS: dict[str, Assumptions] = {
    "deepseek-v3.2": {
        "sparse_attention": "yes",
        "attention": "mla",
        "moe": "yes",
        "kv_bytes_per_token": 25_376.0,
        "active_params": 37e9,
    },
    "qwen3-235b-a22b": {
        "sparse_attention": "no",
        "attention": "gqa",
        "moe": "yes",
        "kv_bytes_per_token": 192_512.0,
        "active_params": 22e9,
    },
    "llama-3.1-70b": {
        "sparse_attention": "no",
        "attention": "gqa",
        "moe": "no",
        "kv_bytes_per_token": 327_680.0,
        "active_params": 70.6e9,
    },
}


def _item(stand_in: str, value: float | None, label: str) -> Inference:
    return Inference(
        "p", "m", "x", value, "x", "why", {**FACTS[stand_in], "model": stand_in}, label
    )


def test_a_verdict_every_stand_in_shares_is_firm() -> None:
    [band] = bands(
        [_item(s, v, "memory-bound") for s, v in zip(FACTS, (1.0, 3.0, 2.0), strict=True)]
    )
    assert (band.low, band.high, band.verdict, band.firm, band.decided_by) == (
        1.0,
        3.0,
        "memory-bound",
        True,
        "",
    )
    assert "firm: memory-bound (every stand-in agrees)" in band.summary
    # stored and quoted in alerts: the summary, then the first stand-in's own reasoning
    assert band.explanation == f"{band.summary} deepseek-v3.2: why"


def test_a_split_verdict_names_the_property_that_decides_it() -> None:
    labels = {
        "deepseek-v3.2": "solved",
        "qwen3-235b-a22b": "hbm-capped",
        "llama-3.1-70b": "hbm-capped",
    }
    assert (
        deciding_assumption(FACTS, labels) == "sparse attention (yes -> solved; no -> hbm-capped)"
    )
    labels = {"deepseek-v3.2": "a", "qwen3-235b-a22b": "a", "llama-3.1-70b": "b"}
    assert deciding_assumption(FACTS, labels) == "mixture of experts (yes -> a; no -> b)"
    [band] = bands([_item(s, None, labels[s]) for s in FACTS])
    assert not band.firm and band.verdict == ""
    assert band.low is None and "not firm: decided by mixture of experts" in band.explanation


def test_a_numeric_property_decides_when_no_category_does() -> None:
    facts = {
        k: {**v, "moe": "yes", "attention": "gqa", "sparse_attention": "no"}
        for k, v in FACTS.items()
    }
    labels = {"deepseek-v3.2": "hbm", "qwen3-235b-a22b": "host-dram", "llama-3.1-70b": "host-dram"}
    assert deciding_assumption(facts, labels) == (
        "KV bytes read per token (25,376 -> hbm; 192,512-327,680 -> host-dram)"
    )
    tangled = {"deepseek-v3.2": "a", "qwen3-235b-a22b": "b", "llama-3.1-70b": "a"}
    same = {k: {**v, "active_params": 1.0} for k, v in facts.items()}
    assert deciding_assumption(same, tangled).startswith("no single stand-in property")


def test_gemini_bands_cover_each_inference_across_the_stand_ins(catalog: Catalog) -> None:
    rows = [
        {
            "provider": "google",
            "model": "gemini-2.5-pro",
            "component": c,
            "usd_per_mtok": Decimal(v),
        }
        for c, v in (("input", "1.25"), ("output", "10"))
    ]
    found = infer_all(rows, catalog=catalog)
    by_name = {b.name: b for b in bands(found)}
    batch = by_name["effective_decode_batch"]
    assert batch.stand_ins == 3
    assert set(batch.values) == {"deepseek-v3.2", "qwen3-235b-a22b", "llama-3.1-70b"}
    present = [v for v in batch.values.values() if v is not None]
    assert batch.low == min(present) and batch.high == max(present)
    ratio = by_name["output_input_price_ratio"]
    assert ratio.firm and ratio.verdict == "memory-bound decode"
