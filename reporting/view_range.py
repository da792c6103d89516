"""The initial view of a chart's value axis: the band where the data mostly lie, and a
note naming what lies outside it.

The rule is Tukey's: a value is outside when it is more than 1.5 interquartile ranges
beyond the quartiles; the view spans the values inside those fences (and the values the
chart must always show, e.g. 0%), padded a little. Chosen over fixed percentiles because
the quartiles do not move with the tail: on the real history 22% of the models imply a
margin below -287% (small models priced far below their stand-ins' serving cost), so a
5th percentile still sits at -757% and flattens the band that matters, 0% to 100%, to
an eighth of the plot. Nothing is dropped: pan and zoom reach every point, and the note
counts and names what the first view leaves out.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

FENCE = 1.5  # interquartile ranges beyond the quartiles (Tukey)
PAD = 0.04  # of the window, each side, so edge points are not drawn on the frame
NAMED = 5  # items a note names


@dataclass(frozen=True)
class Window:
    start: float
    end: float

    def beyond(self, low: float, high: float) -> float:
        """How far [low, high] reaches outside the window (0 when inside)."""
        return max(0.0, self.start - low, high - self.end)


@dataclass(frozen=True)
class Item:
    """One thing drawn (a model's band on a day): its values and why they are what
    they are, when the data say."""

    label: str
    low: float
    high: float
    why: str = ""


def initial_window(values: Iterable[float], include: Sequence[float] = ()) -> Window:
    """The values inside Tukey's fences, widened to `include`, padded.

    Raises ValueError when there are no values at all (a chart with nothing to draw
    says so instead)."""
    data = sorted(values)
    if not data:
        raise ValueError("no values to fit a view to")
    if len(data) > 1:
        q1, _, q3 = statistics.quantiles(data, n=4, method="inclusive")
        fence = FENCE * (q3 - q1)
        inside = [v for v in data if q1 - fence <= v <= q3 + fence]
    else:
        inside = data
    low, high = min(inside + list(include)), max(inside + list(include))
    pad = PAD * (high - low) if high > low else max(abs(low) * PAD, PAD)
    return Window(low - pad, high + pad)


def outside_note(
    items: Sequence[Item],
    window: Window,
    what: str,
    shown: Callable[[float], str],
    limit: int = NAMED,
) -> tuple[str, ...]:
    """A note counting the `what` (e.g. "models") whose items reach outside the window
    and naming the `limit` furthest out, their values written by `shown`; () when none.
    Items sharing a label count once (a model drawn on many days)."""
    out = sorted(
        (i for i in items if window.beyond(i.low, i.high) > 0),
        key=lambda i: -window.beyond(i.low, i.high),
    )
    if not out:
        return ()
    furthest: dict[str, Item] = {}
    for item in out:  # furthest first: a label keeps its furthest item
        furthest.setdefault(item.label, item)
    labels = {i.label for i in items}
    named = "; ".join(
        f"{i.label} {shown(i.low)} to {shown(i.high)}" + (f" ({i.why})" if i.why else "")
        for i in list(furthest.values())[:limit]
    )
    more = f"; and {len(furthest) - limit} more" if len(furthest) > limit else ""
    return (
        f"Outside the first view ({shown(window.start)} to {shown(window.end)}; zoom out or "
        f"pan to reach them): {len(furthest):,} of {len(labels):,} {what}. Furthest out: "
        f"{named}{more}.",
    )
