"""Evaluate the watched-model triggers over migration 010's tables and the catalog's
files: architectures as observed, per-model speed per dollar, scale-up domains and the
disclosures file (model/catalog/)."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date
from decimal import Decimal

import duckdb

from alerts.records import Alert
from alerts.theses.load import Theses
from alerts.triggers.base import OnWatched
from alerts.triggers.inputs import ObservedArchitecture, Series, WatchedData
from core.rows import ArchitectureRow
from model.catalog.disclosures import load_disclosures
from model.catalog.domains import hbm_bytes_per_chip, load_domains
from model.catalog.load import load_catalog

ARCH_FIELDS = tuple(f.name for f in fields(ArchitectureRow))
CONFIG_URL = "https://huggingface.co/{model}"


def evaluate_watched(
    con: duckdb.DuckDBPyConnection, theses: Theses, *, today: date, since: date | None = None
) -> list[Alert]:
    """Every watched-model alert dated after `since` and not after `today`."""
    triggers = [t for t in theses.triggers if isinstance(t, OnWatched)]
    if not triggers:
        return []
    data = load_watched_data(con, today)
    alerts = [a for t in triggers for a in t.on_watched(data)]
    return [a for a in alerts if a.date <= today and (since is None or a.date > since)]


def load_watched_data(con: duckdb.DuckDBPyConnection, today: date) -> WatchedData:
    domains = load_domains()
    hbm = {h.id: h.hbm_capacity_bytes for h in load_catalog().hardware.values()}
    return WatchedData(
        architectures=_architectures(con),
        domains=domains,
        hbm_bytes_per_chip={d.id: hbm_bytes_per_chip(d, hbm) for d in domains},
        disclosures=load_disclosures(),
        speed_per_dollar=_speed_per_dollar(con),
        today=today,
    )


def _architectures(con: duckdb.DuckDBPyConnection) -> list[ObservedArchitecture]:
    rows = con.execute(
        f"select change, observed_at, {', '.join(ARCH_FIELDS)} from architecture_observations"
        " order by observed_at, source_model_key"
    ).fetchall()
    out = []
    for change, observed_at, *values in rows:
        stated = dict(zip(ARCH_FIELDS, values, strict=True))
        stated["unmapped_fields"] = tuple(stated["unmapped_fields"] or ())
        arch = ArchitectureRow(**stated)
        day = observed_at.astimezone(UTC).date()
        url = CONFIG_URL.format(model=arch.source_model_key)
        out.append(ObservedArchitecture(day, change, arch, url))
    return out


def _speed_per_dollar(con: duckdb.DuckDBPyConnection) -> dict[str, Series]:
    rows = con.execute(
        "select source_model_key, day, median(tokens_per_s_per_usd_per_mtok) from endpoint_speed"
        " where tokens_per_s_per_usd_per_mtok is not null group by all order by 1, 2"
    ).fetchall()
    out: dict[str, list[tuple[date, Decimal | None]]] = {}
    for model, day, value in rows:
        out.setdefault(model, []).append((day, Decimal(f"{value:.6g}")))
    return dict(out)
