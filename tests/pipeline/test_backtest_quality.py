"""Alert quality judged against the price files themselves: persistent changes found in
the JSON, reverted values and duplicates, and docs/backtest.md's fixture table."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from alerts.records import Alert
from alerts.theses.load import load_theses
from pipeline.backtest import run_backtest
from pipeline.backtest_quality import measure, read_snapshots
from tests.paths import FIXTURES, ROOT

HISTORY = FIXTURES / "alerts" / "litellm_history"


def test_docs_fixture_table_is_what_the_module_computes() -> None:
    result = run_backtest("litellm", HISTORY, load_theses(), explain=False)
    q = measure(read_snapshots(HISTORY), result.alerts, result.aliases, load_theses())
    doc = (ROOT / "docs" / "backtest.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- fixture-quality -->\n(.*?)<!-- /fixture-quality -->", doc, re.S)
    assert table is not None
    row = table.group(1).strip().splitlines()[-1]
    figures = [q.snapshots, q.alerts, len(q.persistent), q.alerted_in_time]
    assert row == "| " + " | ".join(str(n) for n in [*figures, len(q.reverted), 0]) + " |"
    assert not q.duplicates


def entry(input_usd: float, output_usd: float) -> dict[str, object]:
    return {
        "litellm_provider": "openai",
        "mode": "chat",
        "input_cost_per_token": input_usd / 1e6,
        "output_cost_per_token": output_usd / 1e6,
    }


def write_days(folder: Path, prices: list[tuple[float, float]], start: dt.date) -> None:
    for i, (inp, out) in enumerate(prices):
        day = start + dt.timedelta(days=7 * i)
        doc = {"gpt-4o": entry(inp, out), "gpt-4o-2024-08-06": entry(inp, out)}
        (folder / f"{day}.json").write_text(json.dumps(doc))


def alert(key: str, subject: str, old: str, new: str, on: dt.date) -> Alert:
    return Alert(
        trigger_id="price-cut-or-rise", kind="price_change", thesis_id="t", severity="info",
        provider="openai", model=key, source_model_key=key, subject=f"openai {key} {subject}",
        old_value=Decimal(old), new_value=Decimal(new), unit="USD/Mtok", explanation="",
        source_url="", date=on,
    )  # fmt: skip


def test_a_persistent_cut_a_typo_and_an_alias_repeat_are_told_apart(tmp_path: Path) -> None:
    start = dt.date(2024, 9, 1)
    # Weekly files: a $30 input typo on file 2 that reverts on file 3 (shown twice, so a
    # two-snapshot rule would fire on it), then a lasting cut to $2.50/$10 from file 5.
    prices = [(5, 15), (5, 15), (30, 15), (30, 15), (5, 15), (2.5, 10), (2.5, 10), (2.5, 10)]
    write_days(tmp_path, prices, start)
    day = [start + dt.timedelta(days=7 * i) for i in range(len(prices))]
    aliases = {k: ("openai", "gpt-4o") for k in ("gpt-4o", "gpt-4o-2024-08-06")}
    alerts = [
        alert("gpt-4o", "input price rise", "5", "30", day[3]),  # the typo, confirmed
        alert("gpt-4o", "input price cut", "5", "2.5", day[6]),  # the cut, one file late
        alert("gpt-4o-2024-08-06", "input price cut", "5", "2.5", day[6]),  # its alias
    ]
    q = measure(read_snapshots(tmp_path), alerts, aliases, load_theses())
    moves = {(m.component, m.old, m.new, m.day) for m in q.persistent}
    assert moves == {
        ("input", Decimal("5"), Decimal("2.5"), day[5]),
        ("output", Decimal("15"), Decimal("10"), day[5]),
    }
    assert q.alerted_in_time == 1  # input within 2 snapshots of day[5]; output never
    assert [m.move.component for m in q.misses] == ["output"]
    assert q.misses[0].reason == "no alert"
    assert [a.new_value for a in q.reverted] == [Decimal("30")]
    assert [a.source_model_key for a in q.duplicates] == ["gpt-4o-2024-08-06"]
    assert q.per_kind == {"price_change": 3}
    assert q.alert_days_per_year == {2024: 2}


def test_a_series_alert_is_about_the_canonical_model_it_names(tmp_path: Path) -> None:
    # LiteLLM's `gemini-1.5-pro` key is Vertex's; `gemini/gemini-1.5-pro` is Google AI
    # Studio's. A series alert names its canonical model, google/gemini-1.5-pro, and carries
    # the model's name as its key: the same text as Vertex's source key.
    start = dt.date(2024, 7, 1)
    prices = [(3.5, 10.5), (3.5, 10.5), (1.25, 5), (1.25, 5), (1.25, 5)]
    for i, (inp, out) in enumerate(prices):
        studio = entry(inp, out) | {"litellm_provider": "gemini"}
        vertex = entry(3.5, 10.5) | {"litellm_provider": "vertex_ai-language-models"}
        doc = {"gemini/gemini-1.5-pro": studio, "gemini-1.5-pro": vertex}
        (tmp_path / f"{start + dt.timedelta(days=7 * i)}.json").write_text(json.dumps(doc))
    aliases = {
        "gemini/gemini-1.5-pro": ("google", "gemini-1.5-pro"),
        "gemini-1.5-pro": ("google-vertex", "gemini-1.5-pro"),
    }
    cut = replace(
        alert("gemini-1.5-pro", "input price cut", "3.5", "1.25", start + dt.timedelta(days=21)),
        provider="google",
        subject="google gemini-1.5-pro input price cut",
    )
    q = measure(read_snapshots(tmp_path), [cut], aliases, load_theses())
    assert [(m.canonical, m.component) for m in q.persistent] == [
        (("google", "gemini-1.5-pro"), "input"),
        (("google", "gemini-1.5-pro"), "output"),
    ]
    assert q.alerted_in_time == 1  # the input cut, on the second snapshot showing it
    assert [m.move.component for m in q.misses] == ["output"]
