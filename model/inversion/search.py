"""Bisection helpers for the monotone functions the model inverts."""

from __future__ import annotations

from collections.abc import Callable

RELATIVE_TOLERANCE = 1e-7  # far finer than the 2% a price ratio is solved to


def first_crossing(predicate: Callable[[float], bool], low: float, high: float) -> float | None:
    """Smallest x in [low, high] where a monotone predicate turns true (None if never).

    Bisects in log space because the quantities span orders of magnitude.
    """
    if predicate(low):
        return low
    if not predicate(high):
        return None
    while high / low > 1 + RELATIVE_TOLERANCE:
        mid = (low * high) ** 0.5
        if predicate(mid):
            high = mid
        else:
            low = mid
    return high
