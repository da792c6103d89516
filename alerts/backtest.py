"""Replay dated snapshots through import, trigger evaluation and the roofline inversion
in a scratch warehouse.

Nothing is delivered and the user's warehouse is not touched: the snapshots are loaded
into a temporary DuckDB file with the same importer `thesis import-snapshots` uses, every
trigger of the theses file is evaluated over the whole history, and (unless
explain=False) each alert gets the roofline explanation of its model's prices as of the
day it fired (alerts.backtest_explain).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from alerts.backtest_explain import explain_backtest
from alerts.records import Alert, Value, value_text
from alerts.theses.load import Theses
from alerts.triggers.evaluate import evaluate_source
from alerts.triggers.state import MemoryState
from core.errors import ConfigError


@dataclass(frozen=True, slots=True)
class BacktestResult:
    source: str
    snapshots_loaded: int
    snapshots_failed: tuple[str, ...]
    skipped_files: tuple[str, ...]
    alerts: tuple[Alert, ...]


def run_backtest(
    source_id: str, snapshots: Path, theses: Theses, *, explain: bool = True
) -> BacktestResult:
    from extractors.registry import get_source
    from pipeline.history import import_snapshots
    from warehouse.db import connection

    source = get_source(source_id)
    if not snapshots.is_dir():
        raise ConfigError(f"--snapshots {snapshots}: not a directory of dated snapshot files")
    with (
        tempfile.TemporaryDirectory(prefix="thesis-backtest-") as scratch,
        connection(Path(scratch) / "backtest.duckdb", wait_s=0) as con,
    ):
        imported = import_snapshots(con, source, snapshots)
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
    return BacktestResult(
        source=source.id,
        snapshots_loaded=len(loaded),
        snapshots_failed=tuple(
            f"{r.snapshot_id}: {r.error}" for r in imported.results if r.status == "failed"
        ),
        skipped_files=tuple(imported.skipped_files),
        alerts=tuple(alerts),
    )


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
