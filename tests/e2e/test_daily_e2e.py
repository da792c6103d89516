"""The whole daily flow, end to end, against local stand-ins for everything outside.

Every registry source is served from recorded payloads (tests/fixtures/e2e) by a local
HTTP server, Slack by a local webhook receiver, email by a local SMTP relay; fundamentals
are off (yfinance would go to the network). Five days are run by moving the clock:
days 1 and 2 set the baseline (a value counts once two snapshots carry it), on day 3
DeepSeek's page changes, on day 4 it says the same again, which confirms the change, so
it is alerted on day 4, once; a re-run that day adds and sends nothing. On day 5 a
source is down: that is alerted once too, and the cut is not alerted again. Another run
has Gemini's page grow a section its parser refuses: the rest loads, the new model and
the skipped section are alerted once each, and the page diff is stored.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from typer.testing import CliRunner

from extractors.registry import SOURCES
from tests.e2e.conftest import ANALYST, SENDER, World
from tests.e2e.servers import E2E, SourceServer, recorded_payloads
from tests.paths import ROOT
from thesis_cli.main import app
from warehouse import spool
from warehouse.db import connect

pytestmark = pytest.mark.usefixtures("prefect_harness")

OFFICIAL = ["gemini-docs", "anthropic-docs", "openai-docs", "deepseek-docs", "xai-docs"]


TODAY_NOON = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)


def _day(n: int) -> datetime:
    """Noon UTC of day n of a five-day sequence ending yesterday (never in the future)."""
    return TODAY_NOON - timedelta(days=6 - n)


def _run(db: Path | str, on: datetime | None = None) -> dict[str, Any]:
    from flows.daily import daily_flow, summary_of

    if on is None:
        return summary_of(daily_flow(db_path=str(db), fundamentals=False, return_state=True))
    with time_machine.travel(on, tick=True):
        return summary_of(daily_flow(db_path=str(db), fundamentals=False, return_state=True))


def _rows(db: Path | str, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = connect(str(db), read_only=True, wait_s=0)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _statuses(summary: dict[str, Any]) -> dict[str, str]:
    """The price sources' statuses (the watched models' streams: `_watched`)."""
    return {s["source"]: s["status"] for s in summary["sources"] if s["source"] in SOURCES}


def _watched(summary: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """Each watched model's stream (`source:model`): its status and rows added."""
    return {
        s["source"]: (s["status"], s["rows_added"])
        for s in summary["sources"]
        if s["source"] not in SOURCES
    }


def _price_rows(summary: dict[str, Any]) -> int:
    return sum(s["rows_added"] for s in summary["sources"] if s["source"] in SOURCES)


def _latest(db: Path | str, provider: str, model: str, component: str) -> tuple[Decimal, str]:
    rows = _rows(
        db,
        "select usd_per_mtok, source from latest_prices where provider = ? and model = ?"
        " and component = ? and service_tier = 'standard' and tier_min_prompt_tokens = 0"
        " and condition = ''",
        [provider, model, component],
    )
    assert len(rows) == 1, rows
    return Decimal(rows[0][0]), str(rows[0][1])


def _expected_series(source_id: str, day: int) -> int:
    """Distinct price series in a source's recorded payload (parsed directly, no flow)."""
    parsed = SOURCES[source_id].parse(recorded_payloads(day)[source_id].read_bytes())
    return len(
        {
            (
                p.source_model_key,
                p.component,
                p.service_tier,
                p.tier_min_prompt_tokens,
                p.condition,
                p.effective_from,
                p.effective_to,
            )
            for p in parsed.prices
        }
    )


def _warehouse_counts(db: Path | str) -> dict[str, int]:
    tables = ("snapshots", "price_observations", "model_limits", "alerts", "raw_snapshots")
    return {t: int(_rows(db, f"select count(*) from {t}")[0][0]) for t in tables}


