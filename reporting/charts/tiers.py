"""Long-context tiers by provider today: where each tier starts and what it multiplies."""

from __future__ import annotations

import math

from bokeh.models.annotations import LabelSet
from bokeh.plotting import figure
from bokeh.transform import dodge

from reporting.figures import TOKENS_FORMAT, Data, csv_source, hover, legend, new_figure
from reporting.frontier import FRONTIER_PROVIDERS
from reporting.read import Found
from reporting.relations import Row
from reporting.section import Cell, Section, skipped, table

ID = "context-tiers"
TITLE = "Long-context tiers by provider"
CAPTION = (
    "Today's standard-tier long-context prices: each dot is a prompt length above which "
    "a provider charges a multiple of its base price (labelled), input in blue and output "
    "in red; bigger dots cover more models. The thesis reads these tiers as the price of "
    "KV-cache memory: a low threshold or a steep multiple says long context is scarce."
)
MAX_PROVIDERS = 14
COMPONENTS = {"input": ("#1f77b4", 0.17), "output": ("#d62728", -0.17)}
CSV = (
    ("provider", "provider", "text"),
    ("component", "component", "text"),
    ("threshold", "threshold (prompt tokens)", "number"),
    ("low", "lowest price multiplier (x)", "number"),
    ("high", "highest price multiplier (x)", "number"),
    ("models", "models", "number"),
    ("example", "e.g. model", "text"),
    ("source", "source", "text"),
)
TOOLTIPS = (
    ("provider", "@provider @component"),
    ("above", "@threshold{0,0} prompt tokens"),
    ("price", "@label of the base price"),
    ("models", "@models (e.g. @example)"),
    ("source", "@source"),
)


def build(tiers: Found) -> Section:
    groups, why = tiers
    if why:
        return skipped(ID, TITLE, CAPTION, why)
    providers = _providers(groups)
    notes: tuple[str, ...] = ()
    hidden = len({g["provider"] for g in groups}) - len(providers)
    if hidden:
        notes = (f"{hidden} more providers with fewer tiered models are in the table only.",)
    return Section(
        id=ID,
        title=TITLE,
        caption=CAPTION,
        chart=_figure(groups, providers),
        notes=notes,
        table=table(
            ("provider", "component", "threshold tokens", "multiplier", "models", "e.g."),
            [_row(g) for g in groups],
            limit=50,
        ),
        facts={"providers": len({g["provider"] for g in groups}), "tiers": len(groups)},
    )


def _figure(groups: list[Row], providers: list[str]) -> figure:
    """A row per provider: a dot per threshold, input above and output below."""
    fig = new_figure(
        ID,
        "Threshold (prompt tokens) → price multiplier",
        x_label="prompt tokens (log)",
        x_axis_type="log",
        log_format=TOKENS_FORMAT,
        y_range=list(reversed(providers)),
        height=max(220, 90 + 42 * len(providers)),
    )
    items = []
    for component, (colour, offset) in COMPONENTS.items():
        own = [g for g in groups if g["component"] == component and g["provider"] in providers]
        if not own:
            continue
        source = csv_source(ID, CSV, _data(own))
        y = dodge("provider", offset, range=fig.y_range)
        dots = fig.scatter("threshold", y, source=source, size="size", color=colour, alpha=0.8)
        labels = LabelSet(
            x="threshold",
            y=y,
            text="label",
            source=source,
            x_offset=9,
            y_offset=-6,
            text_font_size="10px",
        )
        fig.add_layout(labels)
        hover(fig, [dots], TOOLTIPS)
        items.append((component, [dots]))
    legend(fig, items)
    return fig


def _data(groups: list[Row]) -> Data:
    """One dot per (provider, component, threshold): models priced at different
    multiples there share it, labelled with the range ('1.5–2x')."""
    dots: dict[tuple[str, str, int], list[Row]] = {}
    for g in groups:
        dots.setdefault((g["provider"], g["component"], int(g["threshold_tokens"])), []).append(g)
    data: Data = {name: [] for name, _, _ in CSV} | {"size": [], "label": []}
    for (provider, component, threshold), same in dots.items():
        mults = sorted(float(g["multiplier"]) for g in same)
        models = sum(int(g["models"]) for g in same)
        label = f"{mults[0]:g}x" if mults[0] == mults[-1] else f"{mults[0]:g}–{mults[-1]:g}x"
        for name, value in (
            ("provider", provider),
            ("component", component),
            ("threshold", threshold),
            ("low", mults[0]),
            ("high", mults[-1]),
            ("models", models),
            ("example", min(g["example"] for g in same)),
            ("source", ", ".join(sorted({g["source"] for g in same}))),
            ("size", 7 + 3 * math.sqrt(models)),
            ("label", label),
        ):
            data[name].append(value)
    return data


def _providers(groups: list[Row]) -> list[str]:
    """The frontier labs first, then the providers with the most tiered models."""
    counts: dict[str, int] = {}
    for g in groups:
        counts[g["provider"]] = counts.get(g["provider"], 0) + int(g["models"])
    rank = {p: i for i, p in enumerate(FRONTIER_PROVIDERS)}
    ordered = sorted(counts, key=lambda p: (rank.get(p, len(rank)), -counts[p], p))
    return ordered[:MAX_PROVIDERS]


def _row(g: Row) -> tuple[Cell, ...]:
    return (
        g["provider"],
        g["component"],
        int(g["threshold_tokens"]),
        float(g["multiplier"]),
        int(g["models"]),
        g["example"],
    )
