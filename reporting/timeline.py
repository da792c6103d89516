"""The one date range every time chart shares, and the selector at the top of the page.

All time charts use the same Bokeh Range1d, so zooming or panning one moves them all;
the selector (a date-range slider and 3M / 1Y / 3Y / All buttons) sets that range, and
follows it when a chart is zoomed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from bokeh.layouts import row
from bokeh.models import (
    CustomJS,
    DatetimeAxis,
    DatetimeTicker,
    DatetimeTickFormatter,
    Grid,
    LayoutDOM,
    Range1d,
)
from bokeh.models.widgets import Button, DateRangeSlider
from bokeh.plotting import figure

from reporting.figures import DAY_MS, ms, new_figure
from reporting.series import Series

RANGE_NAME = "shared-dates"
SLIDER_NAME = "date-range"
PRESETS = (("3M", 91), ("1Y", 365), ("3Y", 3 * 365), ("All", 0))
# Set the range from the slider, and the slider from the range; each side only writes
# when the value differs, so the two never chase each other.
SLIDER_TO_RANGE = """
const [a, b] = this.value;
if (range.start !== a || range.end !== b) { range.setv({start: a, end: b}); }
"""
RANGE_TO_SLIDER = """
const a = Math.max(range.start, slider.start), b = Math.min(range.end, slider.end);
if (a < b && (slider.value[0] !== a || slider.value[1] !== b)) { slider.value = [a, b]; }
"""
PRESET = """
const last = slider.end, span = days * 86400000;
const first = days > 0 ? Math.max(slider.start, last - span) : slider.start;
slider.value = [first, last];
"""


class Timeline:
    """Hands out time figures on the shared range and remembers the dates they cover."""

    def __init__(self) -> None:
        self.range = Range1d(start=0, end=DAY_MS, name=RANGE_NAME)
        self.ticker = DatetimeTicker()
        self.formatter = DatetimeTickFormatter(days="%d %b", months="%b %Y", years="%Y")
        self._first: date | None = None
        self._last: date | None = None

    def figure(self, chart_id: str, title: str, y_label: str, **kwargs: Any) -> figure:
        fig = new_figure(
            chart_id, title, y_label=y_label, x_range=self.range, x_axis_type=None, **kwargs
        )
        # One date ticker and formatter for every time chart (each axis of its own
        # would add a dozen objects to the page per chart).
        fig.add_layout(
            DatetimeAxis(ticker=self.ticker, formatter=self.formatter, axis_label="date (UTC)"),
            "below",
        )
        fig.add_layout(Grid(dimension=0, ticker=self.ticker, grid_line_alpha=0.35))
        return fig

    def cover(self, days: Iterable[date]) -> None:
        for day in days:
            self._first = day if self._first is None else min(self._first, day)
            self._last = day if self._last is None else max(self._last, day)

    def cover_series(self, series: Iterable[Series]) -> None:
        for item in series:
            self.cover(d for p in item.points for d in (p.start, p.last_seen))

    def selector(self) -> LayoutDOM | None:
        """Fix the range to the covered dates (plus a margin) and return its controls;
        None when no chart had a date."""
        if self._first is None or self._last is None:
            return None
        margin = timedelta(days=max(3, (self._last - self._first).days // 50))
        first, last = self._first - margin, self._last + margin
        start, end = ms(first), ms(last)
        self.range.update(start=start, end=end, bounds=(start, end))
        slider = DateRangeSlider(
            name=SLIDER_NAME,
            title="Date range of every time chart",
            start=first,
            end=last,
            value=(first, last),
            step=1,
            format="%Y-%m-%d",
            width=620,
        )
        slider.js_on_change("value", CustomJS(args={"range": self.range}, code=SLIDER_TO_RANGE))
        follow = CustomJS(args={"range": self.range, "slider": slider}, code=RANGE_TO_SLIDER)
        self.range.js_on_change("start", follow)
        self.range.js_on_change("end", follow)
        buttons = []
        for label, days in PRESETS:
            button = Button(label=label, width=52, name=f"preset-{label}")
            button.js_on_click(CustomJS(args={"slider": slider, "days": days}, code=PRESET))
            buttons.append(button)
        return row(slider, *buttons, name="date-selector")
