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
# scale stored): new prices, same-day re-runs, a failed source, a day without news.
RUNS: list[tuple[str, str | None, str | None, list[str], str | None]] = [
    ("2024-10-02", "2024-10-02", "2024-10-02", BOTH, "1"),
    ("2024-10-02", None, None, BOTH, None),
    ("2024-10-03", "2024-10-03", "2024-10-03", BOTH, "0.25"),
    ("2024-10-03", None, None, BOTH, None),
    ("2024-10-04", "2024-10-04", None, ["litellm"], "0.25"),
    ("2024-10-05", None, None, ["litellm"], None),
    ("2024-10-06", "2024-10-05", "2024-10-04", BOTH, "0.25"),
    ("2024-10-06", None, None, BOTH, None),
]


def replay(folder: Path, incremental: bool) -> tuple[duckdb.DuckDBPyConnection, list[list[str]]]:
    """RUNS on a new warehouse; the groups each run evaluated."""
    folder.mkdir()
    con = connect(folder / "w.duckdb", wait_s=0)
    theses = load_theses()
    before = _files(folder, "litellm", ["2024-09-01", "2024-09-02"])
    import_snapshots(con, get_source("litellm"), before)  # history before the first run
    evaluated = []
    for day, litellm, genai, loaded, scale in RUNS:
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
    into = folder / f"{source}-{days[0]}"
    into.mkdir()
    for day in days:
        pattern = f"litellm_history/{day}T*" if source == "litellm" else f"genai_prices/{day}T*"
        for path in FIXTURES.glob(pattern):
            shutil.copy(path, into / path.name)
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
    assert every == [["price-series", "fundamentals", "implied_margin", "watched-models"]] * 8
    assert only == [
        ["price-series", "fundamentals", "implied_margin", "watched-models"],
        [],  # a same-day re-run with nothing new: no evaluation at all
        ["price-series", "implied_margin", "watched-models"],
        [],
        ["price-series", "implied_margin", "watched-models"],  # genai-prices failed
        ["watched-models"],  # a new day without news: only the triggers that read the day
        ["price-series", "implied_margin", "watched-models"],
        [],
    ]
