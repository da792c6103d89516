"""Refresh cadence and fundamentals triggers over plain inputs.

refresh_cadence: a provider's flagship releases (model id, first-seen date); fires when
the gap to a new flagship is shorter than the trailing mean gap by change_fraction.
fundamentals: `price_move` (a ticker moving change_fraction since the last alerted level)
and `memory_margin_vs_capex` (a memory maker's gross margin falling by change_fraction
quarter on quarter while hyperscaler capex is still growing). Reported figures need no
snapshot confirmation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from fnmatch import fnmatchcase
from itertools import pairwise
from typing import cast

from alerts.records import Alert
from alerts.theses.load import Trigger
from alerts.triggers.price import ModelRef, Series, make_alert, param, relative_move

DAYS = "days"
TRAILING_GAPS = 4  # the mean is over at most this many earlier gaps
MIN_GAPS = 2  # earlier gaps needed before a mean means anything


def refresh_cadence(
    trigger: Trigger, provider: str, releases: Sequence[tuple[str, date]]
) -> list[Alert]:
    providers = cast(list[str], param(trigger, "providers"))
    if providers and provider not in providers:
        return []
    globs = cast(list[str], param(trigger, "flagship_models"))
    fraction = cast(Decimal, param(trigger, "change_fraction"))
    # Several keys of one release (aliases, dated ids) on the same day count once.
    firsts: dict[date, str] = {}
    for model, seen in sorted(releases, key=lambda r: (r[1], r[0])):
        if any(fnmatchcase(model, g) for g in globs):
            firsts.setdefault(seen, model)
    days = sorted(firsts)
    gaps = [(days[i] - days[i - 1]).days for i in range(1, len(days))]
    alerts = []
    for i, gap in enumerate(gaps):
        earlier = gaps[max(0, i - TRAILING_GAPS) : i]
        if len(earlier) < MIN_GAPS:
            continue
        mean = (Decimal(sum(earlier)) / len(earlier)).quantize(Decimal("0.1"))
        if gap < mean * (1 - fraction):
            model = firsts[days[i + 1]]
            ref = ModelRef(provider, model, model)
            subject = f"{provider} flagship release gap shortened ({model})"
            alerts.append(make_alert(trigger, ref, subject, mean, gap, DAYS, days[i + 1]))
    return alerts


def _tickers(trigger: Trigger) -> list[str]:
    return cast(list[str], param(trigger, "tickers"))


def price_move(trigger: Trigger, ticker: str, quotes: Series, currency: str) -> list[Alert]:
    """A move of change_fraction or more from the last alerted level (or the first quote)."""
    if param(trigger, "metric") != "price_move" or (
        _tickers(trigger) and ticker not in _tickers(trigger)
    ):
        return []
    fraction = cast(Decimal, param(trigger, "change_fraction"))
    ref = ModelRef("", ticker, ticker)
    alerts = []
    level: Decimal | None = None
    for day, price in sorted(quotes, key=lambda q: q[0]):
        if price is None:
            continue
        if level is None:
            level = price
            continue
        move = relative_move(level, price)
        if move is not None and abs(move) >= fraction:
            word = "up" if move > 0 else "down"
            subject = f"{ticker} {word} {abs(move) * 100:.0f}%"
            alerts.append(make_alert(trigger, ref, subject, level, price, currency, day))
            level = price
    return alerts


def memory_margin_vs_capex(
    trigger: Trigger, margins: Mapping[str, Series], capex_growth: Series
) -> list[Alert]:
    """Memory gross margin (percent) falling q/q while hyperscaler capex growth (y/y,
    as of that quarter) is positive: the memory makers are not capturing the capex."""
    if param(trigger, "metric") != "memory_margin_vs_capex":
        return []
    fraction = cast(Decimal, param(trigger, "change_fraction"))
    growth = sorted((d, g) for d, g in capex_growth if g is not None)
    alerts = []
    for ticker in _tickers(trigger) or sorted(margins):
        points = sorted((d, m) for d, m in margins.get(ticker, []) if m is not None)
        for (_, before), (day, after) in pairwise(points):
            move = relative_move(before, after)
            known = [g for d, g in growth if d <= day]
            if move is None or move > -fraction or not known or known[-1] <= 0:
                continue
            ref = ModelRef("", ticker, ticker)
            subject = f"{ticker} gross margin falls while hyperscaler capex grows {known[-1]}%"
            alerts.append(make_alert(trigger, ref, subject, before, after, "% gross margin", day))
    return alerts
