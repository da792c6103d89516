from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.catalog.load import Catalog, load_catalog
from model.inversion.cost_ratio import (
    SOLVE_TOLERANCE,
    batch_for_ratio,
    context_for_ratio,
    decode_prefill_ratio,
    hbm_full_batch,
)
from model.inversion.infer import efficiency_for, infer_all
from model.inversion.inference import Inference
from model.inversion.prices import LongContextTier, ModelPrices
from model.inversion.references import stand_ins_for
from model.inversion.solve import invert
from model.roofline.deployment import Deployment
from model.roofline.overtraining import overtraining

CATALOG = load_catalog()
GEMINI = ModelPrices(
    provider="google",
    model="gemini-2.5-pro",
    input_usd_per_mtok=Decimal("1.25"),
    output_usd_per_mtok=Decimal("10"),
    cache_read_usd_per_mtok=Decimal("0.125"),
    cache_storage_usd_per_mtok_hour=Decimal("4.50"),
    long_context_tiers=(LongContextTier(200_000, Decimal(2), Decimal("1.5")),),
    context_limit_tokens=1_048_576,
)


def _by_name(found: list[Inference], stand_in: str = "deepseek-v3.2") -> dict[str, Inference]:
    return {i.name: i for i in found if i.assumptions["model"] == stand_in}


def _read(
    catalog: Catalog, prices: ModelPrices = GEMINI, efficiency: str = "roofline"
) -> list[Inference]:
    fractions = efficiency_for(efficiency, catalog, "per-op")
    refs = stand_ins_for("google", prices.model, catalog, efficiency=fractions)
    return [i for ref in refs for i in invert(prices, ref, catalog)]


def _gemini(
    catalog: Catalog, prices: ModelPrices = GEMINI, stand_in: str = "deepseek-v3.2"
) -> dict[str, Inference]:
    return _by_name(_read(catalog, prices), stand_in)


def test_a_closed_model_is_read_against_three_stand_in_architectures(catalog: Catalog) -> None:
    found = _read(catalog)
    assert {i.assumptions["model"] for i in found} == {
        "deepseek-v3.2",
        "qwen3-235b-a22b",
        "llama-3.1-70b",
    }
    assert {i.assumptions["hardware"] for i in found} == {"tpu7x"}


def test_costs_state_the_rental_they_rest_on(catalog: Catalog) -> None:
    for inference in _read(catalog):
        if inference.name == "serving_margin":
            assert "b200's 5.00 USD/chip-hour" in str(inference.assumptions["rental"])


def test_price_ratio_reads_as_memory_bound_decode_at_a_solved_batch(catalog: Catalog) -> None:
    found = _gemini(catalog)
    assert found["output_input_price_ratio"].value == 8.0
    assert found["output_input_price_ratio"].label == "memory-bound decode"
    batch = found["effective_decode_batch"]
    assert batch.label == "solved"
    assert batch.value is not None
    dep = Deployment(
        catalog.get_model("deepseek-v3.2"),
        catalog.get_hardware("tpu7x"),
        8,
        weights="fp8",
        compute="fp8",
    )
    ratio = decode_prefill_ratio(dep, batch.value, 8192, 8192)
    assert ratio == pytest.approx(8.0, rel=SOLVE_TOLERANCE)
    assert found["decode_memory_compute_time_ratio"].label == "memory-bound"


def test_every_inference_states_the_reference_and_the_margin_assumption(
    catalog: Catalog,
) -> None:
    for inference in _read(catalog):
        assert inference.assumptions["hardware"] == "tpu7x"
        assert inference.assumptions["margin"] == "same on input and output"
        assert "stand-in" in str(inference.assumptions["reference_basis"])
        assert inference.assumptions["efficiency"] == "roofline"
        assert inference.explanation


