"""Benchmark the settings check every `thesis` command runs before it starts.

Prints the median of several fresh processes for: importing the registry (pydantic),
importing typer for scale, one `load_settings` of every variable, and
`thesis run` from start to its one-line error with THESIS_FETCH_ATTEMPTS=abc (the whole
CLI import included), and whether Prefect was imported by then. CPU seconds beside wall
seconds: on a shared machine the wall clock mostly measures the other processes.

    uv run python benchmarks/settings_check.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMED_IMPORT = (
    "import time; t, c = time.perf_counter(), time.process_time(); import {module}; "
    "print(time.perf_counter() - t, time.process_time() - c)"
)
TIMED_LOAD = (
    "import time; from core.settings import load_settings; from extractors.registry import "
    "SOURCES; load_settings(source_ids=SOURCES); t = time.perf_counter(); "
    "c = time.process_time(); [load_settings(source_ids=SOURCES) for _ in range(100)]; "
    "print((time.perf_counter() - t) / 100, (time.process_time() - c) / 100)"
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


def median_of(runs: int, code: str) -> tuple[float, float]:
    """Median wall and CPU seconds that `code` prints, one fresh process per run."""
    pairs = [tuple(float(x) for x in python(code).split()) for _ in range(runs)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def cli_seconds(runs: int) -> tuple[float, float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THESIS_")}
    env["THESIS_FETCH_ATTEMPTS"] = "abc"
    walls, cpus, imported = [], [], ""
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        imported = python(CLI, env)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus), imported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(
        f"median of {runs} fresh processes; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )
    for module in ("core.settings", "typer"):
        wall, cpu = median_of(runs, TIMED_IMPORT.format(module=module))
        print(f"import {module:<18} {wall:.3f} s wall, {cpu:.3f} s CPU")
    wall, cpu = median_of(runs, TIMED_LOAD)
    print(f"load_settings, all        {wall * 1000:.2f} ms wall, {cpu * 1000:.2f} ms CPU")
    wall, cpu, imported = cli_seconds(runs)
    print(
        f"thesis run, bad setting   {wall:.3f} s wall, {cpu:.3f} s CPU to exit 2 "
        f"(Prefect imported: {imported})"
    )


if __name__ == "__main__":
    main()
