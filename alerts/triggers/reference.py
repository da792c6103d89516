"""The trigger-kind reference, rendered from the registry: docs/triggers.md and the
`kinds` part of `thesis alerts theses --json`.

Regenerate the doc after changing a kind:

    uv run python -m alerts.triggers.reference > docs/triggers.md
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alerts.theses.load import DEFAULT_THESES_PATH, parse_theses
from alerts.triggers.base import (
    OnFundamentals,
    OnMargins,
    OnModel,
    OnSource,
    OnWatched,
    Trigger,
    Watched,
)
from alerts.triggers.metrics import METRICS
from alerts.triggers.params import ParamInfo, param_infos, shown, toml_text
from alerts.triggers.registry import KINDS
from core.errors import ConfigError

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "triggers.md"

INTRO = """\
A theses file (`alerts/theses.toml` ships one; `--theses PATH` takes your copy) lists the
monitoring checklist as `[[trigger]]` tables: `id` (unique), `kind` (one of the kinds
below), `thesis` (a `[[thesis]]` id), `severity` (`info`, `warning` or `critical`), an
optional `description`, and `[trigger.params]` with the kind's parameters. `thesis alerts
theses [--theses PATH]` validates a file: an unknown kind, parameter or metric, a value
of the wrong type and a band upside down are each reported with the file, the line and
the fix, all at once; for example

{error_example}

Only confirmed changes fire: a value must persist across `confirm_snapshots` (default 2)
consecutive snapshots of its source, or another independent source (a different source
id) must show the same price (equal Decimal, same provider, model, component, service
tier, threshold and condition) at some point in the week up to that snapshot, as in the
`price_changes` view; then it fires on its first day. Only evidence already loaded
counts, so an alert is never dated back; ratios built from prices (spreads, cache
discounts, tier multipliers) are confirmed at once when their prices are. A one-day typo
that reverts and that no other source shows never pages, and a key that vanishes never
reads as "price removed". The same change stated by two sources is one alert. The first
`confirm_snapshots` snapshots of a history are its baseline: nothing fires on them.
Conditions (a value outside a band or beyond a threshold) fire once when they become
true and re-arm when they clear; their state lives in the warehouse table
`trigger_state`."""

ADDING = """\
## Adding a kind

A kind is a frozen dataclass in `alerts/triggers/` that subclasses the scope it is
evaluated over (`OnModel`, `OnSource`, `OnFundamentals`, `OnMargins` or `OnWatched` in
`alerts/triggers/base.py`) and sets `kind`, `label`, `summary`, `doc`, `example` and,
when the roofline has something to say about it, `explained_by`. Its parameters are
fields declared with `param(default, help=..., unit=..., choices=...)`; `problems()` adds
checks across parameters. Its evaluation is pure (series in, alerts out); `on_model` /
`on_source` / `on_fundamentals` / `on_margins` / `on_watched` picks its series from the
scope's input (`alerts/triggers/inputs.py`). A kind over data no scope offers yet adds a scope, its
input type and the evaluator that builds it from the warehouse. List the class in
`alerts/triggers/registry.py`, then regenerate this file:

    uv run python -m alerts.triggers.reference > docs/triggers.md"""

SCOPES: tuple[tuple[type[Trigger], str], ...] = (
    (OnModel, "each model of a price source"),
    (OnSource, "all models of a price source"),
    (OnFundamentals, "company figures"),
    (OnMargins, "the implied serving-margin bands the inversion stores"),
    (OnWatched, "watched models and the catalog"),
)


def scope_of(kind: type[Trigger]) -> str:
    return next(text for scope, text in SCOPES if issubclass(kind, scope))


def render() -> str:
    """docs/triggers.md."""
    out = [
        "<!-- Generated from alerts/triggers/registry.py by"
        " `uv run python -m alerts.triggers.reference > docs/triggers.md`;"
        " edit the kinds, not this file. -->",
        "",
        "# Trigger kinds",
        "",
        INTRO.format(error_example=_indented(error_example())),
        "",
        "| kind | evaluated over | fires on |",
        "|---|---|---|",
        *(f"| [`{k.kind}`](#{k.kind}) | {scope_of(k)} | {k.summary} |" for k in KINDS.values()),
        "",
        "Numbers are read as exact decimals. Units: `fraction` is relative (0.2 = 20%), `x`"
        " a ratio of two prices.",
        "",
        "## Parameters of every kind on models",
        "",
        "Every kind evaluated over a price source's models also takes these:",
        "",
        *_param_table(param_infos(Watched)),
        "",
        "## Metrics",
        "",
        "What `threshold` and `step_change` watch (`metric = ...`):",
        "",
        "| metric | unit | what |",
        "|---|---|---|",
        *(f"| `{m.name}` | {m.unit} | {m.help} |" for m in METRICS.values()),
    ]
    for kind in KINDS.values():
        out += ["", *_kind_section(kind)]
    return "\n".join([*out, "", ADDING]) + "\n"


def _kind_section(kind: type[Trigger]) -> list[str]:
    inherits = issubclass(kind, Watched)
    shared = {p.name for p in param_infos(Watched)} if inherits else set()
    own = [p for p in param_infos(kind) if p.name not in shared]
    return [
        f"## {kind.kind}",
        "",
        " ".join(kind.doc.split()),
        "",
        _shown_as(kind),
        "",
        *_param_table(own),
        *(["", "It also takes the parameters of every kind on models."] if inherits else []),
        "",
        "```toml",
        kind.example.rstrip("\n"),
        "```",
    ]


