"""The warehouse file: migrations recorded once, readable by the duckdb-cli 1.5 binary."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extractors.registry import get_source
from pipeline.history import import_snapshots
from tests.paths import FIXTURES
from warehouse.db import connect, migrations


def test_migrations_apply_once_in_order(db_path: Path) -> None:
    connect(db_path).close()
    con = connect(db_path)
    rows = con.execute("select version, name from schema_migrations order by version").fetchall()
    con.close()
    assert [v for v, _ in rows] == [v for v, _, _ in migrations()]
    assert rows[0] == (1, "001_core.sql")


def test_the_file_opens_in_the_duckdb_cli(db_path: Path) -> None:
    cli = Path(sys.executable).with_name("duckdb")
    if not cli.exists():
        found = shutil.which("duckdb")
        if found is None:
            pytest.skip("duckdb CLI not installed (uv sync installs duckdb-cli)")
        cli = Path(found)
    con = connect(db_path)
    import_snapshots(con, get_source("litellm"), FIXTURES / "litellm_history")
    con.close()
    done = subprocess.run(
        [
            str(cli),
            "-readonly",
            "-csv",
            str(db_path),
            "-c",
            "select usd_per_mtok from latest_prices where source_model_key = 'gpt-4o'"
            " and component = 'input' and service_tier = 'standard'",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["usd_per_mtok", "2.500000000"]
