"""Checks on the parsed theses TOML that collect line-naming, how-to-fix problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from alerts.theses.toml_lines import LineIndex
from alerts.triggers.kinds import (
    ALLOWED_VALUES,
    ORDERED_PAIRS,
    TYPE_EXAMPLES,
    ParamSpec,
    params_for,
)
from core.errors import ConfigError


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


def validate_params(
    check: Checker, raw: object, i: int, trigger_id: str, kind: str | None
) -> dict[str, object] | None:
    """A trigger's params with defaults filled in, or None after recording problems."""
    if kind is None:
        return None
    where = check.index.line_of("trigger", i, "params")
    if not isinstance(raw, dict):
        what = f"trigger '{trigger_id}' params must be a table"
        check.problem(where, what, "use [trigger.params]")
        return None
    specs = params_for(kind)
    before = len(check.problems)
    out: dict[str, object] = {}
    for name in raw:
        if name not in specs:
            check.problem(
                check.index.line_of("trigger", i, name),
                f"trigger '{trigger_id}' ({kind}) has unknown param '{name}'",
                f"use one of: {', '.join(specs)}",
            )
    for name, spec in specs.items():
        if name not in raw:
            if spec.required:
                check.problem(
                    where,
                    f"trigger '{trigger_id}' ({kind}) is missing param '{name}' ({spec.doc})",
                    f"add {name} = <{spec.type}> under [trigger.params]",
                )
            out[name] = spec.default
            continue
        value = _coerce(raw[name], spec)
        line = check.index.line_of("trigger", i, name)
        if value is None:
            check.problem(
                line,
                f"trigger '{trigger_id}' param {name} must be {spec.type}, got {raw[name]!r}",
                f"write {TYPE_EXAMPLES[spec.type]}",
            )
            continue
        allowed = ALLOWED_VALUES.get((kind, name))
        bad = [str(v) for v in _as_list(value) if allowed is not None and v not in allowed]
        if bad:
            check.problem(
                line,
                f"trigger '{trigger_id}' param {name} has unknown value(s) {', '.join(bad)}",
                f"use: {', '.join(allowed or ())}",
            )
        out[name] = value
    _check_ranges(check, out, i, trigger_id, kind)
    return out if len(check.problems) == before else None


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


def _coerce(value: object, spec: ParamSpec) -> object:
    """The value as the spec's type, or None when it is of the wrong type."""
    if isinstance(value, bool):  # bool is an int subclass: only a bool spec takes it
        return value if spec.type == "bool" else None
    if spec.type == "int":
        return value if isinstance(value, int) else None
    if spec.type == "number":
        return Decimal(str(value)) if isinstance(value, int | float) else None
    if spec.type == "str":
        return value if isinstance(value, str) else None
    if spec.type == "list[str]":
        ok = isinstance(value, list) and all(isinstance(x, str) for x in value)
        return value if ok else None
    return None


def _check_ranges(
    check: Checker, params: dict[str, object], i: int, trigger_id: str, kind: str
) -> None:
    for name, value in params.items():
        if isinstance(value, Decimal | int) and value < 0:
            check.problem(
                check.index.line_of("trigger", i, name),
                f"trigger '{trigger_id}' param {name} is negative ({value})",
                "use a value >= 0",
            )
    for pair_kind, low, high in ORDERED_PAIRS:
        lo, hi = params.get(low), params.get(high)
        numbers = isinstance(lo, Decimal | int) and isinstance(hi, Decimal | int)
        if pair_kind == kind and numbers and lo >= hi:  # type: ignore[operator]
            check.problem(
                check.index.line_of("trigger", i, low),
                f"trigger '{trigger_id}' {low} ({lo}) must be below {high} ({hi})",
                "swap them or widen the band",
            )
    if kind == "threshold" and params.get("above") is None and params.get("below") is None:
        check.problem(
            check.index.line_of("trigger", i, "params"),
            f"trigger '{trigger_id}' (threshold) needs 'above' or 'below'",
            "add above = <number> or below = <number> under [trigger.params]",
        )
