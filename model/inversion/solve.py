"""Run the roofline backwards: what one model's prices imply on one stand-in deployment.

Every inference states its assumptions. The central one is that the operator's margin
is the same on input and output tokens, so the price ratio is a cost ratio; real prices
also carry latency premiums and strategy, so these are estimates, not measurements.
`band.py` sets the stand-ins' answers side by side.
"""

from __future__ import annotations

from model.catalog.load import Catalog
from model.inversion.cache import cache_inferences
from model.inversion.context import long_context_inferences
from model.inversion.cost_ratio import RatioSolution, context_for_ratio, hbm_full_batch
from model.inversion.inference import Assumptions, Inference
from model.inversion.margin import margin_inferences
from model.inversion.prices import ModelPrices
from model.inversion.reading import Reading
from model.inversion.references import Reference, deployment_for
from model.inversion.textfmt import money, num
from model.roofline.decode import decode_step
from model.roofline.deployment import Deployment
from model.roofline.overtraining import overtraining

MEMORY_BOUND_RATIO = 1.5  # "well above 1": decode clearly dearer than prefill


def deployment_facts(dep: Deployment) -> Assumptions:
    """The deployment, compactly: every stored inference row carries these."""
    eff = dep.efficiency
    facts: Assumptions = {
        "model": dep.model.id,
        "hardware": dep.hardware.id,
        "chips": dep.chips,
        "weights": dep.weights,
        "compute": dep.compute,
        "kv_dtype": dep.kv_dtype,
        "overlap": dep.overlap,
        "efficiency": eff.name,
        "decode_fraction": round(eff.decode_fraction, 4),
        "prefill_fraction": round(eff.prefill_fraction, 4),
    }
    if dep.expert_weights:
        facts["expert_weights"] = dep.expert_weights
    if dep.hardware.preliminary:
        facts["hardware_preliminary"] = 1
    return facts


def stand_in_facts(dep: Deployment, context: int) -> Assumptions:
    """The stand-in's properties a band can name when its stand-ins disagree."""
    model = dep.model
    return {
        "kv_bytes_per_token": round(dep.kv.read_bytes(context) / context),
        "attention": model.attention,
        "sparse_attention": "yes" if model.sparse_attention else "no",
        "moe": "yes" if model.is_moe else "no",
        "active_params": model.active_params,
    }


def invert(
    prices: ModelPrices, ref: Reference, catalog: Catalog, dep: Deployment | None = None
) -> list[Inference]:
    """All inferences for one model's prices against one reference deployment.

    `dep` is `deployment_for(ref, catalog)`, passed in when the caller reuses it across
    models (the memoised solvers then find it at once).
    """
    dep = dep or deployment_for(ref, catalog)
    base: Assumptions = {
        **deployment_facts(dep),
        **stand_in_facts(dep, ref.context_tokens),
        "reference_basis": ref.basis,
        "decode_context_tokens": ref.context_tokens,
        "prefill_prompt_tokens": ref.prompt_tokens,
        "margin": "same on input and output",
    }
    reading = Reading(prices, dep, ref, base)
    return [
        *ratio_inferences(reading),
        *long_context_inferences(reading),
        *cache_inferences(reading, catalog.memory_tiers),
        *margin_inferences(reading),
        *overtraining_inferences(reading),
    ]


def ratio_inferences(r: Reading) -> list[Inference]:
    prices = r.prices
    out = [
        r.make(
            "output_input_price_ratio",
            r.ratio,
            "x",
            f"Output costs {num(r.ratio)}x input ({money(prices.output_usd_per_mtok)} vs "
            f"{money(prices.input_usd_per_mtok)} USD/Mtok). With equal margins, generating a "
            f"token costs {num(r.ratio)}x processing a prompt token.",
            label="memory-bound decode" if r.ratio > MEMORY_BOUND_RATIO else "near compute parity",
        ),
        _batch_inference(r),
        _bound_inference(r),
    ]
    longest = float(prices.context_limit_tokens or r.dep.model.context_tokens)
    context = context_for_ratio(r.dep, r.ratio, r.ref.prompt_tokens, longest)
    out.append(_context_inference(r, context))
    return out


