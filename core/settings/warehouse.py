"""Where the warehouse and the spool live, and how DuckDB reaches its extensions."""

from __future__ import annotations

from pathlib import Path

from pydantic import field_validator

from core.settings.base import Section, setting


class WarehouseSettings(Section):
    """Where the data lives, and how long a command waits for another process's lock
    on it."""

    title = "Warehouse"

    db: str | None = setting(
        None,
        "The warehouse: a DuckDB file path, `ducklake:CATALOG` or `md:DATABASE` (see "
        "[Warehouse: MotherDuck or DuckLake](operations.md#warehouse-motherduck-or-ducklake)); "
        "`--db` overrides it. Keep secrets out of it: they go in the environment.",
        example="/srv/thesis/thesis.duckdb",
        default_text="`thesis.duckdb` in the user data directory (`~/.local/share/thesis/` "
        "on Linux)",
    )
    spool_dir: Path | None = setting(
        None,
        "Where fetched payloads wait for the load; with a Dask or Ray cluster, a folder "
        "every worker sees at the same path.",
        example="/srv/thesis/spool",
        default_text="`spool/` beside the warehouse file or DuckLake catalog, else in the "
        "user data directory",
    )
    ducklake_data_path: str | None = setting(
        None,
        "The Parquet folder of a new DuckLake (DuckLake records it in its catalog).",
        example="s3://bucket/thesis/",
        default_text="`<catalog>.files/` beside the catalog",
    )
    duckdb_extension_repository: str | None = setting(
        None,
        "A mirror of extensions.duckdb.org, for machines that cannot reach it (MotherDuck, "
        "and DuckLake without the `ducklake` extra, are extensions).",
        example="http://mirror.example.com/duckdb-extensions",
        default_text="DuckDB's own",
    )
    duckdb_extension_dir: Path | None = setting(
        None,
        "The folder DuckDB installs extensions in and loads them from.",
        example="/srv/thesis/duckdb-extensions",
        default_text="DuckDB's own (`~/.duckdb/extensions`)",
    )
    lock_wait_s: float = setting(
        60.0,
        "How long a command waits for another process's lock on the warehouse before it "
        "stops, naming the process that holds it.",
        example="120",
        unit="s",
        ge=0,
    )
    max_shrink_share: float = setting(
        0.2,
        "The most of a source's live prices, or of its models, one payload may remove; a "
        "payload that would remove more is a `suspicious_shrink` failure: nothing of it is "
        "written and the last good data stands.",
        example="0.3",
        ge=0,
        le=1,
    )

    model_aliases_file: Path | None = setting(
        None,
        "A TOML file forcing a source key into a canonical model (`[[alias]]`) or keeping "
        "it out of its family (`[[separate]]`); see "
        "[Model identity](identity.md#the-override-file). Applied the next time the "
        "warehouse is opened for writing.",
        example="/srv/thesis/model-aliases.toml",
        default_text="none: the naming and price rules alone",
    )

    @field_validator("spool_dir", "duckdb_extension_dir", "model_aliases_file")
    @classmethod
    def _home(cls, value: Path | None) -> Path | None:
        return None if value is None else value.expanduser()
