"""What a trigger kind is: one dataclass per kind, listed in alerts.triggers.registry.

A kind's class holds, in one place:
- `kind`, `summary` (one line: what fires it), `doc` (its docs paragraph) and `example`
  (a `[[trigger]]` TOML table), from which docs/triggers.md is rendered;
- `label` (how an alert message names the kind) and `explained_by` (the roofline
  inferences shown with its alerts, most relevant first; a trailing "*" matches a name
  prefix);
- its typed parameters, declared with alerts.triggers.params.param, checked on
  construction (`problems`);
- its evaluation: a pure method over plain series, reached through its scope, one of
  `OnModel` (each model of a price source), `OnSource` (all models of a price source
  at once), `OnFundamentals` (company figures), `OnMargins` (the implied serving-margin
  bands of the roofline inversion) or `OnWatched` (the watched models' configs and hosts,
  the scale-up domains and the disclosures). A kind over new data adds a scope
  and an evaluator that builds its input.

An instance is one `[[trigger]]` of a theses file: its identity (id, thesis, severity)
plus its parameter values.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fnmatch import fnmatchcase
from typing import Any, ClassVar

from alerts.records import Alert, Severity, Value
from alerts.triggers.inputs import (
    FundamentalsData,
    MarginBands,
    ModelRef,
    ModelSeries,
    SourceView,
    WatchedData,
)
from alerts.triggers.params import InvalidParams, ParamProblem, param, param_infos
from alerts.triggers.state import ConditionState

FRACTION = "fraction"  # the unit of relative moves: 0.2 = 20%


@dataclass(frozen=True, kw_only=True)
class Trigger:
    kind: ClassVar[str]
    summary: ClassVar[str]
    doc: ClassVar[str]
    example: ClassVar[str]
    label: ClassVar[str]
    explained_by: ClassVar[tuple[str, ...]] = ()
    # (low, high) parameter pairs where low must be below high
    ordered: ClassVar[tuple[tuple[str, str], ...]] = ()

    id: str
    thesis_id: str
    severity: Severity
    description: str = ""
    line: int = 0  # of its [[trigger]] header in the theses file

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidParams(self.id, self.kind, problems)

    def problems(self) -> list[ParamProblem]:
        """What is wrong with the parameter values (empty: nothing)."""
        out = []
        infos = param_infos(type(self))
        for info in infos:
            values = getattr(self, info.name)
            bad = [
                str(v)
                for v in (values if isinstance(values, tuple) else (values,))
                if info.choices and v not in info.choices
            ]
            if bad:
                what = f"param {info.name} has unknown value(s) {', '.join(bad)}"
                out.append(ParamProblem(info.name, what, f"use: {', '.join(info.choices)}"))
        for info in infos:
            value = getattr(self, info.name)
            if isinstance(value, Decimal | int) and value < 0:
                what = f"param {info.name} is negative ({value})"
                out.append(ParamProblem(info.name, what, "use a value >= 0"))
        for low, high in self.ordered:
            lo, hi = getattr(self, low), getattr(self, high)
            if lo is not None and hi is not None and lo >= hi:
                what = f"{low} ({lo}) must be below {high} ({hi})"
                out.append(ParamProblem(low, what, "swap them or widen the band"))
        return out

    def alert(
        self, ref: ModelRef, subject: str, old: Value, new: Value, unit: str, on: date
    ) -> Alert:
        return Alert(
            trigger_id=self.id,
            kind=self.kind,
            thesis_id=self.thesis_id,
            severity=self.severity,
            provider=ref.provider,
            model=ref.model,
            source_model_key=ref.source_model_key,
            subject=subject,
            old_value=old,
            new_value=new,
            unit=unit,
            explanation="",
            source_url=ref.source_url,
            date=on,
        )


def providers_param() -> Any:
    return param((), help="limit to these providers (empty: all)")


def models_param() -> Any:
    return param(("*",), help="limit to model ids matching these glob patterns")


def watches(ref: ModelRef, providers: Sequence[str], models: Sequence[str]) -> bool:
    """The providers filter (empty: all) and the model-id globs."""
    if providers and ref.provider not in providers:
        return False
    return any(fnmatchcase(ref.model, g) for g in models)


@dataclass(frozen=True, kw_only=True)
class Watched(Trigger):
    """A trigger on models' prices and limits: which models, and how sure a change is."""

    providers: tuple[str, ...] = providers_param()
    models: tuple[str, ...] = models_param()
    confirm_snapshots: int = param(
        2,
        help="consecutive snapshots a change must persist in before it fires",
        unit="snapshots",
    )

    def applies(self, ref: ModelRef) -> bool:
        return watches(ref, self.providers, self.models)


@dataclass(frozen=True, kw_only=True)
class OnModel(Watched, ABC):
    """Evaluated once per model of a price source."""

    @abstractmethod
    def on_model(self, ref: ModelRef, model: ModelSeries, state: ConditionState) -> list[Alert]:
        """Every alert over the model's whole history."""


@dataclass(frozen=True, kw_only=True)
class OnSource(Trigger, ABC):
    """Evaluated once over all models of a price source."""

    @abstractmethod
    def on_source(self, source: SourceView, state: ConditionState) -> list[Alert]:
        """Every alert over the source's whole history."""


@dataclass(frozen=True, kw_only=True)
class OnFundamentals(Trigger, ABC):
    """Evaluated over company figures."""

    @abstractmethod
    def on_fundamentals(self, data: FundamentalsData, tickers: Sequence[str]) -> list[Alert]:
        """Every alert; `tickers` are the thesis's, for a trigger that names none."""


@dataclass(frozen=True, kw_only=True)
class OnMargins(Trigger, ABC):
    """Evaluated over the implied serving-margin bands the roofline inversion stores daily."""

    @abstractmethod
    def on_margins(self, bands: MarginBands) -> list[Alert]:
        """Every alert over the stored days."""


@dataclass(frozen=True, kw_only=True)
class OnWatched(Trigger, ABC):
    """Evaluated over the watched models (configs, hosts) and the catalog's files."""

    @abstractmethod
    def on_watched(self, data: WatchedData) -> list[Alert]:
        """Every alert over everything observed so far."""


def relative_move(old: Decimal, new: Decimal) -> Decimal | None:
    return None if old == 0 else (new - old) / old
