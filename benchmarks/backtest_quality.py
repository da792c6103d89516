"""Alert quality on real history: backtest the shipped theses over the 363 daily LiteLLM
files and judge the alerts against the files themselves (pipeline/backtest_quality.py).

Prints alerts per kind and alert days per year; how many price changes of watched
frontier models persisted 14 days or more and how many of those alerted within 2
snapshots (every miss, with its reason); how many alerts were for values that reverted
within 3 snapshots; how many alerts duplicate another. Then the watched-model sources:
the dated OpenRouter endpoint answers of the samples replayed (pipeline/backtest_watched.py),
with their alerts per kind.

    uv run python benchmarks/backtest_quality.py [--snapshots DIR] [--json]

Without --snapshots the sample archive is unpacked into a temporary directory.
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARCHIVE = ROOT.parent / "shared" / "samples" / "litellm_history"
ENDPOINTS = ROOT.parent / "shared" / "samples" / "openrouter_endpoints"

from alerts.records import value_text  # noqa: E402
from alerts.theses.load import load_theses  # noqa: E402
from pipeline.backtest import run_backtest  # noqa: E402
from pipeline.backtest_quality import Quality, measure, read_snapshots  # noqa: E402
from pipeline.backtest_watched import per_kind, run_watched_backtest  # noqa: E402


def unpack(into: Path) -> Path:
    archives = sorted(ARCHIVE.glob("*.tar.gz"))
    if not archives:
        sys.exit(f"no archive in {ARCHIVE}: pass --snapshots DIR")
    for archive in archives:
        with tarfile.open(archive) as tar:
            tar.extractall(into, filter="data")
    folders = {p.parent for p in into.rglob("*.json")}
    return folders.pop() if len(folders) == 1 else into


def quality_of(folder: Path) -> tuple[Quality, float]:
    t = time.perf_counter()
    result = run_backtest("litellm", folder, load_theses(), explain=False)
    took = time.perf_counter() - t
    failed = {date.fromisoformat(f.split("/")[1][:10]) for f in result.snapshots_failed}
    quality = measure(read_snapshots(folder), result.alerts, result.aliases, load_theses(), failed)
    return quality, took


def report(q: Quality, took: float) -> None:
    print(f"{q.snapshots} snapshots, {q.alerts} alerts (backtest {took:.1f} s)")
    print("alerts per kind: " + ", ".join(f"{k} {n}" for k, n in q.per_kind.items()))
    print("alert days per year: " + ", ".join(f"{y} {n}" for y, n in q.alert_days_per_year.items()))
    print(
        f"persistent price changes of watched frontier models: {len(q.persistent)};"
        f" alerted within 2 snapshots: {q.alerted_in_time}"
    )
    for miss in q.misses:
        m = miss.move
        print(
            f"  miss: {m.day} {m.canonical[0]}/{m.canonical[1]} {m.component}"
            f" {value_text(m.old)} -> {value_text(m.new)} ({', '.join(m.keys)}): {miss.reason}"
        )
    print(f"alerts on values that reverted within 3 snapshots: {len(q.reverted)}")
    for a in q.reverted:
        print(f"  reverted: {a.date} {a.trigger_id} {a.source_model_key}: {a.subject}")
    print(f"duplicate alerts (same change, same canonical model): {len(q.duplicates)}")
    for a in q.duplicates:
        print(f"  duplicate: {a.date} {a.trigger_id} {a.source_model_key}: {a.subject}")


def as_json(q: Quality) -> dict[str, object]:
    return {
        "snapshots": q.snapshots,
        "alerts": q.alerts,
        "alerts_per_kind": q.per_kind,
        "alert_days_per_year": q.alert_days_per_year,
        "persistent_changes": len(q.persistent),
        "alerted_within_2_snapshots": q.alerted_in_time,
        "misses": [
            {
                "day": m.move.day.isoformat(),
                "model": "/".join(m.move.canonical),
                "component": m.move.component,
                "reason": m.reason,
            }
            for m in q.misses
        ],
        "reverted": len(q.reverted),
        "duplicates": len(q.duplicates),
    }


def watched_kinds(folder: Path) -> dict[str, object]:
    """The watched kinds' alerts over the sample OpenRouter endpoint answers."""
    if not folder.is_dir():
        return {"skipped": f"{folder} absent"}
    result = run_watched_backtest("openrouter-endpoints", folder, load_theses())
    return {
        "source": result.source,
        "days": result.days,
        "models": len(result.loaded),
        "failed": len(result.failed),
        "alerts_per_kind": per_kind(result.alerts),
        "alerts": [f"{a.date} {a.trigger_id} {a.subject}" for a in result.alerts],
    }


def report_watched(w: dict[str, object]) -> None:
    if "skipped" in w:
        print(f"watched sources: skipped ({w['skipped']})")
        return
    kinds = w["alerts_per_kind"]
    shown = ", ".join(f"{k} {n}" for k, n in kinds.items()) if isinstance(kinds, dict) else ""
    print(
        f"watched {w['source']}: {w['days']} days, {w['models']} models, {w['failed']} failed;"
        f" alerts per kind: {shown or 'none'}"
    )
    for line in w["alerts"] if isinstance(w["alerts"], list) else []:
        print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=Path, help="unpacked daily files (default: unpack)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="thesis-quality-") as tmp:
        folder = args.snapshots or unpack(Path(tmp))
        quality, took = quality_of(folder)
    watched = watched_kinds(ENDPOINTS)
    if args.json:
        print(json.dumps(as_json(quality) | {"watched": watched}, indent=1))
    else:
        report(quality, took)
        report_watched(watched)


if __name__ == "__main__":
    main()
