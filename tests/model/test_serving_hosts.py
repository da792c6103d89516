"""The serving-hosts file: the shipped entries are cited, and problems name the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from model.catalog.serving_hosts import host_named, load_serving_hosts


def test_the_shipped_hosts_are_groq_cerebras_and_sambanova_each_with_a_source() -> None:
    hosts = load_serving_hosts()
    assert [h.id for h in hosts] == ["groq", "cerebras", "sambanova"]
    assert all(h.source_url.startswith("https://") and h.why for h in hosts)
    found = host_named(hosts, "Groq")
    assert found is not None and found.memory == "sram"
    assert host_named(hosts, "DeepInfra") is None


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('hosts = "Groq"', "field 'hosts': 'Groq' is not a list of host names"),
        ('memory = "dram"', "field 'memory': 'dram' is not a memory kind; fix: use sram"),
        ('source_url = "ftp://x"', "field 'source_url'"),
        ("chips = 8", "field 'chips': unknown field"),
    ],
)
def test_a_bad_entry_names_its_field_and_the_fix(tmp_path: Path, entry: str, message: str) -> None:
    good = {
        "hosts": 'hosts = ["Groq"]',
        "hardware": 'hardware = "LPU"',
        "memory": 'memory = "sram"',
        "why": 'why = "SRAM"',
        "source_url": 'source_url = "https://example.org/lpu"',
    }
    good[entry.split(" ")[0]] = entry
    path = tmp_path / "hosts.toml"
    path.write_text("[groq]\n" + "\n".join(good.values()) + "\n")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_serving_hosts(path)
