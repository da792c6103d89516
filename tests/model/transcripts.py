"""Command transcripts in model/README.md and docs/roofline.md: run them, check or rewrite them.

A transcript is a ```console block whose first line is `$ thesis ...`; the lines after it
are that command's output. A block ending in a line `...` shows only the output's first
lines. Commands run with the working directory holding `gemini.duckdb`, a warehouse with
Gemini 2.5 Pro's published prices (Google's pricing page: 1.25 / 10 USD per Mtok in and
out, 2.50 / 15 above 200k prompt tokens, cache reads 0.125, storage 4.50 per Mtok-hour).

    uv run python -m tests.model.transcripts      # rewrite the blocks from the code
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = (ROOT / "model" / "README.md", ROOT / "docs" / "roofline.md")
BLOCK = re.compile(r"```console\n(\$ thesis [^\n]*)\n(.*?)```", re.DOTALL)
ELLIPSIS = "..."
OBSERVED = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Transcript:
    command: str  # "$ thesis ..."
    shown: list[str]  # the output lines the document shows (without a closing "...")
    truncated: bool


def transcripts(text: str) -> list[Transcript]:
    out = []
    for match in BLOCK.finditer(text):
        lines = match.group(2).rstrip("\n").split("\n")
        truncated = lines[-1] == ELLIPSIS
        out.append(Transcript(match.group(1), lines[:-1] if truncated else lines, truncated))
    return out


def build_gemini_warehouse(path: Path) -> None:
    from tests.gemini import observe_gemini
    from warehouse.db import connect

    con = connect(path)
    observe_gemini(con, OBSERVED)
    con.close()


@contextmanager
def workspace() -> Iterator[Path]:
    """A temporary working directory holding gemini.duckdb."""
    previous = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build_gemini_warehouse(folder / "gemini.duckdb")
        os.chdir(folder)
        try:
            yield folder
        finally:
            os.chdir(previous)


def run(command: str) -> list[str]:
    """The output lines of `$ thesis ...` (run in-process on the real command line app)."""
    from thesis_cli.main import app

    args = shlex.split(command.removeprefix("$ thesis "))
    result = CliRunner().invoke(app, args)
    if result.exit_code != 0:
        raise RuntimeError(f"{command} exited {result.exit_code}: {result.output}")
    return result.stdout.rstrip("\n").split("\n")


def rewrite(text: str) -> str:
    """The document with every transcript's output replaced by what the code prints now."""

    def fresh(match: re.Match[str]) -> str:
        old = transcripts(match.group(0))[0]
        lines = run(old.command)
        if old.truncated:
            lines = [*lines[: len(old.shown)], ELLIPSIS]
        return "```console\n" + old.command + "\n" + "\n".join(lines) + "\n```"

    return BLOCK.sub(fresh, text)


def main() -> None:
    with workspace():
        for path in DOCUMENTS:
            text = path.read_text(encoding="utf-8")
            path.write_text(rewrite(text), encoding="utf-8")
            print(f"rewrote {len(transcripts(text))} transcripts in {path.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
