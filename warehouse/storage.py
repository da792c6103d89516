"""A full disk, at any write site (spool, archive, warehouse), as one typed failure."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from core.errors import StorageFull

_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
_FULL_TEXT = ("No space left on device", "Disk quota exceeded")


def is_full(exc: BaseException) -> bool:
    """Whether `exc` says the disk (or the quota) is full: an OSError's errno, or the
    text of a DuckDB IO error, which carries the OS message."""
    if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
        return True
    return any(text in str(exc) for text in _FULL_TEXT)


def storage_full(site: str, path: Path, needed_bytes: int | None = None) -> StorageFull:
    """The one line: which disk, what it has free, what the write needed."""
    disk = mount_of(path)
    free = shutil.disk_usage(disk).free
    need = f", needs at least {human_size(needed_bytes)} more" if needed_bytes else ""
    return StorageFull(
        site,
        f"disk full at {disk} ({human_size(free)} free{need}); nothing stored was lost: "
        "free some space and run again, the next run catches up",
    )


def mount_of(path: Path) -> Path:
    """The mount point holding `path` (its nearest existing ancestor's)."""
    here = path.resolve()
    while not here.exists():
        here = here.parent
    while not os.path.ismount(here):
        here = here.parent
    return here


def human_size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 2**10:.0f} KiB"
