"""`thesis infer`: what today's prices imply about the hardware bottleneck, per model.

Register in thesis_cli/main.py with `app.command("infer")(infer)`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import groupby
from typing import TYPE_CHECKING, Annotated, Any

import typer

from core.errors import ConfigError
from thesis_cli.common import DbOption, JsonOption, emit_json

if TYPE_CHECKING:
    from model.inversion.inference import Inference

DISCLAIMER = (
    "These are estimates under stated assumptions: a stand-in architecture and hardware, "
    "equal margins on input and output, roofline (peak) efficiency. Prices also carry "
    "strategy and latency premiums."
)


def _doc(found: list[Inference], computed_at: datetime, stored: bool) -> dict[str, Any]:
    return {
        "computed_at": computed_at.isoformat(),
        "stored": stored,
        "models": len({(i.provider, i.model) for i in found}),
        "note": DISCLAIMER,
        "inferences": [
            {
                "provider": i.provider,
                "model": i.model,
                "name": i.name,
                "value": i.value,
                "unit": i.unit,
                "label": i.label,
                "explanation": i.explanation,
                "assumptions": i.assumptions,
            }
            for i in found
        ],
    }


def _print(found: list[Inference]) -> None:
    for (provider, model), items in groupby(found, key=lambda i: (i.provider, i.model)):
        group = list(items)
        a = group[0].assumptions
        typer.echo(
            f"{provider}/{model}: read against {a['model']} on {a['chips']}x {a['hardware']} "
            f"({a['weights']} weights, {a['compute']} math, {a['kv_dtype']} KV) — "
            f"{a['reference_basis']}"
        )
        for i in group:
            value = "n/a" if i.value is None else f"{i.value:.4g}"
            label = f" [{i.label}]" if i.label else ""
            typer.echo(f"  {i.name} = {value} {i.unit}{label}")
            typer.echo(f"      {i.explanation}")
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
            help="Catalog architecture to read prices against "
            "(default: per provider, see model/inversion/references.py).",
        ),
    ] = None,
    assume_hardware: Annotated[
        str | None, typer.Option("--assume-hardware", help="Catalog hardware to assume.")
    ] = None,
    store: Annotated[
        bool, typer.Option("--store/--no-store", help="Record the inferences in the warehouse.")
    ] = True,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Invert today's prices through the roofline model and explain each model's numbers.

    Reads `latest_prices` and `latest_limits`, prints every inference with its
    assumptions, and (unless --no-store) records them in the `inferences` table.
    """
    from pipeline.inference import InferenceRequest
    from pipeline.inference import infer as run_inference

    now = datetime.now(UTC)
    request = InferenceRequest(provider, model, assume_model, assume_hardware)
    found = run_inference(db, request, now=now, store=store)
    if not found:
        wanted = " and ".join(
            f"{k} {v!r}" for k, v in (("provider", provider), ("model", model)) if v
        )
        raise ConfigError(
            "no priced model in the warehouse"
            + (f" matches {wanted}" if wanted else "; run `thesis run` first")
        )
    if as_json:
        emit_json(_doc(found, now, store))
    else:
        _print(found)
