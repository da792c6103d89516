"""`thesis infer`: what today's prices imply about the hardware bottleneck, per model.

Its headline per model is the implied revenue per chip-hour and the serving margin over
the chip's rental, as a band across the stand-in architectures; then every inference,
per stand-in and as a range, each stating its assumptions.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from itertools import groupby
from typing import TYPE_CHECKING, Annotated, Any

import typer

from core.errors import ConfigError
from thesis_cli.common import DbOption, JsonOption, emit_json

if TYPE_CHECKING:
    from model.inversion.band import Band
    from model.inversion.inference import Inference

DISCLAIMER = (
    "These are estimates under stated assumptions: stand-in architectures and hardware, "
    "equal margins on input and output, efficiency calibrated on published serving points "
    "(or the roofline itself with --efficiency roofline). Prices also carry strategy and "
    "latency premiums; a verdict is firm only when every stand-in agrees."
)


def _doc(
    found: list[Inference], found_bands: list[Band], computed_at: datetime, stored: bool
) -> dict[str, Any]:
    return {
        "computed_at": computed_at.isoformat(),
        "stored": stored,
        "models": len({(i.provider, i.model) for i in found}),
        "note": DISCLAIMER,
        "headlines": [
            {
                "provider": b.provider,
                "model": b.model,
                "serving_margin_low": b.low,
                "serving_margin_high": b.high,
                "verdict": b.verdict,
                "firm": b.firm,
                "decided_by": b.decided_by,
                "hardware": b.hardware,
            }
            for b in found_bands
            if b.name == "serving_margin"
        ],
        "bands": [dataclasses.asdict(b) | {"stand_ins": b.stand_ins} for b in found_bands],
        "inferences": [dataclasses.asdict(i) for i in found],
    }


def _print(found: list[Inference], found_bands: list[Band]) -> None:
    from model.inversion.summary import model_lines

    by_model: dict[tuple[str, str], list[Band]] = {}
    for band in found_bands:
        by_model.setdefault((band.provider, band.model), []).append(band)
    for key, items in groupby(found, key=lambda i: (i.provider, i.model)):
        for line in model_lines(list(items), by_model.get(key, [])):
            typer.echo(line)
    typer.echo(DISCLAIMER)


def infer(
    provider: Annotated[
        str | None, typer.Option("--provider", help="Only this provider's models.")
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help="Only this model id.")] = None,
    assume_model: Annotated[
        str | None,
        typer.Option(
            "--assume-model",
            help="Catalog architecture to read prices against instead of the stand-ins "
            "(see model/inversion/references.py).",
        ),
    ] = None,
    assume_hardware: Annotated[
        str | None, typer.Option("--assume-hardware", help="Catalog hardware to assume.")
    ] = None,
    efficiency: Annotated[
        str,
        typer.Option(
            "--efficiency",
            help="calibrated (the published serving points' share of the roofline rate) "
            "or roofline (peak: the bound itself).",
        ),
    ] = "calibrated",
    store: Annotated[
        bool, typer.Option("--store/--no-store", help="Record the inferences in the warehouse.")
    ] = True,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Invert today's prices through the roofline model and explain each model's numbers.

    Reads `latest_prices` and `latest_limits`, prints every inference with its
    assumptions, and (unless --no-store) records them in `inferences` and their
    stand-in bands in `inference_bands`.
    """
    from model.inversion.band import bands
    from pipeline.inference import InferenceRequest
    from pipeline.inference import infer as run_inference

    if efficiency not in ("calibrated", "roofline"):
        raise ConfigError(f"--efficiency {efficiency!r}: use calibrated or roofline")
    now = datetime.now(UTC)
    request = InferenceRequest(provider, model, assume_model, assume_hardware, efficiency)
    found = run_inference(db, request, now=now, store=store)
    if not found:
        wanted = " and ".join(
            f"{k} {v!r}" for k, v in (("provider", provider), ("model", model)) if v
        )
        raise ConfigError(
            "no priced model in the warehouse"
            + (f" matches {wanted}" if wanted else "; run `thesis run` first")
        )
    found_bands = bands(found)
    if as_json:
        emit_json(_doc(found, found_bands, now, store))
    else:
        _print(found, found_bands)
