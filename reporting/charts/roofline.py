"""The roofline of each reference deployment, with each provider's implied operating point."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from bokeh.models import CDSView, GroupFilter
from bokeh.models.annotations import Span
from bokeh.plotting import figure

from core.errors import ConfigError
from model.catalog.load import Catalog, load_catalog
from model.catalog.specs import Hardware
from model.inversion.references import deployment_for, reference_for
from reporting.figures import (
    SERIES_COLOURS,
    Data,
    Renderer,
    csv_source,
    hover,
    legend,
    new_figure,
    provider_colour,
)
from reporting.frontier import FRONTIER_PROVIDERS, Key
from reporting.operating_points import (
    OperatingPoint,
    operating_point,
    peak,
    ridge,
)
from reporting.read import Found
from reporting.section import Cell, Section, Table, table

ID = "roofline"
TITLE = "Roofline of the reference deployments and the prices' operating points"
CAPTION = (
    "Attainable FLOP/s per chip against arithmetic intensity (FLOPs per byte read from HBM, "
    "log-log): the slope is memory bandwidth, the flat top peak compute, the dotted line "
    "the ridge; each dot is the decode step at the batch a model's output/input price "
    "ratio implies on its lab's assumed deployment. Left of the ridge the prices say "
    "decode is memory-bound, as the thesis holds; estimates under stated assumptions."
)
# What the inversion's labels mean when it found no batch (model/inversion/solve.py).
UNPLACED = {
    "hbm-capped": "even with HBM full of sequences decode costs more, relative to prefill, "
    "than the price ratio says",
    "below-range": "even with HBM full of sequences decode costs more, relative to prefill, "
    "than the price ratio says",
    "above-range": "even at batch 1 decode costs less, relative to prefill, than the price "
    "ratio says: a latency premium or margin on output",
}
CHIP_GROUP = "ridge points of the chips"
CHIP_TOOLTIPS = (
    ("chip", "@chip (@precision)"),
    ("peak", "@y{0,0.0} TFLOP/s per chip"),
    ("ridge", "@ridge{0,0} FLOP/byte"),
    ("source", "model/catalog"),
)
TERA = 1e12
INTENSITY = np.logspace(0, 4, 120)  # 1 .. 10,000 FLOP/byte
CSV = (
    ("kind", "row", "text"),
    ("provider", "provider", "text"),
    ("model", "model", "text"),
    ("chip", "chip", "text"),
    ("precision", "precision", "text"),
    ("batch", "implied batch", "number"),
    ("context", "context (tokens)", "number"),
    ("intensity", "intensity (FLOP/byte)", "number"),
    ("attainable", "attainable (FLOP/s per chip)", "number"),
    ("peak", "peak (FLOP/s per chip)", "number"),
    ("ridge", "ridge (FLOP/byte)", "number"),
    ("bound", "decode bound", "text"),
)
TOOLTIPS = (
    ("", "@provider @model"),
    ("chip", "@chip (@precision)"),
    ("implied batch", "@batch{0,0.0} at @context{0,0} tokens"),
    ("intensity", "@intensity{0,0.0} FLOP/byte"),
    ("attainable", "@y{0,0.0} TFLOP/s per chip"),
    ("bound", "@bound"),
    ("source", "latest_inferences (thesis infer) on model/catalog"),
)


def build(batches: Found, frontier: Sequence[Key]) -> Section:
    catalog = load_catalog()
    points, notes = _placed(batches, frontier, catalog)
    chips = _chips(points) if points else _reference_chips(catalog)
    return Section(
        id=ID,
        title=TITLE,
        caption=CAPTION,
        chart=_figure(points, chips),
        notes=tuple(notes),
        table=_table(points) if points else _chip_table(chips),
        facts={"chips": len(chips), "operating_points": len(points)},
    )


def _placed(
    batches: Found, frontier: Sequence[Key], catalog: Catalog
) -> tuple[list[OperatingPoint], list[str]]:
    """The frontier models' operating points, and notes on every model left out."""
    found, why = batches
    shown = [r for r in found if (r["provider"], r["model"]) in set(frontier)]
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
    # Sorted: the inferences come in no stated order, and the note is read in transcripts.
    notes.extend(
        f"Not placed, {label} ({UNPLACED.get(label, 'no effective batch')}): "
        + ", ".join(sorted(models))
        for label, models in sorted(unplaced.items())
    )
    return points, notes


