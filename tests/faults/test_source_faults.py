"""Fault scenarios at the sources, each a real daily run (in this process, through the
Prefect flow) against the end-to-end world: a day that loads cleanly, then a day with
the fault. Each asserts what an operator sees: the run's status and its summary, each
source's rows in the warehouse (the last good data stands: nothing lost), the one alert
on the local Slack stand-in and SMTP relay, and no traceback on stderr."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import World
from tests.e2e.servers import E2E
from tests.faults.conftest import Kept
from tests.paths import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")

FEEDS = ["litellm", "openrouter"]
PAGES = ["gemini-docs", "openrouter"]


def run(db: Path, sources: list[str]) -> dict[str, Any]:
    """The run's summary, whichever state it ended in."""
    from flows.daily import daily_flow, summary_of

    state = daily_flow(db_path=str(db), sources=sources, fundamentals=False, return_state=True)
    return summary_of(state)


def latest(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Each source's rows in latest_prices: what the warehouse answers today."""
    from warehouse.db import connection

    with connection(db, read_only=True, wait_s=0) as con:
        rows = con.execute(
            "select source, provider, model, component, service_tier, tier_min_prompt_tokens,"
            " condition, usd_per_mtok from latest_prices order by all"
        ).fetchall()
    found: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        found.setdefault(str(row[0]), []).append(row)
    return found


def outcome(summary: dict[str, Any], source: str) -> dict[str, Any]:
    [found] = [s for s in summary["sources"] if s["source"] == source]
    return found


def assert_alerted_once(world: World, source: str) -> None:
    subject = f"thesis: source broken: {source}"
    assert [p["text"] for p in world.slack.posts] == [subject]
    assert [m["Subject"] for m in world.mail.messages] == [subject]


def _write(tmp_path: Path, name: str, body: bytes) -> Path:
    path = tmp_path / "served" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(body)
    return path


def _storm(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = world.slack.server  # any local server will do for a source that only says 429
    server.expect_request("/storm").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    monkeypatch.setenv("THESIS_URL_LITELLM", server.url_for("/storm"))


def _five_hundred(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world.sources.down.add("litellm")


def _hanging(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world.sources.hold("litellm")  # accepts, then answers nothing until the test ends
    monkeypatch.setenv("THESIS_FETCH_DEADLINE_S", "1")


def _truncated(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = (E2E / "day1" / "litellm.json").read_bytes()
    world.sources.files["litellm"] = _write(tmp_path, "litellm.json", body[: len(body) // 2])


def _markup(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = (E2E / "day1" / "gemini-docs.md").read_text(encoding="utf-8")
    kept = "\n".join(ln for ln in page.splitlines() if not ln.lstrip().startswith("|"))
    world.sources.files["gemini-docs"] = _write(tmp_path, "gemini-docs.md", kept.encode())


def _challenge(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world.sources.files["gemini-docs"] = FIXTURES / "pages" / "challenge.html"


Fault = Callable[[World, Path, pytest.MonkeyPatch], None]
SCENARIOS: list[tuple[str, Fault, list[str], str, str]] = [
    # name, the fault, the sources run, the failed source's kind, words of its reason
    ("429-storm", _storm, FEEDS, "rate_limited", "HTTP 429"),
    ("5xx", _five_hundred, FEEDS, "fetch_failed", "HTTP 503"),
    ("hanging-source", _hanging, FEEDS, "fetch_failed", "time budget of 1s"),
    ("truncated-json", _truncated, FEEDS, "bad_payload", "truncated JSON"),
    ("changed-markup", _markup, PAGES, "layout_changed", "missing anchor"),
    ("challenge-page-200", _challenge, PAGES, "blocked", "challenge page"),
]


@pytest.mark.parametrize(
    ("fault", "sources", "kind", "words"),
    [pytest.param(*s[1:], id=s[0]) for s in SCENARIOS],
)
def test_a_faulty_source_fails_in_one_line_is_alerted_once_and_loses_nothing(
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    prefect_logs: Kept,
    fault: Fault,
    sources: list[str],
    kind: str,
    words: str,
) -> None:
    db = tmp_path / "thesis.duckdb"
    assert run(db, sources)["status"] == "ok"
    before = latest(db)
    faulty, healthy = sources[0], sources[1]
    assert before[faulty] and before[healthy]

    fault(world, tmp_path, monkeypatch)
    summary = run(db, sources)

    assert summary["status"] == "partial"
    failed = outcome(summary, faulty)
    assert (failed["status"], failed["error_kind"]) == ("failed", kind)
    assert words in failed["error"] and "\n" not in failed["error"]
    assert outcome(summary, healthy)["status"] in {"not_modified", "unchanged", "loaded"}
    assert latest(db) == before  # the last good data stands
    assert_alerted_once(world, faulty)
    assert prefect_logs.tracebacks() == []


def test_a_halved_feed_is_a_suspicious_shrink_and_the_last_good_prices_stand(
    world: World, tmp_path: Path, prefect_logs: Kept
) -> None:
    db = tmp_path / "thesis.duckdb"
    assert run(db, FEEDS)["status"] == "ok"
    before = latest(db)
    feed = json.loads((E2E / "day1" / "litellm.json").read_text(encoding="utf-8"))
    keys = sorted(feed)
    halved = {k: feed[k] for k in keys[: len(keys) // 2]}
    world.sources.files["litellm"] = _write(tmp_path, "litellm.json", json.dumps(halved).encode())

    summary = run(db, FEEDS)

    failed = outcome(summary, "litellm")
    assert (summary["status"], failed["error_kind"]) == ("partial", "suspicious_shrink")
    assert latest(db) == before
    assert_alerted_once(world, "litellm")
    assert "would remove" in failed["error"]
    said = " ".join(b["text"]["text"] for b in world.slack.posts[0]["blocks"] if "text" in b)
    assert "would remove 63 of 103 live prices" in said
    assert prefect_logs.tracebacks() == []