def test_long_context_tier_becomes_the_share_of_price_put_on_context(catalog: Catalog) -> None:
    found = _gemini(catalog)
    assert found["long_context_input_cost_share_above_200000"].value == 0.5
    assert found["long_context_output_cost_share_above_200000"].value == pytest.approx(1 / 3)
    decode = found["model_decode_cost_multiplier_at_200000"].value
    assert decode is not None and decode > 1.5  # the physics charges more than the tier
    assert 0 < (found["model_kv_share_of_decode_memory_at_200000"].value or 0) < 1


def test_cache_read_discount_is_the_prefill_share_a_hit_avoids(catalog: Catalog) -> None:
    found = _gemini(catalog)
    assert found["cache_hit_prefill_cost_avoided"].value == pytest.approx(0.9)
    assert found["cache_hit_prefill_cost_avoided"].label == "consistent"


@pytest.mark.parametrize(
    ("storage", "tier"),
    # tpu7x HBM: b200's 5.00 USD/chip-hour over 206.2 GB = 0.02425 USD/GB-hour, i.e. 7.95 USD
    # per Mtok-hour of Llama's KV; host DRAM 1.39; flash 0.036
    [("10", "hbm"), ("2", "host-dram"), ("0.05", "flash"), ("0.01", "below-flash-cost")],
)
def test_cache_storage_price_maps_to_the_memory_tier_it_pays_for(
    catalog: Catalog, storage: str, tier: str
) -> None:
    prices = ModelPrices(
        "google",
        "gemini-2.5-pro",
        Decimal("1.25"),
        Decimal("10"),
        cache_storage_usd_per_mtok_hour=Decimal(storage),
    )
    found = _gemini(catalog, prices, "llama-3.1-70b")["implied_kv_storage_usd_per_gb_hour"]
    # Llama 3.1 70B GQA: 327,680 bytes per token -> 327.68 GB per million tokens
    assert found.value == pytest.approx(float(Decimal(storage) / Decimal("327.68")), rel=1e-8)
    assert found.label == tier


def test_ratio_beyond_batch_one_and_ratio_below_reach_are_reported_not_forced(
    catalog: Catalog,
) -> None:
    huge = ModelPrices("google", "x", Decimal("0.01"), Decimal("100"))
    flat = ModelPrices("google", "x", Decimal("1"), Decimal("1"))
    assert _gemini(catalog, huge)["effective_decode_batch"].label == "above-range"
    assert _gemini(catalog, huge)["effective_decode_batch"].value is None
    capped = _gemini(catalog, flat)["effective_decode_batch"]
    assert capped.label == "hbm-capped"
    assert capped.value is None  # an HBM-full batch is never an implied batch
    assert capped.explanation.startswith("HBM-capped")
    assert _gemini(catalog, flat)["output_input_price_ratio"].label == "near compute parity"


def test_an_hbm_capped_bound_never_reads_as_an_implied_batch(catalog: Catalog) -> None:
    flat = ModelPrices("google", "x", Decimal("1"), Decimal("1"))
    bound = _gemini(catalog, flat)["decode_memory_compute_time_ratio"]
    assert bound.assumptions["batch_basis"] == "hbm-capped"
    assert bound.explanation.startswith("HBM-capped (a capacity limit, not a batch")
    assert "At batch" not in bound.explanation


def test_a_ratio_within_two_percent_of_the_reach_is_solved_not_out_of_range(
    catalog: Catalog,
) -> None:
    dep = Deployment(
        catalog.get_model("deepseek-v3.2"), catalog.get_hardware("tpu7x"), 8, "fp8", "fp8"
    )
    most = batch_for_ratio(dep, 1e9, 8192, 8192).range_high
    reach = decode_prefill_ratio(dep, most, 8192, 8192)
    assert batch_for_ratio(dep, reach * 0.99, 8192, 8192).status == "solved"
    assert batch_for_ratio(dep, reach * 0.97, 8192, 8192).status == "hbm-capped"


