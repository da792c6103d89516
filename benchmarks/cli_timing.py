"""Timing a command in a child process: wall seconds and the child's CPU seconds (the fair
figure on a machine other work keeps busy).

Python compiles each module it imports unless a cached .pyc exists, and writes that cache
on first import. A machine that sets PYTHONDONTWRITEBYTECODE (this one does) therefore
compiles pandas and everything else anew on every start, about 2 s of CPU a command that an
installed application pays once. `compiled_env` compiles a checkout (its .venv included)
into a cache outside it, so every checkout is timed as it runs once installed.
"""

from __future__ import annotations

import os
import resource
import subprocess
import time
from pathlib import Path
from typing import Any

PYCACHE = Path(__file__).resolve().parent / "data" / "pycache"


def compiled_env(checkout: Path) -> dict[str, str]:
    """os.environ plus a bytecode cache holding every module of `checkout` compiled."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(PYCACHE)}
    compile_env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    python = checkout / ".venv" / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "compileall", "-q", str(checkout)],
        check=True,
        env=compile_env,
        stdout=subprocess.DEVNULL,
    )
    return env


def timed(command: list[str], **kwargs: Any) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of running `command` to completion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(command, check=True, **kwargs)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu
