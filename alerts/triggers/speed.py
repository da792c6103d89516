"""Trigger kinds over OpenRouter hosts' serving speed (thesis #1, scope OnWatched).

speed_beyond_roofline: a host serves one user faster than the memory-bound limit of the
model's architecture at the host's quantization, on the most generous hardware assumed.
speed_per_dollar: a model's throughput per output dollar across its hosts improving by
a set fraction over a trailing window without the price-implied batch growing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from fnmatch import fnmatchcase

from alerts.records import Alert
from alerts.triggers.base import FRACTION, OnWatched
from alerts.triggers.inputs import HostSpeed, ModelRef, ObservedArchitecture, Series, WatchedData
from alerts.triggers.params import param
from alerts.triggers.watched import DOMAIN_IDS
from core.errors import ConfigError
from extractors.providers import openrouter_model
from model.catalog.domains import ScaleUpDomain
from model.catalog.from_config import spec_from_architecture
from model.catalog.serving_hosts import host_named
from model.catalog.specs import Hardware, ModelSpec
from model.inversion.references import match_model
from model.roofline.precision import KV_DTYPES
from model.roofline.speed_limit import SMALLEST_FORMAT as SMALLEST
from model.roofline.speed_limit import SpeedLimit, speed_limit, weights_format

DAYS = "days"
MODEL_URL = "https://openrouter.ai/{model}"
# Domains an HBM GPU host may run on: one switch hop or a full mesh (a TPU torus is not a
# GPU replica, and summing a whole pod's bandwidth would bound nothing).
GPU_TOPOLOGIES = ("switched", "full-mesh")


def openrouter_ref(model: str) -> ModelRef:
    """An OpenRouter model id as the price sources name its provider and model."""
    named = openrouter_model(model)
    return ModelRef(named.provider, named.model, model, MODEL_URL.format(model=model))


def architecture_for(
    model: str, catalog: Mapping[str, ModelSpec], observed: Sequence[ObservedArchitecture]
) -> ModelSpec | None:
    """The architecture an OpenRouter model id names: the roofline catalog's (its
    aliases, longest first), else the newest observed config whose repo name the id
    contains (`qwen/qwen3-30b-a3b-instruct` <- `Qwen/Qwen3-30B-A3B`)."""
    slug = model.rpartition("/")[2].split(":")[0].lower()
    found = match_model(slug, dict(catalog))
    if found is not None:
        return found
    hits = [
        seen.arch
        for seen in observed
        if seen.arch.source_model_key.rpartition("/")[2].lower() in slug
    ]
    if not hits:
        return None
    best = max(hits, key=lambda a: len(a.source_model_key))
    try:
        return spec_from_architecture(best)
    except ConfigError:
        return None  # the config lacks sizes the roofline needs: no architecture


@dataclass(frozen=True, kw_only=True)
class SpeedBeyondRoofline(OnWatched):
    kind = "speed_beyond_roofline"
    label = "speed beyond the roofline"
    summary = "a host serving one user faster than the memory-bound limit of the model"
    doc = """Per OpenRouter host of a watched model (the `openrouter-endpoints` source; p50
throughput needs `OPENROUTER_API_KEY`), the host's median per-request decode speed
against the memory-bound limit of one user's decode: the bytes a token reads (the
active weights at the host's stated quantization, routed experts in the model's shipped
format where smaller, plus `context_tokens` of KV at `kv_dtype`) over the aggregate
peak HBM bandwidth of a scale-up domain (model/roofline/speed_limit.py). Hosts do not
state their hardware, so the domain is the most generous one: of `domains` by id, or by
default every switched or full-mesh domain available that day whose chip the hardware
catalog has, the one giving the highest bound. A host that states no quantization is
read at fp4. An alert therefore means the bound is beaten under the most favourable
stated assumption: more than one token per weight read (speculative decoding) or an
architecture other than the one the model id names. Hosts whose hardware is public and
not HBM-bound (model/catalog/serving_hosts.toml: Groq, Cerebras, SambaNova) are left
out; so are models with no architecture in the catalog (aliases) or among the observed
configs. It fires on the first day a host is above the bound and re-arms once it is
not. The alert's explanation is the arithmetic."""
    example = """\
[[trigger]]
id = "speed-beyond-roofline"
kind = "speed_beyond_roofline"
thesis = "batching-economics"
severity = "warning"
description = "A host serves one user faster than any HBM roofline allows."
[trigger.params]
models = ["deepseek/*", "moonshotai/*", "qwen/*", "meta-llama/*", "openai/gpt-oss*"]
context_tokens = 1024
"""

    models: tuple[str, ...] = param(("*",), help="OpenRouter model ids (glob patterns) watched")
    domains: tuple[str, ...] = param(
        (),
        help="scale-up domain ids the hosts are assumed to run on (empty: the available"
        " GPU domain giving the highest bound each day)",
        choices=DOMAIN_IDS,
    )
    context_tokens: int = param(1024, help="context whose KV a step reads", unit="tokens")
    kv_dtype: str = param("fp8", help="KV cache format", choices=KV_DTYPES)

    def on_watched(self, data: WatchedData) -> list[Alert]:
        alerts: list[Alert] = []
        above: set[tuple[str, str]] = set()
        for seen in sorted(data.host_speeds, key=lambda s: (s.day, s.model, s.endpoint_key)):
            if not any(fnmatchcase(seen.model, g) for g in self.models):
                continue
            if host_named(list(data.serving_hosts), seen.host) is not None:
                continue
            spec = architecture_for(seen.model, data.models, data.architectures)
            found = None if spec is None else self.limit(data, spec, seen.quantization, seen.day)
            if found is None:
                continue
            key = (seen.model, seen.endpoint_key)
            limit, where = found
            if seen.throughput_p50_tokens_per_s <= limit.tokens_per_s:
                above.discard(key)
            elif key not in above:
                above.add(key)
                alerts.append(self._alert(seen, limit, where))
        return alerts

    def limit(
        self, data: WatchedData, spec: ModelSpec, quantization: str | None, day: date
    ) -> tuple[SpeedLimit, str] | None:
        """The most generous bound over the candidate domains, and the domain's name."""
        weights = weights_format(quantization)
        limits = [
            (speed_limit(spec, hw, d.chips, weights, self.kv_dtype, self.context_tokens), d.name)
            for d, hw in self._domains(data, day)
        ]
        return max(limits, key=lambda pair: pair[0].tokens_per_s, default=None)

    def _domains(self, data: WatchedData, day: date) -> list[tuple[ScaleUpDomain, Hardware]]:
        if self.domains:
            chosen = [d for d in data.domains if d.id in self.domains]
        else:
            chosen = [
                d for d in data.domains if d.available_on(day) and d.topology in GPU_TOPOLOGIES
            ]
        return [(d, data.hardware[d.hardware]) for d in chosen if d.hardware in data.hardware]

    def _alert(self, seen: HostSpeed, limit: SpeedLimit, where: str) -> Alert:
        stated = seen.quantization or f"quantization not stated, read at {SMALLEST}"
        observed = seen.throughput_p50_tokens_per_s
        subject = (
            f"{seen.model} on {seen.host} ({stated}): p50 {observed:,.0f} tokens/s per user,"
            f" above the memory-bound {limit.tokens_per_s:,.0f} tokens/s"
        )
        bound = Decimal(f"{limit.tokens_per_s:.6g}")
        found = self.alert(
            openrouter_ref(seen.model), subject, bound, Decimal(f"{observed:.6g}"),
            "tokens/s per user", seen.day,
        )  # fmt: skip
        lines = [
            *limit.lines(where),
            f"observed p50 on {seen.endpoint_key}: {observed:,.0f} tokens/s, more than one"
            " token per weight read (speculative decoding, or not this architecture)",
        ]
        return replace(found, explanation="; ".join(lines))


