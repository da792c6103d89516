"""Trigger kinds over the watched models and the catalog's files (scope OnWatched).

expert_layout: a new or changed MoE config whose routed experts do not divide over, or
whose weights at the shipped precision do not fit in, a scale-up domain (thesis #2).
scale_up_domain: the largest available scale-up domain changes (checklist: domain sizing).
aggregate_disclosure: a lab discloses its aggregate token traffic, and the pre-training
scale it implies (checklist: tokens/sec disclosures; thesis #4's arithmetic).
pipelined_decode: a disclosed decode deployment with pipeline stages (thesis #5).
The serving-speed kinds of thesis #1 are in alerts/triggers/speed.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fnmatch import fnmatchcase

from alerts.records import Alert
from alerts.triggers.base import OnWatched
from alerts.triggers.inputs import ModelRef, ObservedArchitecture, WatchedData
from alerts.triggers.params import param
from model.catalog.config_params import parameter_counts
from model.catalog.disclosures import Layout, layouts
from model.catalog.domains import ScaleUpDomain, largest_available, load_domains
from model.roofline.expert_layout import LayoutCheck, check_layout
from model.roofline.overtraining import SECONDS_PER_DAY

# The shipped catalog's domain ids: what `domains` may name.
DOMAIN_IDS = tuple(d.id for d in load_domains())
TOPOLOGIES = ("switched", "full-mesh", "3d-torus", "any")
DAYS = "days"


def _ref(key: str, url: str = "") -> ModelRef:
    """`org/name` as provider `org`, model `name` (how the inferences name models)."""
    provider, _, name = key.rpartition("/")
    return ModelRef(provider, name, key, url)


@dataclass(frozen=True, kw_only=True)
class ExpertLayout(OnWatched):
    kind = "expert_layout"
    label = "expert layout vs scale-up domain"
    summary = "a new or changed MoE config whose experts do not divide over or fit in a domain"
    doc = """Each open-weight config the `model-configs` source sees for the first time or
with a changed architecture, of a model with routed experts, is set against scale-up
domains (model/catalog/scale_up_domains.toml): `domains` by id, or by default the
largest switched domain available on the day the config was seen. It fires when the
routed experts do not divide evenly over the domain's chips (neither count divides the
other) or when all weights, at the precision the config ships, exceed the domain's HBM.
The alert's explanation is the arithmetic. The configs seen on the source's first day
are the baseline: watching a model is not news, a new model or a changed config is."""
    example = """\
[[trigger]]
id = "expert-layout-vs-domain"
kind = "expert_layout"
thesis = "moe-rack-scale"
severity = "warning"
description = "A frontier MoE config that does not divide over or fit in one rack."
[trigger.params]
models = ["deepseek-ai/*", "moonshotai/*", "Qwen/*"]
"""

    models: tuple[str, ...] = param(("*",), help="Hugging Face repo ids (glob patterns) watched")
    domains: tuple[str, ...] = param(
        (),
        help="scale-up domain ids to check against (empty: the largest switched domain"
        " available when the config was seen)",
        choices=DOMAIN_IDS,
    )

    def on_watched(self, data: WatchedData) -> list[Alert]:
        alerts = []
        # The configs of the first day the source saw any are its baseline, not news.
        first = min((seen.day for seen in data.architectures), default=None)
        for seen in data.architectures:
            arch = seen.arch
            if seen.day == first or not arch.experts_routed:
                continue
            if not any(fnmatchcase(arch.source_model_key, g) for g in self.models):
                continue
            counts = parameter_counts(arch)
            if counts is None:
                continue
            for domain in self._domains(data, seen.day):
                hbm = data.hbm_bytes_per_chip[domain.id]
                check = check_layout(arch, counts, domain.name, domain.chips, hbm)
                if check.mismatch:
                    alerts.append(self._alert(seen, domain, check))
        return alerts

    def _domains(self, data: WatchedData, day: date) -> list[ScaleUpDomain]:
        if self.domains:
            return [d for d in data.domains if d.id in self.domains]
        largest = largest_available(data.domains, day)
        return [largest] if largest else []

    def _alert(
        self, seen: ObservedArchitecture, domain: ScaleUpDomain, check: LayoutCheck
    ) -> Alert:
        key = seen.arch.source_model_key
        what = "weights do not fit" if check.fits is False else "experts do not divide evenly"
        if check.fits is False and not check.divides:
            what = "experts do not divide evenly and weights do not fit"
        subject = (
            f"{key}: {check.experts} routed experts on {domain.name} ({domain.chips} chips): {what}"
        )
        found = self.alert(
            _ref(key, seen.source_url), subject, domain.chips, check.experts,
            "chips / routed experts", seen.day,
        )  # fmt: skip
        return replace(found, explanation="; ".join(check.lines))


@dataclass(frozen=True, kw_only=True)
class ScaleUpDomainSize(OnWatched):
    kind = "scale_up_domain"
    label = "largest scale-up domain"
    summary = "the largest available scale-up domain changing size"
    doc = """The scale-up domain catalog (model/catalog/scale_up_domains.toml) dates each
domain's availability (a day, or the first day of a stated period such as 2026-H2). On
each such day up to today the largest available domain of `topology` is compared with
the one before; it fires when its chip count changes. The first domain is the baseline.
Announcements alone do not fire: only availability."""
    example = """\
