from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.errors import ConfigError
from model.catalog.load import Catalog, load_catalog
from model.catalog.specs import Hardware, MemoryTier, ModelSpec

REQUIRED_HARDWARE = {
    "h100-sxm",
    "h200",
    "b200",
    "gb200",
    "b300",
    "gb300",
    "rubin",
    "mi300x",
    "mi325x",
    "mi355x",
    "tpu-v5e",
    "tpu-v5p",
    "tpu-v6e",
    "tpu7x",
    "trainium2",
    "tpu-v4",
    "h800",
}
REQUIRED_MODELS = {
    "deepseek-v3",
    "kimi-k2",
    "qwen3-235b-a22b",
    "gpt-oss-120b",
    "llama-3.1-8b",
    "llama-3.1-70b",
    "llama-3.1-405b",
    "gemma-3-27b",
    "mixtral-8x22b",
    "palm-540b",
    "deepseek-v3.2",
    "gemma-4-31b",
    "kimi-k2.5",
}


def test_shipped_catalog_has_every_item_the_issue_lists(catalog: Catalog) -> None:
    assert set(catalog.hardware) >= REQUIRED_HARDWARE
    assert set(catalog.models) >= REQUIRED_MODELS
    assert {"hbm", "host-dram", "flash"} <= set(catalog.memory_tiers)


def test_every_entry_cites_a_source_and_a_confidence(catalog: Catalog) -> None:
    items: list[Hardware | ModelSpec | MemoryTier] = [
        *catalog.hardware.values(),
        *catalog.models.values(),
        *catalog.memory_tiers.values(),
    ]
    for item in items:
        assert item.source_url.startswith("https://"), item.id
        assert len(item.confidence) > 10, item.id


def test_h100_figures_are_the_datasheet_ones(catalog: Catalog) -> None:
    h100 = catalog.get_hardware("h100-sxm")
    assert h100.flops_per_s("bf16") == 989.4e12
    assert h100.hbm_bandwidth_bytes_per_s == 3.35e12
    assert h100.hbm_capacity_bytes == 80e9
    assert h100.rental_usd_per_chip_hour == Decimal("2.50")
    assert h100.rental_price_date == date(2025, 10, 1)


def test_rubin_is_marked_preliminary_and_lacks_unpublished_figures(catalog: Catalog) -> None:
    rubin = catalog.get_hardware("rubin")
    assert rubin.preliminary
    assert rubin.rental_usd_per_chip_hour is None
    with pytest.raises(ConfigError, match="no bf16 dense FLOP/s"):
        rubin.flops_per_s("bf16")


def test_memory_tiers_are_ordered_from_fast_and_dear_to_slow_and_cheap(catalog: Catalog) -> None:
    tiers = sorted(catalog.memory_tiers.values(), key=lambda t: t.rank)
    prices = [t.usd_per_gb_hour for t in tiers]
    assert prices == sorted(prices, reverse=True)


def test_unknown_id_lists_the_known_ones(catalog: Catalog) -> None:
    with pytest.raises(ConfigError, match=r"unknown hardware 'h1000'.*h100-sxm.*--hardware-file"):
        catalog.get_hardware("h1000")


USER_CHIP = """
[my-chip]
name = "Test accelerator"
bf16_dense_flops_per_s = 1e15
hbm_capacity_bytes = 100e9
hbm_bandwidth_bytes_per_s = 4e12
scale_up_domain_chips = 16
scale_up_bandwidth_bytes_per_s_per_chip = 500e9
scale_out_bandwidth_bytes_per_s_per_chip = 50e9
rental_usd_per_chip_hour = "1.75"
rental_price_date = 2026-01-15
source_url = "https://example.com/my-chip"
confidence = "made up for a test"
"""


