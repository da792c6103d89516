"""Scale-up domains: dated and sourced, and the largest one available on a day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.errors import ConfigError
from model.catalog.domains import hbm_bytes_per_chip, largest_available, load_domains

ENTRY = """
["rack-72"]
name = "A rack"
vendor = "v"
chips = 72
topology = "switched"
hbm_bytes_per_chip = 192e9
announced = 2025-03-18
available = "2026-H2"
source_url = "https://example.com/rack"
"""


def test_every_shipped_domain_is_dated_and_sourced() -> None:
    domains = load_domains()
    assert {d.id for d in domains} >= {"hgx-h100-8", "gb200-nvl72", "tpu7x-ironwood-pod"}
    for d in domains:
        assert d.source_url.startswith("https://") and d.announced.year >= 2022
        assert d.hardware or d.hbm_bytes_per_chip


@pytest.mark.parametrize(
    ("day", "switched", "any_topology"),
    [
        (date(2023, 1, 1), "hgx-h100-8", "hgx-h100-8"),
        (date(2024, 12, 1), "gb200-nvl72", "tpu-v5p-pod"),
        (date(2026, 6, 30), "gb200-nvl72", "tpu7x-ironwood-pod"),
        (date(2026, 7, 1), "gb200-nvl72", "tpu7x-ironwood-pod"),  # a 72 again: no change
    ],
)
def test_the_largest_domain_available_on_a_day(day: date, switched: str, any_topology: str) -> None:
    domains = load_domains()
    assert (found := largest_available(domains, day)) is not None and found.id == switched
    assert (anything := largest_available(domains, day, None)) is not None
    assert anything.id == any_topology


def test_a_stated_period_reads_as_its_first_day_and_announced_only_is_unavailable() -> None:
    by_id = {d.id: d for d in load_domains()}
    rubin = by_id["vera-rubin-nvl72"]
    assert (rubin.available, rubin.available_stated) == (date(2026, 7, 1), "2026-H2")
    assert not by_id["rubin-ultra-nvl576"].available_on(date(2030, 1, 1))
    assert by_id["gb300-nvl72"].available == date(2025, 7, 1)


def test_hbm_comes_from_the_entry_or_the_hardware_catalog(tmp_path: Path) -> None:
    by_id = {d.id: d for d in load_domains()}
    assert hbm_bytes_per_chip(by_id["amd-helios-72"], {}) == 432e9
    assert hbm_bytes_per_chip(by_id["gb200-nvl72"], {"gb200": 186e9}) == 186e9


@pytest.mark.parametrize(
    ("edit", "field", "fix"),
    [
        (('topology = "switched"', 'topology = "ring"'), "topology", "use switched"),
        (('available = "2026-H2"', 'available = "late 2026"'), "available", '"2026-H2"'),
        (('available = "2026-H2"', "available = 2024-01-01"), "available", "check both dates"),
        (("hbm_bytes_per_chip = 192e9\n", ""), "hardware", "hbm_bytes_per_chip"),
        (("chips = 72", "chips = 0"), "chips", ">= 1"),
    ],
)
def test_a_bad_domain_names_its_field_and_fix(
    tmp_path: Path, edit: tuple[str, str], field: str, fix: str
) -> None:
    path = tmp_path / "domains.toml"
    path.write_text(ENTRY.replace(*edit), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_domains(path)
    assert f"entry 'rack-72', field '{field}'" in str(err.value) and fix in str(err.value)
