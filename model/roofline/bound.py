"""Which roofline term sets a step's time."""

from __future__ import annotations

from typing import Literal

Bound = Literal["compute", "memory", "communication"]


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
