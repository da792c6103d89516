"""Long-context tiers: the price step against the modelled cost step, and what a gap implies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from model.catalog.load import load_catalog
from model.inversion.inference import Inference
from model.inversion.prices import LongContextTier, ModelPrices
from model.inversion.references import deployment_for, stand_ins_for
from model.inversion.solve import invert
from model.roofline.capacity import never_compute_bound_context

CATALOG = load_catalog()


def _gemini(output_step: str) -> ModelPrices:
    tier = LongContextTier(200_000, Decimal(2), Decimal(output_step))
    return ModelPrices(
        "google", "gemini-2.5-pro", Decimal("1.25"), Decimal("10"), long_context_tiers=(tier,)
    )


def _read(prices: ModelPrices) -> dict[str, dict[str, Inference]]:
    out: dict[str, dict[str, Inference]] = {}
    for ref in stand_ins_for("google", prices.model, CATALOG):
        out[ref.model_id] = {i.name: i for i in invert(prices, ref, CATALOG)}
    return out


def test_the_verdict_is_the_modelled_decode_step_over_the_price_step() -> None:
    found = _read(_gemini("1.5"))
    for stand_in, items in found.items():
        verdict = items["long_context_verdict_at_200000"]
        decode = items["model_decode_cost_multiplier_at_200000"].value
        assert decode is not None
        assert verdict.value == pytest.approx(decode / 1.5), stand_in
        assert verdict.assumptions["price_step"] == 1.5
        assert verdict.assumptions["modelled_decode_step"] == decode
        ceiling = items["never_compute_bound_context"].value
        assert verdict.assumptions["never_compute_bound_context"] == ceiling
        assert "Above 200000 tokens the price steps 1.5x output / 2x input" in verdict.explanation


def test_the_context_past_which_no_batch_is_compute_bound_is_the_roofline_one() -> None:
    found = _read(_gemini("1.5"))
    ref = stand_ins_for("google", "gemini-2.5-pro", CATALOG)[2]
    expected = never_compute_bound_context(deployment_for(ref, CATALOG))
    assert found["llama-3.1-70b"]["never_compute_bound_context"].value == expected


@pytest.mark.parametrize(
    ("stand_in", "output_step", "label"),
    [
        ("llama-3.1-70b", "1.5", "cross-subsidy"),  # its cost steps ~21x; no remedy but KV
        ("deepseek-v3.2", "2", "more-chips"),  # HBM caps its batch; 7x the chips restore it
        ("deepseek-v3.2", "50", "covered"),
    ],
)
def test_the_gap_is_read_as_covered_more_chips_or_cross_subsidy(
    stand_in: str, output_step: str, label: str
) -> None:
    verdict = _read(_gemini(output_step))[stand_in]["long_context_verdict_at_200000"]
    assert verdict.label == label
    assert verdict.assumptions["threshold_tokens"] == 200_000


def test_a_model_without_a_tier_gets_no_long_context_verdict() -> None:
    plain = ModelPrices("google", "x", Decimal("1.25"), Decimal("10"))
    names = set(_read(plain)["llama-3.1-70b"])
    assert not any("long_context" in n or n == "never_compute_bound_context" for n in names)
