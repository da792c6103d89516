"""Run the roofline backwards: what one model's prices imply on a reference deployment.

Every inference states its assumptions. The central one is that the operator's margin
is the same on input and output tokens, so the price ratio is a cost ratio; real prices
also carry latency premiums and strategy, so these are estimates, not measurements.
"""

from __future__ import annotations

from model.catalog.load import Catalog
from model.inversion.cache import cache_inferences
from model.inversion.context import long_context_inferences
from model.inversion.cost_ratio import (
    RatioSolution,
    batch_for_ratio,
    context_for_ratio,
    hbm_full_batch,
)
from model.inversion.inference import Assumptions, Inference
from model.inversion.prices import ModelPrices
from model.inversion.references import Reference, deployment_for
from model.inversion.textfmt import money, num
from model.roofline.decode import decode_step
from model.roofline.deployment import Deployment
from model.roofline.overtraining import overtraining

MEMORY_BOUND_RATIO = 1.5  # "well above 1": decode clearly dearer than prefill


def invert(prices: ModelPrices, ref: Reference, catalog: Catalog) -> list[Inference]:
    """All inferences for one model's prices against one reference deployment."""
    dep = deployment_for(ref, catalog)
    base: Assumptions = {
        **dep.assumptions(),
        "reference_basis": ref.basis,
        "decode_context_tokens": ref.context_tokens,
        "prefill_prompt_tokens": ref.prompt_tokens,
        "margin": "same on input and output",
    }
    found = [
        *ratio_inferences(prices, dep, ref, base),
        *long_context_inferences(prices, dep, ref, base),
        *cache_inferences(prices, dep, ref, base, catalog.memory_tiers),
        *overtraining_inferences(prices, dep, ref, base),
    ]
    return found


def _make(
    prices: ModelPrices,
    name: str,
    value: float | None,
    unit: str,
    text: str,
    assumptions: Assumptions,
    label: str = "",
) -> Inference:
    return Inference(prices.provider, prices.model, name, value, unit, text, assumptions, label)


def ratio_inferences(
    prices: ModelPrices, dep: Deployment, ref: Reference, base: Assumptions
) -> list[Inference]:
    ratio = float(prices.output_usd_per_mtok / prices.input_usd_per_mtok)
    where = (
        f"{dep.chips}x {dep.hardware.id} serving {dep.model.id} ({dep.weights} weights, "
        f"{dep.kv_dtype} KV)"
    )
    out = [
        _make(
            prices,
            "output_input_price_ratio",
            ratio,
            "x",
            f"Output costs {num(ratio)}x input ({money(prices.output_usd_per_mtok)} vs "
            f"{money(prices.input_usd_per_mtok)} USD/Mtok). With equal margins, generating a token "
            f"costs {num(ratio)}x processing a prompt token.",
            base,
            "memory-bound decode" if ratio > MEMORY_BOUND_RATIO else "near compute parity",
        )
    ]
    batch = batch_for_ratio(dep, ratio, ref.context_tokens, ref.prompt_tokens)
    out.append(_batch_inference(prices, dep, ref, base, ratio, batch, where))
    out.append(_bound_inference(prices, dep, ref, base, ratio, batch))
    longest = float(prices.context_limit_tokens or dep.model.context_tokens)
    context = context_for_ratio(dep, ratio, ref.prompt_tokens, longest)
    out.append(_context_inference(prices, dep, base, ratio, context, where))
    return out


def _batch_inference(
    prices: ModelPrices,
    dep: Deployment,
    ref: Reference,
    base: Assumptions,
    ratio: float,
    sol: RatioSolution,
    where: str,
) -> Inference:
    context = ref.context_tokens
    if sol.value is not None:
        text = (
            f"On {where} at {context}-token context, decode costs {num(ratio)}x prefill "
            f"of {ref.prompt_tokens}-token prompts at a batch of {num(sol.value)} "
            f"sequences (HBM holds up to {num(sol.range_high)})."
        )
    elif sol.status == "above-range":
        text = (
            f"Even at batch 1 on {where}, decode costs only {num(sol.ratio_at_low_end)}x "
            f"prefill at {context}-token context: the {num(ratio)}x price ratio is "
            "above any batch's cost ratio (a latency premium or margin on output)."
        )
    elif sol.status == "below-range":
        text = (
            f"Filling HBM ({num(sol.range_high)} sequences) on {where} still leaves decode "
            f"at {num(sol.ratio_at_high_end)}x prefill at {context}-token context: the "
            f"{num(ratio)}x price ratio is below what this deployment can reach "
            "(shorter real contexts, a leaner KV cache, or margin taken on input)."
        )
    else:
        text = f"The weights alone fill the HBM of {where}: no batch fits."
    return _make(
        prices,
        "effective_decode_batch",
        sol.value,
        "sequences",
        text,
        {**base, "context_tokens": context},
        sol.status,
    )


