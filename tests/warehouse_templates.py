"""Migrated warehouses built once per session and copied into each test that needs one.

Migrating a new warehouse costs seconds (a DuckLake most: every table and comment is a
catalog transaction); copying a migrated one costs milliseconds. Each test still gets its
own files. Tests whose point is migration itself build their warehouse from scratch.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from warehouse.db import connect


def warehouse_location(folder: Path, name: str, engine: str) -> str:
    """A new warehouse named `name` in `folder`: a DuckDB file, or a DuckLake with a DuckDB
    catalog file and its Parquet data beside it."""
    path = folder / f"{name}.duckdb"
    return str(path) if engine == "file" else f"ducklake:{path}.ducklake"


class WarehouseTemplates:
    """One migrated warehouse per engine, built on first use, handed out as copies."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._built: set[str] = set()

    def copy(self, folder: Path, name: str, engine: str) -> str:
        """The location of a migrated warehouse named `name` in `folder`, the same place
        `warehouse_location` names, holding a copy of this session's template."""
        template = self._template(engine)
        location = warehouse_location(folder, name, engine)
        folder.mkdir(parents=True, exist_ok=True)
        if engine == "file":
            shutil.copyfile(template, location)
            return location
        catalog = Path(location.removeprefix("ducklake:"))
        shutil.copyfile(template, catalog)
        data = _data_folder(template)
        if data.is_dir():
            shutil.copytree(data, _data_folder(catalog))
        _point_data_path_at(catalog)
        return location

    def _template(self, engine: str) -> Path:
        location = warehouse_location(self._folder / engine, "template", engine)
        if engine not in self._built:
            connect(location, wait_s=0).close()
            self._built.add(engine)
        return Path(location.removeprefix("ducklake:"))


def _data_folder(catalog: Path) -> Path:
    """Where DuckLake puts a catalog's Parquet files when no data path is given."""
    return catalog.with_name(f"{catalog.name}.files")


def _point_data_path_at(catalog: Path) -> None:
    """DuckLake stores its data path absolute in the catalog: point the copy's at its own
    data folder (data files' paths are relative to it; an absolute one would be shared)."""
    con = duckdb.connect(str(catalog))
    try:
        con.execute(
            "update ducklake_metadata set value = ? where key = 'data_path' and scope is null",
            [f"{_data_folder(catalog)}/"],
        )
        absolute = con.execute(
            "select count(*) from ducklake_data_file where not path_is_relative"
        ).fetchone()
        if absolute is None or absolute[0]:
            raise RuntimeError(f"template lake {catalog} names data files by absolute path")
    finally:
        con.close()
