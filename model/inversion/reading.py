"""One model's prices read against one stand-in deployment: what every inference shares."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from model.inversion.cost_ratio import RatioSolution, batch_for_ratio
from model.inversion.inference import Assumptions, Inference
from model.inversion.prices import ModelPrices
from model.inversion.references import Reference
from model.roofline.deployment import Deployment


@dataclass(frozen=True)
class Reading:
    prices: ModelPrices
    dep: Deployment
    ref: Reference
    base: Assumptions

    @property
    def ratio(self) -> float:
        """Output price / input price: with equal margins, decode cost / prefill cost."""
        return float(self.prices.output_usd_per_mtok / self.prices.input_usd_per_mtok)

    @cached_property
    def batch(self) -> RatioSolution:
        """The decode batch at the reference context whose cost ratio matches the prices."""
        ref = self.ref
        return batch_for_ratio(self.dep, self.ratio, ref.context_tokens, ref.prompt_tokens)

    @property
    def operating_batch(self) -> float:
        """The batch the prices imply, or the end of the range they fall beyond."""
        sol = self.batch
        if sol.value is not None:
            return sol.value
        return 1.0 if sol.status == "above-range" else max(sol.range_high, 1.0)

    @property
    def where(self) -> str:
        dep = self.dep
        return (
            f"{dep.chips}x {dep.hardware.id} serving {dep.model.id} ({dep.weights} weights, "
            f"{dep.kv_dtype} KV)"
        )

    def make(
        self,
        name: str,
        value: float | None,
        unit: str,
        text: str,
        assumptions: Assumptions | None = None,
        label: str = "",
    ) -> Inference:
        return Inference(
            self.prices.provider,
            self.prices.model,
            name,
            value,
            unit,
            text,
            self.base if assumptions is None else {**self.base, **assumptions},
            label,
        )
