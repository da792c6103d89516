"""Implied revenue per chip-hour and the serving margin over rental."""

from __future__ import annotations

from decimal import Decimal

import pytest

from model.catalog.load import load_catalog
from model.inversion.cost_ratio import decode_cost
from model.inversion.infer import efficiency_for
from model.inversion.inference import Inference
from model.inversion.prices import ModelPrices
from model.inversion.references import deployment_for, stand_ins_for
from model.inversion.solve import invert

CATALOG = load_catalog()
DEEPSEEK = ModelPrices("deepseek", "deepseek-chat", Decimal("0.28"), Decimal("0.42"))


def _read(prices: ModelPrices, efficiency: str = "calibrated") -> list[tuple[str, Inference]]:
    fractions = efficiency_for(efficiency, CATALOG, "per-op")
    out = []
    for ref in stand_ins_for(prices.provider, prices.model, CATALOG, efficiency=fractions):
        out.extend((ref.model_id, i) for i in invert(prices, ref, CATALOG))
    return out


def test_revenue_is_output_price_times_tokens_per_chip_hour_at_the_implied_batch() -> None:
    prices = ModelPrices("openai", "gpt-x", Decimal("1.25"), Decimal("10"))
    found = {(s, i.name): i for s, i in _read(prices)}
    revenue = found[("llama-3.1-70b", "implied_revenue_usd_per_chip_hour")]
    batch = float(revenue.assumptions["batch"])
    ref = stand_ins_for(
        "openai", "gpt-x", CATALOG, efficiency=efficiency_for("calibrated", CATALOG, "per-op")
    )[2]
    per_token = decode_cost(deployment_for(ref, CATALOG), batch, 8192)
    assert revenue.value == pytest.approx(10 * 3600 / per_token / 1e6, abs=0.005)
    margin = found[("llama-3.1-70b", "serving_margin")]
    assert margin.value == pytest.approx(1 - 6.00 / revenue.value, rel=1e-3)  # gb200 at 6.00
    assert margin.label == ("above-rental" if margin.value > 0 else "below-rental")


def test_calibration_lowers_revenue_by_the_decode_fraction() -> None:
    calibrated = {(s, i.name): i for s, i in _read(DEEPSEEK)}
    roofline = {(s, i.name): i for s, i in _read(DEEPSEEK, "roofline")}
    key = ("deepseek-v3.2", "implied_revenue_usd_per_chip_hour")
    fraction = efficiency_for("calibrated", CATALOG, "per-op").decode_fraction
    if calibrated[key].assumptions["batch"] == roofline[key].assumptions["batch"]:
        assert calibrated[key].value == pytest.approx(roofline[key].value * fraction, abs=0.01)
    assert calibrated[key].value < roofline[key].value


def test_an_hbm_capped_revenue_says_it_is_an_upper_bound() -> None:
    flat = ModelPrices("google", "x", Decimal("1"), Decimal("1.2"))
    found = {(s, i.name): i for s, i in _read(flat)}
    revenue = found[("llama-3.1-70b", "implied_revenue_usd_per_chip_hour")]
    assert revenue.label == "hbm-capped"
    assert "HBM-capped: at the HBM-full batch, so an upper bound" in revenue.explanation
    margin = found[("llama-3.1-70b", "serving_margin")]
    assert "b200's 5.00 USD/chip-hour" in margin.explanation  # tpu7x's stated fallback
