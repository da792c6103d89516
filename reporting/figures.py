"""Matplotlib on the Agg backend (no display), one house style, PNG output."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import matplotlib
import numpy as np
from numpy.typing import NDArray

matplotlib.use("Agg")  # headless: no display server, no GUI toolkit

# The rest of matplotlib is imported after the backend is chosen.
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, LogLocator, NullFormatter

DPI = 100
# One colour per provider, stable across charts.
PROVIDER_COLOURS = {
    "openai": "#10a37f",
    "anthropic": "#d97757",
    "google": "#4285f4",
    "deepseek": "#8e44ad",
    "xai": "#222222",
    "mistral": "#fa520f",
    "meta": "#0668e1",
}
FALLBACK_COLOURS = ("#e67e22", "#16a085", "#c0392b", "#7f8c8d", "#d4ac0d", "#2c3e50")


def provider_colour(provider: str) -> str:
    if provider in PROVIDER_COLOURS:
        return PROVIDER_COLOURS[provider]
    return FALLBACK_COLOURS[sum(provider.encode()) % len(FALLBACK_COLOURS)]


def new_figure(width_in: float = 10.0, height_in: float = 5.0) -> Figure:
    """A figure outside pyplot's global registry, so nothing leaks between charts."""
    fig = Figure(figsize=(width_in, height_in), dpi=DPI, layout="constrained")
    return fig


def style(ax: Axes, title: str, xlabel: str = "", ylabel: str = "") -> None:
    ax.set_title(title, fontsize=11, loc="left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, which="major", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def date_axis(ax: Axes) -> None:
    """Concise date labels that do not collide however long the history is."""
    locator = AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def log_axis(axis: Axis, formatter: Formatter) -> None:
    """Log scale labelled at 1-2-5 steps with `formatter` (no 6x10^1 style labels)."""
    axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(formatter)
    axis.set_minor_formatter(NullFormatter())


def save(fig: Figure, path: Path) -> None:
    """Write a PNG without a timestamp in its metadata (same data, same bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None})


def as_dates(times: Sequence[datetime]) -> NDArray[np.datetime64]:
    """UTC datetimes as numpy datetimes, which matplotlib puts on a date axis."""
    naive = [t.astimezone(UTC).replace(tzinfo=None) if t.tzinfo else t for t in times]
    return np.array(naive, dtype="datetime64[s]")
