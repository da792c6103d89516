"""The implied-margin chart draws every model it reads (two renderers, whatever their
number), its band as one polygon per model and its CSV as one row per model and day."""

from __future__ import annotations

from datetime import date, timedelta

from bokeh.models import ColumnDataSource, GlyphRenderer, Patches

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
