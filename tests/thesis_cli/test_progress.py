"""The long commands draw a progress bar on a terminal's stderr and nothing anywhere else.

Each command runs for real in a subprocess whose stderr is a pseudo-terminal (the `pty`
module), then with `--json` on that terminal, and in the test runner (stderr not a
terminal, as when piped): the bar appears in the first case only, is erased when the
command ends, and the rest of the output is the same.
"""

from __future__ import annotations

import errno
import fcntl
import io
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.paths import FIXTURES, ROOT
from thesis_cli.main import app
from thesis_cli.progress import REDRAW_S, Bar, bar_line

HISTORY = FIXTURES / "litellm_history"  # 5 dated files and a README
ALERT_HISTORY = FIXTURES / "alerts" / "litellm_history"  # 6 dated files
COLUMNS = 100


@dataclass(frozen=True)
class Ran:
    stdout: str
    stderr: str  # as the terminal received it


def on_terminal(argv: list[str]) -> Ran:
    """`thesis ARGV` in a subprocess whose stderr is a pseudo-terminal COLUMNS wide."""
    cmd = [sys.executable, "-m", "thesis_cli.main", *argv]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("COLUMNS", None)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, COLUMNS, 0, 0))
    with subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower
    ) as proc:
        os.close(follower)
        received = _read_until_closed(leader)
        stdout = proc.stdout.read() if proc.stdout else b""
        assert proc.wait() == 0, received
    # The terminal's line discipline turns "\n" into "\r\n"; a pipe would not.
    return Ran(stdout.decode(), received.decode().replace("\r\n", "\n"))


def _read_until_closed(fd: int) -> bytes:
    chunks = []
    try:
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    except OSError as err:  # Linux reports the child's closing of the terminal as EIO
        if err.errno != errno.EIO:
            raise
    finally:
        os.close(fd)
    return b"".join(chunks)


@dataclass(frozen=True)
class Case:
    """A long command: its arguments (given a fresh folder and a loaded warehouse), the
    bar it draws, and what it prints on stderr without one."""

    name: str
    argv: Callable[[Path, Path], list[str]]
    label: str
    steps: str  # the count's total and unit
    stderr: str


CASES = [
    Case(
        "import-snapshots",
        lambda d, _: ["import-snapshots", str(HISTORY), "-s", "litellm", "--db", str(d / "w.db")],
        "import litellm",
        "5 files",
        "",
    ),
    Case("reprocess", lambda _, db: ["reprocess", "--db", str(db)], "reprocess", "5 snapshots", ""),
    Case(
        "report",
        lambda d, db: ["report", "--db", str(db), "--out", str(d / "report")],
        "report",
        "11 steps",
        "",
    ),
    Case(
        "backtest",
        lambda _, __: ["backtest", "-s", "litellm", "--snapshots", str(ALERT_HISTORY)],
        "backtest litellm",
        "6 files",
        "6 alerts from 6 snapshots of litellm\n",
    ),
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture history loaded; reprocess gives the same counts however often it runs."""
    db = tmp_path_factory.mktemp("warehouse") / "w.duckdb"
    result = CliRunner().invoke(
        app, ["import-snapshots", str(HISTORY), "-s", "litellm", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    return db


def _fresh(tmp_path: Path, name: str) -> Path:
    (tmp_path / name).mkdir()
    return tmp_path / name


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_bar_on_a_terminal_and_nothing_when_piped_or_json(
    case: Case, warehouse: Path, tmp_path: Path
) -> None:
    tty = on_terminal(case.argv(_fresh(tmp_path, "tty"), warehouse))
    # Not a terminal (the test runner's streams): stdout and stderr as they always were.
    piped = CliRunner().invoke(app, case.argv(_fresh(tmp_path, "pipe"), warehouse))
    assert piped.exit_code == 0, piped.output
    assert piped.stderr == case.stderr
    assert tty.stdout.replace("/tty/", "/pipe/") == piped.stdout
    if case.name == "import-snapshots":  # the summary, exactly as before there was a bar
        assert piped.stdout == (
            "litellm: 5 files, 5 loaded, 0 already there, 0 failed, 22 observation rows added\n"
            "  skipped (no date in name): README.md\n"
        )
    # --json on a terminal: one JSON document on stdout, not one byte on the terminal.
    as_json = on_terminal([*case.argv(_fresh(tmp_path, "json"), warehouse), "--json"])
    assert as_json.stderr == ""
    json.loads(as_json.stdout)

    # On the terminal: redrawn lines, the first after one step, the last at 100%, then
    # the line erased, and after it exactly what a pipe gets.
    drawn = re.fullmatch(r"((?:\r[^\r\n]+)+)\r( +)\r(.*)", tty.stderr, re.S)
    assert drawn, repr(tty.stderr)
    lines, blank, rest = drawn[1].split("\r")[1:], drawn[2], drawn[3]
    assert rest == case.stderr
    total, unit = case.steps.split()
    assert lines[0].startswith(f"{case.label} [")
    assert f" 1/{total} {unit} " in lines[0]
    last = lines[-1].rstrip()
    assert re.search(rf" \[#+\] {total}/{total} {unit} 100% [\d.]+/s ETA 0:00$", last)
    assert all(len(line) < COLUMNS for line in lines)  # never wraps
    assert len(blank) == len(last)


def test_a_bar_line_shows_count_percent_rate_and_time_left() -> None:
    line = bar_line("import litellm", "files", 120, 363, 2.0, 100)
    assert line == (
        "import litellm [##########--------------------] 120/363 files  33% 60.0/s ETA 0:04"
    )
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert f"\n    {line}\n" in guide  # the example the operations guide shows
    assert bar_line("report", "steps", 0, 11, 0.0, 80).endswith(" 0/11 steps   0% 0.0/s ETA --:--")
    assert bar_line("reprocess", "snapshots", 1, 4000, 1.0, 80).endswith(" ETA 1:06:39")


def test_a_narrow_terminal_gets_a_shorter_bar_then_none() -> None:
    def line(columns: int) -> str:
        return bar_line("import litellm", "files", 5, 10, 1.0, columns)

    assert (
        line(200)
        == "import litellm [###############---------------] 5/10 files  50% 5.0/s ETA 0:01"
    )
    assert line(60) == "import litellm [######-----] 5/10 files  50% 5.0/s ETA 0:01"
    assert line(50) == "import litellm 5/10 files  50% 5.0/s ETA 0:01"
    assert line(30) == "import litellm 5/10 files  50"  # cut short of the last column


def test_redraws_wait_their_turn_but_the_last_step_always_shows() -> None:
    now = [0.0]
    stream = io.StringIO()
    bar = Bar("import x", "files", stream, clock=lambda: now[0])
    bar(1, 3)
    bar(2, 3)  # same instant: skipped
    now[0] += REDRAW_S / 2
    bar(3, 3)  # the last: drawn however soon
    shown = stream.getvalue().split("\r")[1:]
    assert [re.search(r"\d/3", s)[0] for s in shown] == ["1/3", "3/3"]  # type: ignore[index]
    bar.erase()
    assert stream.getvalue().endswith("\r" + " " * len(shown[-1]) + "\r")
