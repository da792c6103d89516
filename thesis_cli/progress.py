"""A progress bar on stderr for the long commands, drawn only on a terminal.

One line, redrawn in place with `\r` (no escape codes, so any terminal shows it): what
runs, a bar, the count, the percentage, the rate and the time left. It is erased when
the command ends, so a terminal keeps exactly what a pipe or `--json` gets. Standard
library only: `thesis --help` must stay light.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from core.progress import Progress

REDRAW_S = 0.1  # at most ten redraws a second: a fast loop must not spend its time drawing
BAR_WIDTH = (10, 30)  # the bar's narrowest and widest, in characters


@contextmanager
def progress_bar(label: str, unit: str, *, quiet: bool = False) -> Iterator[Progress | None]:
    """A bar for the block's steps, or None (nothing drawn) when stderr is not a
    terminal or `quiet` (`--json`) is set."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    bar = Bar(label, unit, sys.stderr)
    try:
        yield bar
    finally:
        bar.erase()


class Bar:
    """Draws (done, total) as one line of `stream`, at most every REDRAW_S seconds."""

    def __init__(
        self,
        label: str,
        unit: str,
        stream: TextIO,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label, self.unit, self.stream, self.clock = label, unit, stream, clock
        self.started = clock()
        self.drawn_at: float | None = None
        self.width = 0  # of the line on screen, to erase it

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if self.drawn_at is not None and done < total and now - self.drawn_at < REDRAW_S:
            return
        self.drawn_at = now
        text = bar_line(self.label, self.unit, done, total, now - self.started, _columns())
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def erase(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def bar_line(label: str, unit: str, done: int, total: int, elapsed_s: float, columns: int) -> str:
    """`import litellm [######------] 120/363 files 33% 41.2/s ETA 0:06`, fitted to
    `columns` (the bar shrinks, then goes)."""
    share = done / total if total else 1.0
    rate = done / elapsed_s if elapsed_s > 0 else 0.0
    eta = _clock_text((total - done) / rate) if rate > 0 else "--:--"
    tail = f" {done}/{total} {unit} {share:4.0%} {rate:.1f}/s ETA {eta}"
    room = columns - 1 - len(label) - len(tail) - 3  # a space and the brackets; no wrap
    if room < BAR_WIDTH[0]:
        return (label + tail)[: max(columns - 1, 0)]
    width = min(room, BAR_WIDTH[1])
    filled = round(width * share)
    return f"{label} [{'#' * filled}{'-' * (width - filled)}]{tail}"


def _clock_text(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def _columns() -> int:
    """The terminal's width (stderr's, where the bar goes), else $COLUMNS, else 80."""
    try:
        columns = os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):  # not a terminal after all: the usual default width
        columns = 0
    env = os.environ.get("COLUMNS", "")
    return columns or (int(env) if env.isdigit() else 0) or 80
