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
inversion runs on `latest_prices` as it read on each day that has alerts (the reconciled
series the triggers fired on, warehouse/as_of.py), once per day and only for the models
alerted that day. Hundreds of snapshots stay interactive because only alert
days cost anything, and each costs a few models.
"""

from __future__ import annotations

import math
import tempfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from alerts.explain import ExplanationRow, explained_by_rows
from alerts.records import Alert, Value, value_text
from alerts.theses.load import Theses
from alerts.triggers.evaluate import evaluate_series
from alerts.triggers.state import MemoryState
from core.errors import ConfigError
from core.progress import Progress
from extractors.registry import get_source
from model.catalog.load import load_catalog
from model.inversion.band import Band, bands
from model.inversion.infer import infer_each
from model.inversion.inference import Inference
from pipeline.history import import_snapshots
from warehouse.as_of import day_ends, limits_as_of, model_key, prices_as_of
from warehouse.db import connection
from warehouse.identity import read_aliases

# Files loaded per transaction: ten years of daily files, so a backtest's history is
# reconciled once, not again from each 100-file batch's first day as an import does (the
# scratch warehouse needs no intermediate commits; the series comes out the same).
HISTORY_BATCH = 4_000


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
        imported = import_snapshots(
            con, source, snapshots, progress=progress, batch_size=HISTORY_BATCH
        )
        loaded = [r for r in imported.results if r.status in ("loaded", "unchanged")]
        if not loaded:
            raise ConfigError(
                f"--snapshots {snapshots}: no loadable files (names must start with an "
                "ISO date or timestamp, e.g. 2024-10-03T120000_litellm.json)"
            )
        alerts = evaluate_series(
            con, theses, state=MemoryState(), source_urls={source.id: source.page_url}
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
    """The alerts, in the same order, each with its canonical model's roofline
    explanation from the reconciled series as of the snapshot day it fired on (empty
    where the inversion has nothing to say). `source` dates the days and gives the
    context limits."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for i, alert in enumerate(alerts):
        by_day[alert.date].append(i)
    ends = day_ends(con, source)
    days = sorted(by_day)
    moments = [
        (ends[day], sorted({model_key(alerts[i].provider, alerts[i].model) for i in by_day[day]}))
        for day in days
    ]
    found_per_day = infer_each(
        zip(prices_as_of(con, moments), limits_as_of(con, source, moments), strict=True),
        catalog=load_catalog(),
    )
    out = list(alerts)
    for day, found in zip(days, found_per_day, strict=True):
        # Only this day's inferences may explain this day's alerts.
        positions = by_day[day]
        explained = explained_by_rows([alerts[i] for i in positions], explanation_rows(found))
        for i, alert in zip(positions, explained, strict=True):
            out[i] = alert
    return out


def explanation_rows(found: Sequence[Inference]) -> list[ExplanationRow]:
    """What `with_explanations` reads back once `found` and its bands alone are stored
    (warehouse/inferences.py, warehouse/inference_bands.py): the first row of each key
    counts, NaN is stored as null; the bands with a value, else the stand-ins with one."""
    first_band: dict[tuple[str, str, str], Band] = {}
    for b in bands(found):
        first_band.setdefault((b.provider, b.model, b.name), b)
    with_low = [(*key, b.explanation) for key, b in first_band.items() if _stored(b.low)]
    if with_low:
        return sorted(with_low)
    first: dict[tuple[str, str, str, str, str], Inference] = {}
    for i in found:
        ref = (str(i.assumptions.get("model", "")), str(i.assumptions.get("hardware", "")))
        first.setdefault((i.provider, i.model, i.name, *ref), i)
    # order by provider, model, name, reference_model desc
    kept = sorted(
        ((key, i) for key, i in first.items() if _stored(i.value)),
        key=lambda item: item[0][3],
        reverse=True,
    )
    kept.sort(key=lambda item: item[0][:3])
    return [(*key[:3], i.explanation) for key, i in kept]


def _stored(value: float | None) -> bool:
    """Whether a DOUBLE written from this value is not null (DuckDB reads NaN as null)."""
    return value is not None and not math.isnan(value)


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
        "evidence": alert.evidence,
    }
