"""How a section of settings is declared, read from the environment and checked.

A section is a pydantic model whose field `lock_wait_s` is THESIS_LOCK_WAIT_S. Each
field carries its help, unit and an example of a good value; a bad value becomes one
line naming the variable, what is wrong with it and that example (never a secret's value).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, ClassVar, Self, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SecretStr, ValidationError
from pydantic.config import JsonDict
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from core.environ import PREFIX, env_name, raw_setting
from core.errors import ConfigError

__all__ = ["PREFIX", "Section", "env_name", "setting"]


def setting(
    default: Any,
    help: str,
    *,
    example: str,
    unit: str = "",
    default_text: str = "",
    problem: str = "",
    **constraints: Any,
) -> Any:
    """A field of a section: `example` is a good value, shown in errors and the docs;
    `default_text` describes a default computed elsewhere (a path beside the warehouse);
    `problem` replaces the generic complaint for any bad value of this field."""
    extra: JsonDict = {
        "example": example,
        "unit": unit,
        "default_text": default_text,
        "problem": problem,
    }
    return Field(default, description=help, json_schema_extra=extra, **constraints)


def _lowered(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


# For a Literal field whose values a user may write in capitals (`Thread`, `TLS`).
AnyCase = BeforeValidator(_lowered)


def field_extra(info: FieldInfo, key: str) -> str:
    extra = info.json_schema_extra
    return str(extra.get(key, "")) if isinstance(extra, dict) else ""


def is_secret(info: FieldInfo) -> bool:
    """Whether the field holds a secret (alone, optional or in a tuple)."""
    return _mentions(info.annotation, SecretStr)


def _mentions(annotation: Any, kind: type) -> bool:
    return annotation is kind or any(_mentions(a, kind) for a in get_args(annotation))


def environ_values(cls: type[Section], environ: Mapping[str, str]) -> dict[str, str]:
    """THESIS_<FIELD> for each field; blank means unset, and only secrets keep spaces."""
    found = {}
    for name, info in cls.model_fields.items():
        raw = raw_setting(name, environ, secret=is_secret(info))
        if raw is not None:
            found[name] = raw
    return found


class Section(BaseModel):
    """Base of every section: frozen, read only from THESIS_* variables. The docstring of
    a section is its paragraph in docs/configuration.md, under its `title`.

    A plain pydantic model fed by `environ_values`, not a pydantic-settings class: that
    package costs ~0.5 s of CPU to import, which every command would pay as it starts."""

    title: ClassVar[str] = ""

    model_config = ConfigDict(
        frozen=True, allow_inf_nan=False, extra="forbid", validate_default=True
    )

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None) -> Self:
        """The section from `env` (default: the process environment), validated.

        Raises ConfigError with one line naming the variable and a good value."""
        environ = os.environ if env is None else env
        try:
            return cls.model_validate(environ_values(cls, environ))
        except ValidationError as err:
            raise ConfigError(explain(cls, err.errors(include_url=False)[0], environ)) from None

    @classmethod
    def variables(cls) -> list[str]:
        return [env_name(name) for name in cls.model_fields]


def explain(cls: type[Section], error: ErrorDetails, environ: Mapping[str, str]) -> str:
    """One line for the first validation error: a check across fields words its own."""
    if not error["loc"]:
        return _reason(error)
    field = str(error["loc"][0])
    info = cls.model_fields[field]
    name = env_name(field)
    problem = field_extra(info, "problem") or _generic(error, info)
    shown = name if is_secret(info) else f"{name}={environ.get(name, '').strip()!r}"
    if "e.g." in problem:
        return f"{shown} {problem}"
    return f"{shown} {problem}; e.g. {name}={field_extra(info, 'example')}"


def _reason(error: ErrorDetails) -> str:
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return error["msg"]


def _generic(error: ErrorDetails, info: FieldInfo) -> str:
    ctx = error.get("ctx", {})
    kind = error["type"]
    if kind in ("int_parsing", "int_from_float"):
        return "is not a whole number"
    if kind == "float_parsing":
        return "is not a number"
    if kind == "finite_number":
        return "is not a finite number"
    if kind == "greater_than_equal":
        return "must not be negative" if ctx["ge"] == 0 else f"must be at least {ctx['ge']:g}"
    if kind == "greater_than":
        return f"must be more than {ctx['gt']:g}"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']:g}"
    if kind == "literal_error":
        return f"is not known: use {choices(info)}"
    return _reason(error)


def choices(info: FieldInfo) -> str:
    """'a, b or c' for a Literal field."""
    values = [str(v) for v in get_args(info.annotation)]
    return ", ".join(values[:-1]) + f" or {values[-1]}" if len(values) > 1 else "".join(values)
