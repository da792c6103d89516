"""Open the DuckDB warehouse: default location, migrations, and waiting out a lock."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import duckdb
from platformdirs import user_data_dir

from core.errors import WarehouseLocked, WarehouseMissing
from core.settings import load_settings

ENV_DB = "THESIS_DB"
# Files stay readable by the duckdb CLI of `pip install duckdb-cli` (1.5.x).
STORAGE_COMPATIBILITY = "v1.5.0"
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def default_db_path() -> Path:
    """$THESIS_DB, else thesis.duckdb under the user's data directory."""
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir("thesis", appauthor=False)) / "thesis.duckdb"


def connect(
    path: Path | str | None = None,
    *,
    read_only: bool = False,
    wait_s: float | None = None,
    poll_s: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> duckdb.DuckDBPyConnection:
    """Connect, waiting up to `wait_s` for another process's lock to go away.

    A writable connection creates the file and applies pending migrations. A read-only
    connection to a file that does not exist yet is an error, not an empty warehouse.
    """
    db = Path(path).expanduser() if path is not None else default_db_path()
    if wait_s is None:
        wait_s = load_settings().lock_wait_s
    if read_only and not db.exists():
        raise WarehouseMissing(f"no warehouse at {db}: run `thesis run` or pass --db PATH")
    if not read_only:
        db.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            con = duckdb.connect(
                str(db),
                read_only=read_only,
                config={"storage_compatibility_version": STORAGE_COMPATIBILITY},
            )
            break
        except duckdb.IOException as exc:
            holder = lock_holder(str(exc))
            if holder is None:
                raise
            if time.monotonic() >= deadline:
                raise WarehouseLocked(
                    f"warehouse {db} is locked by {holder}; waited {wait_s:g}s. Close that "
                    "session (or use `thesis sql`, which holds no lock between queries) "
                    "and run again: the next run catches up."
                ) from exc
            sleep(poll_s)
    con.execute("set TimeZone = 'UTC'")
    if not read_only:
        migrate(con)
    return con


def lock_holder(message: str) -> str | None:
    """The process named in DuckDB's lock-conflict message, or None if not a lock error."""
    if "Could not set lock" not in message and "Conflicting lock" not in message:
        return None
    found = re.search(r"Conflicting lock is held in (.+?) \(PID (\d+)\)", message)
    if not found:
        return "another process"
    return f"PID {found.group(2)} ({Path(found.group(1)).name})"


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration shipped in warehouse/migrations, in order."""
    found = []
    for item in resources.files("warehouse").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(item.name)
        if match:
            found.append((int(match.group(1)), item.name, item.read_text(encoding="utf-8")))
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"duplicate migration numbers in warehouse/migrations: {versions}")
    return sorted(found)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations, each in its own transaction; return the names applied."""
    con.execute(
        "create table if not exists schema_migrations ("
        " version integer primary key, name varchar not null,"
        " applied_at timestamptz not null default current_timestamp)"
    )
    done = {row[0] for row in con.execute("select version from schema_migrations").fetchall()}
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        con.execute("begin transaction")
        try:
            con.execute(sql)
            con.execute(
                "insert into schema_migrations (version, name) values (?, ?)", [version, name]
            )
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        applied.append(name)
    return applied
