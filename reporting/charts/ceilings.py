"""Context ceilings over time: the largest context window each frontier lab offers."""

from __future__ import annotations

from reporting.draw import DATE_FIELDS, TOOLTIPS, draw_group, not_drawn
from reporting.figures import TOKENS_FORMAT, hover, legend, provider_colour
from reporting.section import Cell, Section, skipped, table
from reporting.series import Series
from reporting.timeline import Timeline

ID = "context-ceilings"
TITLE = "Context ceilings over time"
CAPTION = (
    "The longest context window (input tokens, log scale) any model of each frontier lab "
    "offers, as the sources record it; hover names the model holding it. The thesis "
    "expects ceilings to step up in jumps when serving memory per scale-up domain (HBM) grows."
)


def build(found: tuple[list[Series], str | None], timeline: Timeline) -> Section:
    ceilings, why = found
    if why:
        return skipped(ID, TITLE, CAPTION, why)
    fig = timeline.figure(
        ID, "Largest context window per lab", "tokens", y_axis_type="log", log_format=TOKENS_FORMAT
    )
    items = []
    drawn = []
    for series in ceilings:
        timeline.cover_series([series])
        result = draw_group(fig, ID, [series], provider_colour(series.provider))
        items.append((series.provider, result.renderers))
        drawn.extend(result.renderers)
    hover(fig, drawn, TOOLTIPS, DATE_FIELDS)
    legend(fig, items, title="lab")
    return Section(
        id=ID,
        title=TITLE,
        caption=CAPTION,
        chart=fig,
        notes=not_drawn(ceilings),
        table=table(
            ("provider", "ceiling now (tokens)", "held by", "since", "source"),
            [_row(s) for s in ceilings],
        ),
        facts={"providers": len(ceilings)},
    )


def _row(series: Series) -> tuple[Cell, ...]:
    confirmed = [p for p in series.points if p.state == "confirmed"]
    if not confirmed:
        return (series.provider, None, "—", "—", series.points[-1].source)
    top = confirmed[-1]
    since = top
    for p in reversed(confirmed):  # back to where this ceiling was first reached
        if p.value != top.value:
            break
        since = p
    held_by = top.note.removeprefix("held by ")
    return (series.provider, int(top.value), held_by, since.start.isoformat(), top.source)
