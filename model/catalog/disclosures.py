"""Public statements of inference scale and deployment layout: the disclosures file.

A user-editable TOML list (model/catalog/disclosures.toml, or a file of the same form),
validated on load: every problem is a ConfigError naming the file, the entry, the field
and the fix. Aggregates convert to tokens per second; layout entries of one deployment
(`deployment`) group into a Layout for the expert-layout and pipeline triggers.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NoReturn

from core.errors import ConfigError

DISCLOSURES_FILE = Path(__file__).resolve().parent / "disclosures.toml"
SECONDS_PER = {
    "tokens_per_second": 1.0,
    "tokens_per_minute": 60.0,
    "tokens_per_day": 86_400.0,
    "tokens_per_month": 86_400.0 * 365.25 / 12,
    "tokens_per_quarter": 86_400.0 * 365.25 / 4,
}
LAYOUT_METRICS = (
    "tp_degree",
    "ep_degree",
    "pp_degree",
    "dp_degree",
    "deployment_chips",
    "chips_per_domain",
)
METRIC_UNITS: dict[str, tuple[str, ...]] = {
    "aggregate_tokens": tuple(SECONDS_PER),
    "output_tokens_per_s_per_user": ("tokens_per_second",),
    **{m: ("chips",) for m in LAYOUT_METRICS},
}
PHASES = ("", "prefill", "decode")
FIELDS = (
    "id", "date", "who", "metric", "value", "unit", "scope", "deployment", "phase", "model",
    "hardware", "source_url", "quoted_at", "quote",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Disclosure:
    id: str
    date: date
    who: str
    metric: str
    value: float
    unit: str
    source_url: str
    quote: str
    scope: str = ""
    deployment: str = ""
    phase: str = ""
    model: str = ""
    hardware: str = ""
    quoted_at: str = ""

    @property
    def tokens_per_second(self) -> float | None:
        """An aggregate as tokens per second (None for any other metric)."""
        if self.metric != "aggregate_tokens":
            return None
        return self.value / SECONDS_PER[self.unit]


@dataclass(frozen=True, slots=True)
class Layout:
    """One disclosed deployment: its stated degrees (None: not stated, never 1)."""

    deployment: str
    date: date
    who: str
    phase: str
    model: str
    hardware: str
    degrees: Mapping[str, float]
    output_tokens_per_s_per_user: float | None
    source_url: str

    def degree(self, metric: str) -> int | None:
        value = self.degrees.get(metric)
        return None if value is None else int(value)


def load_disclosures(path: Path | None = None) -> list[Disclosure]:
    """Every entry of the file, validated, oldest first."""
    path = path or DISCLOSURES_FILE
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: disclosures file not found; "
            f"give the path of a TOML file like {DISCLOSURES_FILE}"
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err}); fix the syntax") from None
    unknown = set(doc) - {"disclosure"}
    if unknown:
        raise ConfigError(
            f"{path}: unknown table(s) {sorted(unknown)}; write each entry as [[disclosure]]"
        )
    items = doc.get("disclosure", [])
    if not isinstance(items, list):
        raise ConfigError(f"{path}: `disclosure` must be a list of tables: write [[disclosure]]")
    found = [_entry(path, n, item) for n, item in enumerate(items, 1)]
    ids = [d.id for d in found]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ConfigError(f"{path}: id(s) {twice} used twice; give each entry its own id")
    return sorted(found, key=lambda d: (d.date, d.id))


def latest_aggregate(
    disclosures: Iterable[Disclosure], scope_word: str = "all"
) -> Disclosure | None:
    """The newest aggregate whose scope covers everything a lab serves (its scope starts
    with `all`); an API-only or input-only figure would understate the traffic."""
    whole = [
        d for d in disclosures
        if d.metric == "aggregate_tokens" and d.scope.lower().startswith(scope_word)
    ]  # fmt: skip
    return max(whole, key=lambda d: (d.date, d.tokens_per_second or 0.0), default=None)


def layouts(disclosures: Iterable[Disclosure]) -> list[Layout]:
    """Layout entries grouped by deployment, oldest first."""
    groups: dict[str, list[Disclosure]] = {}
    for d in disclosures:
        if d.deployment:
            groups.setdefault(d.deployment, []).append(d)
    out = []
    for name, entries in groups.items():
        first = min(entries, key=lambda d: d.date)
        speed = [d.value for d in entries if d.metric == "output_tokens_per_s_per_user"]
        out.append(
            Layout(
                deployment=name,
                date=max(d.date for d in entries),
                who=first.who,
                phase=first.phase,
                model=first.model,
                hardware=first.hardware,
                degrees={d.metric: d.value for d in entries if d.metric in LAYOUT_METRICS},
                output_tokens_per_s_per_user=speed[0] if speed else None,
                source_url=first.source_url,
            )
        )
    return sorted(out, key=lambda lay: (lay.date, lay.deployment))


REQUIRED = ("id", "who", "metric", "unit", "source_url", "quote")


@dataclass(frozen=True, slots=True)
class _Where:
    """One entry of the file, for messages that name it."""

    text: str

    def fail(self, field: str, problem: str, fix: str) -> NoReturn:
        raise ConfigError(f"{self.text}, field '{field}': {problem}; fix: {fix}")


def _entry(path: Path, n: int, item: object) -> Disclosure:
    if not isinstance(item, Mapping):
        raise ConfigError(f"{path}: disclosure #{n} is not a table; write [[disclosure]]")
    at = _Where(f"{path}: disclosure #{n} ({item.get('id', 'no id')})")
    for name in item:
        if name not in FIELDS:
            at.fail(name, "unknown field", "use one of: " + ", ".join(FIELDS))
    text = {
        f: _text(item, f, at, required=f in REQUIRED) for f in FIELDS if f not in ("date", "value")
    }
    _check(text, at)
    return Disclosure(
        date=_date(item.get("date"), at),
        value=_value(item.get("value"), text["metric"], at),
        **text,
    )


def _check(text: Mapping[str, str], at: _Where) -> None:
    metric, unit = text["metric"], text["unit"]
    if metric not in METRIC_UNITS:
        at.fail("metric", f"{metric!r} is not a metric", "use one of: " + ", ".join(METRIC_UNITS))
    if unit not in METRIC_UNITS[metric]:
        at.fail(
            "unit",
            f"{unit!r} does not measure {metric}",
            "use " + " or ".join(METRIC_UNITS[metric]),
        )
    if text["phase"] not in PHASES:
        at.fail("phase", f"{text['phase']!r} is not a phase", "use prefill or decode")
    if metric in LAYOUT_METRICS and not text["deployment"]:
        at.fail(
            "deployment",
            "a layout figure needs the deployment it describes",
            'add deployment = "lab-model-decode-2025"',
        )
    for field in ("source_url", "quoted_at"):
        if text[field] and not text[field].startswith(("https://", "http://")):
            at.fail(field, f"{text[field]!r} is not a web address", 'write "https://..."')


def _text(item: Mapping[str, object], field: str, at: _Where, *, required: bool) -> str:
    value = item.get(field, "")
    if not isinstance(value, str):
        at.fail(field, f"{value!r} is not text", f'write {field} = "..."')
    if required and not value.strip():
        at.fail(field, "missing", f'add {field} = "..."')
    return value.strip()


def _date(value: object, at: _Where) -> date:
    if isinstance(value, date):
        return value
    at.fail("date", f"{value!r} is not a date", "write date = 2025-05-20 (no quotes)")


def _value(value: object, metric: str, at: _Where) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        at.fail("value", f"{value!r} is not a positive number", "write e.g. value = 480e12")
    if metric in LAYOUT_METRICS and float(value) != int(value):
        at.fail("value", f"{value} is not a whole number of chips", "write e.g. value = 144")
    return float(value)
