"""Time `thesis report` on the issue's done-when warehouse, beside the figure docs give.

The warehouse: the 363-day real LiteLLM history, one genai-prices and one OpenRouter file
and the OpenRouter endpoints sample (`thesis import-snapshots`), then `thesis infer`,
as tests/reporting/test_browser.py builds it. `thesis report` runs from the command line,
start-up included: one warm-up run (Python writes its bytecode caches), then `--repeats`
timed runs. Printed: median wall and CPU seconds, the page's size, and the ratio to the
figure docs/report.md gave before (PREVIOUS: the same warehouse, before the charts of
many models shared their data sources).

With `--baseline COMMIT`, also the static matplotlib report it replaced (commit
STATIC_REPORT, exported with `git archive` and installed from its own uv.lock into a
temporary directory; it knows the price sources only, so it gets those, no inference).

    uv run python benchmarks/report.py [--repeats 3] [--baseline 3db7c97]

Needs ../shared/samples; the baseline needs the network or uv's cache (matplotlib).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"
HISTORY = SAMPLES / "litellm_history" / "litellm_daily_2023-11-03_2026-11-17.tar.gz"
EXTRA = {  # source -> (sample file, the dated name import-snapshots needs)
    "genai-prices": ("genai-prices_data_2026-08-21.json.gz", "2026-08-21.json.gz"),
    "openrouter": ("openrouter_models_2026-08-01.json.gz", "2026-08-01.json.gz"),
    "openrouter-endpoints": (
        "openrouter_endpoints/openrouter_endpoints_14models_2026-08-15.json",
        "2026-08-15_14models.json",
    ),
}
PRICE_SOURCES = ("litellm", "genai-prices", "openrouter")
# The last commit whose `thesis report` wrote static matplotlib PNGs.
STATIC_REPORT = "3db7c97"


@dataclass(frozen=True)
class Timing:
    wall_s: float
    cpu_s: float


# docs/report.md's figure on this warehouse before the charts of many models shared
# their data sources (2026-11-30: a renderer per model, ~3,700 Bokeh objects).
PREVIOUS = Timing(31.33, 12.38)
PREVIOUS_PAGE_MB = 2.60
FIVE_MB = 5 * 1024 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline", help=f"also the static report's commit ({STATIC_REPORT})")
    args = parser.parse_args()
    if not HISTORY.is_file():
        sys.exit(f"benchmark needs {HISTORY} (the shared samples)")
    with tempfile.TemporaryDirectory(prefix="report-bench-") as raw:
        work = Path(raw)
        inputs = unpack(work)
        runs = {"interactive": (ROOT, inputs, True)}
        if args.baseline:
            prices = {s: f for s, f in inputs.items() if s in PRICE_SOURCES}
            runs["static"] = (export(args.baseline, work / "static"), prices, False)
        results: dict[str, tuple[Timing, int, int]] = {}
        for name, (root, sources, infer) in runs.items():
            db = work / f"{name}.duckdb"
            for source, folder in sources.items():
                thesis(root, "import-snapshots", str(folder), "--source", source, "--db", str(db))
            if infer:
                thesis(root, "infer", "--db", str(db))
            out = work / f"{name}-out"
            thesis(root, "report", "--db", str(db), "--out", str(out))  # warm-up
            timings = [
                timed(root, "report", "--db", str(db), "--out", str(out))
                for _ in range(args.repeats)
            ]
            page = (out / "index.html").stat().st_size
            total = sum(p.stat().st_size for p in out.iterdir())
            results[name] = (median(timings), page, total)
        report(results, args)


def unpack(work: Path) -> dict[str, Path]:
    history = work / "litellm"
    history.mkdir()
    with tarfile.open(HISTORY) as tar:
        tar.extractall(history, filter="data")
    inputs = {"litellm": history}
    for source, (sample, name) in EXTRA.items():
        folder = work / source
        folder.mkdir()
        shutil.copy(SAMPLES / sample, folder / name)
        inputs[source] = folder
    return inputs


def export(commit: str, into: Path) -> Path:
    """The baseline's files (no change to this repository) in its own environment."""
    into.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    subprocess.run(
        ["uv", "sync", "--frozen", "--no-dev", "--quiet", "--project", str(into)],
        check=True,
        env=environment(),
    )
    return into


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "THESIS_DB")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's install keeps its bytecode
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="prefect-home-"))
    return env


def thesis(root: Path, *args: str) -> None:
    subprocess.run(
        [str(root / ".venv" / "bin" / "thesis"), *args],
        check=True,
        stdout=subprocess.DEVNULL,
        env=environment(),
    )


def timed(root: Path, *args: str) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    thesis(root, *args)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


def median(timings: list[Timing]) -> Timing:
    return Timing(
        statistics.median(t.wall_s for t in timings), statistics.median(t.cpu_s for t in timings)
    )


def report(results: dict[str, tuple[Timing, int, int]], args: argparse.Namespace) -> None:
    print(f"thesis report on {HISTORY.name} (+ {', '.join(EXTRA)}), median of {args.repeats}")
    for name, (timing, page, total) in results.items():
        print(
            f"  {name:<12} wall {timing.wall_s:6.2f} s  cpu {timing.cpu_s:6.2f} s  "
            f"index.html {page / 1e6:5.2f} MB  all files {total / 1e6:5.2f} MB"
        )
    now, page, _ = results["interactive"]
    print(
        f"  before (docs) wall {PREVIOUS.wall_s:6.2f} s  cpu {PREVIOUS.cpu_s:6.2f} s  "
        f"index.html {PREVIOUS_PAGE_MB:5.2f} MB"
    )
    print(
        f"  now / before: wall {now.wall_s / PREVIOUS.wall_s:.2f}x, "
        f"cpu {now.cpu_s / PREVIOUS.cpu_s:.2f}x, page {page / 1e6 / PREVIOUS_PAGE_MB:.2f}x "
        f"({'under' if page < FIVE_MB else 'OVER'} 5 MB)"
    )
    if "static" in results:
        static = results["static"][0]
        print(
            f"  interactive / static: wall {now.wall_s / static.wall_s:.2f}x, "
            f"cpu {now.cpu_s / static.cpu_s:.2f}x (baseline {args.baseline})"
        )


if __name__ == "__main__":
    main()
