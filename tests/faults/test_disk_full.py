"""A full disk at each write site (spool, warehouse with its archive): one typed failure
naming the disk, nothing already stored lost, and the next run with space catches up.
On a real small filesystem (tests/faults/conftest.py)."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from core.errors import StorageFull
from pipeline import daily
from pipeline.daily import DUCKDB_BLOCK_BYTES
from pipeline.daily_summary import SourceOutcome
from tests.e2e.conftest import World
from tests.e2e.servers import E2E
from tests.faults.conftest import Kept
from tests.paths import FIXTURES
from thesis_cli.output import print_run_summary
from warehouse import run_leases, runs, spool
from warehouse.archive import compress
from warehouse.db import connection
from warehouse.storage import human_size

HISTORY = FIXTURES / "litellm_history"
DAY1 = (HISTORY / "2024-09-01T120000_litellm.json").read_bytes()
DAY2 = (HISTORY / "2024-10-05T120000_litellm.json").read_bytes()
Disk = tuple[Path, Callable[[str], None]]


def _fill(disk: Path, leave: int = 0) -> Path:
    """Fill the disk up to `leave` bytes free; the filler file to delete for space."""
    filler = disk / "filler"
    filler.write_bytes(b"\0" * max(0, shutil.disk_usage(disk).free - leave))
    return filler


def _observations(db: Path) -> int:
    with connection(db, read_only=True, wait_s=0) as con:
        row = con.execute("select count(*) from price_observations").fetchone()
    assert row is not None
    return int(row[0])


def _load(db: Path, root: Path) -> SourceOutcome:
    run_id = daily.start_run(db)
    items = spool.pending(root, "litellm")
    return daily.load_source(db, run_id, "litellm", items, {}, daily.Fetched())


def test_a_full_spool_disk_fails_the_source_in_one_line_and_the_next_run_catches_up(
    small_disk: Disk, httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk, _ = small_disk
    httpserver.expect_request("/litellm.json").respond_with_data(DAY1)
    monkeypatch.setenv("THESIS_URL_LITELLM", httpserver.url_for("/litellm.json"))
    filler = _fill(disk, leave=1024)

    got = daily.fetch_source("litellm", disk, None, None)

    assert isinstance(got.error, StorageFull) and got.error.kind == "storage_full"
    assert str(got.error).startswith(f"litellm: disk full at {disk} (")
    assert f"needs at least {human_size(len(DAY1) + 4096)} more" in str(got.error)
    assert "\n" not in str(got.error)
    assert list((disk / "litellm").iterdir()) == []  # no half-written payload left behind

    filler.unlink()  # space again: the next run fetches and loads
    again = daily.fetch_source("litellm", disk, None, None)
    assert again.error is None and again.item is not None
    db = tmp_path / "thesis.duckdb"
    assert _load(db, disk).status == "loaded"
    assert _observations(db) > 0


def test_a_full_warehouse_disk_keeps_the_warehouse_and_the_spooled_payload(
    small_disk: Disk, tmp_path: Path
) -> None:
    disk, resize = small_disk
    resize("16m")
    db, root = disk / "thesis.duckdb", tmp_path / "spool"
    spool.put(root, "litellm", DAY1, runs.now(), "https://example.invalid/litellm")
    assert _load(db, root).status == "loaded"
    before = _observations(db)
    spool.put(root, "litellm", DAY2, runs.now(), "https://example.invalid/litellm")
    filler = _fill(disk)

    with pytest.raises(StorageFull) as full:
        _load(db, root)

    assert str(full.value).startswith(f"warehouse: disk full at {disk} (")
    assert len(spool.pending(root, "litellm")) == 1  # the payload waits for space
    filler.unlink()
    assert _observations(db) == before  # the warehouse is intact
    assert _load(db, root).status == "loaded"  # and catches up
    assert spool.pending(root, "litellm") == []
    assert _observations(db) > before


@pytest.mark.usefixtures("prefect_harness")
def test_a_full_warehouse_disk_ends_the_run_with_its_summary_naming_the_disk_and_the_need(
    small_disk: Disk, world: World, prefect_logs: Kept
) -> None:
    """A run finds the disk full as it loads a payload an earlier run spooled: the run
    ends with its summary (the disk, its free space, what the load needs), nothing stored
    is lost, and the run after space is freed catches up."""
    from tests.faults.test_source_faults import FEEDS, latest, run

    disk, resize = small_disk
    resize("16m")
    db = disk / "thesis.duckdb"
    assert run(db, FEEDS)["status"] == "ok"
    before = latest(db)
    feed = json.loads((E2E / "day1" / "litellm.json").read_text(encoding="utf-8"))
    feed["gpt-5"]["input_cost_per_token"] /= 2
    fetched = json.dumps(feed).encode()
    spool.put(spool.spool_dir(db), "litellm", fetched, runs.now(), world.sources.url("litellm"))
    filler = _fill(disk)

    summary = run(db, FEEDS)

    assert summary["status"] == "failed" and summary["stopped"]["kind"] == "storage_full"
    need = human_size(DUCKDB_BLOCK_BYTES + len(compress(fetched)))
    assert summary["stopped"]["reason"].startswith(f"warehouse: disk full at {disk} (")
    assert f"free, needs at least {need} more)" in summary["stopped"]["reason"]
    printed = io.StringIO()
    with redirect_stdout(printed):
        print_run_summary(summary)
    last = printed.getvalue().strip().splitlines()[-1]
    assert last.startswith("run ") and f"; stopped: warehouse: disk full at {disk} (" in last
    assert len(spool.pending(spool.spool_dir(db), "litellm")) == 1  # it waits for space
    filler.unlink()
    assert latest(db) == before  # nothing stored was lost
    again = run(db, FEEDS)
    assert again["status"] == "ok" and spool.pending(spool.spool_dir(db), "litellm") == []
    assert latest(db) != before  # the halved gpt-5 price is in
    assert prefect_logs.tracebacks() == []


def test_a_run_that_cannot_close_its_row_on_a_full_disk_still_leaves_why_it_stopped(
    small_disk: Disk, tmp_path: Path
) -> None:
    """The lease keeps the status and the reason when the whole summary no longer fits;
    the next run records them."""
    disk, _ = small_disk
    with connection(tmp_path / "thesis.duckdb") as con:
        run_id = runs.start_run(con, "daily")
    lease = run_leases.take(disk, run_id)
    _fill(disk)
    stopped = {"kind": "storage_full", "reason": "warehouse: disk full at /x"}
    big = {"run_id": run_id, "status": "failed", "stopped": stopped, "sources": ["x" * 100_000]}
    lease.settle("failed", big)
    lease.release(closed=False)

    with connection(tmp_path / "thesis.duckdb") as con:
        assert run_leases.close_dead_runs(con, disk, by_run="daily-next") == [run_id]
        row = con.execute("select status, summary from runs").fetchone()
    assert row is not None
    assert (row[0], json.loads(row[1])["stopped"]) == ("failed", stopped)
