"""Fault scenarios that need a real `thesis run` process: a warehouse held open by an
analyst, Ctrl-C, and kill -9. Each runs the installed CLI against the end-to-end world
and asserts its exit code, its summary, what its stderr says (never a traceback), that
no process outlives it, and that the next run loses nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import psutil
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.e2e.conftest import World
from tests.faults.conftest import Kept
from tests.faults.test_source_faults import latest, outcome, run
from tests.paths import ROOT
from warehouse import spool

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.faults]

SOURCES = ["litellm", "openrouter"]
STARTUP_S = 240  # a temporary Prefect server on a busy two-core machine


@dataclass
class Cli:
    proc: subprocess.Popen[bytes]
    out: Path
    err: Path

    def wait(self) -> tuple[int, str, str]:
        code = self.proc.wait(timeout=120)
        return code, self.out.read_text(), self.err.read_text()

    def children(self) -> list[psutil.Process]:
        return psutil.Process(self.proc.pid).children(recursive=True)


def thesis_run(tmp_path: Path, db: Path, temporary_server: bool, **env: str) -> Cli:
    """`thesis run` in a child process on `db`; with its own temporary Prefect server, or
    on the session's test server (faster) when the scenario is not about that server."""
    from prefect.settings import PREFECT_API_URL

    child_env = dict(os.environ) | env | {"PREFECT_HOME": str(tmp_path / "prefect-home")}
    child_env.pop("PREFECT_API_URL", None)
    if not temporary_server:
        child_env["PREFECT_API_URL"] = str(PREFECT_API_URL.value())
    args = [sys.executable, "-m", "thesis_cli.main", "run", "--db", str(db), "--no-fundamentals"]
    args += [a for sid in SOURCES for a in ("-s", sid)]
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"  # files: a full pipe stalls
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen(args, cwd=ROOT, env=child_env, stdout=o, stderr=e)
    return Cli(proc, out, err)


def wait_until(cli: Cli, done: Any, what: str) -> None:
    end = time.monotonic() + STARTUP_S
    while not done():
        assert cli.proc.poll() is None, cli.err.read_text()[-3000:]
        assert time.monotonic() < end, f"{what} never happened"
        time.sleep(0.1)


def assert_all_gone(processes: list[psutil.Process]) -> None:
    _, alive = psutil.wait_procs(processes, timeout=30)
    assert alive == [], f"left behind: {[' '.join(p.cmdline()) for p in alive]}"


