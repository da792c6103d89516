"""An import loads a hundred snapshots per flush and decides the reconciled series once per
flush; the daily run loads one. On real files, both leave the same warehouse."""

from __future__ import annotations

import gzip
import tarfile
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from extractors.registry import get_source
from pipeline.history import dated_files, import_snapshots
from tests.paths import SAMPLES
from warehouse.bulk import BulkLoader, Payload
from warehouse.db import connect

TARBALL = SAMPLES / "litellm_history" / "litellm_daily_2023-11-03_2026-11-17.tar.gz"
OTHERS = {  # source: (sample, file name giving its day)
    "genai-prices": ("genai-prices_data_2026-08-21.json.gz", "2026-08-21T000000_genai.json"),
    "openrouter": ("openrouter_models_2026-08-01.json.gz", "2026-08-01T000000_openrouter.json"),
}
DERIVED = ("snapshots", "price_observations", "model_limits", "model_identity", "price_series")


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Five months of the real LiteLLM history, and one genai-prices and one OpenRouter
    file from within them."""
    if not TARBALL.exists():
        pytest.skip(f"needs the real samples at {SAMPLES} (absent)")
    root = tmp_path_factory.mktemp("real")
    out = {"litellm": root / "litellm"}
    out["litellm"].mkdir()
    with tarfile.open(TARBALL) as tar:
        for member in tar.getmembers():
            name = Path(member.name).name
            if member.isfile() and "2026-06-01" <= name < "2026-11-01":
                data = tar.extractfile(member)
                assert data is not None
                (out["litellm"] / name).write_bytes(data.read())
    for source, (sample, name) in OTHERS.items():
        out[source] = root / source
        out[source].mkdir()
        (out[source] / name).write_bytes(gzip.decompress((SAMPLES / sample).read_bytes()))
    return out


def _one_per_flush(con: duckdb.DuckDBPyConnection, source_id: str, folder: Path) -> None:
    source = get_source(source_id)
    loader = BulkLoader(con, source, batch_size=1)
    files, _ = dated_files(folder)
    for observed_at, path in files:
        loader.add(_payload(source_id, observed_at, path))


def _payload(source_id: str, observed_at: datetime, path: Path) -> Payload:
    # as pipeline/history.py reads a plain file
    source = get_source(source_id)
    return Payload(source, path.read_bytes(), observed_at, origin="import", url=path.name)


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    return {t: con.execute(f"select * from {t} order by all").fetchall() for t in DERIVED}


def test_an_import_in_one_batch_leaves_the_warehouse_daily_loads_leave(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    batched = connect(tmp_path / "batched.duckdb")
    daily = connect(tmp_path / "daily.duckdb")
    for source_id, folder in folders.items():
        import_snapshots(batched, get_source(source_id), folder)
        _one_per_flush(daily, source_id, folder)
    assert len(list(folders["litellm"].iterdir())) == 20
    got, want = _tables(batched), _tables(daily)
    assert len(want["price_series"]) > 5_000
    assert {"pending", "confirmed", "disputed"} <= {r[8] for r in want["price_series"]}
    for table in DERIVED:
        assert got[table] == want[table], table
    batched.close()
    daily.close()
