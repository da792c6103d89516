"""Where the warehouse lives: a DuckDB file, a DuckLake, or a MotherDuck database.

`THESIS_DB` and `--db` take one connection string:

| form | warehouse |
|---|---|
| `path/to/thesis.duckdb` | a DuckDB file (the default) |
| `ducklake:path/to/thesis.ducklake` | a DuckLake with a DuckDB catalog file, data as Parquet |
| `ducklake:postgres:dbname=thesis host=...` | a DuckLake with any catalog DuckLake supports |
| `md:thesis` | a MotherDuck database (token from `motherduck_token` in the environment) |

The string goes to DuckDB as written; only what is on this machine (the file, the
catalog file) gets local treatment: its folder is created, its absence is reported, and
the spool of fetched payloads sits beside it unless THESIS_SPOOL_DIR says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from core.environ import raw_setting
from core.errors import ConfigError

Kind = Literal["file", "ducklake", "motherduck"]
# DuckLake catalogs that are a file on this machine: a DuckDB file, or sqlite:FILE.
_LOCAL_CATALOG = re.compile(r"^(?:sqlite:|duckdb:)?(?!\w+:)(.+)$")
_REMOTE_CATALOG = re.compile(r"^(postgres|mysql|md|motherduck):", re.IGNORECASE)
_SECRET_PARAM = re.compile(r"((?:motherduck_token|token|password)=)[^&;\s]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Target:
    kind: Kind
    location: str  # exactly what DuckDB is given
    local: Path | None  # the file on this machine, if any (DuckDB file or DuckLake catalog)

    def __str__(self) -> str:
        return redact(self.location)

    def absolute(self) -> str:
        """The location with a local file's path made absolute (for runs started elsewhere)."""
        if self.local is None:
            return self.location
        return self.location[: -len(str(self.local))] + str(self.local.absolute())

    def exists(self) -> bool | None:
        """Whether the warehouse exists; None when it is not on this machine to look at."""
        return None if self.local is None else self.local.exists()

    def spool_dir(self, env: Mapping[str, str] | None = None) -> Path:
        """Where fetched payloads wait for the load: THESIS_SPOOL_DIR, else beside the
        file, else the user data directory (a MotherDuck or remote-catalog warehouse)."""
        from core.settings import WarehouseSettings

        chosen = WarehouseSettings.load(env).spool_dir
        if chosen is not None:
            return chosen
        if self.local is not None:
            return self.local.parent / "spool"
        return _data_dir() / "spool"


def _data_dir() -> Path:
    from platformdirs import user_data_dir  # imported only here: `thesis sql --db` skips it

    return Path(user_data_dir("thesis", appauthor=False))


def redact(text: str) -> str:
    """`text` with any token or password in a connection string replaced by ***."""
    return _SECRET_PARAM.sub(r"\1***", text)


def default_location(env: Mapping[str, str] | None = None) -> str:
    """$THESIS_DB, else thesis.duckdb under the user's data directory.

    Read as text, not through the settings registry: any text is a valid THESIS_DB until
    parse_target reads it, and `thesis sql` must not pay for pydantic."""
    chosen = raw_setting("db", env)
    if chosen:
        return chosen
    return str(_data_dir() / "thesis.duckdb")


def parse_target(value: str | Path | None, env: Mapping[str, str] | None = None) -> Target:
    """The warehouse a connection string names (None: THESIS_DB or the default file)."""
    text = default_location(env) if value is None else str(value).strip()
    if not text:
        raise ConfigError("empty warehouse location; set THESIS_DB or pass --db PATH")
    if _SECRET_PARAM.search(text):
        raise ConfigError(
            f"warehouse {redact(text)!r} carries a secret; connection strings are stored with "
            "each run, so keep secrets in the environment: motherduck_token for MotherDuck, "
            "PGPASSWORD or a DuckDB secret for a Postgres catalog"
        )
    lowered = text.lower()
    if lowered.startswith(("md:", "motherduck:")):
        return Target("motherduck", text, None)
    if lowered.startswith("ducklake:"):
        return _ducklake(text)
    if re.match(r"^[a-z][a-z0-9+]*://", lowered):
        raise ConfigError(
            f"warehouse {redact(text)!r} is a URL; give a DuckDB file path, "
            "ducklake:CATALOG or md:DATABASE"
        )
    path = Path(text).expanduser()
    return Target("file", str(path), path)


def _ducklake(text: str) -> Target:
    catalog = text[len("ducklake:") :]
    if not catalog:
        raise ConfigError(
            "ducklake: needs a catalog, e.g. ducklake:thesis.ducklake or "
            "ducklake:postgres:dbname=thesis"
        )
    if _REMOTE_CATALOG.match(catalog):
        return Target("ducklake", text, None)
    found = _LOCAL_CATALOG.match(catalog)
    if found is None:
        return Target("ducklake", text, None)
    path = Path(found.group(1)).expanduser()
    prefix = catalog[: len(catalog) - len(found.group(1))]
    return Target("ducklake", f"ducklake:{prefix}{path}", path)
