"""Invert every priced model in a set of warehouse rows (pure: rows in, inferences out)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from core.errors import ConfigError
from model.catalog.load import Catalog, load_catalog
from model.inversion.inference import Inference
from model.inversion.prices import model_prices
from model.inversion.references import Reference, deployment_for, stand_ins_for
from model.inversion.solve import invert
from model.roofline.calibration import Calibration, fitted_fractions
from model.roofline.deployment import Deployment, Overlap
from model.roofline.efficiency import DEFAULT_EFFICIENCY, Efficiency

EfficiencyMode = Literal["calibrated", "roofline"]
EFFICIENCY_MODES: tuple[EfficiencyMode, ...] = ("calibrated", "roofline")


def limits_by_model(rows: Iterable[Mapping[str, object]]) -> dict[tuple[str, str], int]:
    """(provider, model) -> context window from `latest_limits` rows (max input if none)."""
    out: dict[tuple[str, str], int] = {}
    for row in rows:
        window = row.get("context_window_tokens") or row.get("max_input_tokens")
        if window:
            out[(str(row["provider"]), str(row["model"]))] = int(str(window))
    return out


def efficiency_for(mode: str, catalog: Catalog, overlap: Overlap) -> Efficiency:
    """The roofline itself, or the fractions the published serving points reach."""
    if mode == "roofline":
        return DEFAULT_EFFICIENCY
    if mode != "calibrated":
        raise ConfigError(f"unknown efficiency '{mode}'; use one of: {', '.join(EFFICIENCY_MODES)}")
    return Calibration(overlap, *fitted_fractions(catalog, overlap)).efficiency


def infer_all(
    price_rows: Iterable[Mapping[str, object]],
    limit_rows: Iterable[Mapping[str, object]] = (),
    *,
    catalog: Catalog | None = None,
    provider: str | None = None,
    model: str | None = None,
    assume_model: str | None = None,
    assume_hardware: str | None = None,
    efficiency: str = "calibrated",
    overlap: Overlap = "per-op",
) -> list[Inference]:
    """Inferences for every model with a base input and output price, per stand-in.

    `price_rows` are `latest_prices` rows as mappings; `provider` / `model` filter them
    (exact, case-insensitive); `assume_*` replace the stand-ins and the per-provider
    hardware. `model.inversion.band.bands` sets the stand-ins' answers side by side.
    """
    catalog = catalog or load_catalog()
    return _invert_rows(
        price_rows,
        limit_rows,
        catalog,
        efficiency_for(efficiency, catalog, overlap),
        {},
        Choice(provider, model, assume_model, assume_hardware, overlap),
    )


def infer_each(
    rows: Iterable[tuple[Iterable[Mapping[str, object]], Iterable[Mapping[str, object]]]],
    *,
    catalog: Catalog | None = None,
) -> list[list[Inference]]:
    """`infer_all` of each (price rows, limit rows) pair, e.g. a backtest's alert days:
    the calibration is fitted and each deployment built once for all of them."""
    catalog = catalog or load_catalog()
    choice = Choice()
    fractions = efficiency_for("calibrated", catalog, choice.overlap)
    deployments: dict[Reference, Deployment] = {}
    return [
        _invert_rows(prices, limits, catalog, fractions, deployments, choice)
        for prices, limits in rows
    ]


@dataclass(frozen=True, slots=True)
class Choice:
    """`infer_all`'s filters and assumptions."""

    provider: str | None = None
    model: str | None = None
    assume_model: str | None = None
    assume_hardware: str | None = None
    overlap: Overlap = "per-op"


def _invert_rows(
    price_rows: Iterable[Mapping[str, object]],
    limit_rows: Iterable[Mapping[str, object]],
    catalog: Catalog,
    fractions: Efficiency,
    deployments: dict[Reference, Deployment],
    choice: Choice,
) -> list[Inference]:
    found: list[Inference] = []
    for prices in model_prices(price_rows, limits_by_model(limit_rows)):
        if choice.provider and prices.provider.lower() != choice.provider.lower():
            continue
        if choice.model and prices.model.lower() != choice.model.lower():
            continue
        for ref in stand_ins_for(
            prices.provider,
            prices.model,
            catalog,
            choice.assume_model,
            choice.assume_hardware,
            fractions,
            choice.overlap,
        ):
            if ref not in deployments:
                deployments[ref] = deployment_for(ref, catalog)
            found.extend(invert(prices, ref, catalog, deployments[ref]))
    return found
