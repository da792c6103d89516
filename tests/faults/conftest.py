"""The fault scenarios' world: the end-to-end servers, and a real small filesystem for
the disk-full scenarios (a tmpfs, mounted where allowed)."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# The end-to-end world (every source, a Slack stand-in and an SMTP relay on 127.0.0.1),
# shared with tests/e2e: the fault scenarios run against the same servers.
from tests.e2e.conftest import mailbox, only_this_machine, source_server, world  # noqa: F401


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[tuple[Path, Callable[[str], None]]]:
    """A tmpfs of 1 MiB at tmp_path/disk, and a function that resizes it (e.g. "64m"):
    a disk that fills, then gets space. Skips, saying why, where mounting is not allowed
    (it needs root or CAP_SYS_ADMIN)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip() or 'mount failed'})")

    def resize(size: str) -> None:
        subprocess.run(["mount", "-o", f"remount,size={size}", str(disk)], check=True)

    try:
        yield disk, resize
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


class Kept(logging.Handler):
    """Every record logged under a logger, as Prefect would print it on stderr."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def tracebacks(self) -> list[str]:
        """The records that would print a traceback (an exception's, or one in the text)."""
        return [
            r.getMessage()
            for r in self.records
            if r.exc_info is not None or "Traceback" in r.getMessage()
        ]


@pytest.fixture
def prefect_logs() -> Iterator[Kept]:
    """What Prefect logs during the test (its stderr, read without capturing the stream:
    Prefect's console handler keeps the stream it first saw)."""
    from flows.logs import quiet_expected_failures

    quiet_expected_failures()
    kept, logger = Kept(), logging.getLogger("prefect")
    logger.addHandler(kept)
    yield kept
    logger.removeHandler(kept)