def _bound_inference(
    prices: ModelPrices,
    dep: Deployment,
    ref: Reference,
    base: Assumptions,
    ratio: float,
    sol: RatioSolution,
) -> Inference:
    """Memory/compute time ratio of a decode step at the effective batch."""
    batch = (
        sol.value
        if sol.value is not None
        else (1.0 if sol.status == "above-range" else max(sol.range_high, 1.0))
    )
    step = decode_step(dep, batch, ref.context_tokens)
    balance = step.memory_time_s / step.compute_time_s
    text = (
        f"At batch {num(batch)} and {ref.context_tokens}-token context a decode step reads "
        f"memory for {num(step.memory_time_s * 1e3)} ms and computes for "
        f"{num(step.compute_time_s * 1e3)} ms: decode is {step.bound}-bound. "
        f"A {num(ratio)}x output/input ratio "
        + (
            "says the operator prices decode as bandwidth-limited."
            if ratio > MEMORY_BOUND_RATIO
            else "is close to compute parity."
        )
    )
    return _make(
        prices,
        "decode_memory_compute_time_ratio",
        balance,
        "x",
        text,
        {**base, "batch": batch, "context_tokens": ref.context_tokens},
        f"{step.bound}-bound",
    )


def _context_inference(
    prices: ModelPrices,
    dep: Deployment,
    base: Assumptions,
    ratio: float,
    sol: RatioSolution,
    where: str,
) -> Inference:
    if sol.value is not None:
        text = (
            f"Batching as many sequences as HBM holds on {where}, decode costs "
            f"{num(ratio)}x prefill at {num(sol.value)} tokens of context "
            f"({num(hbm_full_batch(dep, sol.value))} sequences); past that context the "
            "price no longer covers decode at this ratio."
        )
    elif sol.status == "above-range":
        text = (
            f"Even at {num(sol.range_high)} tokens of context a full {where} decodes at "
            f"only {num(sol.ratio_at_high_end)}x prefill cost, below the {num(ratio)}x "
            "price ratio."
        )
    elif sol.status == "below-range":
        text = (
            f"With HBM full, decode on {where} costs {num(sol.ratio_at_low_end)}x prefill "
            f"even at the shortest context, above the {num(ratio)}x price ratio."
        )
    else:
        text = f"The weights alone fill the HBM of {where}."
    return _make(
        prices,
        "effective_decode_context",
        sol.value,
        "tokens",
        text,
        {**base, "batch": "as many as HBM holds"},
        sol.status,
    )


def overtraining_inferences(
    prices: ModelPrices, dep: Deployment, ref: Reference, base: Assumptions
) -> list[Inference]:
    result = overtraining(dep.model.active_params, ref.traffic_tokens_per_s, ref.lifetime_days)
    assumptions: Assumptions = {
        **base,
        "traffic_tokens_per_s": ref.traffic_tokens_per_s,
        "lifetime_days": ref.lifetime_days,
        "active_params": dep.model.active_params,
    }
    text = (
        f"If serving {num(ref.traffic_tokens_per_s)} tokens/s for {num(ref.lifetime_days)} "
        f"days ({num(result.inference_tokens)} tokens) costs as much compute as "
        f"pre-training, a {num(dep.model.active_params)}-active-parameter model should be "
        f"pre-trained on {num(result.pretraining_tokens)} tokens: "
        f"{num(result.tokens_per_parameter)} per parameter, "
        f"{num(result.factor_vs_chinchilla)}x Chinchilla's 20. Traffic and lifetime are "
        "assumptions, not data."
    )
    return [
        _make(
            prices,
            "overtraining_tokens_per_parameter",
            result.tokens_per_parameter,
            "tokens/parameter",
            text,
            assumptions,
        ),
        _make(
            prices,
            "overtraining_factor_vs_chinchilla",
            result.factor_vs_chinchilla,
            "x",
            text,
            assumptions,
        ),
    ]