@dataclass(frozen=True, kw_only=True)
class SpeedPerDollar(OnWatched):
    kind = "speed_per_dollar"
    label = "throughput per dollar"
    explained_by = ("effective_decode_batch",)
    summary = (
        "a model's throughput per output dollar improving by change_fraction without"
        " the price-implied batch growing"
    )
    doc = """Per OpenRouter model (the `openrouter-endpoints` source), the daily median over
its hosts of p50 throughput divided by output price ((tokens/s) per (USD/Mtok), the
`endpoint_speed` view; throughput needs `OPENROUTER_API_KEY`). It fires on the day that
median first stands `change_fraction` or more above its value `window_days` earlier (the
latest day at least that far back), unless the price-implied decode batch grew by more
than `max_batch_growth` over the same window: the roofline inversion's
`effective_decode_batch` of the model's prices (table `inferences`, median over the
stand-ins; the model as the OpenRouter price source names it, through model identity).
Fuller batches explain cheaper speed; faster serving at the same batch points to
speculative decoding or an architecture change. Where no batch is stored at either end
it fires and says so, unless `require_batch`. It re-arms once the gain falls below."""
    example = """\
[[trigger]]
id = "speed-per-dollar-improves"
kind = "speed_per_dollar"
thesis = "batching-economics"
severity = "info"
description = "An open-weight model gets 25% more tokens/s per output dollar within 30 days."
[trigger.params]
models = ["deepseek/*", "moonshotai/*", "qwen/*", "meta-llama/*"]
change_fraction = 0.25
window_days = 30
max_batch_growth = 0.10
"""

    models: tuple[str, ...] = param(("*",), help="OpenRouter model ids (glob patterns) watched")
    change_fraction: Decimal = param(Decimal("0.25"), help="improvement that fires", unit=FRACTION)
    window_days: int = param(30, help="how far back the comparison looks", unit=DAYS)
    max_batch_growth: Decimal = param(
        Decimal("0.10"),
        help="implied-batch growth over the window above which the gain is batching",
        unit=FRACTION,
    )
    require_batch: bool = param(False, help="stay quiet where no implied batch is stored")

    def on_watched(self, data: WatchedData) -> list[Alert]:
        alerts = []
        for model, series in sorted(data.speed_per_dollar.items()):
            if any(fnmatchcase(model, g) for g in self.models):
                alerts += self.evaluate(model, series, data.implied_batch.get(model, ()))
        return alerts

    def evaluate(self, model: str, series: Series, batch: Series = ()) -> list[Alert]:
        points = [(d, v) for d, v in sorted(series) if v is not None and v > 0]
        alerts = []
        armed = True
        for day, value in points:
            start = day - timedelta(days=self.window_days)
            before = [(d, v) for d, v in points if d <= start]
            if not before:
                continue
            then, old = before[-1]
            up = value >= old * (1 + self.change_fraction)
            if up and armed:
                found = self._alert(model, day, old, value, _at(batch, then), _at(batch, day))
                alerts += [found] if found else []
            armed = not up
        return alerts

    def _alert(
        self, model: str, day: date, old: Decimal, new: Decimal, b0: Decimal | None,
        b1: Decimal | None,
    ) -> Alert | None:  # fmt: skip
        if b0 is None or b1 is None:
            if self.require_batch:
                return None
            why = "price-implied batch not known"
        elif b1 > b0 * (1 + self.max_batch_growth):
            return None  # fuller batches: the thesis's own lever
        else:
            why = f"price-implied batch {b0:.4g} -> {b1:.4g} sequences"
        gain = new / old - 1
        subject = (
            f"{model}: throughput per output dollar up {gain:.0%} in {self.window_days} days; {why}"
        )
        unit = "(tokens/s)/(USD/Mtok)"
        return self.alert(openrouter_ref(model), subject, old, new, unit, day)


def _at(series: Series, day: date) -> Decimal | None:
    """The series' latest value on or before `day` (None: none yet)."""
    known = [v for d, v in sorted(series) if d <= day and v is not None]
    return known[-1] if known else None
