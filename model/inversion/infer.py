"""Invert every priced model in a set of warehouse rows (pure: rows in, inferences out)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from model.catalog.load import Catalog, load_catalog
from model.inversion.inference import Inference
from model.inversion.prices import model_prices
from model.inversion.references import reference_for
from model.inversion.solve import invert


def limits_by_model(rows: Iterable[Mapping[str, object]]) -> dict[tuple[str, str], int]:
    """(provider, model) -> context window from `latest_limits` rows (max input if none)."""
    out: dict[tuple[str, str], int] = {}
    for row in rows:
        window = row.get("context_window_tokens") or row.get("max_input_tokens")
        if window:
            out[(str(row["provider"]), str(row["model"]))] = int(str(window))
    return out


def infer_all(
    price_rows: Iterable[Mapping[str, object]],
    limit_rows: Iterable[Mapping[str, object]] = (),
    *,
    catalog: Catalog | None = None,
    provider: str | None = None,
    model: str | None = None,
    assume_model: str | None = None,
    assume_hardware: str | None = None,
) -> list[Inference]:
    """Inferences for every model with a base input and output price.

    `price_rows` are `latest_prices` rows as mappings; `provider` / `model` filter them
    (exact, case-insensitive); `assume_*` replace the per-provider reference defaults.
    """
    catalog = catalog or load_catalog()
    found: list[Inference] = []
    for prices in model_prices(price_rows, limits_by_model(limit_rows)):
        if provider and prices.provider.lower() != provider.lower():
            continue
        if model and prices.model.lower() != model.lower():
            continue
        ref = reference_for(prices.provider, prices.model, catalog, assume_model, assume_hardware)
        found.extend(invert(prices, ref, catalog))
    return found
