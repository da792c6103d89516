"""Checks on the parsed theses TOML that collect line-naming, how-to-fix problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alerts.triggers.base import Trigger
from alerts.triggers.params import NOT_READ, TYPE_EXAMPLES, InvalidParams, coerce, param_infos
from core.errors import ConfigError
from core.toml_lines import LineIndex


@dataclass
class Checker:
    path: Path
    index: LineIndex
    problems: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, path: Path, text: str) -> Checker:
        return cls(path, LineIndex.of(text))

    def problem(self, line: int, what: str, fix: str) -> None:
        self.problems.append(f"{self.path}:{line}: {what}; {fix}")

    def raise_if_any(self) -> None:
        if self.problems:
            raise ConfigError(" | ".join(self.problems))

    def tables(self, raw: object, array: str) -> list[dict[str, Any]]:
        """The elements of `[[array]]`, or a problem if it is not an array of tables."""
        if isinstance(raw, list) and all(isinstance(x, dict) for x in raw):
            return raw
        line = self.index.line_of_table(array) or 1
        self.problem(line, f"'{array}' must be [[{array}]] tables", f"write [[{array}]] headers")
        return []

    def string(
        self, item: dict[str, Any], array: str, i: int, key: str, required: bool = True
    ) -> str | None:
        value = item.get(key)
        if value is None:
            if required:
                self.problem(
                    self.index.line_of(array, i),
                    f"[[{array}]] is missing '{key}'",
                    f'add {key} = "..." to this table',
                )
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(
                self.index.line_of(array, i, key),
                f"[[{array}]] {key} must be a non-empty string, got {value!r}",
                f'write {key} = "..." with quotes',
            )
            return None
        return value

    def strings(self, item: dict[str, Any], array: str, i: int, key: str) -> list[str]:
        value = item.get(key, [])
        if isinstance(value, list) and all(isinstance(x, str) for x in value):
            return value
        self.problem(
            self.index.line_of(array, i, key),
            f"[[{array}]] {key} must be a list of strings, got {value!r}",
            f"write {key} = {TYPE_EXAMPLES['list[str]'].split('e.g. ')[1]}",
        )
        return []

    def choice(
        self, item: dict[str, Any], array: str, i: int, key: str, allowed: tuple[str, ...]
    ) -> str | None:
        value = self.string(item, array, i, key)
        if value is None or value in allowed:
            return value
        self.problem(
            self.index.line_of(array, i, key),
            f"[[{array}]] {key} '{value}' is not known",
            f"use one of: {', '.join(allowed) or '(none declared)'}",
        )
        return None

    def unknown_keys(
        self, item: dict[str, Any], array: str, i: int, known: tuple[str, ...]
    ) -> None:
        for key in item:
            if key not in known:
                self.problem(
                    self.index.line_of(array, i, key),
                    f"[[{array}]] has unknown key '{key}'",
                    f"remove it or use one of: {', '.join(known)}",
                )

    def duplicate(self, array: str, i: int, key: str, value: str) -> None:
        self.problem(
            self.index.line_of(array, i, key),
            f"duplicate [[{array}]] {key} '{value}'",
            f"give each [[{array}]] a unique {key}",
        )


def read_params(
    check: Checker, raw: object, i: int, trigger_id: str, kind: type[Trigger] | None
) -> dict[str, Any] | None:
    """The params a trigger states, read as their kind's types, or None after recording
    problems (its kind's defaults fill in the rest when it is built)."""
    if kind is None:
        return None
    where = check.index.line_of("trigger", i, "params")
    if not isinstance(raw, dict):
        what = f"trigger '{trigger_id}' params must be a table"
        check.problem(where, what, "use [trigger.params]")
        return None
    infos = {p.name: p for p in param_infos(kind)}
    before = len(check.problems)
    for name in raw:
        if name not in infos:
            check.problem(
                check.index.line_of("trigger", i, name),
                f"trigger '{trigger_id}' ({kind.kind}) has unknown param '{name}'",
                f"use one of: {', '.join(infos)}",
            )
    out: dict[str, Any] = {}
    for name, info in infos.items():
        if name not in raw:
            if info.required:
                check.problem(
                    where,
                    f"trigger '{trigger_id}' ({kind.kind}) is missing param '{name}' ({info.help})",
                    f"add {name} = <{info.type}> under [trigger.params]",
                )
            continue
        value = coerce(raw[name], info.type)
        if value is NOT_READ:
            check.problem(
                check.index.line_of("trigger", i, name),
                f"trigger '{trigger_id}' param {name} must be {info.type}, got {raw[name]!r}",
                f"write {TYPE_EXAMPLES[info.type]}",
            )
            continue
        out[name] = value
    return out if len(check.problems) == before else None


def build_trigger(
    check: Checker, i: int, kind: type[Trigger], identity: dict[str, Any], params: dict[str, Any]
) -> Trigger | None:
    """The trigger, or None after recording what its kind rejects, each on its line."""
    try:
        return kind(**identity, **params)
    except InvalidParams as err:
        for p in err.problems:
            line = check.index.line_of("trigger", i, p.param or "params")
            check.problem(line, f"trigger '{identity['id']}' ({kind.kind}) {p.what}", p.fix)
        return None
