"""Benchmark how long `thesis` takes to start, beside the floor: `python -c 'import duckdb'`.

Each command runs `--repeats` times in a fresh process on the same (new, migrated)
warehouse; the median wall-clock time of each, its ratio to the floor, and the median CPU
time (user + system: the figure to read on a busy machine, where wall-clock waits for a
core) are printed.

    uv run python benchmarks/cli_start.py [--repeats 7]

`thesis sql` must open the warehouse and import DuckDB, so `import duckdb` is what it
cannot go below; `thesis --help` imports neither. `import typer` and `import pydantic`
are printed for scale: typer is imported by every command, and typer checks a command's
options with pydantic, so any command that runs (not --help) imports pydantic.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def commands(db: str) -> dict[str, list[str]]:
    thesis = [sys.executable, "-m", "thesis_cli.main"]
    return {
        "python -c 'import duckdb'": [sys.executable, "-c", "import duckdb"],
        "python -c 'import typer'": [sys.executable, "-c", "import typer"],
        "python -c 'import pydantic'": [sys.executable, "-c", "from pydantic import BaseModel"],
        "thesis --help": [*thesis, "--help"],
        "thesis sql 'select 1'": [*thesis, "sql", "--db", db, "select 1"],
        "thesis sql (a view)": [*thesis, "sql", "--db", db, "select count(*) from latest_prices"],
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    from warehouse.db import connection

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "thesis.duckdb")
        with connection(db):  # creates and migrates it, so every command finds it ready
            pass
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        timed = {name: median_s(argv, args.repeats, env) for name, argv in commands(db).items()}
    floor_wall, floor_cpu = timed["python -c 'import duckdb'"]
    load = os.getloadavg()[0]
    print(f"median of {args.repeats} runs each ({os.cpu_count()} cores, load {load:.1f}):")
    print(f"  {'':<30} {'wall s':>7} {'ratio':>6}  {'cpu s':>7} {'ratio':>6}  (to import duckdb)")
    for name, (wall, cpu) in timed.items():
        ratios = f"{wall / floor_wall:5.2f}x  {cpu:7.3f} {cpu / floor_cpu:5.2f}x"
        print(f"  {name:<30} {wall:7.3f} {ratios}")


if __name__ == "__main__":
    main()
