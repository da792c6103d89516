"""Which `running` rows of `runs` belong to a process that is gone, and their closing.

A run holds an exclusive lock (flock) on its lease file, `<spool>/.runs/<run_id>.lease`,
from before it writes its row until it has closed it. The kernel drops the lock when
the process ends, however it ends (kill -9 included), so a lease whose lock can be taken
belongs to a dead run. A run that ended but could not write its final status (the
warehouse locked, unreachable or full at the end) leaves that status in its lease; the
next run that opens the warehouse records it, or, when there is none, closes the row as
`interrupted`. Rows without a lease here (a run on another machine, or one from before
leases) are left alone: nothing on this machine can tell whether they are alive.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from warehouse import runs

FOLDER = ".runs"


@dataclass
class Lease:
    """A live run's claim: its lease file, held locked through `fd` while the run lives."""

    path: Path
    fd: int

    def settle(self, status: str, summary: dict[str, Any]) -> None:
        """Leave the run's final status for the next run to record (this one cannot). On
        a disk too full for the whole summary, the status and why the run stopped."""
        about = _read(self.path)
        short = {k: summary.get(k) for k in ("run_id", "status", "stopped", "problems")}
        for kept in (summary, short):
            data = json.dumps(about | {"status": status, "summary": kept}, default=str).encode()
            try:
                _write(self.fd, data)
                return
            except OSError as err:
                failed = err
        raise failed

    def release(self, *, closed: bool) -> None:
        """Drop the claim; the file goes once the row is closed, else it stays for the
        next run (which finds it unlocked: this run is over)."""
        if closed:
            self.path.unlink(missing_ok=True)
        os.close(self.fd)


def take(spool_root: Path, run_id: str) -> Lease:
    """Claim `run_id` for this process. The lease is locked before it gets its name, so
    no other run ever sees it unlocked while this one lives."""
    folder = spool_root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{run_id}.lease.tmp"
    fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        about = {"run_id": run_id, "pid": os.getpid(), "host": socket.gethostname()}
        _write(fd, json.dumps(about).encode())
        path = folder / f"{run_id}.lease"
        tmp.rename(path)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    return Lease(path, fd)


def close_dead_runs(con: duckdb.DuckDBPyConnection, spool_root: Path, by_run: str) -> list[str]:
    """Close the `running` row of every run whose lease nobody holds; their ids."""
    closed = []
    for path in sorted((spool_root / FOLDER).glob("*.lease")):
        fd = _lock_if_free(path)
        if fd is None:
            continue  # a live run (or another run closing it right now)
        try:
            run_id = path.name.removesuffix(".lease")
            status, summary = _final(_read(path), run_id, by_run)
            if runs.close_running(con, run_id, status, summary):
                closed.append(run_id)
            path.unlink(missing_ok=True)
        finally:
            os.close(fd)
    return closed


def _final(doc: dict[str, Any], run_id: str, by_run: str) -> tuple[str, dict[str, Any]]:
    """The status the dead run left, or `interrupted` with why, when it left none."""
    if "status" in doc:
        summary = dict(doc["summary"]) | {"closed_by": by_run}
        return str(doc["status"]), summary
    who = f"PID {doc.get('pid', '?')} on {doc.get('host', '?')}"
    reason = (
        f"the run's process ({who}) ended without closing the run: it was killed, or its "
        f"machine stopped; closed by run {by_run}"
    )
    stopped = {"kind": "killed", "reason": reason}
    return "interrupted", {"run_id": run_id, "status": "interrupted", "stopped": stopped}


def _write(fd: int, data: bytes) -> None:
    """Replace the file's content with `data`, all of it or an error (a full disk may
    take part of a write without one)."""
    os.ftruncate(fd, 0)
    if os.pwrite(fd, data, 0) < len(data):
        os.ftruncate(fd, 0)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _lock_if_free(path: Path) -> int | None:
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return None  # closed by another run meanwhile
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _read(path: Path) -> dict[str, Any]:
    """The lease's JSON; {} for one cut short (its process died while writing it)."""
    try:
        doc = json.loads(path.read_bytes() or b"{}")
    except json.JSONDecodeError:
        return {}
    return doc if isinstance(doc, dict) else {}