def test_day_one_loads_every_source_and_official_pages_win(world: World, tmp_path: Path) -> None:
    db = tmp_path / "thesis.duckdb"
    summary = _run(db, _day(1))

    assert summary["status"] == "ok", summary
    assert _statuses(summary) == dict.fromkeys(SOURCES, "loaded")
    # The watched models load beside them: Kimi K2's one host, DeepSeek-V3's config.
    assert _watched(summary) == {
        "openrouter-endpoints:moonshotai/kimi-k2": ("loaded", 1),
        "model-configs:deepseek-ai/DeepSeek-V3": ("loaded", 1),
    }
    hosts = _rows(db, "select model, host, day from openrouter_endpoints_daily")
    assert hosts == [("moonshotai/kimi-k2", "Novita", _day(1).date())]
    per_source = dict(_rows(db, "select source, count(*) from price_observations group by source"))
    assert per_source == {sid: _expected_series(sid, 1) for sid in SOURCES}
    snapshots = _rows(db, "select source, status, cast(observed_at as date) from snapshots")
    assert sorted(snapshots) == sorted((sid, "loaded", _day(1).date()) for sid in SOURCES)
    # The labs' own pages win over the feeds that restate them (LiteLLM says 0.28 and
    # OpenRouter 0.2574 for deepseek-chat; DeepSeek's page says 0.14).
    assert _latest(db, "deepseek", "deepseek-chat", "input") == (Decimal("0.14"), "deepseek-docs")
    restated = _rows(
        db,
        "select source, usd_per_mtok from price_history where model = 'deepseek-chat'"
        " and component = 'input' and service_tier = 'standard' and condition = ''"
        " and tier_min_prompt_tokens = 0 and source in ('litellm', 'openrouter') order by 1",
    )
    assert restated == [("litellm", Decimal("0.28")), ("openrouter", Decimal("0.2574"))]
    official = _rows(db, "select distinct source from latest_prices where official order by 1")
    assert [s for (s,) in official] == sorted(OFFICIAL)
    assert _latest(db, "google", "gemini-2.5-pro", "output") == (Decimal("10"), "gemini-docs")
    assert _latest(db, "openai", "gpt-5.4", "input") == (Decimal("2.5"), "openai-docs")
    assert _latest(db, "anthropic", "claude-sonnet-4-5", "output") == (
        Decimal("15"),
        "anthropic-docs",
    )
    assert _latest(db, "xai", "grok-4.3", "input") == (Decimal("1.25"), "xai-docs")
    limits = _rows(db, "select context_window_tokens from latest_limits where model = 'grok-4.3'")
    assert limits == [(1_000_000,)]
    # The roofline inversion ran on today's prices.
    assert summary["inferences"] > 0
    inferred = _rows(db, "select count(*), min(day), max(day) from inferences")
    assert inferred == [(summary["inferences"], _day(1).date(), _day(1).date())]
    # Nothing has changed yet, so nothing is said.
    assert _rows(db, "select count(*) from alerts") == [(0,)]
    assert world.slack.posts == [] and world.mail.messages == []