def test_a_known_architecture_is_read_alone(catalog: Catalog) -> None:
    refs = stand_ins_for("deepseek", "deepseek-chat", catalog)
    assert [(r.model_id, r.hardware_id, r.role) for r in refs] == [
        ("deepseek-v3.2", "h800", "known architecture")
    ]


def test_overtraining_equalised_compute_gives_tokens_per_parameter() -> None:
    result = overtraining(37e9, 5e7, 60)
    assert result.pretraining_tokens == pytest.approx(5e7 * 60 * 86_400 / 3)
    assert result.tokens_per_parameter == pytest.approx(2335.135, rel=1e-6)
    assert result.factor_vs_chinchilla == pytest.approx(116.757, rel=1e-5)


def test_infer_all_filters_and_honours_assumed_architecture() -> None:
    rows = [
        {"provider": p, "model": m, "component": c, "usd_per_mtok": Decimal(v)}
        for p, m, c, v in [
            ("anthropic", "claude-sonnet-4-5", "input", "3"),
            ("anthropic", "claude-sonnet-4-5", "output", "15"),
            ("openai", "gpt-5", "input", "1.25"),
            ("openai", "gpt-5", "output", "10"),
        ]
    ]
    found = infer_all(
        rows,
        provider="openai",
        assume_model="llama-3.1-405b",
        assume_hardware="h200",
        catalog=CATALOG,
    )
    assert {i.model for i in found} == {"gpt-5"}
    assert {i.assumptions["model"] for i in found} == {"llama-3.1-405b"}
    assert {i.assumptions["hardware"] for i in found} == {"h200"}


DEPLOYMENTS = [
    Deployment(CATALOG.get_model(m), CATALOG.get_hardware(h), n, weights=w, compute=w)
    for m, h, n, w in [
        ("deepseek-v3", "gb200", 72, "fp8"),
        ("llama-3.1-70b", "h100-sxm", 8, "bf16"),
        ("qwen3-235b-a22b", "h200", 8, "fp8"),
        ("gemma-3-27b", "tpu-v6e", 8, "bf16"),
    ]
]


@settings(max_examples=60, deadline=None)
@given(
    dep=st.sampled_from(DEPLOYMENTS),
    fraction=st.floats(0, 1),
    context=st.sampled_from([1024, 8192, 32768]),
)
def test_inverting_a_forward_ratio_recovers_the_batch(
    dep: Deployment, fraction: float, context: int
) -> None:
    most = float(int(hbm_full_batch(dep, context)))
    batch = 1 + fraction * (most - 1)
    ratio = decode_prefill_ratio(dep, batch, context, 8192)
    solved = batch_for_ratio(dep, ratio, context, 8192)
    assert solved.value is not None
    assert decode_prefill_ratio(dep, solved.value, context, 8192) == pytest.approx(ratio, rel=1e-5)
    falling = decode_prefill_ratio(dep, batch * (1 - 1e-3), context, 8192) > ratio * (1 + 1e-7)
    if falling:  # the ratio still falls with batch there: one batch has it
        assert solved.value == pytest.approx(batch, rel=1e-5)
    else:  # flat (every operation at its compute or KV limit): the smallest batch with it
        assert solved.value <= batch * (1 + 1e-5)


@settings(max_examples=60, deadline=None)
@given(dep=st.sampled_from(DEPLOYMENTS), fraction=st.floats(0.01, 1))
def test_inverting_a_forward_ratio_recovers_the_context(dep: Deployment, fraction: float) -> None:
    longest = float(dep.model.context_tokens)
    reach = context_for_ratio(dep, 1e9, 8192, longest).range_high
    context = max(1.0, fraction * reach)
    batch = max(1.0, hbm_full_batch(dep, context))
    ratio = decode_prefill_ratio(dep, batch, context, 8192)
    solved = context_for_ratio(dep, ratio, 8192, longest)
    assert solved.value == pytest.approx(context, rel=1e-4)
