"""Evaluate the watched-model triggers over migration 010's tables and the catalog's
files: architectures as observed, per-model speed per dollar and each host's p50 speed,
the price-implied decode batch (`inferences`), scale-up domains, the disclosures file
and the serving-hosts file (model/catalog/)."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date
from decimal import Decimal

import duckdb

from alerts.records import Alert
from alerts.theses.load import Theses
from alerts.triggers.base import OnWatched
from alerts.triggers.inputs import HostSpeed, ObservedArchitecture, Series, WatchedData
from core.rows import ArchitectureRow
from extractors.providers import openrouter_model
from model.catalog.disclosures import load_disclosures
from model.catalog.domains import hbm_bytes_per_chip, load_domains
from model.catalog.load import load_catalog
from model.catalog.serving_hosts import load_serving_hosts

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
    catalog = load_catalog()
    hbm = {h.id: h.hbm_capacity_bytes for h in catalog.hardware.values()}
    speed = _speed_per_dollar(con)
    return WatchedData(
        architectures=_architectures(con),
        domains=domains,
        hbm_bytes_per_chip={d.id: hbm_bytes_per_chip(d, hbm) for d in domains},
        disclosures=load_disclosures(),
        speed_per_dollar=speed,
        today=today,
        implied_batch=_implied_batch(con, list(speed)),
        host_speeds=_host_speeds(con),
        models=catalog.models,
        hardware=catalog.hardware,
        serving_hosts=load_serving_hosts(),
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


def _host_speeds(con: duckdb.DuckDBPyConnection) -> list[HostSpeed]:
    rows = con.execute(
        "select day, source_model_key, endpoint_key, host, quantization,"
        " throughput_p50_tokens_per_s from endpoint_observations"
        " where throughput_p50_tokens_per_s > 0 order by day, source_model_key, endpoint_key"
    ).fetchall()
    return [HostSpeed(*row) for row in rows]


def _implied_batch(con: duckdb.DuckDBPyConnection, models: list[str]) -> dict[str, Series]:
    """Per OpenRouter model id, the daily median over the stand-ins of the inversion's
    effective_decode_batch for the model as the `openrouter` price source names it
    (model identity's canonical name, else the source's own)."""
    canonical = dict(
        ((key, (provider, model)) for key, provider, model in con.execute(
            "select source_model_key, provider, model from model_aliases"
            " where source = 'openrouter'"
        ).fetchall())
    )  # fmt: skip
    rows = con.execute(
        "select provider, model, day, median(value) from inferences"
        " where name = 'effective_decode_batch' and value is not null group by all order by 3"
    ).fetchall()
    by_model: dict[tuple[str, str], list[tuple[date, Decimal | None]]] = {}
    for provider, model, day, value in rows:
        by_model.setdefault((provider, model), []).append((day, Decimal(f"{value:.6g}")))
    out: dict[str, Series] = {}
    for key in models:
        named = openrouter_model(key)
        # The canonical name (after the price-view rewrite) or the source's own.
        for name in (canonical.get(key), (named.provider, named.model)):
            if name in by_model:
                out[key] = by_model[name]
                break
    return out
