"""Which roofline term sets a step's time, overlapped or operation by operation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Bound = Literal["compute", "memory", "communication"]
Op = tuple[float, float]  # (compute seconds, memory seconds) of one operation


def slowest(compute_s: float, memory_s: float, communication_s: float) -> tuple[float, Bound]:
    """The step time (max of the three lower bounds) and the term that set it.

    Ties go to compute, then memory: a step exactly at the balance point is called
    compute-bound, matching "at or above the critical batch".
    """
    terms: list[tuple[float, Bound]] = [
        (compute_s, "compute"),
        (memory_s, "memory"),
        (communication_s, "communication"),
    ]
    time = max(t for t, _ in terms)
    return time, next(name for t, name in terms if t == time)


@dataclass(frozen=True)
class StepBound:
    overlapped_s: float  # max(Σ compute, Σ memory, network)
    per_op_s: float  # Σ max(compute, memory) over operations, + network
    overlapped_bound: Bound
    per_op_bound: Bound  # the resource that the largest share of per-op time waits on


def step_seconds(ops: Sequence[Op], network_s: float, overlap: str) -> float:
    """The time `step_bound` would choose, without classifying it (the solvers' fast path)."""
    if overlap == "overlapped":
        return max(sum(c for c, _ in ops), sum(m for _, m in ops), network_s)
    return sum(c if c >= m else m for c, m in ops) + network_s


def step_bound(ops: Sequence[Op], network_s: float) -> StepBound:
    compute = sum(c for c, _ in ops)
    memory = sum(m for _, m in ops)
    overlapped, overlapped_bound = slowest(compute, memory, network_s)
    on_compute = sum(c for c, m in ops if c >= m)
    on_memory = sum(m for c, m in ops if m > c)
    _, per_op_bound = slowest(on_compute, on_memory, network_s)
    return StepBound(overlapped, on_compute + on_memory + network_s, overlapped_bound, per_op_bound)


def chosen(bounds: StepBound, overlap: str) -> tuple[float, Bound]:
    """The bound a deployment's overlap setting asks for ("per-op" or "overlapped")."""
    if overlap == "overlapped":
        return bounds.overlapped_s, bounds.overlapped_bound
    return bounds.per_op_s, bounds.per_op_bound
