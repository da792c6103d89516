"""What `thesis infer` prints for one model: the margin headline, then each band with its
stand-ins' values and explanations (pure: inferences and bands in, lines out)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from model.inversion.band import Band
from model.inversion.inference import Inference
from model.inversion.textfmt import num

HEADLINE = ("implied_revenue_usd_per_chip_hour", "serving_margin")


def _span(low: float | None, high: float | None, scale: float = 1.0, unit: str = "") -> str:
    if low is None or high is None:
        return "n/a"
    if num(low * scale) == num(high * scale):
        return f"{num(low * scale)}{unit}"
    return f"{num(low * scale)}{unit} to {num(high * scale)}{unit}"


def header(items: Sequence[Inference]) -> str:
    """Who is read against what, on which hardware, with which efficiency and margins."""
    first = items[0]
    a = first.assumptions
    stand_ins = list(dict.fromkeys(str(i.assumptions.get("model")) for i in items))
    what = (
        f"{len(stand_ins)} stand-ins ({', '.join(stand_ins)})"
        if len(stand_ins) > 1
        else f"{stand_ins[0]} ({a.get('reference_basis', '')})"
    )
    rental = next((str(i.assumptions["rental"]) for i in items if "rental" in i.assumptions), "")
    return (
        f"{first.provider}/{first.model}: read against {what} on {a['hardware']} "
        f"({a['weights']} weights, {a['compute']} math, {a['kv_dtype']} KV; {a['overlap']} "
        f"bound; {a['efficiency']} efficiency: decode at {a['decode_fraction']}, prefill at "
        f"{a['prefill_fraction']} of the roofline rate); {rental}; margins equal on input and "
        "output"
    )


def headline(by_name: dict[str, Band], items: Sequence[Inference]) -> list[str]:
    """Implied $/chip-hour and the serving margin band, first: the number no tool offers."""
    revenue, margin = by_name.get(HEADLINE[0]), by_name.get(HEADLINE[1])
    if revenue is None or margin is None:
        return []
    verdict = f"{margin.verdict}, firm" if margin.firm else f"not firm: {margin.decided_by}"
    lines = [
        f"  HEADLINE implied revenue {_span(revenue.low, revenue.high)} USD/chip-hour; "
        f"serving margin {_span(margin.low, margin.high, 100, '%')} over rental [{verdict}]"
    ]
    for item in items:
        if item.name == HEADLINE[1]:
            stand_in = item.assumptions.get("model")
            value = "n/a" if item.value is None else f"{num(100 * item.value)}%"
            lines.append(f"    {stand_in}: margin {value} [{item.label}]")
            lines.append(f"        {item.explanation}")
    return lines


def band_lines(band: Band, items: Iterable[Inference]) -> list[str]:
    lines = [f"  {band.summary}"]
    for item in items:
        value = "n/a" if item.value is None else f"{item.value:.4g}"
        label = f" [{item.label}]" if item.label else ""
        lines.append(f"    {item.assumptions.get('model')} = {value} {item.unit}{label}")
        lines.append(f"        {item.explanation}")
    return lines


def model_lines(items: Sequence[Inference], model_bands: Sequence[Band]) -> list[str]:
    """Every line `thesis infer` prints for one model."""
    by_name = {b.name: b for b in model_bands}
    lines = [header(items), *headline(by_name, items)]
    for band in model_bands:
        if band.name in HEADLINE:
            continue
        lines.extend(band_lines(band, (i for i in items if i.name == band.name)))
    return lines
