"""Pieces the official-page parsers share beyond text: tab labels and row building."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.rows import Component, PriceRow, ServiceTier

TAB_TIERS: dict[str, ServiceTier] = {
    "standard": "standard",
    "batch": "batch",
    "flex": "flex",
    "priority": "priority",
}
# Words a tab strip may carry besides the tab names (a "More" drop-down).
_TAB_WORD_RE = re.compile(r"standard|batch|flex|priority|more", re.IGNORECASE)


def tab_strip(text: str) -> list[ServiceTier] | None:
    """The tiers of a tab strip line ("Standard Batch Flex Priority More"), else None.

    A line naming a single tab is a tab *label*, not a strip: see `tab_label`.
    """
    # Tab links rendered without spaces between them read "StandardBatchFlexMore".
    words = _TAB_WORD_RE.findall(text)
    rest = _TAB_WORD_RE.sub("", text).replace("|", "").strip()
    tiers = [TAB_TIERS[w.lower()] for w in words if w.lower() in TAB_TIERS]
    return tiers if len(tiers) >= 2 and not rest else None


def tab_label(text: str) -> ServiceTier | None:
    """The tier a line names when the whole line is one tab name ("Batch")."""
    return TAB_TIERS.get(text.strip().lower())


@dataclass(frozen=True, slots=True)
class RowContext:
    """What every row of one model from one source shares."""

    source: str
    source_model_key: str
    provider: str
    model: str

    def price(
        self,
        component: Component,
        usd_per_mtok: Decimal,
        *,
        service_tier: ServiceTier = "standard",
        tier_min_prompt_tokens: int = 0,
        condition: str = "",
        effective_from: date | None = None,
        effective_to: date | None = None,
    ) -> PriceRow:
        return PriceRow(
            source=self.source,
            source_model_key=self.source_model_key,
            provider=self.provider,
            model=self.model,
            component=component,
            usd_per_mtok=usd_per_mtok,
            service_tier=service_tier,
            tier_min_prompt_tokens=tier_min_prompt_tokens,
            condition=condition,
            effective_from=effective_from,
            effective_to=effective_to,
        )
