"""Long-context price tiers by provider: where each tier starts and what it multiplies."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb

from reporting.figures import log_axis, new_figure, save, style
from reporting.fmt import TOKENS
from reporting.frontier import FRONTIER_PROVIDERS
from reporting.relations import Row, missing, rows
from reporting.section import Section, skipped, table

ID = "context-tiers"
TITLE = "Long-context tiers by provider"
LEDE = (
    "Current standard-tier long-context prices: each dot is a prompt-length threshold "
    "above which a provider charges a multiple of its base price (labelled), input above "
    "and output below each provider's line; bigger dots cover more models. The thesis "
    "reads these tiers as the price of KV-cache memory."
)
MAX_PROVIDERS = 14
COMPONENTS = {"input": ("#1f77b4", 0.17), "output": ("#d62728", -0.17)}


def build(con: duckdb.DuckDBPyConnection, out_dir: Path) -> Section:
    why = missing(con, "context_tiers")
    if why:
        return skipped(ID, TITLE, LEDE, why)
    groups = rows(
        con,
        """select provider, component, threshold_tokens, round(multiplier, 2) as multiplier,
                  count(*) as models, min(model) as example
           from context_tiers
           where service_tier = 'standard' and component in ('input', 'output')
             and multiplier is not null
           group by all order by provider, threshold_tokens, component""",
    )
    if not groups:
        return skipped(
            ID,
            TITLE,
            LEDE,
            "no data yet: no standard-tier long-context input or "
            "output price in the current prices",
        )
    providers = _providers(groups)
    fig = new_figure(11.0, max(3.0, 1.2 + 0.45 * len(providers)))
    ax = fig.subplots()
    for (provider, component, threshold), (mults, models) in _points(groups).items():
        if provider not in providers:
            continue
        colour, offset = COMPONENTS[component]
        y = providers.index(provider) + offset
        ax.scatter(
            [threshold], [y], s=25 + 18 * math.sqrt(models), color=colour, alpha=0.8, zorder=3
        )
        ax.annotate(
            _label(mults), (threshold, y), fontsize=7, xytext=(6, -3), textcoords="offset points"
        )
    ax.set_xscale("log")
    log_axis(ax.xaxis, TOKENS)
    ax.set_yticks(range(len(providers)), providers)
    ax.set_ylim(-0.6, len(providers) - 0.4)
    ax.invert_yaxis()
    style(ax, "Threshold (prompt tokens) → price multiplier", xlabel="prompt tokens")
    for name, (colour, _) in COMPONENTS.items():
        ax.scatter([], [], color=colour, label=name)
    ax.legend(fontsize=8, frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2)
    save(fig, out_dir / f"{ID}.png")
    notes: tuple[str, ...] = ()
    hidden = len({g["provider"] for g in groups}) - len(providers)
    if hidden:
        notes = (f"{hidden} more providers with fewer tiered models are in the table only.",)
    return Section(
        id=ID,
        title=TITLE,
        lede=LEDE,
        image=f"{ID}.png",
        notes=notes,
        alt=f"Dot chart of long-context price thresholds and multipliers for "
        f"{len(providers)} providers.",
        table=table(
            ("provider", "component", "threshold tokens", "multiplier", "models", "e.g."),
            [_row(g) for g in groups],
            limit=50,
        ),
        facts={"providers": len({g["provider"] for g in groups}), "tiers": len(groups)},
    )


def _providers(groups: list[Row]) -> list[str]:
    """The frontier labs first, then the providers with the most tiered models."""
    counts: dict[str, int] = {}
    for g in groups:
        counts[g["provider"]] = counts.get(g["provider"], 0) + int(g["models"])
    rank = {p: i for i, p in enumerate(FRONTIER_PROVIDERS)}
    ordered = sorted(counts, key=lambda p: (rank.get(p, len(rank)), -counts[p], p))
    return ordered[:MAX_PROVIDERS]


Point = tuple[str, str, int]


def _points(groups: list[Row]) -> dict[Point, tuple[list[float], int]]:
    """Per (provider, component, threshold): the distinct multipliers and how many models."""
    out: dict[Point, tuple[list[float], int]] = {}
    for g in groups:
        key = (g["provider"], g["component"], int(g["threshold_tokens"]))
        mults, models = out.get(key, ([], 0))
        out[key] = (sorted({*mults, float(g["multiplier"])}), models + int(g["models"]))
    return out


def _label(mults: list[float]) -> str:
    """'2x', or '1.5–2x' when models at one threshold differ."""
    if len(mults) == 1:
        return f"{mults[0]:g}x"
    return f"{mults[0]:g}–{mults[-1]:g}x"


def _row(g: Row) -> tuple[str | int | float, ...]:
    return (
        g["provider"],
        g["component"],
        int(g["threshold_tokens"]),
        float(g["multiplier"]),
        int(g["models"]),
        g["example"],
    )
