"""Drawing typed series on a time figure: step segments through confirmed values only,
markers where the line cannot speak, hover on both, and the points as CSV rows.

The line holds the last confirmed value across pending and disputed days (those are not
confirmed prices) and breaks where the series was absent. Markers: a hollow dot for a
pending value, a red cross for a disputed one, a filled dot for a confirmed value seen
on a single day (a line of no length would not show). Series drawn together (a model's input and
output) share one segment renderer and one marker renderer: one legend entry, and far
fewer objects in the page than a renderer per series.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bokeh.core.properties import field
from bokeh.models import CDSView, ColumnDataSource, IndexFilter, Scatter, Segment
from bokeh.plotting import figure

from reporting.figures import (
    STATE_FILL,
    STATE_MARKERS,
    Column,
    Data,
    Renderer,
    add_glyph,
    csv_source,
    ms,
)
from reporting.picker import MARKED, filtered_view
from reporting.series import Point, Rejected, Series

CSV_COLUMNS: tuple[Column, ...] = (
    ("provider", "provider", "text"),
    ("model", "model", "text"),
    ("metric", "metric", "text"),
    ("start", "from (UTC day)", "date"),
    ("last", "last seen (UTC day)", "date"),
    ("value", "value", "number"),
    ("unit", "unit", "text"),
    ("state", "state", "text"),
    ("source", "source", "text"),
    ("note", "note", "text"),
)
TOOLTIPS = (
    ("", "@provider @model @metric"),
    ("value", "@value{0,0.[0000]} @unit"),
    ("from", "@start{%F}"),
    ("last seen", "@last{%F}"),
    ("state", "@state"),
    ("source", "@source"),
    ("note", "@note"),
)
DATE_FIELDS = ("start", "last")
Segments = list[tuple[float, float, float, float, Point]]  # x0, y0, x1, y1 (ms, value)


@dataclass(frozen=True)
class Drawn:
    renderers: list[Renderer]
    marks: int  # segments and markers drawn


def draw_group(
    fig: figure,
    chart_id: str,
    series: Sequence[Series],
    colour: str,
    *,
    dashes: Mapping[str, str] | None = None,
    width: float = 2.0,
    pickable: bool = False,
) -> Drawn:
    """Draw series that share a colour and a legend entry; `dashes` maps a metric to
    its line dash (solid by default). Their points are the chart's CSV rows.

    `pickable`: each row names its series in a `label` column and the views filter on
    it, so a `row_picker` can hide one series of the group (reporting.picker)."""
    renderers = []
    lines = _segment_data(series, dashes or {}, labelled=pickable)
    if lines["x0"]:
        glyph = Segment(
            x0="x0",
            y0="y0",
            x1="x1",
            y1="y1",
            line_color=colour,
            line_width=width,
            line_dash=field("dash"),
            line_alpha=0.9,
        )
        view = filtered_view() if pickable else None
        renderers.append(add_glyph(fig, glyph, ColumnDataSource(lines), view))
    points = [(s, p) for s in series for p in s.points]
    marked = [_marked(s.points, i) for s in series for i in range(len(s.points))]
    shown = [i for i, m in enumerate(marked) if m]
    data: Data = {name: [_row(s, p)[name] for s, p in points] for name, _, _ in CSV_COLUMNS}
    data["marker"] = [STATE_MARKERS[p.state] for _, p in points]
    data["fill"] = [STATE_FILL[p.state] or colour for _, p in points]
    data["edge"] = ["#d62728" if p.state == "disputed" else colour for _, p in points]
    data["size"] = [6 if p.state == "confirmed" else 9 for _, p in points]
    marker = Scatter(
        x="start",
        y="value",
        marker="marker",
        size="size",
        fill_color="fill",
        line_color="edge",
        line_width=1.5,
    )
    if pickable:
        data["label"] = [s.label for s, _ in points]
        data[MARKED] = marked
        view = filtered_view(marked)
    else:
        view = CDSView(filter=IndexFilter(indices=shown))
    renderers.append(add_glyph(fig, marker, csv_source(chart_id, CSV_COLUMNS, data), view))
    return Drawn(renderers, len(lines["x0"]) + len(shown))


def _segment_data(
    series: Sequence[Series], dashes: Mapping[str, str], *, labelled: bool = False
) -> Data:
    """One row per segment of the series' step lines, with the point it draws (hover);
    `labelled`: and the series' label."""
    extra = ("x0", "y0", "x1", "y1", "dash", *(("label",) if labelled else ()))
    lines: Data = {name: [] for name, _, _ in CSV_COLUMNS} | {name: [] for name in extra}
    for item in series:
        dash = dashes.get(item.metric, "solid")
        named = {"label": item.label} if labelled else {}
        for x0, y0, x1, y1, point in segments(item.points):
            row = _row(item, point) | {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "dash": dash}
            row |= named
            for name, value in row.items():
                lines[name].append(value)
    return lines


