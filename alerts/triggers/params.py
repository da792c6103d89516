"""Typed trigger parameters: how a kind declares them, and how TOML values become them.

A kind's parameters are the fields of its dataclass declared with `param(...)`, which
records the help text, the unit and, for closed vocabularies, the allowed values. Their
Python types say how a TOML value is read: `int`, `Decimal` (written "number": a TOML
float 0.1 becomes Decimal("0.1") so it compares exactly with prices), `Decimal | None`
(an optional number), `str`, `bool` and `tuple[str, ...]` (a TOML list of strings).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, get_type_hints

from core.errors import ConfigError

# What a user writes for each type, for "how to fix" messages.
TYPE_EXAMPLES: dict[str, str] = {
    "int": "a whole number without quotes, e.g. 500000",
    "number": "a number without quotes, e.g. 0.2",
    "str": 'a quoted string, e.g. "output_input_ratio"',
    "list[str]": 'a list of quoted strings, e.g. ["openai", "anthropic"]',
    "bool": "true or false without quotes",
}
_TYPE_NAMES: dict[object, str] = {
    int: "int",
    Decimal: "number",
    Decimal | None: "number",
    str: "str",
    bool: "bool",
    tuple[str, ...]: "list[str]",
}
_META = "trigger_param"
NOT_READ = object()  # what coerce() returns for a value of the wrong type


@dataclass(frozen=True, slots=True)
class ParamMeta:
    help: str
    unit: str = ""
    choices: tuple[str, ...] = ()


def param(
    default: Any = dataclasses.MISSING, *, help: str, unit: str = "", choices: Sequence[str] = ()
) -> Any:
    """A trigger parameter (a dataclass field); no default makes it required."""
    meta = {_META: ParamMeta(help, unit, tuple(choices))}
    return dataclasses.field(default=default, metadata=meta)


@dataclass(frozen=True, slots=True)
class ParamInfo:
    """One parameter as the validator, the docs and the CLI describe it."""

    name: str
    type: str  # a key of TYPE_EXAMPLES
    required: bool
    default: object
    help: str
    unit: str
    choices: tuple[str, ...]


def param_infos(cls: type) -> tuple[ParamInfo, ...]:
    """The parameters of a kind: its own first, then those it inherits."""
    hints = get_type_hints(cls)
    by_name = {f.name: f for f in dataclasses.fields(cls) if _META in f.metadata}
    order = [n for k in cls.__mro__ for n in vars(k).get("__annotations__", {}) if n in by_name]
    out = []
    for name in dict.fromkeys(order):
        f = by_name[name]
        meta: ParamMeta = f.metadata[_META]
        required = f.default is dataclasses.MISSING
        default = None if required else f.default
        type_name = _TYPE_NAMES[hints[name]]
        out.append(
            ParamInfo(name, type_name, required, default, meta.help, meta.unit, meta.choices)
        )
    return tuple(out)


def param_values(trigger: object) -> dict[str, object]:
    """A trigger's parameter values by name, in param_infos order."""
    return {p.name: getattr(trigger, p.name) for p in param_infos(type(trigger))}


def coerce(value: object, type_name: str) -> object:
    """The TOML value as the parameter's type, or NOT_READ when it is of the wrong type."""
    if isinstance(value, bool):  # bool is an int subclass: only a bool param takes it
        return value if type_name == "bool" else NOT_READ
    if type_name == "int":
        return value if isinstance(value, int) else NOT_READ
    if type_name == "number":
        return Decimal(str(value)) if isinstance(value, int | float) else NOT_READ
    if type_name == "str":
        return value if isinstance(value, str) else NOT_READ
    if type_name == "list[str]":
        ok = isinstance(value, list) and all(isinstance(x, str) for x in value)
        return tuple(value) if ok else NOT_READ  # type: ignore[arg-type]
    return NOT_READ


def shown(value: object) -> object:
    """A parameter value as JSON shows it: Decimal as exact text, tuples as lists."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def toml_text(value: object) -> str:
    """A parameter value as a theses file writes it ("unset" for an unset optional)."""
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


@dataclass(frozen=True, slots=True)
class ParamProblem:
    """A parameter value a kind rejects. `param` None: about the params as a whole."""

    param: str | None
    what: str
    fix: str


class InvalidParams(ConfigError):
    """A trigger constructed with parameter values its kind rejects."""

    def __init__(self, trigger_id: str, kind: str, problems: Sequence[ParamProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            " | ".join(f"trigger '{trigger_id}' ({kind}) {p.what}; {p.fix}" for p in problems)
        )
