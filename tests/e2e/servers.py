"""Local stand-ins for the outside world of the daily run: the sources, Slack, an SMTP relay.

Also `refuse_off_machine()`, which makes any lookup of a host other than this machine
fail: the end-to-end tests must never contact or resolve anything but 127.0.0.1.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from extractors.registry import SOURCES, WATCHED
from tests.paths import FIXTURES

E2E = FIXTURES / "e2e"
WATCHED_ANSWERS = E2E / "watched"  # <source-id>/<org>__<name>.json, the same every day
LOCAL_NAMES = {"127.0.0.1", "localhost", "::1", socket.gethostname()}
CONTENT_TYPES = {".json": "application/json", ".md": "text/markdown", ".html": "text/html"}


def recorded_payloads(day: int) -> dict[str, Path]:
    """The recorded payload of every registry source on `day` (1, 2, 3, ...).

    Day 1 is tests/fixtures/e2e/day1; each later day is the previous one with the files
    of tests/fixtures/e2e/day<N> in their place (no folder: nothing changed that day).
    """
    files: dict[str, Path] = {}
    for n in range(1, day + 1):
        folder = E2E / f"day{n}"
        if folder.is_dir():
            files |= {p.name.split(".")[0]: p for p in folder.iterdir() if p.is_file()}
    missing = set(SOURCES) - set(files)
    assert not missing, f"no recorded payload for {sorted(missing)}"
    return {sid: files[sid] for sid in SOURCES}


@dataclass
class SourceServer:
    """Serves each source's current payload at /<source-id>, with ETags (304 when unchanged).

    `serve(day)` switches every source to that day's recording; `hold(source_id)` makes
    that source's requests wait until `release()` (a fetch caught mid-way); a source in
    `down` answers 503.
    """

    server: HTTPServer
    files: dict[str, Path] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    held: set[str] = field(default_factory=set)
    down: set[str] = field(default_factory=set)
    gate: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        for sid in SOURCES:
            self.server.expect_request(f"/{sid}").respond_with_handler(self._handler(sid))
        for sid in WATCHED:
            for path in sorted((WATCHED_ANSWERS / sid).glob("*.json")):
                model = path.stem.replace("__", "/")
                self.files[f"{sid}:{model}"] = path
                self.server.expect_request(f"/{sid}/{model}").respond_with_handler(
                    self._handler(f"{sid}:{model}")
                )

    def url(self, source_id: str) -> str:
        return self.server.url_for(f"/{source_id}")

    def watched_models(self, source_id: str) -> list[str]:
        return [k.split(":", 1)[1] for k in self.files if k.startswith(source_id + ":")]

    def env(self) -> dict[str, str]:
        """THESIS_URL_<ID> for every source, pointing here; each watched-model source
        watches the models it has an answer for."""
        env = {"THESIS_URL_" + sid.upper().replace("-", "_"): self.url(sid) for sid in SOURCES}
        for sid in WATCHED:
            name = sid.upper().replace("-", "_")
            env[f"THESIS_URL_{name}"] = self.url(sid) + "/{model}"
            env[f"THESIS_{name}_MODELS"] = ",".join(self.watched_models(sid))
        return env

    def serve(self, day: int) -> None:
        self.files |= recorded_payloads(day)

    def hold(self, source_id: str) -> None:
        self.held.add(source_id)
        self.gate.clear()

    def release(self) -> None:
        self.held.clear()
        self.gate.set()

    def _handler(self, sid: str) -> Callable[[Request], Response]:
        def handle(request: Request) -> Response:
            self.requests.append(sid)
            if sid in self.held:
                self.gate.wait(timeout=60)
            if sid in self.down:
                return Response("upstream unavailable", status=503)
            path = self.files[sid]
            body = path.read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if request.headers.get("If-None-Match") == etag:
                return Response(status=304, headers={"ETag": etag})
            kind = CONTENT_TYPES[path.suffix]
            return Response(body, headers={"ETag": etag, "Content-Type": kind})

        return handle


@dataclass
class SlackReceiver:
    """An incoming-webhook endpoint standing in for Slack: keeps every JSON body posted."""

    server: HTTPServer
    path: str = "/services/T000/B000/e2e"
    posts: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.server.expect_request(self.path, method="POST").respond_with_handler(self._take)

    @property
    def url(self) -> str:
        return self.server.url_for(self.path)

    def _take(self, request: Request) -> Response:
        self.posts.append(json.loads(request.get_data()))
        return Response("ok", content_type="text/plain")


@dataclass
class Mailbox:
    """aiosmtpd handler: every message the relay accepted, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def refuse_off_machine() -> Callable[[], None]:
    """Make name lookups of anything but this machine raise; returns the undo."""
    saved = {
        name: getattr(socket, name)
        for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr")
    }

    def guard(name: str) -> Callable[..., Any]:
        real = saved[name]

        def checked(host: Any, *args: Any, **kwargs: Any) -> Any:
            text = host.decode() if isinstance(host, bytes) else str(host)
            if host is not None and text not in LOCAL_NAMES:
                raise OSError(f"end-to-end test tried to reach {text!r}: only 127.0.0.1 allowed")
            return real(host, *args, **kwargs)

        return checked

    for name in saved:
        setattr(socket, name, guard(name))

    def undo() -> None:
        for name, real in saved.items():
            setattr(socket, name, real)

    return undo
