"""Timing a command in a child process: wall seconds and the child's CPU seconds (the fair
figure on a machine other work keeps busy)."""

from __future__ import annotations

import resource
import subprocess
import time
from typing import Any


def timed(command: list[str], **kwargs: Any) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of running `command` to completion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(command, check=True, **kwargs)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu
