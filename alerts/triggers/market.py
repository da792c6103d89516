"""Refresh cadence and fundamentals trigger kinds.

refresh_cadence: a provider's flagship releases (model id, first-seen date); fires when
the gap to a new flagship is shorter than the trailing mean gap by change_fraction.
fundamentals: `price_move` (a ticker moving change_fraction since the last alerted level)
and `memory_margin_vs_capex` (a memory maker's gross margin falling by change_fraction
quarter on quarter while hyperscaler capex is still growing). Reported figures need no
snapshot confirmation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fnmatch import fnmatchcase
from itertools import pairwise

from alerts.records import Alert
from alerts.triggers.base import (
    FRACTION,
    OnFundamentals,
    OnSource,
    providers_param,
    relative_move,
)
from alerts.triggers.inputs import FundamentalsData, ModelRef, Series, SourceView
from alerts.triggers.params import param
from alerts.triggers.state import ConditionState

DAYS = "days"
TRAILING_GAPS = 4  # the mean is over at most this many earlier gaps
MIN_GAPS = 2  # earlier gaps needed before a mean means anything
FUNDAMENTAL_METRICS = ("memory_margin_vs_capex", "price_move")
# Quarterly figures against quarterly growth, annual against annual: never mixed.
PERIODS = ("quarterly", "annual")


@dataclass(frozen=True, kw_only=True)
class RefreshCadence(OnSource):
    kind = "refresh_cadence"
    label = "refresh cadence"
    explained_by = ("overtraining_factor_vs_chinchilla",)
    summary = "the gap between a provider's flagship releases shortening"
    doc = """A provider's flagship releases are the first-seen dates (after the first
snapshot, and still listed on the next one) of its models matching `flagship_models`;
several ids first seen on one day are one release. It fires on a release whose gap to
the previous one is shorter than the mean of up to four earlier gaps by more than
`change_fraction` (it needs two earlier gaps)."""
    example = """\
[[trigger]]
id = "flagship-refresh-cadence"
kind = "refresh_cadence"
thesis = "over-training"
severity = "info"
description = "The gap between flagship releases shortens by more than 25%."
[trigger.params]
flagship_models = ["gpt-5*", "claude-opus-*", "gemini-*-pro*"]
change_fraction = 0.25
providers = ["openai", "anthropic", "google"]
"""

    flagship_models: tuple[str, ...] = param(help="model-id glob patterns of flagship models")
    change_fraction: Decimal = param(
        Decimal("0.25"), help="shortening of the release gap vs its trailing mean", unit=FRACTION
    )
    providers: tuple[str, ...] = providers_param()

    def on_source(self, source: SourceView, state: ConditionState) -> list[Alert]:
        alerts: list[Alert] = []
        for provider, releases in sorted(source.releases.items()):
            alerts += self.evaluate(provider, releases)
        return alerts

    def evaluate(self, provider: str, releases: Sequence[tuple[str, date]]) -> list[Alert]:
        if self.providers and provider not in self.providers:
            return []
        # Several keys of one release (aliases, dated ids) on the same day count once.
        firsts: dict[date, str] = {}
        for model, seen in sorted(releases, key=lambda r: (r[1], r[0])):
            if any(fnmatchcase(model, g) for g in self.flagship_models):
                firsts.setdefault(seen, model)
        days = sorted(firsts)
        gaps = [(days[i] - days[i - 1]).days for i in range(1, len(days))]
        alerts = []
        for i, gap in enumerate(gaps):
            earlier = gaps[max(0, i - TRAILING_GAPS) : i]
            if len(earlier) < MIN_GAPS:
                continue
            mean = (Decimal(sum(earlier)) / len(earlier)).quantize(Decimal("0.1"))
            if gap < mean * (1 - self.change_fraction):
                model = firsts[days[i + 1]]
                ref = ModelRef(provider, model, model)
                subject = f"{provider} flagship release gap shortened ({model})"
                alerts.append(self.alert(ref, subject, mean, gap, DAYS, days[i + 1]))
        return alerts


@dataclass(frozen=True, kw_only=True)
class Fundamentals(OnFundamentals):
    kind = "fundamentals"
    label = "fundamentals"
    summary = "a ticker moving, or memory margins falling while hyperscaler capex grows"
    doc = """With `metric = "price_move"`: a ticker's close moving by `change_fraction` or
more from the last level that fired (at first, its first close), one series per
currency. With `metric = "memory_margin_vs_capex"`: a memory maker's gross margin falling
by `change_fraction` or more from one period to the next (quarterly or annual, never
mixed) while hyperscaler capex growth year on year, as of that period, is positive.
Reported figures need no snapshot confirmation."""
    example = """\
[[trigger]]
id = "memory-ticker-moves"
kind = "fundamentals"
thesis = "memory-bound-decode"
severity = "info"
description = "A memory maker (Micron, SK Hynix, Samsung) moves more than 10%."
[trigger.params]
metric = "price_move"
tickers = ["MU", "000660.KS", "005930.KS"]
change_fraction = 0.10
"""

    metric: str = param(help="what is watched", choices=FUNDAMENTAL_METRICS)
    tickers: tuple[str, ...] = param(
        (),
        help="tickers watched (empty: the thesis's tickers for price_move, every memory"
        " maker for memory_margin_vs_capex)",
    )
    change_fraction: Decimal = param(Decimal("0.10"), help="move that fires", unit=FRACTION)

    def on_fundamentals(self, data: FundamentalsData, tickers: Sequence[str]) -> list[Alert]:
        if self.metric == "memory_margin_vs_capex":
            alerts: list[Alert] = []
            for period in PERIODS:
                margins, growth = data.margins.get(period, {}), data.capex_growth.get(period, [])
                alerts += self.memory_margin_vs_capex(margins, growth)
            return alerts
        alerts = []
        for ticker in self.tickers or tickers:
            # Never compare across currencies: one series per currency.
            for currency, quotes in sorted(data.quotes.get(ticker, {}).items()):
                alerts += self.price_move(ticker, quotes, currency)
        return alerts

    def price_move(self, ticker: str, quotes: Series, currency: str) -> list[Alert]:
        """A move of change_fraction or more from the last alerted level (or the first quote)."""
        if self.metric != "price_move" or (self.tickers and ticker not in self.tickers):
            return []
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
            if move is not None and abs(move) >= self.change_fraction:
                word = "up" if move > 0 else "down"
                subject = f"{ticker} {word} {abs(move) * 100:.0f}%"
                alerts.append(self.alert(ref, subject, level, price, currency, day))
                level = price
        return alerts

    def memory_margin_vs_capex(
        self, margins: Mapping[str, Series], capex_growth: Series
    ) -> list[Alert]:
        """Memory gross margin (percent) falling q/q while hyperscaler capex growth (y/y,
        as of that quarter) is positive: the memory makers are not capturing the capex."""
        if self.metric != "memory_margin_vs_capex":
            return []
        growth = sorted((d, g) for d, g in capex_growth if g is not None)
        alerts = []
        for ticker in self.tickers or sorted(margins):
            points = sorted((d, m) for d, m in margins.get(ticker, []) if m is not None)
            for (_, before), (day, after) in pairwise(points):
                move = relative_move(before, after)
                known = [g for d, g in growth if d <= day]
                if move is None or move > -self.change_fraction or not known or known[-1] <= 0:
                    continue
                ref = ModelRef("", ticker, ticker)
                subject = f"{ticker} gross margin falls while hyperscaler capex grows {known[-1]}%"
                alerts.append(self.alert(ref, subject, before, after, "% gross margin", day))
        return alerts
