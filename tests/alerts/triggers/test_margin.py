"""The implied-margin kind: a model's serving-margin band leaving its band, on hand-made
bands and on the bands the inversion stores for Gemini 2.5 Pro's real prices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alerts.theses.load import load_theses
from alerts.triggers.evaluate_margins import evaluate_margins, load_margin_bands
from alerts.triggers.inputs import MarginBand, MarginBands, ModelRef
from alerts.triggers.margin import ImpliedMargin
from model.inversion.band import bands
from model.inversion.infer import infer_all
from tests.gemini import price_rows
from tests.warehouse_templates import WarehouseTemplates
from warehouse.db import connect
from warehouse.inference_bands import store_bands

GPT = ModelRef("openai", "gpt-4o", "gpt-4o")
DAY = dt.date(2026, 11, 2)
TRIGGER = ImpliedMargin(id="m", thesis_id="batching-economics", severity="warning")


def day(n: int, low: str, high: str) -> MarginBand:
    return (DAY + dt.timedelta(days=n), Decimal(low), Decimal(high))


def fired(days: list[MarginBand], trigger: ImpliedMargin = TRIGGER) -> list[tuple[object, ...]]:
    return [
        (a.date.day, a.subject, a.old_value, a.new_value)
        for a in trigger.on_margins(MarginBands({GPT: days}))
    ]


def test_a_band_wholly_below_its_reference_on_two_days_fires_once_on_the_second() -> None:
    days = [day(0, "0.60", "0.80"), day(1, "0.30", "0.50"), day(2, "0.31", "0.52")]
    assert fired(days) == [
        (4, "openai gpt-4o implied serving margin fell below its band", "60% to 80%", "31% to 52%")
    ]


def test_the_band_that_fired_is_the_new_reference_so_staying_there_is_no_news() -> None:
    days = [day(0, "0.60", "0.80"), *(day(n, "0.30", "0.50") for n in range(1, 6))]
    assert len(fired(days)) == 1
    back = [*days, day(6, "0.70", "0.90"), day(7, "0.70", "0.90")]
    assert [subject for _, subject, _, _ in fired(back)][-1].endswith("rose above its band")


def test_a_one_day_dip_an_overlap_or_a_move_within_tolerance_never_fires() -> None:
    dip = [day(0, "0.60", "0.80"), day(1, "0.10", "0.20"), day(2, "0.60", "0.80")]
    overlap = [day(0, "0.60", "0.80"), day(1, "0.20", "0.61"), day(2, "0.20", "0.61")]
    near = [day(0, "0.60", "0.80"), day(1, "0.40", "0.56"), day(2, "0.40", "0.56")]
    assert fired(dip) == fired(overlap) == fired(near) == []
    # Without the 5-point tolerance the last one leaves the band.
    exact = ImpliedMargin(id="m", thesis_id="t", severity="info", tolerance=Decimal(0))
    assert len(fired(near, exact)) == 1


def test_days_on_alternate_sides_are_not_a_run() -> None:
    days = [day(0, "0.40", "0.50"), day(1, "0.10", "0.20"), day(2, "0.70", "0.80")]
    assert fired(days) == []


def test_the_providers_and_model_globs_choose_the_models() -> None:
    days = [day(0, "0.60", "0.80"), day(1, "0.30", "0.50"), day(2, "0.30", "0.50")]
    google = ImpliedMargin(id="m", thesis_id="t", severity="info", providers=("google",))
    claude = ImpliedMargin(id="m", thesis_id="t", severity="info", models=("claude-*",))
    assert fired(days, google) == fired(days, claude) == []


bounds = st.decimals(min_value=-1, max_value=1, places=2)


@given(low=bounds, width=st.decimals(min_value=0, max_value=1, places=2), shift=bounds)
def test_a_band_that_overlaps_its_reference_never_fires(
    low: Decimal, width: Decimal, shift: Decimal
) -> None:
    reference = day(0, str(low), str(low + width))
    inside = day(1, str(min(low, low + shift)), str(max(low + width, low + shift)))
    assert fired([reference, inside, inside, inside]) == []


@pytest.fixture
def con(tmp_path: Path, warehouse_templates: WarehouseTemplates) -> duckdb.DuckDBPyConnection:
    return connect(warehouse_templates.copy(tmp_path, "w", "file"), wait_s=0)


def store_day(con: duckdb.DuckDBPyConnection, on: int, scale: str) -> None:
    """The inversion's bands for Gemini 2.5 Pro's published prices times `scale`."""
    found = bands(infer_all(price_rows(scale=Decimal(scale))))
    at = dt.datetime(2026, 11, 2 + on, 6, tzinfo=dt.UTC)
    store_bands(con, found, computed_at=at, run_id=f"day{on}")


def test_the_stored_bands_fire_when_prices_fall_to_a_quarter_not_to_a_half(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Published prices: a margin band of 88% to 95% on the TPU7x (the HGX B200's rental
    # standing in). Halved, 77% to 89%: it overlaps. Quartered, 54% to 79%: wholly below.
    store_day(con, 0, "1")
    store_day(con, 1, "0.5")
    store_day(con, 2, "0.5")
    ref = ModelRef("google", "gemini-2.5-pro", "gemini-2.5-pro")
    assert [b[1:] for b in load_margin_bands(con).models[ref]] == [
        (Decimal("0.8845"), Decimal("0.9470")),
        (Decimal("0.7691"), Decimal("0.8940")),
        (Decimal("0.7691"), Decimal("0.8940")),
    ]
    theses = load_theses()
    assert evaluate_margins(con, theses) == []
    store_day(con, 3, "0.25")
    store_day(con, 4, "0.25")
    (alert,) = evaluate_margins(con, theses)
    assert (alert.trigger_id, alert.kind, alert.date) == (
        "implied-margin-leaves-band",
        "implied_margin",
        dt.date(2026, 11, 6),
    )
    assert (alert.old_value, alert.new_value) == ("88% to 95%", "54% to 79%")
    assert evaluate_margins(con, theses, since=dt.date(2026, 11, 6)) == []
