"""Fault scenarios at the alert's end, each a real daily run against the end-to-end world:
an SMTP relay that is down, then up, and hostile text scraped from a source."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.conftest import World
from tests.e2e.servers import E2E, free_port
from tests.faults.conftest import Kept
from tests.faults.test_source_faults import FEEDS, PAGES, latest, outcome, run

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_smtp_down_then_up_delivers_the_alert_once_when_it_is_back(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_logs: Kept
) -> None:
    db = tmp_path / "thesis.duckdb"
    assert run(db, FEEDS)["status"] == "ok"
    world.sources.down.add("openrouter")
    smtp_port = os.environ["THESIS_SMTP_PORT"]
    monkeypatch.setenv("THESIS_SMTP_PORT", str(free_port()))  # nothing listens there

    down = run(db, FEEDS)

    assert down["status"] == "partial"
    delivered = {d["channel"]: d["ok"] for d in down["alerts"]["deliveries"]}
    assert delivered == {"slack": True, "email": False}
    assert world.mail.messages == []
    subject = "thesis: source broken: openrouter"
    assert [p["text"] for p in world.slack.posts] == [subject]

    monkeypatch.setenv("THESIS_SMTP_PORT", smtp_port)
    up = run(db, FEEDS)

    assert {d["channel"]: d["ok"] for d in up["alerts"]["deliveries"]}.get("email") is True
    assert [m["Subject"] for m in world.mail.messages] == [subject]  # once, when it is back
    assert [p["text"] for p in world.slack.posts] == [subject]  # and Slack not again
    assert set(latest(db)) == set(FEEDS)
    assert prefect_logs.tracebacks() == []


HOSTILE = "Gemini R&D <!channel> <script>alert(1)</script>"


def test_hostile_scraped_text_reaches_slack_and_email_escaped(
    world: World, tmp_path: Path, prefect_logs: Kept
) -> None:
    """A page grows a section the parser refuses, titled with markup meant for Slack and
    for a mail reader: the rest loads, and the alert names the section with its markup
    gone (the page reader keeps text only; the channels escape what is left,
    tests/alerts/delivery)."""
    db = tmp_path / "thesis.duckdb"
    assert run(db, PAGES)["status"] == "ok"
    page = (E2E / "pages" / "gemini-docs.md").read_text(encoding="utf-8")
    served = tmp_path / "gemini-docs.md"
    served.write_text(page.replace("## Gemini 3.5 Pro Preview", f"## {HOSTILE}"), "utf-8")
    world.sources.files["gemini-docs"] = served

    summary = run(db, PAGES)

    assert outcome(summary, "gemini-docs")["status"] == "loaded"
    named = "Gemini RD channel scriptalert(1)/script"
    assert outcome(summary, "gemini-docs")["skipped_sections"][0].startswith(named)
    slack = " ".join(str(post) for post in world.slack.posts)
    assert named in slack and "<!channel>" not in slack and "<script>" not in slack
    assert world.mail.messages
    for mail in world.mail.messages:
        html = mail.get_body(preferencelist=("html",))
        assert html is not None and named in html.get_content()
        assert "<script>" not in html.get_content() and "<!channel>" not in html.get_content()
    assert prefect_logs.tracebacks() == []
