"""The implied-margin trigger kind: a model's serving-margin band leaving its band.

Input per model: the band of implied serving margins (1 − rental / revenue per
chip-hour, across the stand-in architectures) on each day the inversion stored one. The
first day's band is the reference; a band lying wholly outside it, by more than the
tolerance, on `confirm_days` stored days running fires once and becomes the reference.
Stand-ins that disagree widen the band, so only a move every stand-in agrees on fires.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from alerts.records import Alert
from alerts.triggers.base import OnMargins, models_param, providers_param, watches
from alerts.triggers.inputs import MarginBand, MarginBands, ModelRef
from alerts.triggers.params import param

MARGIN = "of revenue"  # reads "88% to 95% → 54% to 79% of revenue"


def band_text(band: MarginBand) -> str:
    _, low, high = band
    return f"{low * 100:.0f}% to {high * 100:.0f}%"


@dataclass(frozen=True, kw_only=True)
class ImpliedMargin(OnMargins):
    kind = "implied_margin"
    label = "implied margin"
    explained_by = ("serving_margin", "implied_revenue_usd_per_chip_hour")
    summary = "a model's implied serving-margin band leaving its band"
    doc = """The roofline inversion stores, per model and day, the band of serving margins
its prices imply: output price times the tokens a chip decodes per hour at the
price-implied batch (calibrated efficiency), against the chip's rental price, across the
stand-in architectures (`implied_margin_daily`, docs/roofline.md). The first stored day's
band is the reference. A band lying wholly below it (its high under the reference's low)
or wholly above it, by more than `tolerance`, on `confirm_days` stored days running fires
once, on the last of them, and becomes the new reference. Stand-ins that disagree widen
the band, so only a move every stand-in agrees on fires."""
    example = """\
[[trigger]]
id = "implied-margin-leaves-band"
kind = "implied_margin"
thesis = "batching-economics"
severity = "warning"
description = "A model's implied serving margin leaves its band (price cuts outran batching)."
[trigger.params]
tolerance = 0.05
confirm_days = 2
providers = ["openai", "anthropic", "google", "xai"]
"""

    tolerance: Decimal = param(
        Decimal("0.05"),
        help="how far outside the reference band a band must lie (0.05: 5 points of revenue)",
        unit="share of revenue",
    )
    confirm_days: int = param(
        2, help="stored days running the band must stay outside before it fires", unit="days"
    )
    providers: tuple[str, ...] = providers_param()
    models: tuple[str, ...] = models_param()

    def on_margins(self, bands: MarginBands) -> list[Alert]:
        alerts: list[Alert] = []
        for ref, days in sorted(bands.models.items(), key=lambda item: item[0].name):
            if watches(ref, self.providers, self.models):
                alerts += self.evaluate(ref, days)
        return alerts

    def evaluate(self, ref: ModelRef, days: Sequence[MarginBand]) -> list[Alert]:
        """Every departure from the reference band over one model's stored days."""
        alerts = []
        reference: MarginBand | None = None
        run: list[MarginBand] = []  # consecutive days outside, on one side
        for band in sorted(days):
            if reference is None:
                reference = band
                continue
            side = self.side(reference, band)
            if side is None or (run and self.side(reference, run[-1]) != side):
                run = []
            if side is None:
                continue
            run.append(band)
            if len(run) >= max(self.confirm_days, 1):
                subject = f"{ref.name} implied serving margin {side} its band"
                old, new = band_text(reference), band_text(band)
                alerts.append(self.alert(ref, subject, old, new, MARGIN, band[0]))
                reference, run = band, []
        return alerts

    def side(self, reference: MarginBand, band: MarginBand) -> str | None:
        """'fell below' or 'rose above' when `band` lies wholly outside `reference`."""
        _, low, high = reference
        _, new_low, new_high = band
        if new_high < low - self.tolerance:
            return "fell below"
        if new_low > high + self.tolerance:
            return "rose above"
        return None