@pytest.fixture
def analyst(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A warehouse held open by another process (an analyst's duckdb session)."""
    db = tmp_path / "thesis.duckdb"
    duckdb.connect(str(db)).close()
    code = "import sys,time,duckdb; c=duckdb.connect(sys.argv[1]); print('ok',flush=True); "
    holder = subprocess.Popen(
        [sys.executable, "-c", code + "time.sleep(300)", str(db)], stdout=subprocess.PIPE
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == b"ok"
    yield db, holder.pid
    holder.kill()
    holder.wait()


def test_a_warehouse_held_open_ends_the_run_in_one_line_and_the_next_run_catches_up(
    world: World, tmp_path: Path, analyst: tuple[Path, int]
) -> None:
    db, holder = analyst
    code, out, err = thesis_run(tmp_path, db, False, THESIS_LOCK_WAIT_S="1").wait()

    assert code == 1
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith(f"thesis: warehouse {db} is locked by")
    assert f"PID {holder}" in err
    summary = out.strip().splitlines()[-1]
    assert summary.startswith("run daily-") and ": failed, 0/2 sources ok, 0 rows added" in summary
    assert f"stopped: warehouse {db} is locked by" in summary
    [said] = [p["text"] for p in world.slack.posts]  # the "daily run failed" alert
    assert said.startswith("thesis: daily run failed: daily-")
    assert {len(spool.pending(spool.spool_dir(db), sid)) for sid in SOURCES} == {1}

    os.kill(holder, signal.SIGKILL)
    psutil.Process(holder).wait(timeout=30)
    caught_up = run(db, SOURCES)
    assert caught_up["status"] == "ok"
    assert {outcome(caught_up, sid)["status"] for sid in SOURCES} == {"loaded"}
    assert set(latest(db)) == set(SOURCES)


@dataclass
class HeldSlack:
    """A Slack webhook that holds the first post until released and takes the rest."""

    url: str
    arrived: threading.Event
    release: threading.Event
    posts: list[dict[str, Any]]


@pytest.fixture
def held_slack() -> Iterator[HeldSlack]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    slack = HeldSlack(server.url_for("/held"), threading.Event(), threading.Event(), [])

    def take(request: Request) -> Response:
        if not slack.arrived.is_set():
            slack.arrived.set()
            slack.release.wait(timeout=120)
        else:
            slack.posts.append(json.loads(request.get_data()))
        return Response("ok", content_type="text/plain")

    server.expect_request("/held", method="POST").respond_with_handler(take)
    yield slack
    slack.release.set()
    server.clear()
    server.stop()


def run_held_at_its_alert(
    world: World, tmp_path: Path, db: Path, slack: HeldSlack, *, temporary_server: bool
) -> Cli:
    """`thesis run` caught late, its row written: openrouter is down, and the Slack post
    of its "source broken" alert is held."""
    world.sources.down.add("openrouter")
    cli = thesis_run(tmp_path, db, temporary_server, THESIS_SLACK_WEBHOOK_URL=slack.url)
    wait_until(cli, slack.arrived.is_set, "the alert's delivery")
    return cli


def test_ctrl_c_ends_the_run_with_a_summary_of_what_loaded_and_leaves_no_process(
    world: World, tmp_path: Path, held_slack: HeldSlack
) -> None:
    db = tmp_path / "thesis.duckdb"
    cli = run_held_at_its_alert(world, tmp_path, db, held_slack, temporary_server=True)
    children = cli.children()
    assert any("uvicorn" in " ".join(c.cmdline()) for c in children)

    cli.proc.send_signal(signal.SIGINT)
    code, out, err = cli.wait()
    held_slack.release.set()

    assert code == 130
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("thesis: interrupted; what had loaded stays")
    lines = out.strip().splitlines()
    assert any(ln.split()[:2] == ["litellm", "loaded"] for ln in lines), out
    assert "; failed: openrouter (fetch_failed); " in lines[-1], out
    assert lines[-1].endswith("; stopped: interrupted (Ctrl-C)"), out
    assert_all_gone(children)
    assert latest(db)["litellm"]  # what loaded stays loaded
    assert run_rows(db) == [("interrupted", "interrupted (Ctrl-C)")]
    [said] = [p["text"] for p in held_slack.posts]
    assert said.startswith("thesis: daily run failed: daily-")


def test_a_run_killed_after_writing_its_row_is_closed_by_the_next_run(
    world: World, tmp_path: Path, held_slack: HeldSlack
) -> None:
    db = tmp_path / "thesis.duckdb"
    cli = run_held_at_its_alert(world, tmp_path, db, held_slack, temporary_server=False)
    cli.proc.send_signal(signal.SIGKILL)
    cli.proc.wait(timeout=30)
    held_slack.release.set()
    assert [status for status, _ in run_rows(db)] == ["running"]

    world.sources.down.discard("openrouter")
    recovered = run(db, SOURCES)
    assert recovered["status"] == "ok"
    killed, new = run_rows(db)
    assert killed[0] == "interrupted" and new[0] == "ok"
    assert f"process (PID {cli.proc.pid} on " in killed[1], killed[1]
    assert f"closed by run {recovered['run_id']}" in killed[1]


def run_rows(db: Path) -> list[tuple[str, str | None]]:
    """Each daily run's status and why it stopped, oldest first."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select status, summary->>'$.stopped.reason' from runs order by started_at"
        ).fetchall()
    return [(str(status), reason) for status, reason in rows]


def test_kill_9_mid_run_leaves_no_process_and_the_next_run_loses_nothing(
    world: World, tmp_path: Path, prefect_logs: Kept
) -> None:
    db = tmp_path / "thesis.duckdb"
    world.sources.hold("openrouter")  # caught mid-fetch
    cli = thesis_run(tmp_path, db, True)
    root = spool.spool_dir(db)
    wait_until(
        cli,
        lambda: spool.pending(root, "litellm") and "openrouter" in world.sources.requests,
        "the fetch",
    )
    children = cli.children()
    cli.proc.send_signal(signal.SIGKILL)
    cli.proc.wait(timeout=30)
    world.sources.release()
    assert_all_gone(children)

    recovered = run(db, SOURCES)
    assert recovered["status"] == "ok"
    assert {outcome(recovered, sid)["status"] for sid in SOURCES} == {"loaded"}
    assert [spool.pending(root, sid) for sid in SOURCES] == [[], []]
    assert list((root / ".runs").iterdir()) == []  # the killed run's lease, settled
    assert set(latest(db)) == set(SOURCES)
    assert prefect_logs.tracebacks() == []
