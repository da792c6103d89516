"""The context frontier per lab: its context ceiling against its long-context price tiers."""

from __future__ import annotations

from typing import Any, cast

from bokeh.layouts import gridplot
from bokeh.plotting import figure

from reporting.draw import DATE_FIELDS, TOOLTIPS, draw_group, not_drawn
from reporting.figures import SERIES_COLOURS, TOKENS_FORMAT, hover, legend, provider_colour
from reporting.section import Cell, Section, skipped, table
from reporting.series import Series
from reporting.timeline import Timeline

ID = "context-frontier"
TITLE = "Context frontier: ceilings against long-context tier thresholds"
CAPTION = (
    "Per lab (log scale): the context ceiling (solid) and each prompt length from which a "
    "long-context price tier applies (dashed). The thesis prices long context by KV-cache "
    "memory: a tier far below the ceiling says the lab rations long prompts; a tier "
    "moving up towards the ceiling says that memory got cheaper."
)


def build(
    found: tuple[list[Series], str | None],
    tier_lines: tuple[list[Series], str | None],
    timeline: Timeline,
) -> Section:
    ceilings, why = found
    tiers, tiers_why = tier_lines
    if why:
        return skipped(ID, TITLE, CAPTION, why)
    labs = [(c, [t for t in tiers if t.provider == c.provider]) for c in ceilings]
    panels = [_panel(ceiling, own, timeline) for ceiling, own in labs]
    rows = [_row(series) for ceiling, own in labs for series in (ceiling, *own)]
    notes = not_drawn(tiers)  # the ceilings' own are listed under their chart
    if tiers_why:
        notes = (f"Tiers: {tiers_why}", *notes)
    return Section(
        id=ID,
        title=TITLE,
        caption=CAPTION,
        chart=gridplot(
            cast(list[Any], panels), ncols=2, merge_tools=False, toolbar_options={"logo": None}
        ),
        notes=notes,
        table=table(("provider", "line", "tokens now", "from", "until"), rows, limit=60),
        facts={"providers": len(ceilings), "tier_lines": len(tiers)},
    )


def _panel(ceiling: Series, tiers: list[Series], timeline: Timeline) -> figure:
    """A lab's ceiling (solid, its colour) and its tier thresholds (dashed)."""
    fig = timeline.figure(
        ID,
        ceiling.provider,
        "prompt tokens",
        y_axis_type="log",
        log_format=TOKENS_FORMAT,
        width=545,
        height=300,
    )
    lines = [
        (ceiling, provider_colour(ceiling.provider), "solid"),
        *((t, c, "dashed") for t, c in zip(tiers, SERIES_COLOURS[1:] * 3, strict=False)),
    ]
    items = []
    drawn = []
    for series, colour, dash in lines:
        timeline.cover_series([series])
        result = draw_group(fig, ID, [series], colour, dashes={series.metric: dash})
        items.append((_short(series.metric), result.renderers))
        drawn.extend(result.renderers)
    hover(fig, drawn, TOOLTIPS, DATE_FIELDS)
    legend(fig, items, place="below", columns=3)
    return fig


def _short(metric: str) -> str:
    """'long-context tier from 200,000 tokens' -> 'tier from 200,000'."""
    return metric.replace("long-context ", "").replace(" tokens", "")


def _row(series: Series) -> tuple[Cell, ...]:
    last = series.points[-1]
    return (
        series.provider,
        series.metric,
        int(last.value),
        series.points[0].start.isoformat(),
        last.last_seen.isoformat(),
    )
