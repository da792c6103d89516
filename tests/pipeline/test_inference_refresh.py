"""The daily run's inversion redoes only the models whose price sheet changed (issue 13
point 8): their sheet key, the catalog and the inversion's code decide."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extractors.registry import get_source
from model.inversion import sheet_key
from model.inversion.band import bands
from pipeline.history import import_snapshots
from pipeline.inference import Refresh, infer_and_store, refresh_inferences
from tests.warehouse.conftest import HISTORY

BAND_COLUMNS = (
    "provider, model, name, unit, low, high, stand_ins, verdict, firm, decided_by, hardware, "
    "explanation"
)


def _noon(day: int) -> datetime:
    return datetime(2024, 10, day, 12, tzinfo=UTC)


def _import(con: duckdb.DuckDBPyConnection, folder: Path, *names: str) -> None:
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(HISTORY / name, folder / name)
    import_snapshots(con, get_source("litellm"), folder)


def _stored_bands(con: duckdb.DuckDBPyConnection, day: date) -> list[tuple[Any, ...]]:
    rows = con.execute(f"select {BAND_COLUMNS} from inference_bands_daily where day = ?", [day])
    return sorted(rows.fetchall(), key=repr)


def _full_bands(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """The bands a full recompute of today's prices gives, as the table holds them."""
    rows = [
        (
            b.provider, b.model, b.name, b.unit, b.low, b.high, b.stand_ins, b.verdict,
            b.firm, b.decided_by, b.hardware, b.explanation,
        )
        for b in bands(infer_and_store(con, store=False))
    ]  # fmt: skip
    return sorted(rows, key=repr)


def _latest(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    rows = con.execute(
        "select provider, model, name, value, label, reference_model, explanation "
        "from latest_inferences"
    )
    return sorted(rows.fetchall(), key=repr)


def _full_inferences(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    rows = [
        (
            i.provider, i.model, i.name, i.value, i.label, str(i.assumptions["model"]),
            i.explanation,
        )
        for i in infer_and_store(con, store=False)
    ]  # fmt: skip
    return sorted(rows, key=repr)


def _sheets(con: duckdb.DuckDBPyConnection, day: date) -> dict[str, bool]:
    rows = con.execute(
        "select provider || '/' || model, recomputed from inference_sheets where day = ?", [day]
    ).fetchall()
    return dict(rows)


def test_an_unchanged_day_inverts_nothing_and_reads_as_a_full_recompute(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    _import(con, tmp_path / "h", "2024-09-01T120000_litellm.json")
    first = refresh_inferences(con, run_id="d1", now=_noon(1))
    assert first.recomputed >= 3 and first.reused == 0 and first.rows > 0
    second = refresh_inferences(con, run_id="d2", now=_noon(2))
    assert second == Refresh(recomputed=0, reused=first.recomputed, rows=0)
    # Nothing written for the day but the sheets, each saying its rows were reused ...
    today = [_noon(2).date()]
    assert con.execute("select count(*) from inferences where day = ?", today).fetchone() == (0,)
    assert set(_sheets(con, _noon(2).date()).values()) == {False}
    # ... and the day reads exactly as a full recompute would have written it.
    assert _stored_bands(con, _noon(2).date()) == _full_bands(con)
    assert _latest(con) == _full_inferences(con)
    margins = con.execute(
        "select day, count(*) from implied_margin_daily group by day order by day"
    ).fetchall()
    assert [d for d, _ in margins] == [_noon(1).date(), _noon(2).date()]
    assert margins[0][1] == margins[1][1] > 0


def test_a_same_day_rerun_keeps_the_day_marked_as_computed(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    _import(con, tmp_path / "h", "2024-09-01T120000_litellm.json")
    refresh_inferences(con, now=_noon(1))
    assert refresh_inferences(con, now=_noon(1).replace(hour=18)).recomputed == 0
    assert set(_sheets(con, _noon(1).date()).values()) == {True}
    assert _stored_bands(con, _noon(1).date()) == _full_bands(con)


def test_one_changed_price_inverts_only_that_model(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    folder = tmp_path / "h"
    _import(con, folder, "2024-09-01T120000_litellm.json", "2024-10-02T120000_litellm.json")
    before = refresh_inferences(con, now=_noon(2))
    _import(con, folder, "2024-10-03T120000_litellm.json.gz")  # GPT-4o $5/$15 -> $2.50/$10
    after = refresh_inferences(con, now=_noon(3))
    sheets = _sheets(con, _noon(3).date())
    assert sorted(k for k, redone in sheets.items() if redone) == ["openai/gpt-4o"]
    assert (after.recomputed, after.reused) == (1, before.recomputed - 1)
    assert _stored_bands(con, _noon(3).date()) == _full_bands(con)
    assert _latest(con) == _full_inferences(con)


def test_a_changed_catalog_or_code_inverts_every_model(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(con, tmp_path / "h", "2024-09-01T120000_litellm.json")
    first = refresh_inferences(con, now=_noon(1))
    # Another model/ tree (a changed line of code or a catalog file) is another version.
    changed = tmp_path / "model"
    shutil.copytree(sheet_key.MODEL_PACKAGE, changed)
    with (changed / "catalog" / "hardware.toml").open("a") as toml:
        toml.write("\n# a reviewed rental price\n")
    monkeypatch.setattr(sheet_key, "MODEL_PACKAGE", changed)
    sheet_key.code_version.cache_clear()
    try:
        again = refresh_inferences(con, now=_noon(2))
    finally:
        sheet_key.code_version.cache_clear()
    assert (again.recomputed, again.reused) == (first.recomputed, 0)
    assert set(_sheets(con, _noon(2).date()).values()) == {True}
