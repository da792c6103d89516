"""Published serving points against the roofline, and the efficiency they imply.

For each point of the calibration table (model/catalog/calibration.toml) the roofline
time of exactly what was measured (same model, chips, formats, batch and lengths) is set
against the measured time. The decode points' geometric mean of bound / measured is the
calibrated decode fraction, the prefill points' the prefill fraction; end-to-end points
only check the result. The table is small, so this is recomputed whenever it is needed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from model.catalog.load import Catalog
from model.catalog.specs import CalibrationPoint
from model.roofline.decode import decode_seconds
from model.roofline.deployment import Deployment, Overlap
from model.roofline.efficiency import DEFAULT_EFFICIENCY, Efficiency
from model.roofline.prefill import prefill

FITTED_PHASES = ("decode", "prefill")


@dataclass(frozen=True)
class CalibrationRow:
    point: CalibrationPoint
    bound_s: float  # roofline time of what was measured
    measured_over_bound: float
    calibrated_s: float  # the calibrated model's time for the same work

    @property
    def measured_over_calibrated(self) -> float:
        return self.point.measured_s / self.calibrated_s


@dataclass(frozen=True)
class Calibration:
    overlap: Overlap
    decode_fraction: float
    prefill_fraction: float
    rows: tuple[CalibrationRow, ...] = ()

    @property
    def efficiency(self) -> Efficiency:
        return Efficiency(
            decode_fraction=self.decode_fraction,
            prefill_fraction=self.prefill_fraction,
            name="calibrated",
        )


def point_deployment(
    point: CalibrationPoint,
    catalog: Catalog,
    overlap: Overlap,
    efficiency: Efficiency = DEFAULT_EFFICIENCY,
) -> Deployment:
    model = catalog.get_model(point.model)
    return Deployment(
        model,
        catalog.get_hardware(point.hardware),
        point.chips,
        weights=point.weights,
        compute=point.compute,
        kv_dtype=point.kv_dtype,
        efficiency=efficiency,
        expert_weights=model.expert_weights,
        overlap=overlap,
    )


def point_time_s(dep: Deployment, point: CalibrationPoint) -> float:
    """Model time of the measured work: a prefill, decode steps, or both in turn."""
    total = 0.0
    if point.phase != "decode":
        total += prefill(dep, point.prompt_tokens, point.batch).time_s
    if point.phase != "prefill":
        start = point.context_tokens if point.phase == "decode" else point.prompt_tokens
        total += sum(
            decode_seconds(dep, point.batch, start + i) for i in range(point.generated_tokens)
        )
    return total


def _geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


def fitted_fractions(catalog: Catalog, overlap: Overlap = "per-op") -> tuple[float, float]:
    """(decode, prefill) fractions of the roofline rate the published points reach."""
    ratios: dict[str, list[float]] = {phase: [] for phase in FITTED_PHASES}
    for point in catalog.calibration.values():
        if point.phase in ratios:
            dep = point_deployment(point, catalog, overlap)
            ratios[point.phase].append(point_time_s(dep, point) / point.measured_s)
    # A point faster than its bound would mean a wrong assumption; never exceed the bound.
    decode, prefill_share = (
        min(1.0, _geometric_mean(ratios[p])) if ratios[p] else 1.0 for p in FITTED_PHASES
    )
    return decode, prefill_share


def calibrate(catalog: Catalog, overlap: Overlap = "per-op") -> Calibration:
    """The fitted fractions plus, for every point, measured / bound and / calibrated."""
    decode, prefill_fraction = fitted_fractions(catalog, overlap)
    fitted = Calibration(overlap, decode, prefill_fraction)
    rows = []
    for point in catalog.calibration.values():
        bound = point_time_s(point_deployment(point, catalog, overlap), point)
        calibrated = point_time_s(
            point_deployment(point, catalog, overlap, fitted.efficiency), point
        )
        rows.append(CalibrationRow(point, bound, point.measured_s / bound, calibrated))
    return Calibration(overlap, decode, prefill_fraction, tuple(rows))


def calibration_lines(result: Calibration) -> list[str]:
    """The calibration as a table of text lines (what `thesis roofline calibrate` prints)."""
    lines = [
        f"Published serving points against the {result.overlap} roofline "
        "(measured / bound: how many times slower than the bound):",
        f"  {'phase':<11} {'point':<38} {'bound s':>9} {'measured s':>11} "
        f"{'meas/bound':>10} {'meas/calib':>10}",
    ]
    for row in result.rows:
        p = row.point
        lines.append(
            f"  {p.phase:<11} {p.id:<38} {row.bound_s:>9.4g} {p.measured_s:>11.4g} "
            f"{row.measured_over_bound:>10.2f} {row.measured_over_calibrated:>10.2f}"
        )
    lines.append(
        f"Calibrated: decode runs at {result.decode_fraction:.3f} and prefill at "
        f"{result.prefill_fraction:.3f} of the roofline rate (geometric means of bound / "
        "measured over the decode and prefill points; end-to-end points only check them)."
    )
    lines.append("Sources:")
    lines.extend(
        f"  {row.point.id}: {row.point.source_detail} <{row.point.source_url}>"
        for row in result.rows
    )
    return lines
