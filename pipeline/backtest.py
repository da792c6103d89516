"""`thesis backtest`: replay dated snapshots through import, trigger evaluation and the
roofline inversion in a scratch warehouse.

Nothing is delivered and the user's warehouse is not touched: the snapshots are loaded
into a temporary DuckDB file with the same importer `thesis import-snapshots` uses
(pipeline/history.py), every trigger of the theses file is evaluated over the whole
history, and (unless explain=False) each alert gets the roofline explanation of its
model's prices as of the day it fired.

The daily run inverts today's `latest_prices` for every model (pipeline/inference.py)
and attaches the result to its alerts (alerts/explain.py). A backtest has the whole
history loaded at once, so `latest_prices` would be the last snapshot's: here the same
inversion runs on the prices as of each day that has alerts, once per day and only for
the models alerted that day. Hundreds of snapshots stay interactive because only alert
days cost anything, and each costs a few models.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from alerts.explain import with_explanations
from alerts.records import Alert, Value, value_text
from alerts.theses.load import Theses
from alerts.triggers.evaluate import evaluate_source
from alerts.triggers.state import MemoryState
from core.errors import ConfigError
from core.progress import Progress
from extractors.registry import get_source
from model.catalog.load import load_catalog
from model.inversion.band import bands
from model.inversion.infer import infer_all
from pipeline.history import import_snapshots
from warehouse.as_of import day_ends, limits_as_of, model_key, prices_as_of
from warehouse.db import connection
from warehouse.identity import read_aliases
from warehouse.inference_bands import delete_bands, store_bands
from warehouse.inferences import delete_inferences, store_inferences


@dataclass(frozen=True, slots=True)
class BacktestResult:
    source: str
    snapshots_loaded: int
    snapshots_failed: tuple[str, ...]
    skipped_files: tuple[str, ...]
    alerts: tuple[Alert, ...]
    # source key -> canonical (provider, model), as model identity decided at the end
    aliases: Mapping[str, tuple[str, str]] = field(default_factory=dict)


def run_backtest(
    source_id: str,
    snapshots: Path,
    theses: Theses,
    *,
    explain: bool = True,
    progress: Progress | None = None,
) -> BacktestResult:
    source = get_source(source_id)
    if not snapshots.is_dir():
        raise ConfigError(f"--snapshots {snapshots}: not a directory of dated snapshot files")
    with (
        tempfile.TemporaryDirectory(prefix="thesis-backtest-") as scratch,
        connection(Path(scratch) / "backtest.duckdb", wait_s=0) as con,
    ):
        imported = import_snapshots(con, source, snapshots, progress=progress)
        loaded = [r for r in imported.results if r.status in ("loaded", "unchanged")]
        if not loaded:
            raise ConfigError(
                f"--snapshots {snapshots}: no loadable files (names must start with an "
                "ISO date or timestamp, e.g. 2024-10-03T120000_litellm.json)"
            )
        alerts = evaluate_source(
            con, theses, source.id, state=MemoryState(), source_url=source.page_url
        )
        if explain:
            alerts = explain_backtest(con, source.id, alerts)
        aliases = {
            str(r["source_model_key"]): (str(r["provider"]), str(r["model"]))
            for r in read_aliases(con, source.id)
        }
    return BacktestResult(
        source=source.id,
        snapshots_loaded=len(loaded),
        snapshots_failed=tuple(
            f"{r.snapshot_id}: {r.error}" for r in imported.results if r.status == "failed"
        ),
        skipped_files=tuple(imported.skipped_files),
        alerts=tuple(alerts),
        aliases=aliases,
    )


def explain_backtest(
    con: duckdb.DuckDBPyConnection, source: str, alerts: Sequence[Alert]
) -> list[Alert]:
    """The alerts, in the same order, each with its model's roofline explanation as of
    the snapshot day it fired on (empty where the inversion has nothing to say)."""
    catalog = load_catalog()
    by_day: dict[date, list[int]] = defaultdict(list)
    for i, alert in enumerate(alerts):
        by_day[alert.date].append(i)
    ends = day_ends(con, source)
    out = list(alerts)
    for day, positions in sorted(by_day.items()):
        models = sorted({model_key(alerts[i].provider, alerts[i].model) for i in positions})
        at = ends[day]
        found = infer_all(
            prices_as_of(con, source, at, models),
            limits_as_of(con, source, at, models),
            catalog=catalog,
        )
        # Only this day's inferences may explain this day's alerts.
        delete_inferences(con)
        delete_bands(con)
        store_inferences(con, found, computed_at=at, run_id="backtest")
        store_bands(con, bands(found), computed_at=at, run_id="backtest")
        explained = with_explanations(con, [alerts[i] for i in positions])
        for i, alert in zip(positions, explained, strict=True):
            out[i] = alert
    return out


def _json_value(value: Value) -> Any:
    if isinstance(value, Decimal):
        return float(value_text(value))
    return value


def alert_json(alert: Alert) -> dict[str, Any]:
    """One backtest item: the fields the issue fixes, then context for reading it."""
    return {
        "date": alert.date.isoformat(),
        "trigger_id": alert.trigger_id,
        "kind": alert.kind,
        "provider": alert.provider,
        "model": alert.model,
        "source_model_key": alert.source_model_key,
        "old": _json_value(alert.old_value),
        "new": _json_value(alert.new_value),
        "unit": alert.unit,
        "subject": alert.subject,
        "severity": alert.severity,
        "thesis_id": alert.thesis_id,
        "explanation": alert.explanation,
    }
