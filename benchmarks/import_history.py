"""Benchmark `import-snapshots`: real LiteLLM releases and 1,000 generated daily snapshots.

Prints, for each data set: files, seconds, snapshots/s and peak RSS of the import, beside
the floor (the time just to read, gunzip and json-parse the same files), the ratio of the
two, and how fast `price_history` answers over the result.

    uv run python benchmarks/import_history.py [--days 1000] [--models 4000]

The generated history is cached in benchmarks/data/ (about 0.5 GB); delete it to rebuild.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing as mp
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RELEASES = ROOT.parent / "shared" / "samples" / "litellm_releases"
DATA = ROOT / "benchmarks" / "data"
PROVIDERS = ["openai", "anthropic", "gemini", "deepseek", "xai", "mistral", "bedrock", "azure"]


def generate(folder: Path, days: int, models: int, churn: float, seed: int = 7) -> None:
    """`days` daily LiteLLM-format files of `models` models, `churn` of entries changing daily."""
    marker = folder / f".complete-{days}-{models}-{churn}"
    if marker.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    rng = random.Random(seed)
    doc: dict[str, dict[str, object]] = {}
    for i in range(models):
        price = rng.choice([0.1, 0.25, 0.5, 1, 1.25, 2.5, 3, 5, 15]) * 1e-6
        entry: dict[str, object] = {
            "input_cost_per_token": price,
            "output_cost_per_token": price * rng.choice([2, 4, 5, 8]),
            "cache_read_input_token_cost": price / 10,
            "litellm_provider": PROVIDERS[i % len(PROVIDERS)],
            "mode": "chat",
            "max_input_tokens": rng.choice([32768, 128000, 200000, 1048576]),
            "max_output_tokens": rng.choice([4096, 8192, 65536]),
            "supports_function_calling": True,
        }
        if i % 5 == 0:
            entry["input_cost_per_token_above_200k_tokens"] = price * 2
        doc[f"{PROVIDERS[i % len(PROVIDERS)]}/model-{i:05d}"] = entry
    start = date(2023, 1, 1)
    keys = list(doc)
    for day in range(days):
        for key in rng.sample(keys, max(1, int(len(keys) * churn))):
            entry = doc[key]
            if rng.random() < 0.8:
                entry["input_cost_per_token"] = float(entry["input_cost_per_token"]) * 0.9  # type: ignore[arg-type]
            else:
                entry["max_input_tokens"] = int(entry["max_input_tokens"]) * 2  # type: ignore[call-overload]
        name = f"{start + timedelta(days=day):%Y-%m-%d}T000000_gen.json.gz"
        (folder / name).write_bytes(gzip.compress(json.dumps(doc).encode(), compresslevel=6))
    marker.touch()


def _floor(folder: Path, out: mp.Queue) -> None:  # type: ignore[type-arg]
    t, cpu = time.perf_counter(), time.process_time()
    n = 0
    for path in sorted(folder.glob("*.json*")):
        json.loads(
            gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        )
        n += 1
    took, cpu = time.perf_counter() - t, time.process_time() - cpu
    out.put((n, took, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def _import(folder: Path, db: Path, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from extractors.registry import get_source
    from pipeline.history import import_snapshots
    from warehouse.db import connection

    with connection(db) as con:
        t, cpu = time.perf_counter(), time.process_time()
        result = import_snapshots(con, get_source("litellm"), folder)
        took, cpu = time.perf_counter() - t, time.process_time() - cpu
        identity_s = _identity_rebuild(con)
        q = time.perf_counter()
        rows = con.execute("select count(*) from price_history").fetchone()
        count_s = time.perf_counter() - q
        q = time.perf_counter()
        one = con.execute(
            "select * from price_history where source_model_key = (select min(source_model_key)"
            " from price_observations) order by valid_from"
        ).fetchall()
        one_s = time.perf_counter() - q
    out.put(
        (
            len(result.results),
            result.count("failed"),
            took,
            cpu,
            identity_s,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            rows[0] if rows else 0,
            count_s,
            len(one),
            one_s,
            db.stat().st_size,
        )
    )


def _identity_rebuild(con: duckdb.DuckDBPyConnection) -> float:
    """Seconds to rebuild model identity from the imported observations (as an upgrade
    does); within the import it is kept up to date batch by batch instead."""
    from warehouse.db import migrate

    con.execute("update model_identity_state set value = '0' where name = 'rules_version'")
    t = time.perf_counter()
    migrate(con)
    return time.perf_counter() - t


def _child(target: object, *args: object) -> tuple:  # type: ignore[type-arg]
    queue: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    proc = mp.get_context("fork").Process(target=target, args=(*args, queue))  # type: ignore[arg-type]
    proc.start()
    result = queue.get()
    proc.join()
    return result  # type: ignore[no-any-return]


def bench(label: str, folder: Path) -> None:
    files, floor_s, floor_cpu, floor_kb = _child(_floor, folder)
    with tempfile.TemporaryDirectory() as tmp:
        (n, failed, took, cpu, identity_s, peak_kb, rows, count_s, one_rows, one_s, size) = _child(
            _import, folder, Path(tmp) / "bench.duckdb"
        )
    print(f"== {label}: {files} files")
    floor_mib = floor_kb / 1024
    print(
        f"  floor (read + gunzip + json.loads): {floor_s:7.2f} s  (cpu {floor_cpu:6.2f} s)"
        f"  peak RSS {floor_mib:6.0f} MiB"
    )
    print(
        f"  import-snapshots:                   {took:7.2f} s  (cpu {cpu:6.2f} s)"
        f"  peak RSS {peak_kb / 1024:6.0f} MiB  {n / took:7.1f} snapshots/s  ({failed} failed)"
    )
    print(
        f"  import / floor: {took / floor_s:.2f}x (cpu {cpu / floor_cpu:.2f}x);"
        f"  warehouse file {size / 2**20:.0f} MiB"
    )
    print(f"  model identity rebuilt from all of it (as on upgrade): {identity_s:.2f} s")
    print(
        f"  price_history: {rows} rows; count(*) in {count_s * 1000:.0f} ms; one series "
        f"({one_rows} rows) in {one_s * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=1000)
    parser.add_argument("--models", type=int, default=4000)
    parser.add_argument("--churn", type=float, default=0.01)
    args = parser.parse_args()
    if RELEASES.is_dir():
        bench("twelve real LiteLLM releases", RELEASES)
    else:
        print(f"(skipping real releases: {RELEASES} not present)")
    gen = DATA / "generated"
    t = time.perf_counter()
    generate(gen, args.days, args.models, args.churn)
    print(f"(generated history ready in {time.perf_counter() - t:.0f} s)")
    bench(f"generated: {args.days} days x {args.models} models, {args.churn:.0%} daily churn", gen)


if __name__ == "__main__":
    main()
