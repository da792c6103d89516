"""The session's template warehouses: each copy is migrated and owns its data."""

from __future__ import annotations

from pathlib import Path

from tests.warehouse_templates import WarehouseTemplates
from warehouse.db import connect


def test_a_lake_copy_writes_its_parquet_into_its_own_folder_only(tmp_path: Path) -> None:
    templates = WarehouseTemplates(tmp_path / "templates")
    counts = []
    for name in ("one", "two"):
        con = connect(templates.copy(tmp_path / name, "thesis", "ducklake"), wait_s=0)
        # Enough rows to be written as Parquet (DuckLake keeps a few rows inline).
        con.execute(
            "insert into runs (run_id, kind, started_at, status)"
            " select 'r' || i, 'daily', now(), 'ok' from range(1000) t(i)"
        )
        counts.append(con.execute("select count(*) from runs").fetchall())
        con.close()
    assert counts == [[(1000,)], [(1000,)]]
    written = sorted(p.relative_to(tmp_path).parts[:2] for p in tmp_path.rglob("*.parquet"))
    assert written == [
        ("one", "thesis.duckdb.ducklake.files"),
        ("two", "thesis.duckdb.ducklake.files"),
    ]