def _figure(points: list[OperatingPoint], chips: list[tuple[Hardware, str]]) -> figure:
    """The chips' rooflines, their ridge points and the operating points (one data
    source: the CSV rows), a legend entry per chip and per provider."""
    fig = new_figure(
        ID,
        "Roofline (per chip)",
        x_label="arithmetic intensity (FLOP/byte, log)",
        y_label="attainable TFLOP/s per chip (log)",
        x_axis_type="log",
        y_axis_type="log",
        height=460,
    )
    items = _curves(fig, chips)
    rows = [_point_row(p) for p in points] + [_chip_row(h, c) for h, c in chips]
    source = csv_source(ID, CSV, _columns(rows))
    for group in dict.fromkeys(str(r["group"]) for r in rows):
        view = CDSView(filter=GroupFilter(column_name="group", group=group))
        chip = group == CHIP_GROUP
        dots = fig.scatter(
            "x",
            "y",
            source=source,
            view=view,
            size=8 if chip else 10,
            marker="diamond" if chip else "circle",
            color="colour",
            line_color="white",
        )
        hover(fig, [dots], CHIP_TOOLTIPS if chip else TOOLTIPS)
        items.append((group if chip else f"{group} (implied by prices)", [dots]))
    legend(fig, items)
    return fig


def _curves(fig: figure, chips: list[tuple[Hardware, str]]) -> list[tuple[str, list[Renderer]]]:
    out: list[tuple[str, list[Renderer]]] = []
    for colour, (hardware, compute) in zip(SERIES_COLOURS * 3, chips, strict=False):
        top = peak(hardware, compute)
        ys = np.minimum(top, INTENSITY * hardware.hbm_bandwidth_bytes_per_s)
        line = fig.line(
            [float(x) for x in INTENSITY], [float(y) / TERA for y in ys], color=colour, line_width=2
        )
        knee = ridge(hardware, compute)
        fig.add_layout(
            Span(location=knee, dimension="height", line_color=colour, line_dash="dotted")
        )
        out.append((f"{hardware.id} ({compute}), ridge {knee:.0f}", [line]))
    return out


def _point_row(p: OperatingPoint) -> dict[str, object]:
    return {
        "group": p.provider,
        "x": p.intensity_flops_per_byte,
        "y": p.attainable_flops_per_s / TERA,
        "colour": provider_colour(p.provider),
        "kind": "operating point",
        "provider": p.provider,
        "model": p.model,
        "chip": p.hardware.id,
        "precision": p.compute,
        "batch": p.batch,
        "context": p.context_tokens,
        "intensity": p.intensity_flops_per_byte,
        "attainable": p.attainable_flops_per_s,
        "peak": peak(p.hardware, p.compute),
        "ridge": ridge(p.hardware, p.compute),
        "bound": p.bound,
    }


def _chip_row(hardware: Hardware, compute: str) -> dict[str, object]:
    return {
        "group": CHIP_GROUP,
        "x": ridge(hardware, compute),
        "y": peak(hardware, compute) / TERA,
        "colour": "#444444",
        "kind": "chip",
        "provider": "",
        "model": "",
        "chip": hardware.id,
        "precision": compute,
        "batch": None,
        "context": None,
        "intensity": None,
        "attainable": None,
        "peak": peak(hardware, compute),
        "ridge": ridge(hardware, compute),
        "bound": "",
    }


def _columns(rows: list[dict[str, object]]) -> Data:
    return {name: [r[name] for r in rows] for name in rows[0]} if rows else {}


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
