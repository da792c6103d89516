"""Fixtures for the end-to-end tests: every source, Slack and an SMTP relay on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer

from tests.e2e.servers import Mailbox, SlackReceiver, SourceServer, free_port, refuse_off_machine

SENDER = "thesis@example.com"
ANALYST = "analyst@example.com"


@dataclass
class World:
    sources: SourceServer
    slack: SlackReceiver
    mail: Mailbox


@pytest.fixture(autouse=True)
def only_this_machine() -> Iterator[None]:
    undo = refuse_off_machine()
    yield
    undo()


@pytest.fixture
def source_server() -> Iterator[SourceServer]:
    # Threaded: one source held mid-fetch must not stall the others.
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    sources = SourceServer(server)
    sources.serve(1)
    yield sources
    sources.release()
    server.clear()
    server.stop()


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    mail, port = Mailbox(), free_port()
    controller = Controller(mail, hostname="127.0.0.1", port=port, server_hostname="localhost")
    controller.start()
    yield mail, port
    controller.stop()


@pytest.fixture
def world(
    source_server: SourceServer,
    httpserver: HTTPServer,
    mailbox: tuple[Mailbox, int],
    monkeypatch: pytest.MonkeyPatch,
) -> World:
    """Sources, a Slack webhook and an SMTP relay, all local, wired in through the env."""
    mail, port = mailbox
    slack = SlackReceiver(httpserver)
    env = source_server.env() | {
        "THESIS_SLACK_WEBHOOK_URL": slack.url,
        "THESIS_SMTP_HOST": "127.0.0.1",
        "THESIS_SMTP_PORT": str(port),
        "THESIS_SMTP_SECURITY": "none",
        "THESIS_SMTP_FROM": SENDER,
        "THESIS_SMTP_TO": ANALYST,
        "THESIS_FETCH_ATTEMPTS": "2",
        "THESIS_FETCH_BACKOFF_S": "0",
        "THESIS_TASK_RETRIES": "0",
        "THESIS_LOCK_WAIT_S": "5",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in ("THESIS_DB", "THESIS_APPRISE_URLS", "THESIS_SLACK_WEBHOOK_BLOCK"):
        monkeypatch.delenv(name, raising=False)
    return World(source_server, slack, mail)