def _batch_inference(r: Reading) -> Inference:
    sol, context, ratio = r.batch, r.ref.context_tokens, r.ratio
    if sol.value is not None:
        text = (
            f"On {r.where} at {context}-token context, decode costs {num(ratio)}x prefill "
            f"of {r.ref.prompt_tokens}-token prompts at a batch of {num(sol.value)} "
            f"sequences (HBM holds up to {num(sol.range_high)})."
        )
    elif sol.status == "above-range":
        text = (
            f"Even at batch 1 on {r.where}, decode costs only {num(sol.ratio_at_low_end)}x "
            f"prefill at {context}-token context: the {num(ratio)}x price ratio is "
            "above any batch's cost ratio (a latency premium or margin on output)."
        )
    elif sol.status == "hbm-capped":
        text = (
            f"HBM-capped: no batch that fits on {r.where} brings decode down to {num(ratio)}x "
            f"prefill at {context}-token context (with HBM full it still costs "
            f"{num(sol.ratio_at_high_end)}x), so the prices imply no batch here: shorter real "
            "contexts, a leaner KV cache, or margin taken on input."
        )
    else:
        text = f"The weights alone fill the HBM of {r.where}: no batch fits."
    return r.make(
        "effective_decode_batch",
        sol.value,
        "sequences",
        text,
        {"context_tokens": context},
        sol.status,
    )


def _bound_inference(r: Reading) -> Inference:
    """Memory/compute time ratio of a decode step at the effective batch."""
    sol, context = r.batch, r.ref.context_tokens
    step = decode_step(r.dep, r.operating_batch, context)
    balance = step.memory_time_s / step.compute_time_s
    if sol.status == "hbm-capped":
        where = (
            "HBM-capped (a capacity limit, not a batch the prices imply): even with HBM full, "
            f"at {context}-token context"
        )
    elif sol.status == "above-range":
        where = f"At batch 1 (the price ratio lies above every batch) and {context}-token context"
    else:
        where = f"At the implied batch and {context}-token context"
    text = (
        f"{where} a decode step reads memory for {num(step.memory_time_s * 1e3)} ms, computes "
        f"for {num(step.compute_time_s * 1e3)} ms and waits on the network for "
        f"{num(step.communication_time_s * 1e3)} ms: decode is {step.bound}-bound "
        f"({r.dep.overlap} bound). A {num(r.ratio)}x output/input ratio "
        + (
            "says the operator prices decode as bandwidth-limited."
            if r.ratio > MEMORY_BOUND_RATIO
            else "is close to compute parity."
        )
    )
    return r.make(
        "decode_memory_compute_time_ratio",
        balance,
        "x",
        text,
        {"batch_basis": sol.status, "context_tokens": context},
        f"{step.bound}-bound",
    )


def _context_inference(r: Reading, sol: RatioSolution) -> Inference:
    ratio, where = r.ratio, r.where
    if sol.value is not None:
        text = (
            f"Batching as many sequences as HBM holds on {where}, decode costs "
            f"{num(ratio)}x prefill at {num(sol.value)} tokens of context "
            f"({num(hbm_full_batch(r.dep, sol.value))} sequences); past that context the "
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
    return r.make(
        "effective_decode_context",
        sol.value,
        "tokens",
        text,
        {"batch": "as many as HBM holds"},
        sol.status,
    )


def overtraining_inferences(r: Reading) -> list[Inference]:
    ref, active = r.ref, r.dep.model.active_params
    result = overtraining(active, ref.traffic_tokens_per_s, ref.lifetime_days)
    assumptions: Assumptions = {
        "traffic_tokens_per_s": ref.traffic_tokens_per_s,
        "traffic_basis": ref.traffic_basis,
        "lifetime_days": ref.lifetime_days,
    }
    text = (
        f"If serving {num(ref.traffic_tokens_per_s)} tokens/s ({ref.traffic_basis}) "
        f"for {num(ref.lifetime_days)} "
        f"days ({num(result.inference_tokens)} tokens) costs as much compute as "
        f"pre-training, a {num(active)}-active-parameter model should be "
        f"pre-trained on {num(result.pretraining_tokens)} tokens: "
        f"{num(result.tokens_per_parameter)} per parameter, "
        f"{num(result.factor_vs_chinchilla)}x Chinchilla's 20. The lifetime is an "
        "assumption, and a lab's whole traffic stands in for one model's."
    )
    return [
        r.make(
            "overtraining_tokens_per_parameter",
            result.tokens_per_parameter,
            "tokens/parameter",
            text,
            assumptions,
        ),
        r.make(
            "overtraining_factor_vs_chinchilla",
            result.factor_vs_chinchilla,
            "x",
            text,
            assumptions,
        ),
    ]
