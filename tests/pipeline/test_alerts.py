"""The alert use case: evaluate, record and deliver over a warehouse that grows one
snapshot a day; each alert and each breakage is sent once."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from alerts.delivery.outbox import deliver_pending
from alerts.delivery.slack import SlackWebhook
from alerts.records import Alert, SourceFailure
from alerts.theses.load import load_theses
from alerts.triggers.evaluate import evaluate_series
from alerts.triggers.state import EVALUATED, WarehouseState
from extractors.registry import get_source
from model.inversion.band import bands
from model.inversion.infer import infer_all
from pipeline.alerts import alert, evaluate_and_alert, record_run
from pipeline.history import import_snapshots
from tests.gemini import price_rows
from warehouse.db import connect, connection
from warehouse.inference_bands import store_bands

HISTORY = Path(__file__).resolve().parents[1] / "fixtures" / "alerts" / "litellm_history"
HOOK = "/services/T1/B2/secret"


def sent(httpserver: HTTPServer, before: int) -> list[str]:
    """The headline of each Slack message the server received after the first `before`."""
    return [
        json.loads(req.get_data())["blocks"][0]["text"]["text"]
        for req, _ in httpserver.log[before:]
    ]


def test_each_day_sends_only_what_became_confirmed_that_day(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(HOOK).respond_with_data("ok")
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    slack = [SlackWebhook(httpserver.url_for(HOOK))]
    theses = load_theses()

    def day(date: str, failures: list[SourceFailure] = ()) -> list[str]:  # type: ignore[assignment]
        folder = tmp_path / date
        folder.mkdir(exist_ok=True)
        for path in HISTORY.glob(f"{date}T*"):
            shutil.copy(path, folder / path.name)
        import_snapshots(con, get_source("litellm"), folder)
        before = len(httpserver.log)
        report = evaluate_and_alert(
            con, theses, slack, succeeded=["litellm"], failures=list(failures),
            on=dt.date.fromisoformat(date),
        )  # fmt: skip
        assert report.ok
        return sent(httpserver, before)

    # Imported history before the first daily run is never replayed as news.
    import_snapshots(con, get_source("litellm"), _only(tmp_path, ["2024-09-01", "2024-09-02"]))
    assert day("2024-10-02") == []  # the cuts are seen once: not confirmed yet
    broken = SourceFailure(
        "openrouter", "fetch_failed", "openrouter: HTTP 503", dt.date(2024, 10, 3)
    )
    assert day("2024-10-03", [broken]) == [
        "thesis: google gemini-1.5-pro output/input spread vs its 90-day baseline 3 → 4 x "
        "(+33%) and 5 more alerts (2 warning, 4 info)",
        "thesis: source broken: openrouter",
    ]
    # The $30 typo of 2024-10-03 reverted: nothing. Re-running the day: nothing.
    assert day("2024-10-04") == []
    assert day("2024-10-04") == []
    assert con.execute("select count(*) from alerts where status = 'delivered'").fetchone() == (7,)


def _only(tmp_path: Path, days: list[str]) -> Path:
    folder = tmp_path / "history"
    folder.mkdir()
    for path in HISTORY.glob("2024-*"):
        if path.name[:10] in days:
            shutil.copy(path, folder / path.name)
    return folder


GENAI = Path(__file__).resolve().parents[1] / "fixtures" / "alerts" / "genai_prices"


def test_the_same_cut_from_two_sources_is_one_alert_on_its_first_day(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(HOOK).respond_with_data("ok")
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    import_snapshots(con, get_source("litellm"), _only(tmp_path, ["2024-09-01", "2024-09-02"]))
    import_snapshots(con, get_source("genai-prices"), _genai(tmp_path, ["2024-10-01"]))
    theses = load_theses()
    slack = [SlackWebhook(httpserver.url_for(HOOK))]
    for day in ("2024-10-02", "2024-10-03"):
        folder = tmp_path / day
        folder.mkdir()
        for path in HISTORY.glob(f"{day}T*"):
            shutil.copy(path, folder / path.name)
        import_snapshots(con, get_source("litellm"), folder)
        import_snapshots(con, get_source("genai-prices"), _genai(tmp_path, [day]))
        report = evaluate_and_alert(
            con, theses, slack, succeeded=["litellm", "genai-prices"], failures=[],
            on=dt.date.fromisoformat(day),
        )  # fmt: skip
        assert report.ok
    # Both sources cut gpt-4o on 2024-10-03 and each confirms the other: one alert each.
    rows = con.execute(
        "select subject, count(*) from alerts where model = 'gpt-4o' group by subject"
        " order by subject"
    ).fetchall()
    assert rows == [
        ("openai gpt-4o input price cut", 1),
        ("openai gpt-4o output price cut", 1),
        ("openai gpt-4o output/input spread vs its 90-day baseline", 1),
    ]


def _genai(tmp_path: Path, days: list[str]) -> Path:
    folder = tmp_path / f"genai-{days[0]}"
    folder.mkdir()
    for day in days:
        shutil.copy(GENAI / f"{day}T180000_genai.json", folder)
    return folder


def test_runs_send_each_alert_and_each_breakage_once(
    tmp_path: Path, httpserver: HTTPServer, gpt4o_cut: Alert
) -> None:
    httpserver.expect_request(HOOK).respond_with_data("ok")
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    slack = [SlackWebhook(httpserver.url_for(HOOK))]
    days = [dt.date(2026, 11, d) for d in (1, 2, 3, 4)]

    def broken(day: dt.date) -> SourceFailure:
        return SourceFailure("openrouter", "fetch_failed", "openrouter: HTTP 503", day)

    def run(day: dt.date, alerts: list[Alert], failures: list[SourceFailure]) -> list[str]:
        before = len(httpserver.log)
        ok = ["litellm"] if failures else ["litellm", "openrouter"]
        record_run(con, [c.name for c in slack], alerts, failures, ok, day)
        assert all(d.ok for d in deliver_pending(con, slack))
        return sent(httpserver, before)

    assert run(days[0], [gpt4o_cut], [broken(days[0])]) == [
        "thesis: openai gpt-4o input $5 → $2.5 (−50%)",
        "thesis: source broken: openrouter",
    ]
    # Same alert evaluated again (a re-run) and the source still broken: nothing new.
    assert run(days[1], [gpt4o_cut], [broken(days[1])]) == []
    assert run(days[2], [], []) == []
    assert run(days[3], [], [broken(days[3])]) == ["thesis: source broken: openrouter"]


def test_the_flow_step_opens_the_warehouse_and_summarises_for_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in os.environ if n.startswith("THESIS_")]:
        monkeypatch.delenv(name)  # no channel configured
    db = tmp_path / "w.duckdb"
    with connection(db) as con:
        days = ["2024-09-01", "2024-09-02", "2024-10-02", "2024-10-03"]
        import_snapshots(con, get_source("litellm"), _only(tmp_path, days))
    broken = SourceFailure("openrouter", "fetch_failed", "HTTP 503", dt.date(2024, 10, 3))
    report = alert(
        db, load_theses(), succeeded=["litellm"], failures=[broken], on=dt.date(2024, 10, 3)
    )
    assert report.as_dict() == {
        "alerts_recorded": 6,
        "source_failures_recorded": 1,
        "channels": ["none configured"],
        "deliveries_made": 0,
        "messages_sent": 0,
        "deliveries": [],
    }
    with connection(db, read_only=True) as con:
        assert con.execute("select distinct channel, status from alerts").fetchall() == [
            ("none", "no_channel")
        ]


def test_the_daily_step_alerts_once_when_a_stored_margin_band_leaves_its_band(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(HOOK).respond_with_data("ok")
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    slack = [SlackWebhook(httpserver.url_for(HOOK))]
    theses = load_theses()

    def day(n: int, scale: str) -> list[str]:
        """Gemini 2.5 Pro's prices times `scale`, inverted and stored, then the alert step."""
        at = dt.datetime(2026, 11, n, 6, tzinfo=dt.UTC)
        store_bands(con, bands(infer_all(price_rows(scale=Decimal(scale)))), computed_at=at)
        before = len(httpserver.log)
        report = evaluate_and_alert(con, theses, slack, succeeded=[], failures=[], on=at.date())
        assert report.ok
        return sent(httpserver, before)

    assert [day(1, "1"), day(2, "0.25")] == [[], []]  # one day outside: not yet
    assert day(3, "0.25") == [
        "thesis: google gemini-2.5-pro implied serving margin fell below its band"
        " 88% to 95% → 54% to 79% of revenue"
    ]
    assert day(4, "0.25") == []  # the new band is the reference now
    (explanation,) = con.execute("select distinct explanation from alerts").fetchone() or ("",)
    assert explanation.startswith("serving_margin: 0.538 to 0.788 fraction across 3 stand-in")


