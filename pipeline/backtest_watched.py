"""`thesis backtest --source openrouter-endpoints|model-configs`: replay dated answers of
a watched-model source through its loader and the kinds that read it.

Like the price backtest (pipeline/backtest.py) it works in a scratch warehouse and
delivers nothing. Each file is one day: dated by a name that starts with an ISO date
(`2026-08-15_...`, as `import-snapshots` reads) or ends with one before the extension
(`..._2026-08-15.json`, as the shared samples are named); other files are skipped and
listed. An OpenRouter file may hold several models' answers keyed by model id; each is
loaded as its model's own answer. A config file's model is read from its name
(`hf_config_<org>__<name>.json`). Only the kinds that read the replayed source are
evaluated (alerts.triggers.speed and expert_layout); the catalog-file kinds do not
depend on it.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from alerts.explain import with_explanations
from alerts.records import Alert
from alerts.theses.load import Theses
from alerts.triggers.evaluate_watched import evaluate_watched
from core.errors import ConfigError, SourceError
from extractors.registry import get_watched
from extractors.watched.base import WatchedSource
from extractors.watched.model_configs import key_for_file
from extractors.watched.openrouter_endpoints import responses
from pipeline.history import observed_at_from_name
from warehouse.db import connection
from warehouse.watched_load import WatchedPayload, WatchedResult, load_watched

# The kinds each watched source feeds.
KINDS_OF = {
    "openrouter-endpoints": ("speed_per_dollar", "speed_beyond_roofline"),
    "model-configs": ("expert_layout",),
}
_SUFFIX_DATE = re.compile(r"_(\d{4}-\d{2}-\d{2})(?:\.json)?(?:\.gz)?$")


@dataclass(frozen=True, slots=True)
class WatchedBacktest:
    source: str
    days: int
    loaded: tuple[str, ...]  # source:model streams loaded at least once
    failed: tuple[str, ...]  # snapshot id: error
    skipped_files: tuple[str, ...]
    alerts: tuple[Alert, ...]


def is_watched(source_id: str) -> bool:
    return source_id in KINDS_OF


def run_watched_backtest(source_id: str, folder: Path, theses: Theses) -> WatchedBacktest:
    source = get_watched(source_id)
    files, skipped = _dated(folder)
    if not files:
        raise ConfigError(
            f"--snapshots {folder}: no dated files (names must start with an ISO date, or end"
            " with _YYYY-MM-DD before .json)"
        )
    kinds = KINDS_OF[source.id]
    own = replace(theses, triggers=tuple(t for t in theses.triggers if t.kind in kinds))
    with (
        tempfile.TemporaryDirectory(prefix="thesis-backtest-") as scratch,
        connection(Path(scratch) / "backtest.duckdb", wait_s=0) as con,
    ):
        results = [r for when, path in files for r in _load(con, source, path, when)]
        last = max(when for when, _ in files).date()
        alerts = with_explanations(con, evaluate_watched(con, own, today=last))
    return WatchedBacktest(
        source=source.id,
        days=len({when.date() for when, _ in files}),
        loaded=tuple(sorted({source.stream(r.model) for r in results if r.status == "loaded"})),
        failed=tuple(f"{r.snapshot_id}: {r.error}" for r in results if r.status == "failed"),
        skipped_files=tuple(skipped),
        alerts=tuple(sorted(alerts, key=lambda a: (a.date, a.trigger_id, a.source_model_key))),
    )


def date_of(name: str) -> datetime | None:
    """The UTC day a file's name starts or ends with (None: neither)."""
    found = observed_at_from_name(name)
    if found is not None:
        return found
    match = _SUFFIX_DATE.search(name)
    return datetime.fromisoformat(match.group(1)).replace(tzinfo=UTC) if match else None


def _dated(folder: Path) -> tuple[list[tuple[datetime, Path]], list[str]]:
    if not folder.is_dir():
        raise ConfigError(f"--snapshots {folder}: not a directory of dated files")
    dated, skipped = [], []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".json"):
        when = date_of(path.name)
        if when is None:
            skipped.append(path.name)
        else:
            dated.append((when, path))
    return sorted(dated), skipped


def _load(
    con: duckdb.DuckDBPyConnection, source: WatchedSource, path: Path, when: datetime
) -> list[WatchedResult]:
    payload = path.read_bytes()
    # A config's model is in its name (a date prefix is read past, a suffix cut off).
    model = key_for_file(Path(_SUFFIX_DATE.sub("", path.name.removesuffix(".json")) + ".json"))
    return [
        load_watched(con, WatchedPayload(source, m, body, when, "import"))
        for m, body in _answers(source, model, payload).items()
    ]


def _answers(source: WatchedSource, model: str, payload: bytes) -> dict[str, bytes]:
    """Each model's answer in a file: OpenRouter files may hold several, keyed by id."""
    if source.host_keys is None:
        return {model: payload}
    try:
        split = responses(payload)
    except SourceError:
        return {model: payload}  # the loader parses it again and records the failure
    return {m: json.dumps(doc).encode() for m, doc in split.items()}


def per_kind(alerts: tuple[Alert, ...]) -> dict[str, int]:
    """Alerts per trigger kind, kinds in name order."""
    out: dict[str, int] = {}
    for a in alerts:
        out[a.kind] = out.get(a.kind, 0) + 1
    return dict(sorted(out.items()))
