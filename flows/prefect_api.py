"""The Prefect API a CLI run talks to: PREFECT_API_URL when set, else a temporary local
server started here.

Prefect starts its temporary server itself when a flow first needs it, but it waits 20 s
(a brand-new Prefect database takes longer to migrate on a small, busy machine), prints
the server's traceback, restarts a server that failed on a new port until the time is up,
and leaves the server running when its parent is killed. Starting it here fixes all four:
a wall-clock timeout from settings, the server's output in a log file, one line when it
fails, and a server that exits with the process that started it (Linux).

The launch mirrors Prefect's own `SubprocessASGIServer._run_uvicorn_command` (prefect 3.8)
and registers the process in Prefect's singleton, so the flow run finds it running.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from core.errors import OrchestratorUnavailable

TIMEOUT_SETTING = "THESIS_PREFECT_STARTUP_TIMEOUT_S"
PR_SET_PDEATHSIG = 1
EXCEPTION_LINE = re.compile(r"^[\w.]+(Error|Exception|Exit)\b.*:")


def ensure_api(timeout_s: float) -> None:
    """Start Prefect's temporary server now, unless PREFECT_API_URL names one.

    Raises OrchestratorUnavailable (one line, naming the server's log) when it does not
    answer within `timeout_s` or exits while starting.
    """
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, PREFECT_HOME

    if PREFECT_API_URL.value():
        return
    server = SubprocessASGIServer()
    if server.running:
        return
    log = Path(PREFECT_HOME.value()) / "thesis-temporary-server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    server.port = server.find_available_port()
    server.server_process = _launch(server.port, log)
    server.running = True
    atexit.register(server.stop)
    try:
        _wait_healthy(server.server_process, f"{server.api_url}/health", timeout_s, log)
    except OrchestratorUnavailable:
        server.stop()
        raise


def _launch(port: int, log: Path) -> subprocess.Popen[Any]:
    import prefect
    from prefect.settings import get_current_settings

    env = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        **get_current_settings().to_environment_variables(exclude_unset=True),
    }
    args = [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent)]
    args += ["--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1"]
    args += ["--port", str(port), "--log-level", "error", "--lifespan", "on"]
    with log.open("ab") as out:
        return subprocess.Popen(
            args, env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent
        )


def _die_with_parent() -> None:
    """In the child: ask Linux to SIGTERM it when the thread that started it exits."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _wait_healthy(proc: subprocess.Popen[Any], url: str, timeout_s: float, log: Path) -> None:
    import httpx

    deadline = time.monotonic() + timeout_s
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise OrchestratorUnavailable(
                    f"Prefect's temporary server exited with code {proc.returncode} while "
                    f"starting ({_last_line(log)}; full log: {log}); {_fix()}"
                )
            try:
                if client.get(url).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise OrchestratorUnavailable(
        f"Prefect's temporary server did not answer within {timeout_s:g} s "
        f"(log: {log}): set {TIMEOUT_SETTING} higher (e.g. {TIMEOUT_SETTING}=600), or {_fix()}"
    )


def _fix() -> str:
    return "run `prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api"


def _last_line(log: Path) -> str:
    """The exception the server died of, else its last line."""
    lines = [ln.strip() for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    raised = [ln for ln in lines if EXCEPTION_LINE.match(ln)]
    return (raised or lines or ["no output"])[-1][:300]
