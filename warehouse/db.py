"""Open the DuckDB warehouse: default location, migrations, and waiting out a lock."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

from core.environ import raw_setting
from core.errors import WarehouseLocked, WarehouseMissing, WarehouseUnavailable
from warehouse.dialect import Dialect, for_dialect
from warehouse.storage import is_full, storage_full
from warehouse.target import Target, parse_target, redact

# Files stay readable by the duckdb CLI of `pip install duckdb-cli` (1.5.x).
STORAGE_COMPATIBILITY = "v1.5.0"
LAKE_ALIAS = "thesis_lake"
DuckConfigValue = str | bool | int | float | list[str]
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def connect(
    path: Path | str | None = None,
    *,
    read_only: bool = False,
    wait_s: float | None = None,
    poll_s: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> duckdb.DuckDBPyConnection:
    """Connect to the warehouse `path` names (a file, `ducklake:...` or `md:...`), waiting
    up to `wait_s` for another process's lock to go away.

    A writable connection creates the warehouse and applies pending migrations. A
    read-only connection to a local warehouse that does not exist yet is an error, not an
    empty warehouse.
    """
    target = parse_target(path)
    if wait_s is None:
        from core.settings import WarehouseSettings

        wait_s = WarehouseSettings.load().lock_wait_s
    if read_only and target.exists() is False:
        raise WarehouseMissing(f"no warehouse at {target}: run `thesis run` or pass --db PATH")
    if not read_only and target.local is not None:
        target.local.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            con = _open(target, read_only)
            break
        except duckdb.IOException as exc:
            holder = lock_holder(str(exc))
            if holder is None and target.local is not None and is_full(exc):
                raise storage_full("warehouse", target.local.parent) from None
            if holder is None:
                raise _unavailable(target, exc) from exc
            if time.monotonic() >= deadline:
                raise WarehouseLocked(
                    f"warehouse {target} is locked by {holder}; waited {wait_s:g}s. Close that "
                    "session (or use `thesis sql`, which holds no lock between queries) "
                    "and run again: the next run catches up."
                ) from exc
            sleep(poll_s)
        except duckdb.Error as exc:
            raise _unavailable(target, exc) from exc
    con.execute("set TimeZone = 'UTC'")
    if not read_only:
        migrate(con, dialect=dialect_of(target), location=target.location)
    return con


@contextmanager
def connection(
    path: Path | str | None = None,
    *,
    read_only: bool = False,
    wait_s: float | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """`connect` for a `with` block: the connection is closed when the block ends, however
    it ends, so a warehouse lock is never held past the step that needed it. A write that
    finds the disk full is StorageFull, naming the disk (the transaction rolled back).

    Inside `held_open` of the same warehouse it is a cursor of the held connection (for
    reading too: the warehouse is open for writing already)."""
    try:
        held = _HELD.get()
        if held is not None and held.location == parse_target(path).location:
            con = held.cursor()
        else:
            con = connect(path, read_only=read_only, wait_s=wait_s)
        try:
            yield con
        finally:
            con.close()
    except duckdb.Error as exc:
        local = parse_target(path).local
        if local is None or not is_full(exc):
            raise
        raise storage_full("warehouse", local.parent) from None


@dataclass(frozen=True, slots=True)
class _Held:
    location: str
    con: duckdb.DuckDBPyConnection
    lake: bool

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection of its own (its own transactions) to the held database."""
        cur = self.con.cursor()
        cur.execute("set TimeZone = 'UTC'")  # a session setting: each cursor's own
        if self.lake:
            cur.execute(f"use {LAKE_ALIAS}")
        return cur


_HELD: ContextVar[_Held | None] = ContextVar("thesis_held_warehouse", default=None)


@contextmanager
def held_open(path: Path | str | None = None) -> Iterator[None]:
    """Keep the warehouse open across consecutive steps of a run: each `connection` to it
    inside the block is a cursor of one connection, opened, checked and migrated once
    (a daily run opened it a dozen times, at some 50 ms each). The lock is held for the
    whole block, so wait for the network before it, not inside it."""
    target = parse_target(path)
    with connection(target.location) as con:
        token = _HELD.set(_Held(target.location, con, target.kind == "ducklake"))
        try:
            yield
        finally:
            _HELD.reset(token)


