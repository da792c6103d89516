"""What the reconciled price series adds to the daily load, on the full-feed warehouse.

Builds a warehouse from full-size real payloads (the 4,262-model LiteLLM release, the
whole OpenRouter response, genai-prices data.json, one a day for `--days` days), then
times loading the next day's payloads of all three sources (LiteLLM with 1% of its
prices changed) into a copy of it, twice: as the code runs (identity, then the series),
and with the series step taken out. Prints both medians and the difference and ratio.

    uv run python benchmarks/series_load.py [--days 3] [--repeats 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT.parent / "shared" / "samples"
FILES = {
    "litellm": "litellm_releases/2026-11-17T222824_1.108.11.json.gz",
    "openrouter": "openrouter_models_2026-08-01.json.gz",
    "genai-prices": "genai-prices_data_2026-08-21.json.gz",
}
START = datetime(2026, 11, 1, 6, tzinfo=UTC)


def _payloads() -> dict[str, bytes]:
    return {s: gzip.decompress((SAMPLES / f).read_bytes()) for s, f in FILES.items()}


def _litellm_changed(payload: bytes, share: float) -> bytes:
    """The LiteLLM file with `share` of its input prices raised by 10%."""
    data = json.loads(payload)
    keys = [k for k, v in data.items() if isinstance(v, dict) and v.get("input_cost_per_token")]
    for key in keys[:: max(1, int(1 / share))]:
        data[key]["input_cost_per_token"] = data[key]["input_cost_per_token"] * 1.1
    return json.dumps(data).encode()


def _load(db: Path, payloads: dict[str, bytes], at: datetime) -> tuple[float, float]:
    """Wall and CPU seconds (every thread of the process: DuckDB's too) of the load."""
    from extractors.registry import get_source
    from warehouse.bulk import BulkLoader, Payload
    from warehouse.db import connect

    con = connect(db)
    start, cpu = time.perf_counter(), time.process_time()
    for source, payload in payloads.items():
        loader = BulkLoader(con, get_source(source), max_shrink_share=1.0)
        loader.add(Payload(get_source(source), payload, at, origin="import"))
        loader.flush()
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not SAMPLES.exists():
        sys.exit(f"needs the real samples at {SAMPLES}")
    import warehouse.bulk as bulk

    payloads = _payloads()
    work = Path(tempfile.mkdtemp(prefix="series_load_"))
    base = work / "base.duckdb"
    for day in range(args.days):
        _load(base, payloads, START + timedelta(days=day))
    nextday = dict(payloads, litellm=_litellm_changed(payloads["litellm"], 0.01))
    at = START + timedelta(days=args.days)
    names = ("refresh_series", "remember_identity", "moved_models")
    real: dict[str, object] = {name: getattr(bulk, name) for name in names}
    skipped: dict[str, object] = {
        "refresh_series": lambda *a: None,
        "remember_identity": lambda *a: None,
        "moved_models": lambda *a: set(),
    }
    timings: dict[str, list[tuple[float, float]]] = {"with series": [], "without series": []}
    for _ in range(args.repeats):
        for mode in timings:
            # without: the series step and the identity comparison it needs, taken out
            for name, step in (real if mode == "with series" else skipped).items():
                setattr(bulk, name, step)
            copy = work / "copy.duckdb"
            shutil.copy(base, copy)
            timings[mode].append(_load(copy, nextday, at))
            copy.unlink()
    for name, step in real.items():
        setattr(bulk, name, step)
    print(f"daily load of litellm + openrouter + genai-prices after {args.days} days of them")
    print(f"(medians of {args.repeats}; CPU counts DuckDB's threads, steadier on a busy machine):")
    for i, clock in enumerate(("wall", "CPU")):
        with_s = statistics.median(t[i] for t in timings["with series"])
        without = statistics.median(t[i] for t in timings["without series"])
        print(
            f"  {clock:4s} without series {without:.3f} s, with series {with_s:.3f} s:"
            f" series costs {with_s - without:+.3f} s, ratio {with_s / without:.2f}x"
        )
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
