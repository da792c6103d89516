"""Issue #12's import target: `thesis import-snapshots` of 200 full-size LiteLLM files,
timed from the command line with start-up included, against just `json.loads` of the same
files (target: at most 3x).

The files are generated from the 4,262-model LiteLLM release in the samples (about 3 MB
each): day after day, about 1% of the entries get a new input price or context window.

    uv run python benchmarks/import_vs_parse.py [--days 200] [--compare /work/main]

`--compare CHECKOUT` times the same command from another checkout (its .venv) side by
side, e.g. the main branch, and prints the ratio between the two.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
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
    parser.add_argument("--compare", type=Path, help="another checkout to time side by side")
    args = parser.parse_args()
    folder = DATA / f"release-{args.days}"
    t = time.perf_counter()
    generate(folder, args.days)
    size = sum(p.stat().st_size for p in folder.glob("*.json")) / 2**20
    print(f"{args.days} files, {size:.0f} MiB (ready in {time.perf_counter() - t:.0f} s)")
    floor, floor_cpu = parse_floor(folder)
    print(f"  json.loads of every file (start-up in): {floor:6.2f} s wall, {floor_cpu:6.2f} s CPU")
    mine, cpu = import_seconds(ROOT, folder)
    print(
        f"  thesis import-snapshots (this checkout): {mine:6.2f} s wall, {cpu:6.2f} s CPU:"
        f" {mine / floor:.1f}x wall, {cpu / floor_cpu:.1f}x CPU"
    )
    if args.compare:
        other, other_cpu = import_seconds(args.compare, folder)
        print(
            f"  thesis import-snapshots ({args.compare}): {other:6.2f} s wall,"
            f" {other_cpu:6.2f} s CPU: {other / floor:.1f}x wall, {other_cpu / floor_cpu:.1f}x CPU"
        )


if __name__ == "__main__":
    main()
