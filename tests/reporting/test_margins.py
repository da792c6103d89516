"""The implied-margin chart draws every model it reads (two renderers, whatever their
number), its band as one polygon per model and its CSV as one row per model and day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bokeh.models import ColumnDataSource, GlyphRenderer, Patches, Range1d

from reporting.charts import margins
from reporting.figures import CSV_TAG, ms
from reporting.relations import Row
from reporting.timeline import Timeline

D0 = date(2026, 11, 1)


def margin_rows(models: int, days: int) -> list[Row]:
    """Rows as reporting.read gives them: ordered by provider, model and day."""
    return [
        {
            "day": D0 + timedelta(days=d),
            "provider": f"lab{m % 7}",
            "model": f"model-{m:03d}",
            "low": (d + 1) / 8,  # exact in binary: 0.125, 0.25, ...
            "high": (d + 4) / 8,
        }
        for m in sorted(range(models), key=lambda m: (m % 7, m))
        for d in range(days)
    ]


def test_every_model_is_drawn_however_many_and_from_two_renderers() -> None:
    section = margins.build((margin_rows(150, 2), None), Timeline())
    assert section.chart is not None and section.facts == {"models": 150, "providers": 7}
    refs = section.chart.references()
    renderers = [r for r in refs if isinstance(r, GlyphRenderer)]
    assert len(renderers) == 2
    (csv,) = [s for s in refs if isinstance(s, ColumnDataSource) and s.tags[:1] == [CSV_TAG]]
    assert len(csv.data["model"]) == 300 and len(set(csv.data["model"])) == 150


def test_a_models_band_runs_along_its_highs_and_back_along_its_lows() -> None:
    section = margins.build((margin_rows(1, 3), None), Timeline())
    assert section.chart is not None
    (band,) = [
        r.data_source
        for r in section.chart.references()
        if isinstance(r, GlyphRenderer) and isinstance(r.glyph, Patches)
    ]
    days = [ms(D0 + timedelta(days=d)) for d in range(3)]
    assert band.data["xs"] == [days + days[::-1]]
    assert band.data["ys"] == [[0.5, 0.625, 0.75, 0.375, 0.25, 0.125]]
    assert band.data["provider"] == ["lab0"]


def priced_rows() -> list[Row]:
    """Five labs' models with ordinary margins and one tiny model whose price earns a
    fraction of its chip's rental (as reporting.read gives them, revenue included)."""
    rows = [
        ("anthropic", "claude", 0.80, 0.95, 30.0, 120.0),
        ("deepseek", "v3", 0.10, 0.40, 6.67, 10.0),
        ("google", "gemini", 0.60, 0.90, 15.0, 60.0),
        ("liquid", "lfm-7b", -119.0, -16.647058823529413, 0.05, 0.34),
        ("mistral", "large", -0.20, 0.30, 5.0, 8.57),
        ("openai", "gpt", 0.85, 0.97, 40.0, 200.0),
    ]
    return [
        {
            "day": D0,
            "provider": p,
            "model": m,
            "low": lo,
            "high": hi,
            "hardware": "gb200",
            "revenue_low": rl,
            "revenue_high": rh,
        }
        for p, m, lo, hi, rl, rh in rows
    ]


def test_the_first_view_leaves_out_an_absurd_margin_and_the_notes_name_it() -> None:
    section = margins.build((priced_rows(), None), Timeline())
    assert section.chart is not None
    (y_range,) = [
        r
        for r in section.chart.references()
        if isinstance(r, Range1d) and r.name == "implied-margin-values"
    ]
    # The ordinary bands (-20% to 97%) and the 0%..100% frame, padded 4% of 120%.
    assert (y_range.start, y_range.end) == (pytest.approx(-0.248), pytest.approx(1.048))
    (note,) = section.notes
    assert note == (
        "Outside the first view (-25% to 105%; zoom out or pan to reach them): 1 of 6 "
        "models. Furthest out: liquid lfm-7b -11,900% to -1,665% (2026-11-01: implied "
        "revenue 0.05 to 0.34 USD per chip-hour on gb200, which rents at 6.00)."
    )
    # Hidden from the first view, not from the chart: its rows are drawn and downloadable.
    (csv,) = [
        s
        for s in section.chart.references()
        if isinstance(s, ColumnDataSource) and s.tags[:1] == [CSV_TAG]
    ]
    assert "lfm-7b" in csv.data["model"] and -119.0 in csv.data["low"]


def test_margins_inside_the_frame_need_no_note() -> None:
    section = margins.build((margin_rows(3, 2), None), Timeline())
    assert section.notes == ()
