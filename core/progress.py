"""How a long command tells of each step it has done: a callback the pipeline calls,
which the command line draws as a bar on a terminal (thesis_cli/progress.py) or not at all.
"""

from __future__ import annotations

from collections.abc import Callable

# Called after each step with (steps done so far, steps in all).
Progress = Callable[[int, int], None]


def part_of(progress: Progress | None, before: int, total: int) -> Progress | None:
    """A part's progress counted in the whole: its steps follow `before` of `total`."""
    if progress is None:
        return None
    whole = progress
    return lambda done, _part_total: whole(before + done, total)
