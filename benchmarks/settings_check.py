"""Benchmark the settings check every `thesis` command runs before it starts.

Prints the median of several fresh processes for: importing the registry (pydantic and
pydantic-settings), importing typer for scale, one `load_settings` of every variable, and
`thesis run` from start to its one-line error with THESIS_FETCH_ATTEMPTS=abc (the whole
CLI import included), and whether Prefect was imported by then.

    uv run python benchmarks/settings_check.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMED_IMPORT = (
    "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
)
TIMED_LOAD = (
    "import time; from core.settings import load_settings; from extractors.registry import "
    "SOURCES; load_settings(source_ids=SOURCES); t = time.perf_counter(); "
    "[load_settings(source_ids=SOURCES) for _ in range(100)]; "
    "print((time.perf_counter() - t) / 100)"
)
CLI = (
    "import atexit, sys; atexit.register(lambda: print('prefect' in sys.modules)); "
    "sys.argv = ['thesis', 'run']; from thesis_cli.main import main; main()"
)


def python(code: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return done.stdout.strip()


def median_of(runs: int, code: str) -> float:
    return statistics.median(float(python(code)) for _ in range(runs))


def cli_seconds(runs: int) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THESIS_")}
    env["THESIS_FETCH_ATTEMPTS"] = "abc"
    times, imported = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        imported = python(CLI, env)
        times.append(time.perf_counter() - start)
    return statistics.median(times), imported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(
        f"median of {runs} fresh processes; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )
    for module in ("core.settings", "typer"):
        seconds = median_of(runs, TIMED_IMPORT.format(module=module))
        print(f"import {module:<18} {seconds:.3f} s")
    print(f"load_settings, all        {median_of(runs, TIMED_LOAD) * 1000:.2f} ms")
    seconds, imported = cli_seconds(runs)
    print(f"thesis run, bad setting   {seconds:.3f} s to exit 2 (Prefect imported: {imported})")


if __name__ == "__main__":
    main()
