"""The transcripts in docs/demo.md: run the offline demo once, check or rewrite them.

A transcript is a ```console block whose first line is the command. The block of
`$ uv run python scripts/demo_offline.py` shows everything the demo printed (stdout and
stderr, as a terminal shows them); a block of `$ uv run thesis ...` is that command run
afterwards on the demo's warehouse (`out/demo`). The demo runs in a temporary folder,
shown as `out/demo`; only run-specific values are normalised before comparing: the dates
of the run's day and the three days before it, the clock time of a stored alert, the run
id, the local server's port and the report's size (Bokeh writes random ids into it).

    uv run python -m tests.scripts.demo_transcripts            # check docs/demo.md
    uv run python -m tests.scripts.demo_transcripts --rewrite  # rewrite it from a real run
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "demo.md"
DEMO = "uv run python scripts/demo_offline.py"
QUERY = "uv run thesis "
SHOWN_OUT = "out/demo"
BLOCK = re.compile(r"```console\n\$ ([^\n]*)\n(.*?)```", re.DOTALL)
RUN_ID = re.compile(r"\bdaily-(\d{4})(\d\d)(\d\d)T\d{6}-[0-9a-f]{8}\b")
DEMO_TIMEOUT_S = 1800  # ~60 s of CPU; minutes of wall clock on a busy two-core machine


@dataclass(frozen=True)
class Transcript:
    command: str  # without the leading "$ "
    output: str


def transcripts(text: str) -> list[Transcript]:
    return [Transcript(m.group(1), m.group(2).strip("\n")) for m in BLOCK.finditer(text)]


def run_day(demo_output: str) -> date:
    """The day the demo ran, read from the daily run's id."""
    found = RUN_ID.search(demo_output)
    if found is None:
        raise ValueError("the demo's output names no daily run id")
    return date(*(int(part) for part in found.groups()))


def normalise(text: str, today: date) -> str:
    """`text` with the values that differ from run to run replaced by placeholders."""
    text = RUN_ID.sub("daily-<run id>", text)
    text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<port>", text)
    text = re.sub(r"\d+(\.\d+)? MB\b", "<size> MB", text)
    for days_ago in range(4):
        day, name = today - timedelta(days=days_ago), f"<today-{days_ago}>"
        text = text.replace(day.isoformat(), name).replace(f"{day:%Y%m%d}", name)
    return re.sub(r"<today-0> \d\d:\d\d(?!:)", "<today-0> <hh:mm>", text)


def run_demo(out: Path, prefect_api_url: str | None = None) -> str:
    """What the demo prints, writing into `out` (shown as out/demo)."""
    args = [sys.executable, "scripts/demo_offline.py", "--out", str(out)]
    if prefect_api_url:
        args += ["--prefect-api-url", prefect_api_url]
    return _output(args, out)


def run_query(command: str, out: Path) -> str:
    """What `uv run thesis ...` prints on the demo's warehouse in `out`."""
    args = [
        str(out) + arg.removeprefix(SHOWN_OUT) if arg.startswith(SHOWN_OUT) else arg
        for arg in shlex.split(command.removeprefix(QUERY))
    ]
    return _output([str(Path(sys.executable).with_name("thesis")), *args], out)


def _output(args: list[str], out: Path) -> str:
    # Unbuffered children write in program order to the one pipe, as to a terminal.
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    done = subprocess.run(
        args,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=DEMO_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(args)} exited {done.returncode}:\n{done.stdout}")
    return done.stdout.replace(str(out), SHOWN_OUT).strip("\n")


def outputs(commands: list[str], out: Path, prefect_api_url: str | None = None) -> dict[str, str]:
    """Each command's output: the demo first (it fills `out`), then the queries on it."""
    if DEMO not in commands:
        raise ValueError(f"{DOCUMENT.name} shows no `$ {DEMO}` transcript")
    printed = {DEMO: run_demo(out, prefect_api_url)}
    for command in commands:
        if command == DEMO:
            continue
        if not command.startswith(QUERY):
            raise ValueError(f"{DOCUMENT.name}: `$ {command}` is neither the demo nor thesis")
        printed[command] = run_query(command, out)
    return printed


def stale(text: str, printed: dict[str, str]) -> list[str]:
    """A diff per transcript of `text` that differs from `printed` (normalised)."""
    shown = {t.command: t.output for t in transcripts(text)}
    doc_day, run_day_ = run_day(shown[DEMO]), run_day(printed[DEMO])
    diffs = []
    for command, output in shown.items():
        old = normalise(output, doc_day).splitlines()
        new = normalise(printed[command], run_day_).splitlines()
        if old != new:
            diff = difflib.unified_diff(old, new, "docs/demo.md", "this run", lineterm="", n=1)
            diffs.append(f"$ {command}\n" + "\n".join(diff))
    return diffs


def rewrite(text: str, printed: dict[str, str]) -> str:
    def fresh(match: re.Match[str]) -> str:
        return f"```console\n$ {match.group(1)}\n{printed[match.group(1)]}\n```"

    return BLOCK.sub(fresh, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--rewrite", action="store_true", help="rewrite docs/demo.md's blocks")
    text = DOCUMENT.read_text(encoding="utf-8")
    rewriting = parser.parse_args().rewrite
    with tempfile.TemporaryDirectory() as tmp:
        printed = outputs([t.command for t in transcripts(text)], Path(tmp).resolve() / "demo")
    if rewriting:
        DOCUMENT.write_text(rewrite(text, printed), encoding="utf-8")
        print(f"rewrote {len(printed)} transcripts in docs/demo.md")
        return
    diffs = stale(text, printed)
    print("\n\n".join(diffs) or "docs/demo.md matches this run")
    raise SystemExit(1 if diffs else 0)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
