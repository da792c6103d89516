"""Serving hosts whose hardware is public: model/catalog/serving_hosts.toml, validated.

OpenRouter states no host's hardware. The few hosts listed here serve from memory other
than HBM-fed GPUs (on-chip SRAM, a three-tier memory), so an HBM roofline does not bound
their per-user speed; every other host is read against the scale-up domain catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from model.catalog.entry import Entry
from model.catalog.load import entries

HOSTS_FILE = Path(__file__).resolve().parent / "serving_hosts.toml"
MEMORIES = ("sram", "sram+hbm+ddr")
FIELDS = ("hosts", "hardware", "memory", "why", "source_url", "more_urls")


@dataclass(frozen=True, slots=True)
class ServingHost:
    id: str
    hosts: tuple[str, ...]  # OpenRouter provider names, exact
    hardware: str
    memory: str
    why: str
    source_url: str
    more_urls: tuple[str, ...] = ()


def load_serving_hosts(path: Path | None = None) -> list[ServingHost]:
    """Every entry of the file, validated, in file order."""
    return [_host(entry) for entry in entries(path or HOSTS_FILE, FIELDS)]


def host_named(hosts: list[ServingHost], name: str) -> ServingHost | None:
    """The entry listing this OpenRouter provider name, if any."""
    return next((h for h in hosts if name in h.hosts), None)


def _host(entry: Entry) -> ServingHost:
    names = entry.table.get("hosts")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        entry.fail("hosts", f"{names!r} is not a list of host names", 'write hosts = ["Groq"]')
    memory = entry.text("memory")
    if memory not in MEMORIES:
        entry.fail("memory", f"{memory!r} is not a memory kind", "use " + ", ".join(MEMORIES))
    more = entry.table.get("more_urls", [])
    urls: list[object] = [entry.text("source_url"), *(more if isinstance(more, list) else [more])]
    if not all(isinstance(u, str) and u.startswith(("https://", "http://")) for u in urls):
        entry.fail("source_url", f"{urls!r} holds a non-address", 'write "https://..."')
    return ServingHost(
        id=entry.id,
        hosts=tuple(names),
        hardware=entry.text("hardware"),
        memory=memory,
        why=entry.text("why"),
        source_url=str(urls[0]),
        more_urls=tuple(str(u) for u in urls[1:]),
    )
