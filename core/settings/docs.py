"""docs/configuration.md, written from the registry so the two cannot differ."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Gt, Le
from pydantic import SecretStr
from pydantic.fields import FieldInfo

from core.errors import ConfigError
from core.settings.base import Section, env_name, field_extra
from core.settings.fetch import FetchSettings
from core.settings.registry import SECTIONS
from core.settings.sources import URL_EXAMPLE, SourceUrls

COMMAND = "uv run python -m core.settings --markdown > docs/configuration.md"
BAD_EXAMPLE = {"THESIS_FETCH_ATTEMPTS": "abc"}
UNITS = {"s": "seconds"}

INTRO = """\
# Configuration

<!-- Generated from core/settings/ by `{command}`;
     tests/core/test_settings_docs.py fails when this file differs. Edit the registry. -->

Every setting is an environment variable. Each `thesis` command checks them all before
it starts: a bad value, or a `THESIS_*` name that is no setting, stops it with one line
and exit code 2, naming the variable and a good value:

    $ THESIS_FETCH_ATTEMPTS=abc thesis run
    thesis: {bad_line}

An empty value counts as unset. Secrets are never printed, logged or stored.

A new setting is a field of its section in `core/settings/` (its type, default, unit,
help and an example of a good value); the code reads it through that section, e.g.
`FetchSettings.load().fetch_attempts`, never from `os.environ`. Then regenerate this file
with the command above.
"""


def markdown() -> str:
    parts = [INTRO.format(command=COMMAND, bad_line=bad_example_line())]
    parts += [section_table(section) for section in SECTIONS]
    url_row = [f"`{SourceUrls.variable}`", "http(s) URL", "the source's own URL", "", ""]
    url_row[-1] = f"{SourceUrls.help} Example: `THESIS_URL_LITELLM={URL_EXAMPLE}`."
    parts.append(_table(SourceUrls.title, SourceUrls.__doc__, [url_row]))
    return "\n".join(parts)


def bad_example_line() -> str:
    """The line `thesis` prints for BAD_EXAMPLE, produced by the registry itself."""
    try:
        FetchSettings.load(BAD_EXAMPLE)
    except ConfigError as err:
        return str(err)
    raise AssertionError(f"{BAD_EXAMPLE} was accepted")


def section_table(section: type[Section]) -> str:
    rows = []
    for name, info in section.model_fields.items():
        rows.append(
            [
                f"`{env_name(name)}`",
                type_text(info),
                default_text(info),
                UNITS.get(field_extra(info, "unit"), ""),
                f"{info.description} Example: `{field_extra(info, 'example')}`.",
            ]
        )
    return _table(section.title, section.__doc__, rows)


def _table(title: str, doc: str | None, rows: list[list[str]]) -> str:
    lines = ["| Variable | Type | Default | Unit | Meaning |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return f"## {title}\n\n{' '.join((doc or '').split())}\n\n" + "\n".join(lines) + "\n"


def type_text(info: FieldInfo) -> str:
    """'whole number 1-65535', 'number ≥ 0', 'text', ..."""
    text = _kind(_required(info.annotation))
    ge = next((b.ge for b in info.metadata if isinstance(b, Ge)), None)
    gt = next((b.gt for b in info.metadata if isinstance(b, Gt)), None)
    le = next((b.le for b in info.metadata if isinstance(b, Le)), None)
    if ge is not None and le is not None:
        return f"{text} {ge}-{le}"
    if ge is not None:
        return f"{text} ≥ {ge}"
    return text if gt is None else f"{text} > {gt}"


def default_text(info: FieldInfo) -> str:
    described = field_extra(info, "default_text")
    if described:
        return described
    value = info.default
    if value is None or value == ():
        return "unset"
    if isinstance(value, float) and value.is_integer():
        return f"`{int(value)}`"
    return f"`{value}`"


def _required(annotation: Any) -> Any:
    """`X | None` -> X."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _kind(annotation: Any) -> str:
    if get_origin(annotation) is Literal:
        return "one of " + ", ".join(f"`{v}`" for v in get_args(annotation))
    if get_origin(annotation) is tuple:
        return "list of secrets" if get_args(annotation)[0] is SecretStr else "list"
    names: dict[Any, str] = {int: "whole number", float: "number", str: "text", Path: "path"}
    names[SecretStr] = "secret"
    return names[annotation]
