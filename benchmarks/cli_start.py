"""Benchmark how long `thesis` takes to start, beside the floor: `python -c 'import duckdb'`.

Times the installed console script (`.venv/bin/thesis`, what a user runs once the
environment exists), not `uv run thesis`: uv first checks the lock and the environment,
about 0.2-0.3 s of CPU more per call, which is uv's and would hide ours (one row shows
it, for scale). Each command runs `--repeats` times in a fresh process on the same real
warehouse (a new one holding the newest LiteLLM release from the samples); the median
wall-clock and CPU seconds (user + system: the figure to read on a busy machine, where
wall-clock waits for a core) are printed with their ratio to `import duckdb`.

    uv run python benchmarks/cli_start.py [--repeats 7]

`thesis sql` must import DuckDB and open the warehouse, so `import duckdb` is its floor;
`thesis --help` imports neither, only typer.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RELEASE = ROOT.parent / "shared" / "samples" / "litellm_releases"
NEWEST = "2026-11-17T222824_1.108.11.json.gz"
FLOOR = "python -c 'import duckdb'"


def commands(db: str) -> dict[str, list[str]]:
    thesis = str(Path(sys.executable).parent / "thesis")
    return {
        FLOOR: [sys.executable, "-c", "import duckdb"],
        "thesis --help": [thesis, "--help"],
        "thesis sql 'select 1'": [thesis, "sql", "--db", db, "select 1"],
        "thesis sql (latest_prices)": [
            *(thesis, "sql", "--db", db),
            "select count(*), min(usd_per_mtok) from latest_prices",
        ],
        "uv run thesis --help": ["uv", "run", "--frozen", "thesis", "--help"],
    }


def median_s(argv: list[str], repeats: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of `argv` in a fresh process."""
    wall, cpu = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(wall), statistics.median(cpu)


def real_warehouse(folder: Path) -> str:
    """A new warehouse holding the newest real LiteLLM release."""
    from pipeline.history import import_history

    payloads = folder / "payloads"
    payloads.mkdir()
    shutil.copy(RELEASE / NEWEST, payloads / NEWEST)
    db = str(folder / "thesis.duckdb")
    import_history(db, "litellm", payloads)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    if not (RELEASE / NEWEST).is_file():
        sys.exit(f"cli_start: needs the samples: {RELEASE / NEWEST} is missing")
    env = {k: v for k, v in os.environ.items() if not k.startswith("THESIS_")}
    with tempfile.TemporaryDirectory() as tmp:
        db = real_warehouse(Path(tmp))
        timed = {name: median_s(argv, args.repeats, env) for name, argv in commands(db).items()}
    floor_wall, floor_cpu = timed[FLOOR]
    load = os.getloadavg()[0]
    print(f"median of {args.repeats} runs each ({os.cpu_count()} cores, load {load:.1f}):")
    print(f"  {'':<28} {'wall s':>7} {'ratio':>6}  {'cpu s':>7} {'ratio':>6}  (to import duckdb)")
    for name, (wall, cpu) in timed.items():
        ratios = f"{wall / floor_wall:5.2f}x  {cpu:7.3f} {cpu / floor_cpu:5.2f}x"
        print(f"  {name:<28} {wall:7.3f} {ratios}")


if __name__ == "__main__":
    main()
