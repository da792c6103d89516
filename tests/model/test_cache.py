"""The cache ladder: every cache price in USD per GB-hour, against the memory tiers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.catalog.load import Catalog, load_catalog
from model.inversion.inference import Inference
from model.inversion.prices import ModelPrices
from model.inversion.references import stand_ins_for
from model.inversion.solve import invert

CATALOG = load_catalog()
SONNET = ModelPrices(
    "anthropic",
    "claude-sonnet-4-5",
    Decimal("3"),
    Decimal("15"),
    cache_read_usd_per_mtok=Decimal("0.30"),
    cache_write_usd_per_mtok=Decimal("3.75"),
    cache_write_1h_usd_per_mtok=Decimal("6"),
)


def _cache(prices: ModelPrices, stand_in: str = "llama-3.1-70b") -> dict[str, Inference]:
    found = [
        i
        for ref in stand_ins_for(prices.provider, prices.model, CATALOG)
        for i in invert(prices, ref, CATALOG)
    ]
    return {i.name: i for i in found if i.assumptions["model"] == stand_in}


def test_anthropics_write_ladder_becomes_storage_prices(catalog: Catalog) -> None:
    found = _cache(SONNET)
    gb_per_mtok = 327.68  # Llama 3.1 70B: 327,680 bytes of bf16 KV per token
    # 0.75 USD/Mtok more than input buys 5 minutes: 0.75 x 12 / 327.68 per GB-hour
    five = found["cache_write_5m_usd_per_gb_hour"]
    assert five.value == pytest.approx(0.75 * 12 / gb_per_mtok)
    # the 1-hour write's 2.25 USD/Mtok over the 5-minute one buys 55 more minutes
    hour = found["cache_write_1h_over_5m_usd_per_gb_hour"]
    assert hour.value == pytest.approx(2.25 / (55 / 60) / gb_per_mtok)
    # a 0.30 USD/Mtok hit renews the 5-minute lifetime
    read = found["cache_read_usd_per_gb_hour"]
    assert read.value == pytest.approx(0.30 * 12 / gb_per_mtok)
    # Trainium2's HBM: 2.94 USD/chip-hour over 103.08 GB = 0.0285 USD/GB-hour; DRAM 0.0042
    assert {five.label, hour.label, read.label} == {"host-dram"}
    assert found["cache_write_premium"].value == pytest.approx(0.25)


def test_the_read_price_is_set_against_reloads_from_every_tier() -> None:
    found = _cache(SONNET)
    tier = found["cache_hit_reload_tier"]
    reload = {k: v for k, v in tier.assumptions.items() if k.startswith("reload_fraction_")}
    assert set(reload) == {
        "reload_fraction_hbm",
        "reload_fraction_host-dram",
        "reload_fraction_flash",
    }
    fractions = [reload[f"reload_fraction_{t}"] for t in ("hbm", "host-dram", "flash")]
    assert fractions == sorted(fractions)  # slower links cost more of a recompute
    paid = [t for t in ("hbm", "host-dram", "flash") if reload[f"reload_fraction_{t}"] <= 0.1]
    assert tier.label == paid[-1]  # a hit at 10% of input pays for the slowest of these


def test_prices_that_would_make_a_negative_premium_are_labelled_not_printed() -> None:
    odd = ModelPrices(
        "anthropic",
        "x",
        Decimal("3"),
        Decimal("15"),
        cache_read_usd_per_mtok=Decimal("4"),
        cache_write_usd_per_mtok=Decimal("2"),
        cache_write_1h_usd_per_mtok=Decimal("1"),
    )
    found = _cache(odd)
    for name in (
        "cache_write_premium",
        "cache_write_5m_usd_per_gb_hour",
        "cache_write_1h_over_5m_usd_per_gb_hour",
        "cache_hit_prefill_cost_avoided",
    ):
        assert found[name].value is None, name
        assert found[name].label == "inconsistent-prices", name


PRICE = st.decimals(min_value=0, max_value=100, places=4, allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(
    base=st.decimals(min_value="0.01", max_value=100, places=4),
    read=PRICE,
    write=PRICE,
    hour=PRICE,
    storage=PRICE,
)
def test_no_cache_inference_is_ever_negative(
    base: Decimal, read: Decimal, write: Decimal, hour: Decimal, storage: Decimal
) -> None:
    prices = ModelPrices(
        "anthropic",
        "x",
        base,
        base * 5,
        cache_read_usd_per_mtok=read,
        cache_write_usd_per_mtok=write,
        cache_write_1h_usd_per_mtok=hour,
        cache_storage_usd_per_mtok_hour=storage,
    )
    ref = stand_ins_for("anthropic", "x", CATALOG)[2]
    for item in invert(prices, ref, CATALOG):
        if "cache" in item.name:
            assert item.value is None or item.value >= 0, (item.name, item.value)
