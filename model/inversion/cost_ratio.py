"""Decode-versus-prefill cost per token on a deployment, and solving it for batch or context.

Prices say how much dearer an output token is than an input token. On a given deployment
the same ratio of costs (chip-seconds per token) falls with batch (weight reads amortise)
and rises with context (more KV to read), so each price ratio picks out a batch at a
given context, or a context at a given batch.

"Solved" is relative: a price ratio within SOLVE_TOLERANCE (2%) of what the deployment
reaches at an end of its range is solved at that end; prices are quoted to a cent and
the model is an estimate, so a 4.01x vs 4.00x miss is agreement, not "out of range".
A price that needs a larger batch than HBM holds is "hbm-capped": the HBM-full batch is a
capacity limit, never a batch the prices imply.

The solvers are memoised: the daily run inverts thousands of models, most of which share
a stand-in deployment and one of a few hundred price ratios.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from model.inversion.search import first_crossing
from model.roofline.capacity import max_batch
from model.roofline.decode import decode_seconds
from model.roofline.deployment import Deployment
from model.roofline.prefill import prefill

SOLVE_TOLERANCE = 0.02
# Where the ratio is flat (every operation at its compute or KV limit) rounding noise
# would make bisection wander; this slack sends it to the smallest batch (shortest context).
FLAT = 1e-9

Status = Literal["solved", "above-range", "below-range", "hbm-capped", "no-capacity"]


@dataclass(frozen=True)
class RatioSolution:
    value: float | None  # the batch (sequences) or context (tokens) that gives the ratio
    status: Status
    ratio_at_low_end: float  # the cost ratio at the low end of the searched range
    ratio_at_high_end: float  # ... and at the high end
    range_high: float  # largest batch or context searched


@lru_cache(maxsize=4096)
def prefill_cost(dep: Deployment, prompt_tokens: float) -> float:
    """Chip-seconds per prompt token for one prompt of this length."""
    return prefill(dep, prompt_tokens).chip_seconds_per_token


def decode_cost(dep: Deployment, batch: float, context: float) -> float:
    """Chip-seconds per generated token at this batch and context."""
    return dep.chips * decode_seconds(dep, batch, context) / batch


def decode_prefill_ratio(
    dep: Deployment, batch: float, context: float, prompt_tokens: float
) -> float:
    return decode_cost(dep, batch, context) / prefill_cost(dep, prompt_tokens)


def within(target: float, reached: float) -> bool:
    return abs(target / reached - 1.0) <= SOLVE_TOLERANCE


@lru_cache(maxsize=8192)
def batch_for_ratio(
    dep: Deployment, target: float, context: float, prompt_tokens: float
) -> RatioSolution:
    """Smallest batch (up to what HBM holds at this context) whose cost ratio <= target."""
    most = float(max_batch(dep, context).sequences)
    if most < 1:
        return RatioSolution(None, "no-capacity", float("nan"), float("nan"), most)
    low = decode_prefill_ratio(dep, 1, context, prompt_tokens)
    high = decode_prefill_ratio(dep, most, context, prompt_tokens)
    if target > low and not within(target, low):
        return RatioSolution(None, "above-range", low, high, most)
    if target < high and not within(target, high):
        return RatioSolution(None, "hbm-capped", low, high, most)
    found = first_crossing(
        lambda b: decode_prefill_ratio(dep, b, context, prompt_tokens) <= target * (1 + FLAT),
        1.0,
        most,
    )
    return RatioSolution(found if found is not None else most, "solved", low, high, most)


def hbm_full_batch(dep: Deployment, context: float) -> float:
    """Sequences of this context that fill the HBM left beside the weights (continuous)."""
    return (dep.hbm_usable_bytes - dep.weight_bytes_total) / dep.kv.sequence_bytes(context)


@lru_cache(maxsize=8192)
def context_for_ratio(
    dep: Deployment, target: float, prompt_tokens: float, longest: float
) -> RatioSolution:
    """Context at which a deployment batching as many sequences as HBM holds shows `target`.

    Filling HBM is the cheapest way to decode at a given context, and that cheapest cost
    rises with context (fewer sequences share each weight read, each reads more KV), so
    the price ratio marks the longest context the price still pays for.
    """
    if hbm_full_batch(dep, 1.0) < 1.0:
        return RatioSolution(None, "no-capacity", float("nan"), float("nan"), 0.0)
    fits = first_crossing(lambda s: hbm_full_batch(dep, s) < 1.0, 1.0, longest)
    high_end = longest if fits is None else fits

    def ratio(context: float) -> float:
        batch = max(1.0, hbm_full_batch(dep, context))
        return decode_prefill_ratio(dep, batch, context, prompt_tokens)

    low, high = ratio(1.0), ratio(high_end)
    if target < low and not within(target, low):
        return RatioSolution(None, "below-range", low, high, high_end)
    if target > high and not within(target, high):
        return RatioSolution(None, "above-range", low, high, high_end)
    found = first_crossing(lambda s: ratio(s) >= target * (1 - FLAT), 1.0, high_end)
    return RatioSolution(found if found is not None else high_end, "solved", low, high, high_end)
