"""Typed field access on one catalog entry, with errors that say file, entry, field and fix."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from core.errors import ConfigError


@dataclass(frozen=True)
class Entry:
    path: Path
    id: str
    table: dict[str, object]

    def fail(self, field: str, problem: str, fix: str) -> NoReturn:
        raise ConfigError(f"{self.path}: entry '{self.id}', field '{field}': {problem}; fix: {fix}")

    def reject_unknown(self, known: tuple[str, ...]) -> None:
        # A typo in a field name would otherwise silently fall back to a default.
        for name in self.table:
            if name not in known:
                self.fail(name, "unknown field", "use one of: " + ", ".join(known))

    def _present(self, field: str, required: bool) -> object | None:
        value = self.table.get(field)
        if value is None and required:
            self.fail(field, "missing", f"add {field} = ... to this entry")
        return value

    def number(self, field: str, required: bool = True) -> float:
        value = self._present(field, required)
        if value is None:
            return 0.0
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(field, f"{value!r} is not a number", f"write e.g. {field} = 3.35e12")
        if not math.isfinite(value) or value <= 0:
            self.fail(field, f"{value!r} must be positive", f"write e.g. {field} = 3.35e12")
        return float(value)

    def integer(self, field: str, required: bool = True, minimum: int = 1) -> int:
        value = self._present(field, required)
        if value is None:
            return 0
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, f"{value!r} is not a whole number", f"write e.g. {field} = 8")
        if value < minimum:
            self.fail(field, f"{value} is below {minimum}", f"use a whole number >= {minimum}")
        return value

    def text(self, field: str) -> str:
        value = self._present(field, True)
        if not isinstance(value, str) or not value.strip():
            self.fail(field, f"{value!r} is not a non-empty string", f'write {field} = "..."')
        return value

    def flag(self, field: str) -> bool:
        value = self.table.get(field, False)
        if not isinstance(value, bool):
            self.fail(field, f"{value!r} is not true/false", f"write {field} = true")
        return value

    def strings(self, field: str) -> tuple[str, ...]:
        value = self.table.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(field, f"{value!r} is not a list of strings", f'write {field} = ["..."]')
        return tuple(v.lower() for v in value)
