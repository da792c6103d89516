"""Issue #12's backtest target: `thesis backtest` over the 363 real daily LiteLLM files,
timed from the command line (start-up included, modules compiled as once installed:
benchmarks/cli_timing.py; target under 5 s), side by side with
another checkout's code path (`--compare`, e.g. /work/main), printing the ratios.

    uv run python benchmarks/backtest_speed.py [--snapshots DIR] [--compare CHECKOUT]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.backtest_quality import unpack  # noqa: E402
from benchmarks.cli_timing import compiled_env, timed  # noqa: E402


def backtest_seconds(checkout: Path, folder: Path) -> tuple[float, float]:
    command = [str(checkout / ".venv" / "bin" / "thesis"), "backtest", "--snapshots", str(folder)]
    env = {**compiled_env(checkout), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    return timed([*command, "--json"], env=env, cwd=checkout, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=Path, help="unpacked daily files (default: unpack)")
    parser.add_argument("--compare", type=Path, help="another checkout to time side by side")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="thesis-backtest-speed-") as tmp:
        folder = args.snapshots or unpack(Path(tmp))
        files = len(list(folder.glob("*.json*")))
        wall, cpu = backtest_seconds(ROOT, folder)
        mine = f"thesis backtest over {files} files (this checkout): {wall:6.2f} s wall"
        print(f"{mine}, {cpu:6.2f} s CPU")
        if args.compare:
            o_wall, o_cpu = backtest_seconds(args.compare, folder)
            print(
                f"thesis backtest ({args.compare}): {o_wall:6.2f} s wall, {o_cpu:6.2f} s CPU;"
                f" this checkout takes {wall / o_wall:.2f}x its wall, {cpu / o_cpu:.2f}x its CPU"
            )


if __name__ == "__main__":
    main()