_IN_TRANSACTION: set[int] = set()  # ids of connections inside a `transaction` block


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit on success, roll back on any error (an interrupt too).

    Inside another `transaction` on the same connection it is a no-op: the outer block
    commits or rolls back the whole (DuckDB has no nested transactions, and a second
    BEGIN would abort the caller's).
    """
    key = id(con)
    if key in _IN_TRANSACTION:
        yield
        return
    con.execute("begin transaction")
    _IN_TRANSACTION.add(key)
    try:
        yield
    except BaseException:
        _IN_TRANSACTION.discard(key)
        con.execute("rollback")
        raise
    _IN_TRANSACTION.discard(key)
    con.execute("commit")


def dialect_of(target: Target) -> Dialect:
    return "ducklake" if target.kind == "ducklake" else "duckdb"


_EXTENSION_SETTINGS = ("duckdb_extension_repository", "duckdb_extension_dir")


def _config(env: Mapping[str, str] | None = None) -> dict[str, DuckConfigValue]:
    """DuckDB settings from the environment: an extension mirror and folder, for machines
    that cannot reach extensions.duckdb.org (MotherDuck and DuckLake are extensions)."""
    config: dict[str, DuckConfigValue] = {}
    if not any(raw_setting(f, env) for f in _EXTENSION_SETTINGS):
        return config  # both unset: nothing to validate, and no pydantic to import
    from core.settings import WarehouseSettings

    settings = WarehouseSettings.load(env)
    if settings.duckdb_extension_repository:
        config["custom_extension_repository"] = settings.duckdb_extension_repository
    if settings.duckdb_extension_dir is not None:
        config["extension_directory"] = str(settings.duckdb_extension_dir)
    return config


def _open(target: Target, read_only: bool) -> duckdb.DuckDBPyConnection:
    config = _config()
    if target.kind == "file":
        config["storage_compatibility_version"] = STORAGE_COMPATIBILITY
        return duckdb.connect(target.location, read_only=read_only, config=config)
    if target.kind == "motherduck":
        # Not read_only: that is DuckDB's local access mode; on MotherDuck the token's
        # rights decide (a read-scaling token is read-only).
        return duckdb.connect(target.location, config=config)
    con = duckdb.connect(":memory:", config=config)
    try:
        load_ducklake(con)
        con.execute(
            f"attach '{_quoted(target.location)}' as {LAKE_ALIAS} {_lake_options(read_only)}"
        )
        con.execute(f"use {LAKE_ALIAS}")
    except BaseException:
        con.close()
        raise
    return con


def load_ducklake(con: duckdb.DuckDBPyConnection) -> None:
    """Load DuckLake from the duckdb-extension-ducklake wheel if installed (no network),
    else let DuckDB install it from its extension repository."""
    try:
        import duckdb_extension_ducklake as packaged  # type: ignore[import-untyped]
    except ImportError:
        con.execute("install ducklake")
        con.execute("load ducklake")
        return
    found = sorted(Path(packaged.__file__).parent.rglob("ducklake.duckdb_extension"))
    if not found:
        raise WarehouseUnavailable(
            "the duckdb-extension-ducklake package holds no extension file; reinstall it"
        )
    con.execute(f"load '{_quoted(str(found[-1]))}'")


def _lake_options(read_only: bool) -> str:
    options = []
    from core.settings import WarehouseSettings

    data_path = WarehouseSettings.load().ducklake_data_path
    if data_path:
        options.append(f"data_path '{_quoted(data_path)}'")
    if read_only:
        options.append("read_only")
    return f"({', '.join(options)})" if options else ""


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def _unavailable(target: Target, exc: duckdb.Error) -> WarehouseUnavailable:
    """One line naming the warehouse and what DuckDB said, with any secret redacted."""
    first = redact(str(exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    hint = {
        "motherduck": "MotherDuck needs network, its extension and motherduck_token set",
        "ducklake": "DuckLake needs its extension: `uv sync --extra ducklake` offline",
        "file": "check the path and its permissions",
    }[target.kind]
    return WarehouseUnavailable(f"cannot open warehouse {target}: {first} ({hint})")


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


def migrate(
    con: duckdb.DuckDBPyConnection, dialect: Dialect = "duckdb", location: str | None = None
) -> list[str]:
    """Apply pending migrations, each in its own transaction; return the names applied.
    `location`: the warehouse's, for `_describe` to know one it has described already."""
    con.execute(
        for_dialect(
            "create table if not exists schema_migrations ("
            " version integer primary key, name varchar not null,"
            " applied_at timestamptz not null default current_timestamp)",
            dialect,
        )
    )
    done = {row[0] for row in con.execute("select version from schema_migrations").fetchall()}
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        with transaction(con):
            con.execute(for_dialect(sql, dialect))
            con.execute(
                "insert into schema_migrations (version, name) values (?, ?)", [version, name]
            )
        applied.append(name)
    _derive(con)
    _describe(con, None if applied else location)
    return applied


def _derive(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the tables derived from observations whose rules or inputs changed (an
    upgraded warehouse builds its model identity from the observations it holds)."""
    from warehouse.identity import ensure_identity
    from warehouse.series import ensure_series, rebuild_series

    with transaction(con):
        if ensure_identity(con):
            rebuild_series(con)
        else:
            ensure_series(con)


# Warehouses this process has commented in full: a daily run opens one a dozen times.
_DESCRIBED: set[str] = set()


def _describe(con: duckdb.DuckDBPyConnection, location: str | None) -> None:
    """Comment every table, view and column (warehouse/comments.py); a view a migration
    redefined has lost its comments, and gets them back here. A `location` this process
    has commented already, no migration since, is checked by its tables' and views'
    comments only (the code's comments cannot have changed since)."""
    from warehouse.comments import apply_comments, objects_commented

    if location in _DESCRIBED and objects_commented(con):
        return
    apply_comments(con)
    if location is not None:
        _DESCRIBED.add(location)
