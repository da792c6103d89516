"""The daily alert step evaluates only the groups of triggers whose inputs changed, and
records exactly what evaluating every trigger every run records (issue 13 point 8)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb

from alerts.theses.load import load_theses
from extractors.registry import get_source
from model.inversion.band import bands
from model.inversion.infer import infer_all
from pipeline.alerts import evaluate_and_alert
from pipeline.history import import_snapshots
from tests.gemini import price_rows
from warehouse.db import connect
from warehouse.inference_bands import store_bands

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "alerts"
BOTH = ["litellm", "genai-prices"]
# (run day, LiteLLM day imported, genai-prices day imported, sources loaded, margin-band
# scale stored): new prices, same-day re-runs, a failed source, a day without news, and
# days on which a source sends the file it sent before ("day=as of": a 304, say).
RUNS: list[tuple[str, str | None, str | None, list[str], str | None]] = [
    ("2024-10-02", "2024-10-02", "2024-10-02", BOTH, "1"),
    ("2024-10-02", None, None, BOTH, None),
    ("2024-10-03", "2024-10-03", "2024-10-03", BOTH, "0.25"),
    ("2024-10-03", None, None, BOTH, None),
    ("2024-10-04", "2024-10-04", None, ["litellm"], "0.25"),
    ("2024-10-05", None, None, ["litellm"], None),
    ("2024-10-06", "2024-10-05", "2024-10-04", BOTH, "0.25"),
    ("2024-10-06", None, None, BOTH, None),
    ("2024-10-07", "2024-10-05=2024-10-07", None, ["litellm"], None),
    ("2024-10-08", "2024-10-05=2024-10-08", "2024-10-04=2024-10-08", BOTH, None),
    ("2024-10-09", "2024-10-05=2024-10-09", "2024-10-04=2024-10-09", BOTH, None),
]


# A change first seen on 2024-10-02 that only the next days' repeats of that file (every
# source answering 304) confirm: the alerts come on a day that repeats the one before.
REPEATS: list[tuple[str, str | None, str | None, list[str], str | None]] = [
    ("2024-10-02", "2024-10-02", "2024-10-02", BOTH, "1"),
    ("2024-10-03", "2024-10-02=2024-10-03", "2024-10-02=2024-10-03", BOTH, None),
    ("2024-10-04", "2024-10-02=2024-10-04", "2024-10-02=2024-10-04", BOTH, None),
    ("2024-10-05", "2024-10-02=2024-10-05", "2024-10-02=2024-10-05", BOTH, None),
    ("2024-10-06", "2024-10-02=2024-10-06", "2024-10-02=2024-10-06", BOTH, None),
]


def replay(
    folder: Path,
    incremental: bool,
    runs: list[tuple[str, str | None, str | None, list[str], str | None]] = RUNS,
) -> tuple[duckdb.DuckDBPyConnection, list[list[str]]]:
    """`runs` on a new warehouse; the groups each run evaluated."""
    folder.mkdir()
    con = connect(folder / "w.duckdb", wait_s=0)
    theses = load_theses()
    before = _files(folder, "litellm", ["2024-09-01", "2024-09-02"])
    import_snapshots(con, get_source("litellm"), before)  # history before the first run
    evaluated = []
    for day, litellm, genai, loaded, scale in runs:
        at = dt.datetime.fromisoformat(day).replace(hour=6, tzinfo=dt.UTC)
        if litellm:
            import_snapshots(con, get_source("litellm"), _files(folder, "litellm", [litellm]))
        if genai:
            import_snapshots(con, get_source("genai-prices"), _files(folder, "genai", [genai]))
        if scale:
            store_bands(con, bands(infer_all(price_rows(scale=Decimal(scale)))), computed_at=at)
        report = evaluate_and_alert(
            con, theses, [], succeeded=loaded, failures=[], on=at.date(), now=at,
            incremental=incremental,
        )  # fmt: skip
        evaluated.append(list(report.evaluated))
    return con, evaluated


def _files(folder: Path, source: str, days: list[str]) -> Path:
    """A folder of the fixture files of `days`; "day=as of" is that day's file dated later."""
    into = folder / f"{source}-{days[0]}"
    into.mkdir()
    for spec in days:
        day, _, as_of = spec.partition("=")
        pattern = f"litellm_history/{day}T*" if source == "litellm" else f"genai_prices/{day}T*"
        for path in FIXTURES.glob(pattern):
            shutil.copy(path, into / path.name.replace(day, as_of or day))
    return into


ALERT_COLUMNS = (
    "alert_key, channel, message_type, trigger_id, subject, source_model_key, event_date,"
    " old_value, new_value, explanation, evidence, fired_at, status"
)


def test_evaluating_only_changed_inputs_records_what_evaluating_everything_records(
    tmp_path: Path,
) -> None:
    full, every = replay(tmp_path / "full", incremental=False)
    part, only = replay(tmp_path / "incremental", incremental=True)
    alerts = f"select {ALERT_COLUMNS} from alerts order by all"
    state = "select * from trigger_state order by all"
    assert part.execute(alerts).fetchall() == full.execute(alerts).fetchall()
    assert part.execute(state).fetchall() == full.execute(state).fetchall()
    # The replay is a real test: price and margin alerts were recorded ...
    kinds = full.execute("select distinct trigger_id from alerts order by 1").fetchall()
    assert kinds == [
        ("frontier-spread-band",),
        ("implied-margin-leaves-band",),
        ("price-cut-or-rise",),
    ]
    # ... and the incremental runs skipped what had not changed.
    assert every == [["price-series", "fundamentals", "implied_margin", "watched-models"]] * len(
        RUNS
    )
    assert only == [
        ["price-series", "fundamentals", "implied_margin", "watched-models"],
        [],  # a same-day re-run with nothing new: no evaluation at all
        ["price-series", "implied_margin", "watched-models"],
        [],
        ["price-series", "implied_margin", "watched-models"],  # genai-prices failed
        ["watched-models"],  # a new day without news: only the triggers that read the day
        ["price-series", "implied_margin", "watched-models"],
        [],
        ["price-series", "watched-models"],  # the file of 2024-10-05 again: its last
        ["price-series", "watched-models"],  # changes may still be confirmed ...
        ["watched-models"],  # ... and now no longer
    ]


def test_a_day_that_repeats_the_last_files_is_evaluated_only_while_it_can_confirm_news(
    tmp_path: Path,
) -> None:
    full, _ = replay(tmp_path / "full", incremental=False, runs=REPEATS)
    part, only = replay(tmp_path / "incremental", incremental=True, runs=REPEATS)
    alerts = f"select {ALERT_COLUMNS} from alerts order by all"
    assert part.execute(alerts).fetchall() == full.execute(alerts).fetchall()
    # A condition's evaluated_on is the last day it was judged on, and a skipped day is
    # not judged: what it would have found (active, since when, value) is the same.
    state = "select trigger_id, subject, active, since, last_value from trigger_state order by all"
    assert part.execute(state).fetchall() == full.execute(state).fetchall()
    # The repeat on 2024-10-03 confirmed the cuts first seen the day before ...
    cuts = part.execute(
        "select distinct event_date, subject from alerts where trigger_id = 'price-cut-or-rise'"
        " order by all"
    ).fetchall()
    assert (dt.date(2024, 10, 3), "google gemini-1.5-pro input price cut") in cuts
    # ... which it also settled: the later repeats can confirm nothing and are skipped.
    assert [("price-series" in o) for o in only] == [True, True, False, False, False]
