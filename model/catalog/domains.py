"""Scale-up domains, dated: model/catalog/scale_up_domains.toml, validated on load.

A domain is the set of accelerators one fabric joins at full bandwidth: an NVL72 rack,
an 8-GPU HGX board, a TPU pod. Each entry is dated (announced, available) so that "the
largest domain available on a day" is a question with one answer, and each cites its
source. Problems are ConfigErrors naming the file, the entry, the field and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from model.catalog.entry import Entry
from model.catalog.load import ID_PATTERN, read_toml

DOMAINS_FILE = Path(__file__).resolve().parent / "scale_up_domains.toml"
TOPOLOGIES = ("switched", "full-mesh", "3d-torus")
FIELDS = (
    "name", "vendor", "chips", "topology", "hardware", "hbm_bytes_per_chip", "announced",
    "available", "source_url", "more_urls", "note",
)  # fmt: skip
PERIOD = re.compile(r"^(\d{4})-(?:H([12])|Q([1-4])|(0[1-9]|1[0-2]))$")


@dataclass(frozen=True, slots=True)
class ScaleUpDomain:
    id: str
    name: str
    vendor: str
    chips: int
    topology: str
    announced: date
    source_url: str
    hardware: str = ""
    hbm_bytes_per_chip: float | None = None
    available: date | None = None  # the first day of a stated period
    available_stated: str = ""  # as the source states it: a date or "2026-H2"
    more_urls: tuple[str, ...] = ()
    note: str = ""

    def available_on(self, day: date) -> bool:
        return self.available is not None and self.available <= day


def load_domains(path: Path | None = None) -> list[ScaleUpDomain]:
    """Every domain of the file, validated, in announcement order."""
    path = path or DOMAINS_FILE
    out = []
    for item_id, table in read_toml(path).items():
        entry = Entry(path, item_id, dict(table) if isinstance(table, Mapping) else {})
        if not isinstance(table, Mapping):
            entry.fail("(entry)", "not a table", f"write it as [{item_id}] with its fields")
        if not ID_PATTERN.match(item_id):
            entry.fail("(id)", "not lower-kebab-case", "e.g. [gb200-nvl72]")
        entry.reject_unknown(FIELDS)
        out.append(_domain(entry))
    return sorted(out, key=lambda d: (d.announced, d.id))


def largest_available(
    domains: Iterable[ScaleUpDomain], on: date, topology: str | None = "switched"
) -> ScaleUpDomain | None:
    """The domain with the most chips available on `on` (of one topology, or any); the
    earliest of equals, so a second 72-chip rack does not count as a change."""
    found = [d for d in domains if d.available_on(on) and topology in (None, d.topology)]
    return min(found, key=lambda d: (-d.chips, d.available or on, d.id), default=None)


def hbm_bytes_per_chip(domain: ScaleUpDomain, catalog_hbm: Mapping[str, float]) -> float:
    """HBM of one chip: stated on the entry, else the hardware catalog's."""
    if domain.hbm_bytes_per_chip is not None:
        return domain.hbm_bytes_per_chip
    try:
        return catalog_hbm[domain.hardware]
    except KeyError:
        raise KeyError(f"scale-up domain {domain.id}: no hardware {domain.hardware!r}") from None


def _domain(entry: Entry) -> ScaleUpDomain:
    topology = entry.text("topology")
    if topology not in TOPOLOGIES:
        entry.fail("topology", f"{topology!r} is not a topology", "use " + ", ".join(TOPOLOGIES))
    hardware = str(entry.table.get("hardware") or "")
    hbm = entry.number("hbm_bytes_per_chip", required=False) or None
    if not hardware and hbm is None:
        entry.fail("hardware", "no HBM figure", "name a hardware.toml id or set hbm_bytes_per_chip")
    available, stated = _available(entry)
    announced = _date(entry, "announced")
    if available is not None and available < announced.replace(day=1):
        entry.fail("available", f"{stated} is before it was announced", "check both dates")
    url = entry.text("source_url")
    if not url.startswith(("https://", "http://")):
        entry.fail("source_url", f"{url!r} is not a web address", 'write "https://..."')
    return ScaleUpDomain(
        id=entry.id,
        name=entry.text("name"),
        vendor=entry.text("vendor"),
        chips=entry.integer("chips"),
        topology=topology,
        announced=announced,
        source_url=url,
        hardware=hardware,
        hbm_bytes_per_chip=hbm,
        available=available,
        available_stated=stated,
        more_urls=_urls(entry),
        note=str(entry.table.get("note", "")),
    )


def _urls(entry: Entry) -> tuple[str, ...]:
    value = entry.table.get("more_urls", [])
    if not isinstance(value, list) or not all(
        isinstance(v, str) and v.startswith(("https://", "http://")) for v in value
    ):
        entry.fail(
            "more_urls", f"{value!r} is not a list of web addresses", 'write ["https://..."]'
        )
    return tuple(value)


def _date(entry: Entry, field: str) -> date:
    value = entry.table.get(field)
    if isinstance(value, date):
        return value
    entry.fail(field, f"{value!r} is not a date", f"write {field} = 2025-03-18 (no quotes)")


def _available(entry: Entry) -> tuple[date | None, str]:
    value = entry.table.get("available")
    if value is None:
        return None, ""
    if isinstance(value, date):
        return value, value.isoformat()
    match = PERIOD.match(str(value))
    if not match:
        entry.fail(
            "available",
            f"{value!r} is neither a date nor a period",
            'write 2025-07-01, "2026-H2", "2026-Q3" or "2025-07"',
        )
    year, half, quarter, month = match.groups()
    first_month = (
        (int(half) - 1) * 6 + 1 if half else (int(quarter) - 1) * 3 + 1 if quarter else int(month)
    )
    return date(int(year), first_month, 1), str(value)
