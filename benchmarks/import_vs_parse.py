"""Issue #12's import target: `thesis import-snapshots` of 200 full-size LiteLLM files,
timed from the command line with start-up included, against just `json.loads` of the same
files (target: at most 3x).

The files are generated from the 4,262-model LiteLLM release in the samples (about 3 MB
each): day after day, about 1% of the entries get a new input price or context window.

    uv run python benchmarks/import_vs_parse.py [--days 200] [--repeats 3] [--compare /work/main]

The floor and the import run in turns, `--repeats` rounds, and the medians are printed
with each round's ratio: the speed of this shared machine drifts by a third from one
minute to the next. `--compare CHECKOUT` times the same command from another checkout
(its .venv) in each round too, e.g. the main branch.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.cli_timing import compiled_env, timed  # noqa: E402

RELEASE = (
    ROOT.parent / "shared" / "samples" / "litellm_releases" / "2026-11-17T222824_1.108.11.json.gz"
)
DATA = ROOT / "benchmarks" / "data"


def generate(folder: Path, days: int, churn: float = 0.01, seed: int = 12) -> None:
    """`days` daily files from the release, `churn` of its entries changing each day."""
    marker = folder / f".complete-{days}-{churn}"
    if marker.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    doc = json.loads(gzip.decompress(RELEASE.read_bytes()))
    rng = random.Random(seed)
    priced = [k for k, v in doc.items() if isinstance(v, dict) and v.get("input_cost_per_token")]
    start = date(2025, 1, 1)
    for day in range(days):
        for key in rng.sample(priced, max(1, int(len(doc) * churn))):
            entry = doc[key]
            if rng.random() < 0.8:
                entry["input_cost_per_token"] = round(entry["input_cost_per_token"] * 0.9, 12)
            else:
                entry["max_input_tokens"] = int(entry.get("max_input_tokens") or 8192) * 2
        name = f"{start + timedelta(days=day):%Y-%m-%d}T000000_litellm.json"
        (folder / name).write_text(json.dumps(doc, indent=4))
    marker.touch()


def parse_floor(folder: Path) -> tuple[float, float]:
    """Seconds to read and json.loads every file, in a fresh interpreter (start-up in)."""
    code = (
        "import json, pathlib, sys\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.json')): json.loads(p.read_bytes())\n"
    )
    return timed([sys.executable, "-c", code, str(folder)], env=compiled_env(ROOT))


def import_seconds(checkout: Path, folder: Path) -> tuple[float, float]:
    """Seconds for `thesis import-snapshots` of the folder into a fresh warehouse."""
    with tempfile.TemporaryDirectory(prefix="thesis-import-") as tmp:
        env = {**compiled_env(checkout), "THESIS_DB": str(Path(tmp) / "w.duckdb")}
        command = [str(checkout / ".venv" / "bin" / "thesis"), "import-snapshots", str(folder)]
        return timed([*command, "--source", "litellm"], env=env, cwd=checkout,
                      stdout=subprocess.DEVNULL)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3, help="rounds (medians are printed)")
    parser.add_argument("--compare", type=Path, help="another checkout to time side by side")
    args = parser.parse_args()
    folder = DATA / f"release-{args.days}"
    t = time.perf_counter()
    generate(folder, args.days)
    size = sum(p.stat().st_size for p in folder.glob("*.json")) / 2**20
    print(f"{args.days} files, {size:.0f} MiB (ready in {time.perf_counter() - t:.0f} s)")
    checkouts = {"this checkout": ROOT}
    if args.compare:
        checkouts[str(args.compare)] = args.compare
    rounds: dict[str, list[tuple[float, float]]] = {"json.loads": []} | {k: [] for k in checkouts}
    for _ in range(args.repeats):  # interleaved: a machine that slows down slows them all
        rounds["json.loads"].append(parse_floor(folder))
        for name, checkout in checkouts.items():
            rounds[name].append(import_seconds(checkout, folder))
    print(f"median of {args.repeats} interleaved rounds, start-up in; ratios to json.loads:")
    floor = _medians(rounds["json.loads"])
    print(f"  {'json.loads of every file':<42}{floor[0]:7.2f} s wall {floor[1]:7.2f} s CPU")
    for name in checkouts:
        wall, cpu = _medians(rounds[name])
        ratios = [w / f for (w, _), (f, _) in zip(rounds[name], rounds["json.loads"], strict=True)]
        print(
            f"  {'thesis import-snapshots (' + name + ')':<42}{wall:7.2f} s wall {cpu:7.2f} s CPU:"
            f" {wall / floor[0]:.1f}x wall, {cpu / floor[1]:.1f}x CPU"
            f" (each round: {', '.join(f'{r:.1f}x' for r in ratios)})"
        )


def _medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


if __name__ == "__main__":
    main()