[[trigger]]
id = "largest-scale-up-domain"
kind = "scale_up_domain"
thesis = "moe-rack-scale"
severity = "info"
description = "The largest switched scale-up domain one can buy grows (NVL72 to NVL576)."
[trigger.params]
topology = "switched"
"""

    topology: str = param("switched", help="which domains compete", choices=TOPOLOGIES)

    def on_watched(self, data: WatchedData) -> list[Alert]:
        kind = None if self.topology == "any" else self.topology
        days = sorted(
            {d.available for d in data.domains if d.available and d.available <= data.today}
        )
        alerts = []
        before: ScaleUpDomain | None = None
        for day in days:
            now = largest_available(data.domains, day, kind)
            if before is not None and now is not None and now.chips != before.chips:
                subject = f"largest {self.topology} scale-up domain: {now.name} ({now.chips} chips)"
                ref = ModelRef(now.vendor, now.name, now.id, now.source_url)
                alerts.append(self.alert(ref, subject, before.chips, now.chips, "chips", day))
            before = now or before
        return alerts


@dataclass(frozen=True, kw_only=True)
class AggregateDisclosure(OnWatched):
    kind = "aggregate_disclosure"
    label = "traffic disclosure"
    summary = "a lab disclosing its aggregate token traffic, with the pre-training scale it implies"
    doc = """Each `aggregate_tokens` entry of the disclosures file
(model/catalog/disclosures.toml), on its date: the traffic as tokens per second and the
pre-training tokens it implies under the thesis's equal-compute arithmetic (serving for
`lifetime_days` costs as much as pre-training: D = tokens served / 3, whatever the
model's size). Old value: the previous aggregate of the same scope (tokens/s). An entry
added with a past date is history: the daily run alerts only what is dated after its
last evaluation."""
    example = """\
[[trigger]]
id = "aggregate-disclosure"
kind = "aggregate_disclosure"
thesis = "over-training"
severity = "info"
description = "A lab discloses its aggregate tokens served."
[trigger.params]
lifetime_days = 60
"""

    lifetime_days: Decimal = param(
        Decimal(60), help="days a model is served, for the implied pre-training tokens", unit=DAYS
    )

    def on_watched(self, data: WatchedData) -> list[Alert]:
        alerts = []
        last: dict[str, float] = {}  # scope -> tokens/s of the previous aggregate
        for d in data.disclosures:
            rate = d.tokens_per_second
            if rate is None:
                continue
            served = rate * float(self.lifetime_days) * SECONDS_PER_DAY
            subject = (
                f"{d.who}: {d.value:.3g} {d.unit.replace('_', ' ')} = {rate:.3g} tokens/s;"
                f" {self.lifetime_days} days of it imply {served / 3:.3g} pre-training tokens"
            )
            old = Decimal(f"{last[d.scope]:.6g}") if d.scope in last else None
            ref = ModelRef(d.who, "", d.id, d.source_url)
            found = self.alert(ref, subject, old, Decimal(f"{rate:.6g}"), "tokens/s", d.date)
            scope = d.scope or "scope not stated"
            alerts.append(replace(found, explanation=f'{scope}: "{d.quote}"'))
            last[d.scope] = rate
        return alerts


@dataclass(frozen=True, kw_only=True)
class PipelinedDecode(OnWatched):
    kind = "pipelined_decode"
    label = "pipelined decode"
    summary = "a disclosed decode deployment with pipeline stages at frontier per-user speed"
    doc = """Each deployment layout of the disclosures file (entries sharing `deployment`)
whose phase is decode and whose pipeline-parallel degree (`pp_degree`) is above one, and
whose stated per-user output speed, when stated, is at least
`min_output_tokens_per_s_per_user`; dated by its newest entry. Public data shows this
only when a lab discloses its layout: undisclosed deployments are invisible to it."""
    example = """\
[[trigger]]
id = "pipelined-decode-across-domains"
kind = "pipelined_decode"
thesis = "expert-parallelism"
severity = "warning"
description = "A lab discloses decode pipelined across scale-up domains at frontier speed."
[trigger.params]
min_output_tokens_per_s_per_user = 20
"""

    min_output_tokens_per_s_per_user: Decimal = param(
        Decimal(20), help="per-user decode speed counted as frontier latency", unit="tokens/s"
    )

    def on_watched(self, data: WatchedData) -> list[Alert]:
        return [self._alert(lay) for lay in layouts(data.disclosures) if self._fires(lay)]

    def _fires(self, lay: Layout) -> bool:
        stages = lay.degree("pp_degree")
        speed = lay.output_tokens_per_s_per_user
        fast = speed is None or speed >= float(self.min_output_tokens_per_s_per_user)
        return lay.phase == "decode" and stages is not None and stages > 1 and fast

    def _alert(self, lay: Layout) -> Alert:
        stages = lay.degree("pp_degree")
        speed = lay.output_tokens_per_s_per_user
        shown = "not stated" if speed is None else f"{speed:g} tokens/s per user"
        subject = f"{lay.who} {lay.model}: decode in {stages} pipeline stages ({shown})"
        ref = ModelRef(lay.who, lay.model, lay.deployment, lay.source_url)
        return self.alert(ref, subject, None, stages, "stages", lay.date)
