"""The temporary Prefect server a CLI run starts: one line when it cannot start, and no
server left behind when the run is killed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THESIS_", "PREFECT_"))}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false", **extra
    )
    return env


def test_a_server_that_does_not_answer_in_time_is_one_line_naming_the_fix(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "thesis_cli.main", "run", "--db", str(tmp_path / "t.duckdb")],
        env=_env(tmp_path, THESIS_PREFECT_STARTUP_TIMEOUT_S="0.5"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("thesis: Prefect's temporary server did not answer within 0.5 s")
    assert "THESIS_PREFECT_STARTUP_TIMEOUT_S=600" in done.stderr
    assert "PREFECT_API_URL" in done.stderr
    assert not (tmp_path / "t.duckdb").exists()


def test_a_server_that_dies_while_starting_is_reported_with_its_exception(
    tmp_path: Path,
) -> None:
    bad_db = "sqlite+aiosqlite:////nonexistent-dir/prefect.db"
    code = "from flows.prefect_api import ensure_api\nensure_api(120)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=_env(tmp_path, PREFECT_API_DATABASE_CONNECTION_URL=bad_db),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    last = done.stderr.strip().splitlines()[-1]
    assert "exited with code 3 while starting" in last
    assert "unable to open database file" in last
    log = tmp_path / "prefect" / "thesis-temporary-server.log"
    assert f"full log: {log}" in last
    assert "Traceback" in log.read_text()  # the server's own traceback went to its log


@pytest.fixture
def stalled_source() -> Iterator[str]:
    """A source that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/stalled"


def test_killing_the_run_takes_its_temporary_server_with_it(
    tmp_path: Path, stalled_source: str
) -> None:
    env = _env(tmp_path, THESIS_URL_LITELLM=stalled_source, THESIS_FETCH_DEADLINE_S="300")
    cmd = [sys.executable, "-m", "thesis_cli.main", "run", "--db", str(tmp_path / "t.duckdb")]
    cli = subprocess.Popen(
        [*cmd, "-s", "litellm", "--no-fundamentals"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        server = _wait_for_server(psutil.Process(cli.pid), deadline_s=120)
        cli.kill()
        cli.wait()
        server.wait(timeout=30)  # raises psutil.TimeoutExpired if the server outlived it
    finally:
        cli.kill()
    assert not server.is_running()


def _wait_for_server(cli: psutil.Process, deadline_s: float) -> psutil.Process:
    """The CLI's uvicorn child, once started."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        for child in cli.children():
            if "uvicorn" in " ".join(child.cmdline()):
                time.sleep(1)  # let it get going
                return child
        time.sleep(0.5)
    raise AssertionError("the run's temporary Prefect server never started")
