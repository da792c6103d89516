"""Long-context price tiers against the stand-in's KV and attention figures, and a verdict.

For each tier: the share of price the operator puts on context, the model's own prefill
and decode cost steps at the threshold, and a verdict setting the price step against the
modelled one, with the context beyond which decode is memory-bound at any batch and one
sentence on what the gap implies:

- covered: the tier's price step pays for the modelled cost step;
- more-chips: the step comes from the batch collapsing as each sequence's KV fills HBM;
  spreading a sequence over more chips (restoring the batch) would bring the cost step
  within the price step;
- cross-subsidy: neither closes it: long prompts are priced below this stand-in's cost,
  so short prompts pay for them (or the operator serves them with a sparser KV than this
  stand-in has). A sparse-attention stand-in (deepseek-v3.2) shows whether it does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import Decimal

from model.inversion.cost_ratio import SOLVE_TOLERANCE, decode_cost, hbm_full_batch, prefill_cost
from model.inversion.inference import Assumptions, Inference
from model.inversion.prices import LongContextTier
from model.inversion.reading import Reading
from model.inversion.textfmt import num
from model.roofline.capacity import never_compute_bound_context
from model.roofline.deployment import Deployment
from model.roofline.moe import weight_bytes_touched


def long_context_inferences(r: Reading) -> list[Inference]:
    out: list[Inference] = []
    if not r.prices.long_context_tiers:
        return out
    ceiling = never_compute_bound_context(r.dep)
    out.append(_ceiling_inference(r, ceiling))
    for tier in r.prices.long_context_tiers:
        facts: Assumptions = {"threshold_tokens": tier.threshold_tokens}
        out.extend(_price_shares(r, tier, facts))
        prefill_step = _prefill_multiplier(r, tier, facts)
        out.append(prefill_step)
        decode = _decode_step(r, tier.threshold_tokens)
        out.extend(_decode_figures(r, tier, decode, facts))
        out.append(_verdict(r, tier, decode, prefill_step.value, ceiling, facts))
    return out


def _ceiling_inference(r: Reading, ceiling: float | None) -> Inference:
    text = (
        f"On {r.where}, beyond {num(ceiling)} tokens of context no batch makes decode "
        "compute-bound: each token's KV reads outlast its arithmetic."
        if ceiling is not None
        else f"On {r.where} some batch makes decode compute-bound at every context."
    )
    return r.make("never_compute_bound_context", ceiling, "tokens", text)


def _price_shares(r: Reading, tier: LongContextTier, facts: Assumptions) -> list[Inference]:
    out = []
    for kind, multiplier in (("input", tier.input_multiplier), ("output", tier.output_multiplier)):
        if multiplier is None or multiplier <= 0:
            continue
        share = float(1 - 1 / multiplier)
        text = (
            f"Above {tier.threshold_tokens} prompt tokens {kind} costs {num(float(multiplier))}x "
            f"the base price: the operator attributes {num(100 * share)}% of a long-context "
            f"{kind} token's price to the extra context."
        )
        name = f"long_context_{kind}_cost_share_above_{tier.threshold_tokens}"
        out.append(r.make(name, share, "fraction", text, facts))
    return out


def _prefill_multiplier(r: Reading, tier: LongContextTier, facts: Assumptions) -> Inference:
    threshold, prompt = tier.threshold_tokens, r.ref.prompt_tokens
    multiplier = prefill_cost(r.dep, threshold) / prefill_cost(r.dep, prompt)
    text = (
        f"On {r.where}, prefill at {threshold} tokens costs {num(multiplier)}x per token what "
        f"it does at {prompt}: causal attention grows with the prompt."
    )
    return r.make(
        f"model_prefill_cost_multiplier_at_{threshold}",
        multiplier,
        "x",
        text,
        {**facts, "prompt_tokens": prompt},
    )


@dataclass(frozen=True)
class DecodeAtThreshold:
    short_batch: float  # the batch the base price ratio implies at the reference context
    room: float  # sequences of threshold length HBM holds
    long_batch: float  # min(short_batch, room)
    multiplier: float | None  # cost per token at the threshold / at the reference context
    kv_share: float | None  # KV's share of the bytes a step reads at the threshold


def _decode_step(r: Reading, threshold: int) -> DecodeAtThreshold:
    dep, ref = r.dep, r.ref
    short = r.batch.value or max(1.0, min(ref.batch, hbm_full_batch(dep, ref.context_tokens)))
    room = hbm_full_batch(dep, threshold)
    if room < 1:
        return DecodeAtThreshold(short, room, 0.0, None, None)
    long = min(short, room)
    multiplier = decode_cost(dep, long, threshold) / decode_cost(dep, short, ref.context_tokens)
    kv = long * dep.kv.read_bytes(threshold)
    weights = weight_bytes_touched(dep.model, long, dep.weights, dep.expert_weights)
    return DecodeAtThreshold(short, room, long, multiplier, kv / (kv + weights))


def _decode_figures(
    r: Reading, tier: LongContextTier, d: DecodeAtThreshold, facts: Assumptions
) -> list[Inference]:
    threshold = tier.threshold_tokens
    names = (
        f"model_decode_cost_multiplier_at_{threshold}",
        f"model_kv_share_of_decode_memory_at_{threshold}",
    )
    if d.multiplier is None:
        text = (
            f"One {threshold}-token sequence does not fit beside the weights in "
            f"{r.dep.chips}x {r.dep.hardware.id} HBM."
        )
        return [
            r.make(n, None, u, text, facts, "does-not-fit")
            for n, u in zip(names, ("x", "fraction"), strict=True)
        ]
    more: Assumptions = {**facts, "batch_short": d.short_batch, "batch_long": d.long_batch}
    text = (
        f"Decode at {threshold} tokens of context (batch {num(d.long_batch)}, HBM allows "
        f"{num(d.room)}) costs {num(d.multiplier)}x per token what it does at "
        f"{r.ref.context_tokens} (batch {num(d.short_batch)}); KV is "
        f"{num(100 * (d.kv_share or 0))}% of the bytes each step reads."
    )
    return [
        r.make(names[0], d.multiplier, "x", text, more),
        r.make(names[1], d.kv_share, "fraction", text, more),
    ]


def _more_chips_step(r: Reading, threshold: int, d: DecodeAtThreshold) -> float | None:
    """Decode cost step if the replica grew until the short batch fits at the threshold."""
    dep = r.dep
    needed = dep.weight_bytes_total + d.short_batch * dep.kv.sequence_bytes(threshold)
    factor = math.ceil(needed / dep.hbm_usable_bytes)
    if factor <= 1:
        return None
    bigger: Deployment = replace(dep, chips=dep.chips * factor)
    return decode_cost(bigger, d.short_batch, threshold) / decode_cost(
        dep, d.short_batch, r.ref.context_tokens
    )


def _verdict(
    r: Reading,
    tier: LongContextTier,
    d: DecodeAtThreshold,
    prefill_step: float | None,
    ceiling: float | None,
    facts: Assumptions,
) -> Inference:
    threshold = tier.threshold_tokens
    name = f"long_context_verdict_at_{threshold}"
    price_step = float(tier.output_multiplier or Decimal(1))
    if d.multiplier is None:
        text = f"Above {threshold} tokens one sequence does not fit on {r.where}."
        return r.make(name, None, "x", text, facts, "does-not-fit")
    gap = d.multiplier / price_step
    chips_step = _more_chips_step(r, threshold, d)
    if gap <= 1 + SOLVE_TOLERANCE:
        label = "covered"
        implies = (
            "the tier pays for the modelled cost step, so its premium is margin or "
            "rationing of scarce long-context capacity"
        )
    elif chips_step is not None and chips_step <= price_step * (1 + SOLVE_TOLERANCE):
        label = "more-chips"
        implies = (
            f"the step comes from the batch collapsing as KV fills HBM; spreading each "
            f"sequence over more chips would cut it to {num(chips_step)}x, within the price"
        )
    else:
        label = "cross-subsidy"
        implies = (
            "neither more chips per sequence nor anything but a sparser KV than this "
            "stand-in's closes it, so short prompts subsidise long ones"
        )
    input_step = f" / {num(float(tier.input_multiplier))}x input" if tier.input_multiplier else ""
    prefill_text = f" and prefill {num(prefill_step)}x" if prefill_step is not None else ""
    ceiling_text = (
        f"decode is memory-bound at any batch beyond {num(ceiling)} tokens"
        if ceiling is not None
        else "some batch keeps decode compute-bound at every context"
    )
    text = (
        f"Above {threshold} tokens the price steps {num(price_step)}x output{input_step} "
        f"while on {r.where} decode cost steps {num(d.multiplier)}x (batch "
        f"{num(d.short_batch)} -> {num(d.long_batch)} as HBM fills){prefill_text}; "
        f"{ceiling_text}; {implies}."
    )
    more: Assumptions = {
        **facts,
        "price_step": price_step,
        "modelled_decode_step": d.multiplier,
        "modelled_prefill_step": prefill_step if prefill_step is not None else "n/a",
        "never_compute_bound_context": ceiling if ceiling is not None else "none",
        "batch_short": d.short_batch,
        "batch_long": d.long_batch,
    }
    return r.make(name, gap, "x", text, more, label)
