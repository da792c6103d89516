"""Headless Chromium driven over the DevTools protocol on a pipe (no extra dependency).

`--remote-debugging-pipe` makes Chromium read protocol commands from fd 3 and write
replies and events to fd 4, each message a JSON object ended by a NUL byte. A `Browser`
opens one page, collects console errors and uncaught exceptions, evaluates JavaScript
(awaiting promises), and takes screenshots. Downloads go to a directory of the test's.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SKIP_REASON = "headless test needs Debian's chromium: apt-get install -y chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",  # tests run as root in CI containers
    "--disable-gpu",
    "--disable-background-networking",  # no traffic off this machine
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)
TIMEOUT_S = 60.0


class ProtocolError(RuntimeError):
    pass


class Browser:
    def __init__(self, proc: subprocess.Popen[bytes], send: int, receive: int) -> None:
        self.proc = proc
        self._send = send
        self._receive = os.fdopen(receive, "rb", buffering=0)
        self._buffer = b""
        self._next_id = 0
        self.session = ""
        self.errors: list[str] = []  # console errors and uncaught exceptions of the page
        self.requests: list[str] = []  # every URL the page asked for
        self.dialogs: list[str] = []  # alert/confirm/prompt messages (dismissed at once)
        self._loaded = False
        self._downloads: dict[str, str] = {}  # guid -> suggested file name
        self._finished: list[str] = []  # file names of completed downloads

    # ------------------------------------------------------------------ protocol

    def call(self, method: str, session: bool = True, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._send, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise ProtocolError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self._event(reply)

    def _read(self) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT_S
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._receive], [], [], left)[0]:
                raise ProtocolError(f"no message from chromium within {TIMEOUT_S:g} s")
            chunk = self._receive.read(65536)
            if not chunk:
                raise ProtocolError(f"chromium closed the pipe (exit {self.proc.poll()})")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def _event(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            self.errors.append(f"exception: {text}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            self.errors.append(f"console.{params['type']}: {args}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            self.errors.append(f"log: {params['entry'].get('text')}")
        elif method == "Page.loadEventFired":
            self._loaded = True
        elif method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Page.javascriptDialogOpening":
            self.dialogs.append(params["message"])
            self._send_only("Page.handleJavaScriptDialog", accept=False)
        elif method == "Browser.downloadWillBegin":
            self._downloads[params["guid"]] = params["suggestedFilename"]
        elif method == "Browser.downloadProgress" and params["state"] == "completed":
            self._finished.append(self._downloads[params["guid"]])

    def _send_only(self, method: str, **params: Any) -> None:
        """A command whose reply is not awaited (sent while an event is being handled)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        os.write(self._send, json.dumps(message).encode() + b"\0")

    # ------------------------------------------------------------------ page

    def open(self, url: str, width: int = 1280, height: int = 900) -> None:
        target = self.call("Target.createTarget", session=False, url="about:blank")
        attached = self.call(
            "Target.attachToTarget", session=False, targetId=target["targetId"], flatten=True
        )
        self.session = attached["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            self.call(f"{domain}.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self._loaded = False
        self.call("Page.navigate", url=url)
        while not self._loaded:
            self._event(self._read())

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (a promise is awaited), as JSON."""
        found = self.call(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
            timeout=TIMEOUT_S * 1000,
        )
        if "exceptionDetails" in found:
            details = found["exceptionDetails"]
            raise ProtocolError(details.get("exception", {}).get("description") or str(details))
        return found["result"].get("value")

    def screenshot(self) -> bytes:
        shot = self.call("Page.captureScreenshot", format="png")
        return base64.b64decode(shot["data"])

    def allow_downloads(self, directory: Path) -> None:
        self.call(
            "Browser.setDownloadBehavior",
            session=False,
            behavior="allow",
            downloadPath=str(directory),
            eventsEnabled=True,
        )

    def wait_for_download(self) -> str:
        """The file name of the next download to complete."""
        while not self._finished:
            self._event(self._read())
        return self._finished.pop(0)

    def mouse_move(self, x: float, y: float) -> None:
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)


@contextmanager
def browser(profile: Path) -> Iterator[Browser]:
    """Chromium with a private profile; closed (and reaped) on exit."""
    assert CHROMIUM is not None, SKIP_REASON
    to_chrome, from_chrome = _high_pipe(), _high_pipe()
    # bash (dash takes single-digit fds only) puts the pipe ends on the protocol's fds;
    # they are numbered 10 or above, so moving them onto 3 and 4 overwrites neither.
    wire = f'exec "$0" "$@" 3<&{to_chrome[0]} 4>&{from_chrome[1]}'
    proc = subprocess.Popen(
        ["bash", "-c", wire, CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(to_chrome[0], from_chrome[1]),
    )
    os.close(to_chrome[0])
    os.close(from_chrome[1])
    driver = Browser(proc, to_chrome[1], from_chrome[0])
    try:
        yield driver
    finally:
        _close(driver)


def _high_pipe() -> tuple[int, int]:
    """A pipe whose two ends are numbered 10 or above (close-on-exec)."""
    low = os.pipe()
    high = (
        fcntl.fcntl(low[0], fcntl.F_DUPFD_CLOEXEC, 10),
        fcntl.fcntl(low[1], fcntl.F_DUPFD_CLOEXEC, 10),
    )
    os.close(low[0])
    os.close(low[1])
    return high


def _close(driver: Browser) -> None:
    """Ask Chromium to quit (no reply is awaited: it closes the pipe as it goes) and
    reap it; kill it if it does not quit, so it never outlives the test."""
    os.write(driver._send, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
    try:
        driver.proc.wait(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        driver.proc.kill()
        driver.proc.wait()
    finally:
        os.close(driver._send)
        driver._receive.close()