def _shown_as(kind: type[Trigger]) -> str:
    """How its alerts read: the label, and the roofline inferences shown with them."""
    text = f"Alerts are labelled *{kind.label}*"
    if not kind.explained_by:
        return text + "."
    names = ", ".join(f"`{n}`" for n in kind.explained_by)
    star = "; `*`: any tier threshold" if any(n.endswith("*") for n in kind.explained_by) else ""
    infer = "[`thesis infer`](roofline.md)"
    return f"{text} and carry the first of these inferences ({infer}{star}) the model has: {names}."


def _param_table(infos: Sequence[ParamInfo]) -> list[str]:
    rows = ["| parameter | type | default | unit | meaning |", "|---|---|---|---|---|"]
    for p in infos:
        default = "required" if p.required else f"`{toml_text(p.default)}`"
        meaning = p.help + (f"; one of {', '.join(p.choices)}" if p.choices else "")
        rows.append(f"| `{p.name}` | {p.type} | {default} | {p.unit} | {meaning} |")
    return rows


def _indented(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


def shipped_head() -> str:
    """The shipped theses file without its triggers: the tickers and theses an example
    trigger may name."""
    text = DEFAULT_THESES_PATH.read_text(encoding="utf-8")
    return text[: text.index("\n[[trigger]]")]


def error_example() -> str:
    """What the validator says about a misspelt metric, as it says it."""
    example = KINDS["threshold"].example.replace("output_input_ratio", "output_input_ration")
    try:
        parse_theses(shipped_head() + "\n" + example, Path("my-theses.toml"))
    except ConfigError as err:
        return str(err)
    raise RuntimeError("the validator accepted a misspelt metric")


def kinds_json() -> list[dict[str, Any]]:
    """Every kind with its parameters, for `thesis alerts theses --json`."""
    return [
        {
            "kind": k.kind,
            "label": k.label,
            "summary": k.summary,
            "explained_by": list(k.explained_by),
            "evaluated_over": scope_of(k),
            "params": [
                {
                    "name": p.name,
                    "type": p.type,
                    "required": p.required,
                    "default": shown(p.default),
                    "unit": p.unit,
                    "help": p.help,
                    "choices": list(p.choices),
                }
                for p in param_infos(k)
            ],
        }
        for k in KINDS.values()
    ]


def metrics_json() -> list[dict[str, str]]:
    return [{"metric": m.name, "unit": m.unit, "help": m.help} for m in METRICS.values()]


if __name__ == "__main__":
    sys.stdout.write(render())
