"""Long-context price tiers against the reference deployment's KV and attention figures."""

from __future__ import annotations

from decimal import Decimal

from model.inversion.cost_ratio import batch_for_ratio, hbm_full_batch, prefill_cost
from model.inversion.inference import Assumptions, Inference
from model.inversion.prices import LongContextTier, ModelPrices
from model.inversion.references import Reference
from model.inversion.textfmt import num
from model.roofline.decode import decode_step
from model.roofline.deployment import Deployment
from model.roofline.prefill import prefill


def long_context_inferences(
    prices: ModelPrices, dep: Deployment, ref: Reference, base: Assumptions
) -> list[Inference]:
    out: list[Inference] = []
    for tier in prices.long_context_tiers:
        assumptions: Assumptions = {**base, "threshold_tokens": tier.threshold_tokens}
        out.extend(_price_shares(prices, tier, assumptions))
        out.append(_prefill_multiplier(prices, dep, ref, tier, assumptions))
        out.extend(_decode_figures(prices, dep, ref, tier, assumptions))
    return out


def _share(multiplier: Decimal) -> float:
    return float(1 - 1 / multiplier)


def _price_shares(
    prices: ModelPrices, tier: LongContextTier, assumptions: Assumptions
) -> list[Inference]:
    out = []
    for kind, multiplier in (("input", tier.input_multiplier), ("output", tier.output_multiplier)):
        if multiplier is None or multiplier <= 0:
            continue
        share = _share(multiplier)
        text = (
            f"Above {tier.threshold_tokens} prompt tokens {kind} costs {num(float(multiplier))}x "
            f"the base price: the operator attributes {num(100 * share)}% of a long-context "
            f"{kind} token's price to the extra context."
        )
        out.append(
            Inference(
                prices.provider,
                prices.model,
                f"long_context_{kind}_cost_share_above_{tier.threshold_tokens}",
                share,
                "fraction",
                text,
                assumptions,
            )
        )
    return out


def _prefill_multiplier(
    prices: ModelPrices,
    dep: Deployment,
    ref: Reference,
    tier: LongContextTier,
    assumptions: Assumptions,
) -> Inference:
    long = prefill(dep, tier.threshold_tokens)
    multiplier = long.chip_seconds_per_token / prefill_cost(dep, ref.prompt_tokens)
    attention_share = long.attention_flops / (long.attention_flops + long.matmul_flops)
    text = (
        f"On the reference, prefill at {tier.threshold_tokens} tokens costs "
        f"{num(multiplier)}x per token what it does at {ref.prompt_tokens}; causal "
        f"attention is {num(100 * attention_share)}% of its FLOPs there."
    )
    return Inference(
        prices.provider,
        prices.model,
        f"model_prefill_cost_multiplier_at_{tier.threshold_tokens}",
        multiplier,
        "x",
        text,
        {**assumptions, "prompt_tokens": ref.prompt_tokens},
    )


def _decode_figures(
    prices: ModelPrices,
    dep: Deployment,
    ref: Reference,
    tier: LongContextTier,
    assumptions: Assumptions,
) -> list[Inference]:
    """Decode at the threshold with the batch the base ratio implies (capped by HBM)."""
    ratio = float(prices.output_usd_per_mtok / prices.input_usd_per_mtok)
    solved = batch_for_ratio(dep, ratio, ref.context_tokens, ref.prompt_tokens).value
    short_batch = solved or max(1.0, min(ref.batch, hbm_full_batch(dep, ref.context_tokens)))
    threshold = tier.threshold_tokens
    room = hbm_full_batch(dep, threshold)
    names = (
        f"model_decode_cost_multiplier_at_{threshold}",
        f"model_kv_share_of_decode_memory_at_{threshold}",
    )
    if room < 1:
        text = (
            f"One {threshold}-token sequence does not fit beside the weights in "
            f"{dep.chips}x {dep.hardware.id} HBM."
        )
        return [
            Inference(prices.provider, prices.model, n, None, u, text, assumptions, "does-not-fit")
            for n, u in zip(names, ("x", "fraction"), strict=True)
        ]
    long_batch = min(short_batch, room)
    short = decode_step(dep, short_batch, ref.context_tokens)
    long = decode_step(dep, long_batch, threshold)
    multiplier = long.chip_seconds_per_token / short.chip_seconds_per_token
    kv_share = long.kv_bytes / (long.kv_bytes + long.weight_bytes)
    facts: Assumptions = {**assumptions, "batch_short": short_batch, "batch_long": long_batch}
    text = (
        f"Decode at {threshold} tokens of context (batch {num(long_batch)}, HBM allows "
        f"{num(room)}) costs {num(multiplier)}x per token what it does at "
        f"{ref.context_tokens} (batch {num(short_batch)}); KV is {num(100 * kv_share)}% "
        "of the bytes each step reads."
    )
    return [
        Inference(prices.provider, prices.model, names[0], multiplier, "x", text, facts),
        Inference(prices.provider, prices.model, names[1], kv_share, "fraction", text, facts),
    ]
