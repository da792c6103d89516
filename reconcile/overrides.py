"""The user's alias override file: force a key to be an alias, or keep it apart.

    [[alias]]                       # force: this key is that model, whatever its prices
    source = "openrouter"           # optional: every source when left out
    key = "openai/o3-mini-high"
    model = "openai/o3-mini"        # canonical provider/model
    reason = "reasoning effort, same model"   # optional; shown in explanations

    [[separate]]                    # forbid: this key is never folded into a family
    key = "gpt-4o-2024-11-20"

An entry with a `source` beats one without for that source. Parsed from text (the caller
reads the file); every problem names the file and line.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from core.errors import ConfigError
from core.toml_lines import LineIndex, toml_error_line

Kind = Literal["alias", "separate"]
KINDS: tuple[Kind, ...] = ("alias", "separate")
_FIELDS: dict[Kind, frozenset[str]] = {
    "alias": frozenset({"source", "key", "model", "reason"}),
    "separate": frozenset({"source", "key", "reason"}),
}


@dataclass(frozen=True, slots=True)
class Override:
    kind: Kind
    source: str | None
    key: str
    where: str  # "file:line", for explanations
    provider: str = ""  # the alias target
    model: str = ""
    reason: str = ""

    def describe(self) -> str:
        why = f" ({self.reason})" if self.reason else ""
        return f"{self.where}{why}"


@dataclass(frozen=True, slots=True)
class Overrides:
    entries: tuple[Override, ...] = ()
    fingerprint: str = ""  # sha256 of the file's text; "" for no file
    _index: dict[tuple[str | None, str], Override] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for entry in self.entries:
            self._index[(entry.source, entry.key)] = entry

    def find(self, source: str, key: str) -> Override | None:
        return self._index.get((source, key)) or self._index.get((None, key))


NO_OVERRIDES = Overrides()


def parse_overrides(
    text: str, origin: str, known_sources: Collection[str] | None = None
) -> Overrides:
    """The overrides in `text` (from `origin`, a path for messages), or ConfigError naming
    the line of every problem at once."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{origin}:{toml_error_line(exc)}: not valid TOML: {exc}; fix the syntax there"
        ) from None
    lines = LineIndex.of(text)
    problems: list[str] = []
    entries: list[Override] = []
    for name in data:
        if name not in KINDS:
            line = lines.line_of_table(name) or 1
            problems.append(
                f"{origin}:{line}: unknown table '{name}'; use [[alias]] or [[separate]]"
            )
    for kind in KINDS:
        raw = data.get(kind, [])
        if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
            line = lines.line_of_table(kind) or 1
            problems.append(f"{origin}:{line}: '{kind}' must be [[{kind}]] tables")
            continue
        for i, item in enumerate(raw):
            entry = _entry(kind, i, item, _Where(origin, lines, kind, i), known_sources, problems)
            if entry is not None:
                entries.append(entry)
    entries.sort(key=lambda e: int(e.where.rsplit(":", 1)[1]))  # file order
    _check_duplicates(entries, problems)
    if problems:
        raise ConfigError(" | ".join(problems))
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Overrides(tuple(entries), digest)


@dataclass(frozen=True, slots=True)
class _Where:
    origin: str
    lines: LineIndex
    kind: str
    index: int

    def at(self, key: str | None = None) -> str:
        return f"{self.origin}:{self.lines.line_of(self.kind, self.index, key)}"


def _entry(
    kind: Kind,
    index: int,
    item: Mapping[str, Any],
    where: _Where,
    known_sources: Collection[str] | None,
    problems: list[str],
) -> Override | None:
    before = len(problems)
    for name in sorted(set(item) - _FIELDS[kind]):
        allowed = ", ".join(sorted(_FIELDS[kind]))
        problems.append(f"{where.at(name)}: [[{kind}]] has no field '{name}'; use {allowed}")
    key = _text(item, "key", where, kind, problems, required=True)
    source = _text(item, "source", where, kind, problems, required=False)
    reason = _text(item, "reason", where, kind, problems, required=False) or ""
    if source is not None and known_sources is not None and source not in known_sources:
        known = ", ".join(sorted(known_sources))
        problems.append(f"{where.at('source')}: unknown source {source!r}; use one of {known}")
    provider = model = ""
    if kind == "alias":
        target = _text(item, "model", where, kind, problems, required=True)
        if target is not None:
            provider, _, model = target.partition("/")
            if not provider or not model:
                problems.append(
                    f"{where.at('model')}: model {target!r} is not 'provider/model'; "
                    'write e.g. model = "openai/gpt-4o"'
                )
    if len(problems) > before or key is None:
        return None
    return Override(kind, source, key, where.at(), provider, model, reason)


def _text(
    item: Mapping[str, Any],
    name: str,
    where: _Where,
    kind: str,
    problems: list[str],
    *,
    required: bool,
) -> str | None:
    value = item.get(name)
    if value is None:
        if required:
            problems.append(f"{where.at()}: [[{kind}]] is missing '{name}'; add {name} = \"...\"")
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where.at(name)}: '{name}' must be a non-empty string")
        return None
    return value.strip()


def _check_duplicates(entries: list[Override], problems: list[str]) -> None:
    seen: dict[tuple[str | None, str], Override] = {}
    for entry in entries:
        earlier = seen.get((entry.source, entry.key))
        if earlier is not None:
            scope = f"source {entry.source!r}" if entry.source else "every source"
            problems.append(
                f"{entry.where}: key {entry.key!r} ({scope}) is already overridden at "
                f"{earlier.where}; keep one entry"
            )
        seen[(entry.source, entry.key)] = entry