def test_a_confirmed_change_is_alerted_once_and_reruns_add_and_send_nothing(
    world: World, tmp_path: Path
) -> None:
    db = tmp_path / "thesis.duckdb"
    _run(db, _day(1))
    second = _run(db, _day(2))
    # Unchanged everywhere: every source answers 304 and is re-observed, no price added;
    # the endpoint answer re-observed on a new day is that day's row of its host.
    assert set(_statuses(second).values()) == {"not_modified"} and _price_rows(second) == 0
    assert _watched(second) == {
        "openrouter-endpoints:moonshotai/kimi-k2": ("not_modified", 1),
        "model-configs:deepseek-ai/DeepSeek-V3": ("not_modified", 0),
    }
    baseline = _warehouse_counts(db)

    world.sources.serve(3)
    day3 = _run(db, _day(3))
    assert _statuses(day3)["deepseek-docs"] == "loaded" and day3["rows_added"] > 0
    # Seen once: the page's price is current at once, but not confirmed, so no alert.
    assert _latest(db, "deepseek", "deepseek-v4-pro", "input") == (
        Decimal("0.435"),
        "deepseek-docs",
    )
    assert _rows(db, "select count(*) from alerts") == [(0,)]
    assert world.slack.posts == [] and world.mail.messages == []

    world.sources.serve(4)
    day4 = _run(db, _day(4))
    assert day4["status"] == "ok"
    # Alerts count events; each went to both channels: a delivery per event and channel.
    events = _rows(db, "select count(distinct alert_key) from alerts")[0][0]
    assert day4["alerts"]["alerts_recorded"] == events == 3
    assert (day4["alerts"]["deliveries_made"], day4["alerts"]["messages_sent"]) == (2 * events, 2)
    fired = _rows(
        db,
        "select trigger_id, provider, model, old_value, new_value, unit, event_date, channel,"
        " status from alerts order by subject, channel",
    )
    on = _day(4).date()
    cut = ("price-cut-or-rise", "deepseek", "deepseek-v4-pro")
    # The 75% cut also moves the model's implied serving margin wholly below its band on
    # days 3 and 4 (stored daily from the current prices): a warning, confirmed with it.
    margin = ("implied-margin-leaves-band", "deepseek", "deepseek-v4-pro")
    band = ("70% to 91%", "-21% to 62%", "of revenue", on)
    assert fired == [
        (*margin, *band, "email", "delivered"),
        (*margin, *band, "slack", "delivered"),
        (*cut, "1.74", "0.435", "USD/Mtok", on, "email", "delivered"),
        (*cut, "1.74", "0.435", "USD/Mtok", on, "slack", "delivered"),
        (*cut, "3.48", "0.87", "USD/Mtok", on, "email", "delivered"),
        (*cut, "3.48", "0.87", "USD/Mtok", on, "slack", "delivered"),
    ]
    _assert_one_digest_each(world, on)

    counts = _warehouse_counts(db)
    rerun = _run(db, _day(4) + timedelta(minutes=5))
    assert rerun["rows_added"] == 0 and rerun["alerts"]["alerts_recorded"] == 0
    assert _warehouse_counts(db) == counts
    assert len(world.slack.posts) == 1 and len(world.mail.messages) == 1

    # Day 5: OpenRouter is down. The cut is not alerted again; the outage is, once.
    world.sources.serve(5)
    world.sources.down.add("openrouter")
    day5 = _run(db, _day(5))
    assert day5["status"] == "partial" and _statuses(day5)["openrouter"] == "failed"
    assert day5["alerts"]["alerts_recorded"] == 0
    assert day5["alerts"]["source_failures_recorded"] == 1  # one outage, two channels
    _run(db, _day(5) + timedelta(minutes=5))
    assert [p["text"] for p in world.slack.posts[1:]] == ["thesis: source broken: openrouter"]
    assert [m["Subject"] for m in world.mail.messages[1:]] == ["thesis: source broken: openrouter"]
    broken = world.slack.posts[1]["blocks"]
    assert any("HTTP 503" in b.get("text", {}).get("text", "") for b in broken), broken
    # Days 2 to 5 re-observed every unchanged source that answered (a snapshot each, no
    # observation); the changed page is the one new payload archived.
    final = _warehouse_counts(db)
    assert final["snapshots"] == baseline["snapshots"] + 3 * len(SOURCES) - 1
    assert final["raw_snapshots"] == baseline["raw_snapshots"] + 1
    assert final["price_observations"] == counts["price_observations"]


# The digest is titled by its most important change: the margin warning before the cuts.
SUBJECT = (
    "thesis: deepseek deepseek-v4-pro implied serving margin fell below its band"
    " 70% to 91% → -21% to 62% of revenue and 2 more alerts (1 warning, 2 info)"
)


def _assert_one_digest_each(world: World, on: date) -> None:
    assert len(world.slack.posts) == 1
    post = world.slack.posts[0]
    assert post["text"] == SUBJECT
    sections = [b["text"]["text"] for b in post["blocks"] if b["type"] == "section"]
    assert sections[0] == "*#1 Batching is the hidden thousand-x lever on unit economics*"
    assert len(sections) == 4
    assert sections[1].startswith(
        ":warning: *WARNING* deepseek deepseek-v4-pro implied serving margin fell below its"
        " band\nimplied margin: *70% to 91% -&gt; -21% to 62% of revenue*"
        f"  (implied-margin-leaves-band, {on.isoformat()})"
    )
    assert "deepseek deepseek-v4-pro input price cut" in sections[2]
    cut = f"*1.74 -&gt; 0.435 USD/Mtok (−75%)*  (price-cut-or-rise, {on.isoformat()})"
    assert cut in sections[2]
    assert "deepseek deepseek-v4-pro output price cut" in sections[3]
    assert "<https://api-docs.deepseek.com/quick_start/pricing|source page>" in sections[3]

    assert len(world.mail.messages) == 1 and world.mail.recipients == [[ANALYST]]
    mail = world.mail.messages[0]
    assert mail["Subject"] == SUBJECT
    assert mail["From"] == SENDER and mail["To"] == ANALYST
    text = mail.get_body(preferencelist=("plain",))
    html = mail.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    plain = text.get_content()
    assert "[INFO] deepseek deepseek-v4-pro input price cut" in plain
    assert "[WARNING] deepseek deepseek-v4-pro implied serving margin fell below its band" in plain
    output = f"price change: 3.48 -> 0.87 USD/Mtok (−75%)  (price-cut-or-rise, {on.isoformat()})"
    assert output in plain
    assert "1.74 -&gt; 0.435 USD/Mtok" in html.get_content()


