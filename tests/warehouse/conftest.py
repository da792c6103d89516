"""Warehouse fixtures: a fresh warehouse per test (file and DuckLake) and the dated history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.paths import FIXTURES
from tests.warehouse_templates import WarehouseTemplates
from warehouse.db import connect

HISTORY = FIXTURES / "litellm_history"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "wh" / "thesis.duckdb"


@pytest.fixture
def con(
    engine: str, tmp_path: Path, warehouse_templates: WarehouseTemplates
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A new migrated warehouse in each engine (a DuckLake has no keys), so each test
    checks both: a copy of the session's template, at `warehouse_location(tmp_path / "wh",
    "thesis", engine)`."""
    connection = connect(warehouse_templates.copy(tmp_path / "wh", "thesis", engine))
    yield connection
    connection.close()


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A copy of the dated history that a test may add files to."""
    folder = tmp_path / "history"
    folder.mkdir()
    for item in HISTORY.iterdir():
        (folder / item.name).write_bytes(item.read_bytes())
    return folder