def _write(tmp_path: Path, text: str, name: str = "hw.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_hardware_file_adds_entries_beside_the_shipped_ones(tmp_path: Path) -> None:
    catalog = load_catalog(hardware_files=[_write(tmp_path, USER_CHIP)])
    chip = catalog.get_hardware("my-chip")
    assert chip.flops_per_s("bf16") == 1e15
    assert chip.rental_usd_per_chip_hour == Decimal("1.75")
    assert "h100-sxm" in catalog.hardware


def test_user_file_overrides_a_shipped_entry_with_the_same_id(tmp_path: Path) -> None:
    text = USER_CHIP.replace("[my-chip]", "[h100-sxm]")
    catalog = load_catalog(hardware_files=[_write(tmp_path, text)])
    assert catalog.get_hardware("h100-sxm").hbm_bandwidth_bytes_per_s == 4e12


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("hbm_bandwidth_bytes_per_s = 4e12\n", ""),
            r"entry 'my-chip', field 'hbm_bandwidth_bytes_per_s': missing; fix: add",
        ),
        (
            ("hbm_capacity_bytes = 100e9", "hbm_capacity_gigs = 100"),
            r"field 'hbm_capacity_gigs': unknown field; fix: use one of",
        ),
        (
            ("hbm_capacity_bytes = 100e9", "hbm_capacity_bytes = -1.0"),
            r"field 'hbm_capacity_bytes': -1.0 must be positive",
        ),
        (
            ("hbm_capacity_bytes = 100e9", 'hbm_capacity_bytes = "lots"'),
            r"field 'hbm_capacity_bytes': 'lots' is not a number",
        ),
        (("[my-chip]", "[My_Chip]"), r"entry 'My_Chip': id must be lower-kebab-case"),
        (
            ("rental_price_date = 2026-01-15\n", ""),
            r"field 'rental_price_date': missing or not a date; fix: a rental price needs",
        ),
        (
            ('rental_usd_per_chip_hour = "1.75"', 'rental_usd_per_chip_hour = "cheap"'),
            r"field 'rental_usd_per_chip_hour': 'cheap' is not a number",
        ),
        (("bf16_dense_flops_per_s = 1e15\n", ""), r"no dense FLOP/s figure at any precision"),
        (
            ("scale_up_domain_chips = 16", "scale_up_domain_chips = 2.5"),
            r"field 'scale_up_domain_chips': 2.5 is not a whole number",
        ),
    ],
)
def test_bad_hardware_entries_are_refused_naming_file_entry_field_and_fix(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    old, new = edit
    assert old in USER_CHIP
    path = _write(tmp_path, USER_CHIP.replace(old, new))
    with pytest.raises(ConfigError, match=message) as err:
        load_catalog(hardware_files=[path])
    assert str(err.value).startswith(str(path))


USER_MODEL = """
["tiny-moe"]
name = "Tiny MoE"
layers = 4
d_model = 512
heads = 8
kv_heads = 2
head_dim = 64
attention = "gqa"
experts_routed = 16
experts_active = 2
total_params = 1e9
active_params = 0.25e9
context_tokens = 8192
source_url = "https://example.com/tiny"
confidence = "test"
"""


def test_user_model_file_loads_with_optional_fields_defaulted(tmp_path: Path) -> None:
    catalog = load_catalog(model_files=[_write(tmp_path, USER_MODEL, "m.toml")])
    tiny = catalog.get_model("tiny-moe")
    assert tiny.is_moe
    assert tiny.sliding_window_layers == 0
    assert tiny.dense_params + tiny.routed_expert_params == pytest.approx(1e9)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('attention = "gqa"', 'attention = "linear"'), r"'linear' is not an attention kind"),
        (("kv_heads = 2", "kv_heads = 16"), r"field 'kv_heads': 16 exceeds heads"),
        (('attention = "gqa"', 'attention = "mla"'), r"field 'mla_latent_dim': missing"),
        (("experts_active = 2", "experts_active = 16"), r"field 'experts_active'"),
        (("active_params = 0.25e9", "active_params = 2e9"), r"exceeds total_params"),
        (
            ("layers = 4\n", "layers = 4\nsliding_window_layers = 2\n"),
            r"field 'sliding_window_tokens': sliding-window layers need a window length",
        ),
    ],
)
def test_inconsistent_model_entries_are_refused(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    old, new = edit
    path = _write(tmp_path, USER_MODEL.replace(old, new), "m.toml")
    with pytest.raises(ConfigError, match=message):
        load_catalog(model_files=[path])


def test_malformed_toml_and_missing_files_name_the_file(tmp_path: Path) -> None:
    broken = _write(tmp_path, "[oops\n", "broken.toml")
    with pytest.raises(ConfigError, match=r"broken.toml: not valid TOML"):
        load_catalog(hardware_files=[broken])
    with pytest.raises(ConfigError, match=r"nowhere.toml: catalog file not found"):
        load_catalog(model_files=[tmp_path / "nowhere.toml"])


def test_hgx_b300_carries_its_own_dense_figures_not_the_nvl72_racks(catalog: Catalog) -> None:
    b300, gb300 = catalog.get_hardware("b300"), catalog.get_hardware("gb300")
    assert (b300.flops_per_s("bf16"), b300.flops_per_s("fp8"), b300.flops_per_s("fp4")) == (
        2.25e15,
        4.5e15,
        13e15,
    )
    assert gb300.flops_per_s("fp4") == 15e15
    assert "int8" not in b300.dense_flops_per_s  # cut on Blackwell Ultra


def test_tpu7x_is_priced_by_an_explicit_fallback(catalog: Catalog) -> None:
    tpu = catalog.get_hardware("tpu7x")
    assert tpu.rental_fallback == "b200"
    assert tpu.rental_usd_per_chip_hour == catalog.get_hardware("b200").rental_usd_per_chip_hour
    assert "stands in" in tpu.rental_note


def test_a_fallback_to_an_unpriced_chip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "hw.toml"
    path.write_text(
        """[my-chip]
name = "x"
bf16_dense_flops_per_s = 1e15
hbm_capacity_bytes = 1e11
hbm_bandwidth_bytes_per_s = 1e12
scale_up_domain_chips = 8
scale_up_bandwidth_bytes_per_s_per_chip = 1e11
scale_out_bandwidth_bytes_per_s_per_chip = 1e10
rental_fallback = "rubin"
source_url = "https://example.com"
confidence = "made up for a test"
""",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="'rubin' is not a priced chip"):
        load_catalog(hardware_files=[path])


def test_memory_tiers_below_hbm_say_how_fast_a_cached_kv_comes_back(catalog: Catalog) -> None:
    dram, flash = catalog.memory_tiers["host-dram"], catalog.memory_tiers["flash"]
    assert dram.reload_bandwidth_bytes_per_s_per_chip == 64e9  # PCIe 5.0 x16, one way
    assert flash.reload_bandwidth_bytes_per_s_per_chip == 50e9  # a 400 Gb/s NIC
    assert dram.reload_path and flash.reload_path