def _subprocess_env(tmp_path: Path) -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ)
    env |= {
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),  # the session's test server
        "PYTHONPATH": str(ROOT),
    }
    return env


FLOW_IN_A_CHILD = """
import sys
from tests.e2e.servers import refuse_off_machine
refuse_off_machine()
from flows.daily import daily_flow
daily_flow(db_path=sys.argv[1], fundamentals=False)
"""


def _spooled(db: Path) -> list[spool.Spooled]:
    root = spool.spool_dir(db)
    return [item for sid in SOURCES for item in spool.pending(root, sid)]


def _kill_mid_fetch(db: Path, sources: SourceServer, tmp_path: Path) -> int:
    """Start the flow in a child process, SIGKILL it once every source but one is spooled
    (the held one is still being fetched, nothing is loaded yet); the spooled count."""
    sources.hold("openrouter")
    log = tmp_path / "child.log"  # a file, not a pipe: a full pipe would stall the child
    with log.open("wb") as out:
        child = subprocess.Popen(
            [sys.executable, "-c", FLOW_IN_A_CHILD, str(db)],
            cwd=ROOT,
            env=_subprocess_env(tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while len(_spooled(db)) < len(SOURCES) - 1 or "openrouter" not in sources.requests:
            assert child.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the child never spooled the other sources"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        sources.release()
    return len(_spooled(db))


def _content(db: Path | str) -> dict[str, list[tuple[Any, ...]]]:
    """What the warehouse holds, less the ids and times that differ between runs."""
    return {
        "snapshots": _rows(
            db,
            "select source, status, content_sha256, models, price_rows, limit_rows"
            " from snapshots order by all",
        ),
        "prices": _rows(
            db,
            "select source, source_model_key, provider, model, component, service_tier,"
            " tier_min_prompt_tokens, condition, effective_from, effective_to, usd_per_mtok,"
            " change from price_observations order by all",
        ),
        "limits": _rows(
            db,
            "select source, source_model_key, context_window_tokens, max_input_tokens,"
            " max_output_tokens, change from model_limits order by all",
        ),
        "latest": _rows(
            db,
            "select provider, model, component, service_tier, tier_min_prompt_tokens,"
            " condition, usd_per_mtok, source from latest_prices order by all",
        ),
        "inferences": _rows(
            db,
            "select provider, model, name, value, unit, reference_model, reference_hardware"
            " from inferences order by all",
        ),
    }


def test_a_run_killed_mid_fetch_loses_nothing(world: World, tmp_path: Path) -> None:
    db = tmp_path / "killed" / "thesis.duckdb"
    db.parent.mkdir()
    spooled = _kill_mid_fetch(db, world.sources, tmp_path)
    assert spooled == len(SOURCES) - 1
    assert not db.exists() or _rows(db, "select count(*) from snapshots") == [(0,)]

    recovered = _run(db)
    assert recovered["status"] == "ok", recovered
    assert _spooled(db) == []

    clean = tmp_path / "clean" / "thesis.duckdb"
    clean.parent.mkdir()
    assert _run(clean)["status"] == "ok"
    assert _content(db) == _content(clean)
    per_source = dict(_rows(db, "select source, count(*) from snapshots group by source"))
    assert per_source == dict.fromkeys(SOURCES, 1)


def test_a_ducklake_warehouse_holds_what_a_file_holds_and_alerts_the_same(
    world: World, tmp_path: Path
) -> None:
    file = tmp_path / "thesis.duckdb"
    lake = f"ducklake:{tmp_path / 'lake' / 'thesis.ducklake'}"
    assert _run(file, _day(1))["status"] == "ok"
    first = _run(lake, _day(1))
    assert first["status"] == "ok" and first["db"] == lake
    assert _content(lake) == _content(file)
    assert (tmp_path / "lake" / "spool").is_dir() and _spooled(lake) == []

    # Each day must load whole: a day that failed in part would confirm fewer changes,
    # and the summary says which source failed and why.
    assert _run(lake, _day(2))["status"] == "ok"
    world.sources.serve(3)
    day3 = _run(lake, _day(3))
    assert day3["status"] == "ok", day3
    world.sources.serve(4)
    day4 = _run(lake, _day(4))
    assert day4["status"] == "ok", day4
    events = _rows(lake, "select count(distinct alert_key) from alerts")[0][0]
    assert day4["alerts"]["alerts_recorded"] == events == 3, (day3, day4)
    _assert_one_digest_each(world, _day(4).date())
    counts = _warehouse_counts(lake)
    rerun = _run(lake, _day(4) + timedelta(minutes=5))
    assert rerun["rows_added"] == 0 and rerun["alerts"]["alerts_recorded"] == 0
    assert _warehouse_counts(lake) == counts
    assert len(world.slack.posts) == 1 and len(world.mail.messages) == 1


def test_a_page_that_grows_an_unreadable_section_loads_the_rest_and_says_so_once(
    world: World, tmp_path: Path
) -> None:
    """Gemini's page gains a section for a model nobody knows, in a shape the parser
    refuses: every other model loads, the section is recorded as skipped, the new model
    is news once, the skip needs attention once, and the page diff shows the section."""
    db = tmp_path / "thesis.duckdb"
    _run(db, _day(1))
    world.sources.files["gemini-docs"] = E2E / "pages" / "gemini-docs.md"
    day2 = _run(db, _day(2))
    assert day2["status"] == "ok" and _statuses(day2)["gemini-docs"] == "loaded"
    [gemini] = [s for s in day2["sources"] if s["source"] == "gemini-docs"]
    assert [s.split(":")[0] for s in gemini["skipped_sections"]] == ["Gemini 3.5 Pro Preview"]
    assert _latest(db, "google", "gemini-2.5-pro", "output") == (Decimal("10"), "gemini-docs")
    skipped = _rows(db, "select section, error_kind, models from page_section_failures")
    assert skipped == [("Gemini 3.5 Pro Preview", "layout_changed", ["gemini-3.5-pro-preview"])]
    assert _rows(db, "select count(*) from price_observations where change = 'removed'") == [(0,)]
    news = _rows(db, "select distinct trigger_id, severity, subject from alerts")
    assert news == [
        (
            "page-new-model",
            "info",
            "new model on the official page: google gemini-3.5-pro-preview",
        )
    ]
    assert [p["text"] for p in world.slack.posts] == [
        "thesis: new model on the official page: google gemini-3.5-pro-preview"
        " (Gemini 3.5 Pro Preview)"
    ]
    found = "new model on the official page: *Gemini 3.5 Pro Preview*  (page-new-model, "
    assert found in world.slack.posts[0]["blocks"][3]["text"]["text"]
    [(diff,)] = _rows(db, "select diff from page_diffs where source = 'gemini-docs'")
    assert (
        "+## Gemini 3.5 Pro Preview" in diff and "+| Input price | Not available | $2.00 |" in diff
    )
    shown = CliRunner().invoke(app, ["pages", "diff", "gemini-docs", "--db", str(db)])
    assert shown.exit_code == 0 and "+## Gemini 3.5 Pro Preview" in shown.stdout

    _run(db, _day(3))  # the same page again (304): skipped a second day running
    attention = _rows(db, "select subject from alerts where trigger_id = 'page-parser-attention'")
    assert {s for (s,) in attention} == {
        "parser needs attention: gemini-docs section 'Gemini 3.5 Pro Preview'"
    }
    _run(db, _day(4))
    assert _rows(db, "select count(*) from alerts") == [(4,)]  # 2 alerts x 2 channels
    assert len(world.slack.posts) == 2 and len(world.mail.messages) == 2
