"""The one explicit list of trigger kinds. Names are what a theses file's `kind` takes.

A new kind is a class in alerts/triggers/ (see alerts.triggers.base) added here; the
theses validator, docs/triggers.md and `thesis alerts theses` follow from it.
"""

from __future__ import annotations

from alerts.triggers.base import Trigger
from alerts.triggers.context import ContextStepUp, LongContextTier
from alerts.triggers.margin import ImpliedMargin
from alerts.triggers.market import Fundamentals, RefreshCadence
from alerts.triggers.price import (
    CachePricing,
    PriceChange,
    SpreadChange,
    StepChange,
    Threshold,
)
from alerts.triggers.speed import SpeedBeyondRoofline, SpeedPerDollar
from alerts.triggers.watched import (
    AggregateDisclosure,
    ExpertLayout,
    PipelinedDecode,
    ScaleUpDomainSize,
)

KINDS: dict[str, type[Trigger]] = {
    k.kind: k
    for k in (
        # Per model of a price source.
        Threshold,
        StepChange,
        SpreadChange,
        LongContextTier,
        CachePricing,
        PriceChange,
        # Over all models of a price source.
        ContextStepUp,
        RefreshCadence,
        # Company figures.
        Fundamentals,
        # The roofline inversion's stored bands.
        ImpliedMargin,
        # Watched models (configs, hosts) and the catalog's domains and disclosures.
        SpeedPerDollar,
        SpeedBeyondRoofline,
        ExpertLayout,
        ScaleUpDomainSize,
        AggregateDisclosure,
        PipelinedDecode,
    )
}