def segments(points: Sequence[Point]) -> Segments:
    """The confirmed step line as segments: a flat one per confirmed point, held until
    the next confirmed point (or the end of the unbroken run), and a vertical one where
    the value steps; nothing across a gap where the series was absent."""
    out: Segments = []
    previous: Point | None = None
    for i, point in enumerate(points):
        if point.state != "confirmed":
            continue
        if previous is not None and _joined(points, i) and previous.value != point.value:
            x = ms(point.start)
            out.append((x, previous.value, x, point.value, point))
        out.append((ms(point.start), point.value, ms(_held_until(points, i)), point.value, point))
        previous = point
    return out


def not_drawn(series: Sequence[Series], limit: int = 6) -> tuple[str, ...]:
    """A note naming the values seen but never confirmed that reverted (typos)."""
    found: list[tuple[Series, Rejected]] = [(s, r) for s in series for r in s.rejected]
    if not found:
        return ()
    found.sort(key=lambda item: item[1].day)
    named = "; ".join(
        f"{s.label} {s.metric} {number(r.value)} {s.unit} on {r.day.isoformat()} ({r.source})"
        for s, r in found[:limit]
    )
    more = f"; and {len(found) - limit} more" if len(found) > limit else ""
    return (
        f"Not drawn: {len(found)} value(s) that reverted before they were confirmed: "
        f"{named}{more}.",
    )


def number(value: float) -> str:
    """1000000.0 -> '1,000,000'; 0.125 -> '0.125'."""
    return f"{int(value):,}" if value.is_integer() else f"{value:,.6g}"


def _marked(points: Sequence[Point], i: int) -> bool:
    """Every pending or disputed point, and a confirmed one the line cannot show: a
    single observation (its segment has no length)."""
    point = points[i]
    return point.state != "confirmed" or _held_until(points, i) == point.start


def _held_until(points: Sequence[Point], i: int) -> date:
    """The day the confirmed value of points[i] holds to: the next confirmed point's
    start if the series is unbroken until it, else the last day of the unbroken run."""
    j = i
    while points[j].joins_next and j + 1 < len(points):
        j += 1
        if points[j].state == "confirmed":
            return points[j].start
    return points[j].last_seen


def _joined(points: Sequence[Point], i: int) -> bool:
    """Whether the previous confirmed point's line reaches points[i] unbroken."""
    j = i - 1
    while j >= 0 and points[j].joins_next:
        if points[j].state == "confirmed":
            return True
        j -= 1
    return False


def _row(series: Series, point: Point) -> dict[str, object]:
    return {
        "provider": series.provider,
        "model": series.model,
        "metric": series.metric,
        "start": ms(point.start),
        "last": ms(point.last_seen),
        "value": point.value,
        "unit": series.unit,
        "state": point.state,
        "source": point.source,
        "note": point.note,
    }
