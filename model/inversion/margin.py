"""Implied revenue per chip-hour and the serving margin it leaves over the chip's rental.

At the batch the price ratio implies (calibrated efficiency unless told otherwise), a
decode chip turns out 3600 / (chip-seconds per token) tokens an hour; times the output
price that is the revenue one chip-hour earns, set against the catalog's rental price
(or the stated fallback). Margin = 1 − rental / revenue. Where the prices imply no batch
the nearest end stands in and says so: HBM-capped (the HBM-full batch: revenue is an
upper bound) or batch 1 (a lower bound).
"""

from __future__ import annotations

from decimal import Decimal

from model.inversion.cost_ratio import decode_cost
from model.inversion.inference import Inference
from model.inversion.reading import Reading
from model.inversion.textfmt import money, num

SECONDS_PER_HOUR = 3600.0
MTOK = Decimal(1_000_000)
CENTS = Decimal("0.01")

BASIS = {
    "solved": "at the batch the price ratio implies",
    "hbm-capped": "HBM-capped: at the HBM-full batch, so an upper bound",
    "above-range": "at batch 1 (the price ratio lies above every batch), so a lower bound",
}


def margin_inferences(r: Reading) -> list[Inference]:
    sol, dep = r.batch, r.dep
    if sol.status == "no-capacity":
        text = f"The weights alone fill the HBM of {r.where}: no revenue can be modelled."
        return [
            r.make(name, None, unit, text, label="no-capacity")
            for name, unit in (
                ("implied_revenue_usd_per_chip_hour", "usd_per_chip_hour"),
                ("serving_margin", "fraction"),
            )
        ]
    batch = r.operating_batch
    tokens_per_chip_hour = SECONDS_PER_HOUR / decode_cost(dep, batch, r.ref.context_tokens)
    revenue = (r.prices.output_usd_per_mtok * Decimal(repr(tokens_per_chip_hour)) / MTOK).quantize(
        CENTS
    )
    eff = dep.efficiency
    facts = {
        "batch": batch,
        "batch_basis": sol.status,
        "tokens_per_chip_hour": tokens_per_chip_hour,
        "rental_usd_per_chip_hour": str(dep.hardware.rental_usd_per_chip_hour),
        "rental": dep.hardware.rental_note,
    }
    how = (
        f"{BASIS[sol.status]} ({num(batch)} sequences, {r.ref.context_tokens}-token context) "
        f"one {dep.hardware.id} chip decodes {num(tokens_per_chip_hour)} tokens an hour on "
        f"{dep.model.id} ({eff.name} efficiency: {num(eff.decode_fraction)} of the "
        f"{dep.overlap} roofline decode rate)"
    )
    text = (
        f"At {money(r.prices.output_usd_per_mtok)} USD per output Mtok that earns "
        f"{revenue:.2f} USD per chip-hour: {how}."
    )
    out = [
        r.make(
            "implied_revenue_usd_per_chip_hour",
            float(revenue),
            "usd_per_chip_hour",
            text,
            facts,
            sol.status,
        )
    ]
    rental = dep.hardware.rental_usd_per_chip_hour
    if rental is None or revenue <= 0:
        why = "has no rental price" if rental is None else "earns nothing at this price"
        out.append(
            r.make("serving_margin", None, "fraction", f"{dep.hardware.id} {why}.", facts, "n/a")
        )
        return out
    margin = float(1 - rental / revenue)
    text = (
        f"Implied revenue {revenue:.2f} USD per chip-hour against rental {rental:.2f} "
        f"({dep.hardware.rental_note}) leaves a serving margin of {num(100 * margin)}%, "
        f"{how}."
    )
    label = "above-rental" if margin > 0 else "below-rental"
    out.append(r.make("serving_margin", margin, "fraction", text, facts, label))
    return out
