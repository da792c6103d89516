"""The roofline of each reference deployment, with each provider's implied operating point."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from core.errors import ConfigError
from model.catalog.load import Catalog, load_catalog
from model.catalog.specs import Hardware
from model.inversion.references import deployment_for, reference_for
from reporting.figures import log_axis, new_figure, provider_colour, save, style
from reporting.frontier import FRONTIER_PROVIDERS, frontier_models
from reporting.operating_points import (
    OperatingPoint,
    latest_batches,
    operating_point,
    peak,
    ridge,
)
from reporting.section import Cell, Section, Table, table
from reporting.series import first_seen

ID = "roofline"
TITLE = "Roofline of the reference deployments and the prices' operating points"
LEDE = (
    "Attainable FLOP/s per chip against arithmetic intensity (FLOPs per byte read from "
    "HBM): the slope is memory bandwidth, the flat top is peak compute, the knee is the "
    "ridge point. Each dot is the decode step at the batch a model's output/input price "
    "ratio implies (the `effective_decode_batch` inference) on that provider's assumed "
    "deployment; left of the knee the prices say decode is memory-bound. Estimates under "
    "stated assumptions, not measurements."
)
# What the inversion's labels mean when it found no batch (model/inversion/solve.py).
UNPLACED = {
    "below-range": "even with HBM full of sequences decode costs more, relative to prefill, "
    "than the price ratio says",
    "above-range": "even at batch 1 decode costs less, relative to prefill, than the price "
    "ratio says: a latency premium or margin on output",
}
PLAIN = FuncFormatter(lambda v, _pos: f"{v:g}")
FLOPS = FuncFormatter(lambda v, _pos: f"{v / 1e12:g} T")
INTENSITY = np.logspace(0, 4, 200)  # 1 .. 10,000 FLOP/byte


def build(con: duckdb.DuckDBPyConnection, out_dir: Path) -> Section:
    catalog = load_catalog()
    found, why = latest_batches(con)
    frontier = set(frontier_models(first_seen(con))) if found else set()
    shown = [r for r in found if (r["provider"], r["model"]) in frontier]
    notes: list[str] = [why] if why else []
    if len(found) > len(shown):
        notes.append(
            f"{len(found) - len(shown)} non-frontier models' inferences are not "
            "plotted (`thesis sql` on `latest_inferences` lists them)."
        )
    points: list[OperatingPoint] = []
    unplaced: dict[str, list[str]] = {}
    for row in shown:
        try:
            point = operating_point(row, catalog)
        except (ConfigError, ValueError, TypeError) as err:
            notes.append(f"{row['provider']}/{row['model']}: not placed ({err})")
            continue
        if point is None:
            unplaced.setdefault(str(row["label"] or "no value"), []).append(str(row["model"]))
        else:
            points.append(point)
    notes.extend(
        f"Not placed, {label} ({UNPLACED.get(label, 'no effective batch')}): {', '.join(models)}"
        for label, models in unplaced.items()
    )
    chips = _chips(points) if points else _reference_chips(catalog)
    fig = new_figure(11.0, 5.6)
    ax = fig.subplots()
    for hardware, compute in chips:
        _curve(ax, hardware, compute)
    for point in points:
        ax.scatter(
            [point.intensity_flops_per_byte],
            [point.attainable_flops_per_s],
            color=provider_colour(point.provider),
            s=36,
            zorder=4,
            edgecolor="white",
            linewidth=0.6,
        )
    for (x, y), names in _labels(points).items():
        ax.annotate(names, (x, y), fontsize=6, xytext=(5, -9), textcoords="offset points")
    ax.set_xscale("log")
    ax.set_yscale("log")
    log_axis(ax.xaxis, PLAIN)
    log_axis(ax.yaxis, FLOPS)
    style(
        ax,
        "Roofline (per chip)",
        xlabel="arithmetic intensity (FLOP/byte)",
        ylabel="attainable FLOP/s",
    )
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    save(fig, out_dir / f"{ID}.png")
    return Section(
        id=ID,
        title=TITLE,
        lede=LEDE,
        image=f"{ID}.png",
        notes=tuple(notes),
        alt=f"Log-log roofline of {len(chips)} chips ({', '.join(h.id for h, _ in chips)}) "
        f"with {len(points)} operating points implied by prices.",
        table=_table(points) if points else _chip_table(chips),
        facts={"chips": len(chips), "operating_points": len(points)},
    )


def _labels(points: list[OperatingPoint]) -> dict[tuple[float, float], str]:
    """One label per spot: models whose prices put them at the same point share it."""
    spots: dict[tuple[float, float], list[str]] = {}
    for p in points:
        key = (float(f"{p.intensity_flops_per_byte:.3g}"), float(f"{p.attainable_flops_per_s:.3g}"))
        spots.setdefault(key, []).append(p.model)
    return {
        key: ", ".join(names[:2]) + (f" (+{len(names) - 2})" if len(names) > 2 else "")
        for key, names in spots.items()
    }


def _curve(ax: Axes, hardware: Hardware, compute: str) -> None:
    top = peak(hardware, compute)
    ys = np.minimum(top, INTENSITY * hardware.hbm_bandwidth_bytes_per_s)
    line = ax.plot(
        INTENSITY,
        ys,
        lw=1.4,
        alpha=0.8,
        label=f"{hardware.id} ({compute}), ridge {ridge(hardware, compute):.0f}",
    )
    ax.axvline(ridge(hardware, compute), color=line[0].get_color(), lw=0.6, ls=":")


def _chips(points: list[OperatingPoint]) -> list[tuple[Hardware, str]]:
    seen: dict[tuple[str, str], tuple[Hardware, str]] = {}
    for p in points:
        seen.setdefault((p.hardware.id, p.compute), (p.hardware, p.compute))
    return list(seen.values())


def _reference_chips(catalog: Catalog) -> list[tuple[Hardware, str]]:
    """The documented default deployment of each frontier lab (model/inversion/references.py)."""
    seen: dict[tuple[str, str], tuple[Hardware, str]] = {}
    for provider in FRONTIER_PROVIDERS:
        dep = deployment_for(reference_for(provider, "", catalog), catalog)
        seen.setdefault((dep.hardware.id, dep.compute), (dep.hardware, dep.compute))
    return list(seen.values())


def _table(points: list[OperatingPoint]) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (
            p.provider,
            p.model,
            p.hardware.id,
            round(p.batch, 1),
            p.context_tokens,
            round(p.intensity_flops_per_byte, 1),
            round(ridge(p.hardware, p.compute)),
            round(p.attainable_flops_per_s / 1e12, 1),
            f"{p.attainable_flops_per_s / peak(p.hardware, p.compute):.0%}",
            p.bound,
        )
        for p in points
    ]
    return table(
        (
            "provider",
            "model",
            "chip",
            "batch",
            "context",
            "FLOP/byte",
            "ridge",
            "attainable TFLOP/s",
            "of peak",
            "decode bound",
        ),
        rows,
        limit=60,
    )


def _chip_table(chips: list[tuple[Hardware, str]]) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (
            h.id,
            compute,
            round(peak(h, compute) / 1e12),
            round(h.hbm_bandwidth_bytes_per_s / 1e12, 2),
            round(ridge(h, compute)),
        )
        for h, compute in chips
    ]
    return table(("chip", "precision", "peak TFLOP/s", "HBM TB/s", "ridge FLOP/byte"), rows)
