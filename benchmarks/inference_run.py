"""Benchmark the daily inversion step on a warehouse holding the latest real LiteLLM file.

Loads the newest LiteLLM release file from ../shared/samples (3 MB, every priced model)
into a fresh DuckDB file, then times `pipeline.inference.infer_and_store` (read the
prices, invert every model against its stand-ins, store the rows) `--repeats` times and
prints the median, the number of models and rows, and the pure inversion's share.

    uv run python benchmarks/inference_run.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RELEASES = ROOT.parent / "shared" / "samples" / "litellm_releases"


def _load(db: Path) -> None:
    from extractors.registry import get_source
    from pipeline.history import import_snapshots
    from warehouse.db import connect

    newest = sorted(RELEASES.glob("*.json.gz"))[-1]
    folder = db.parent / "snapshots"
    folder.mkdir()
    shutil.copy(newest, folder / newest.name)
    con = connect(db)
    import_snapshots(con, get_source("litellm"), folder)
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not RELEASES.is_dir():
        sys.exit(f"benchmark needs {RELEASES} (the shared samples)")
    from model.inversion.infer import infer_all
    from pipeline.inference import infer_and_store
    from warehouse.db import connect
    from warehouse.inferences import read_limit_rows, read_price_rows

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        _load(db)
        con = connect(db)
        prices, limits = read_price_rows(con), read_limit_rows(con)
        whole, pure = [], []
        found: list[object] = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            found = list(infer_and_store(con, now=datetime.now(UTC), run_id="bench"))
            whole.append(time.perf_counter() - start)
            start = time.perf_counter()
            infer_all(prices, limits)
            pure.append(time.perf_counter() - start)
        con.close()
    models = len({(i.provider, i.model) for i in found})  # type: ignore[attr-defined]
    print(f"models inverted: {models}; inference rows: {len(found)}")
    print(f"infer_and_store median: {statistics.median(whole):.2f} s over {args.repeats} runs")
    print(f"infer_all (pure) median: {statistics.median(pure):.2f} s")


if __name__ == "__main__":
    main()