# What the per-source code of main at cf9eaa8 recorded on 2024-10-03 over this history
# (trigger, subject, source key; values), read from a warehouse it built.
MAIN_RECORDED = [
    ("frontier-spread-band", "google gemini-1.5-pro output/input spread vs its 90-day baseline",
     "gemini/gemini-1.5-pro"),
    ("frontier-spread-band", "openai gpt-4o output/input spread vs its 90-day baseline", "gpt-4o"),
    ("price-cut-or-rise", "google gemini-1.5-pro input price cut", "gemini/gemini-1.5-pro"),
    ("price-cut-or-rise", "google gemini-1.5-pro output price cut", "gemini/gemini-1.5-pro"),
    ("price-cut-or-rise", "openai gpt-4o input price cut", "gpt-4o"),
    ("price-cut-or-rise", "openai gpt-4o output price cut", "gpt-4o"),
]  # fmt: skip


@pytest.mark.parametrize("upgraded", [True, False])
def test_a_warehouse_alerted_per_source_stays_quiet_once_triggers_read_the_series(
    tmp_path: Path, upgraded: bool
) -> None:
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    theses = load_theses()
    days = ["2024-09-01", "2024-09-02", "2024-10-02", "2024-10-03"]
    import_snapshots(con, get_source("litellm"), _only(tmp_path, days))
    today = dt.date(2024, 10, 3)
    if upgraded:
        # The old code's records: the alerts it sent, under its keys, and its mark.
        found = {(a.trigger_id, a.subject): a for a in evaluate_series(con, theses)}
        old = [replace(found[(t, s)], source_model_key=key) for t, s, key in MAIN_RECORDED]
        assert {a.date for a in old} == {today}
        record_run(con, ["none"], old, [], ["litellm"], today)
        state = WarehouseState(con)
        state.update(EVALUATED, "litellm", False, None, today)
        state.flush()
    report = evaluate_and_alert(con, theses, [], succeeded=["litellm"], failures=[], on=today)
    assert report.alerts_recorded == (0 if upgraded else 6)
    folder = tmp_path / "next"
    folder.mkdir()
    for path in HISTORY.glob("2024-10-04T*"):
        shutil.copy(path, folder / path.name)
    import_snapshots(con, get_source("litellm"), folder)
    after = evaluate_and_alert(
        con, theses, [], succeeded=["litellm"], failures=[], on=today + dt.timedelta(days=1)
    )
    assert after.alerts_recorded == 0
