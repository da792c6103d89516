"""Number formats shared by the charts."""

from __future__ import annotations

from matplotlib.ticker import FuncFormatter


def tokens(value: float) -> str:
    """128000 -> 128k, 2097152 -> 2.097M."""
    if value >= 1e6:
        return f"{value / 1e6:.4g}M"
    return f"{value / 1e3:.4g}k" if value >= 1e3 else f"{value:g}"


TOKENS = FuncFormatter(lambda v, _pos: tokens(v))
USD = FuncFormatter(lambda v, _pos: f"${v:g}")
