"""Theses as data: load and validate a theses TOML file (the shipped one or the user's).

File shape (see alerts/theses.toml):

    [[ticker]]   symbol, name, group        -- companies the theses name
    [[thesis]]   id, title, summary, trigger_text, tickers, names
    [[trigger]]  id, kind, thesis, severity, description, [trigger.params] ...

Validation happens at start-up; every problem names the file and line and says how to
fix it, and all problems are reported together in one ConfigError.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alerts.records import SEVERITIES
from alerts.theses.check import Checker, build_trigger, read_params
from alerts.triggers.base import Trigger
from alerts.triggers.registry import KINDS
from core.errors import ConfigError

DEFAULT_THESES_PATH = Path(__file__).resolve().parent.parent / "theses.toml"
TOP_LEVEL = ("ticker", "thesis", "trigger")


@dataclass(frozen=True, slots=True)
class Ticker:
    symbol: str
    name: str
    group: str


@dataclass(frozen=True, slots=True)
class Thesis:
    id: str
    title: str
    summary: str
    trigger_text: str
    tickers: tuple[str, ...]
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Theses:
    path: Path
    tickers: tuple[Ticker, ...]
    theses: tuple[Thesis, ...]
    triggers: tuple[Trigger, ...]

    def thesis(self, thesis_id: str) -> Thesis:
        return next(t for t in self.theses if t.id == thesis_id)

    def titles(self) -> tuple[tuple[str, str], ...]:
        """(thesis id, title) pairs, for digest headings."""
        return tuple((t.id, t.title) for t in self.theses)

    def ticker_symbols(self) -> tuple[str, ...]:
        return tuple(t.symbol for t in self.tickers)


def load_theses(path: Path | None = None) -> Theses:
    """Read and validate a theses file; the shipped one when `path` is None."""
    path = path or DEFAULT_THESES_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: theses file not found; check the --theses path") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read theses file ({exc.strerror})") from None
    return parse_theses(text, path)


def parse_theses(text: str, path: Path) -> Theses:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "... (at line N, column M)": lead with path:N like other problems.
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"{path}:{found.group(1)}" if found else str(path)
        raise ConfigError(f"{where}: not valid TOML: {exc}; fix the syntax there") from None
    check = Checker.of(path, text)
    for key in data:
        if key not in TOP_LEVEL:
            line = check.index.line_of_table(key) or 1
            check.problem(line, f"unknown section '{key}'", f"use one of {_names(TOP_LEVEL)}")
    tickers = _tickers(check, data.get("ticker", []))
    theses = _theses(check, data.get("thesis", []), {t.symbol for t in tickers})
    triggers = _triggers(check, data.get("trigger", []), {t.id for t in theses})
    if not triggers and not check.problems:
        check.problem(1, "no [[trigger]] tables", "add at least one trigger")
    check.raise_if_any()
    return Theses(path, tuple(tickers), tuple(theses), tuple(triggers))


def _names(items: tuple[str, ...] | list[str]) -> str:
    return ", ".join(items)


def _tickers(check: Checker, raw: object) -> list[Ticker]:
    out: list[Ticker] = []
    for i, item in enumerate(check.tables(raw, "ticker")):
        symbol = check.string(item, "ticker", i, "symbol")
        name = check.string(item, "ticker", i, "name", required=False)
        group = check.string(item, "ticker", i, "group", required=False)
        check.unknown_keys(item, "ticker", i, ("symbol", "name", "group"))
        if symbol is not None:
            if symbol in {t.symbol for t in out}:
                check.duplicate("ticker", i, "symbol", symbol)
            out.append(Ticker(symbol, name or symbol, group or ""))
    return out


def _theses(check: Checker, raw: object, symbols: set[str]) -> list[Thesis]:
    out: list[Thesis] = []
    keys = ("id", "title", "summary", "trigger_text", "tickers", "names")
    for i, item in enumerate(check.tables(raw, "thesis")):
        tid = check.string(item, "thesis", i, "id")
        title = check.string(item, "thesis", i, "title")
        tickers = check.strings(item, "thesis", i, "tickers")
        names = check.strings(item, "thesis", i, "names")
        check.unknown_keys(item, "thesis", i, keys)
        for symbol in tickers:
            if symbol not in symbols:
                check.problem(
                    check.index.line_of("thesis", i, "tickers"),
                    f"thesis '{tid}' names ticker '{symbol}' that no [[ticker]] declares",
                    f'add [[ticker]] symbol = "{symbol}" or remove it from tickers',
                )
        if tid is None or title is None:
            continue
        if tid in {t.id for t in out}:
            check.duplicate("thesis", i, "id", tid)
        summary = check.string(item, "thesis", i, "summary", required=False) or ""
        trigger_text = check.string(item, "thesis", i, "trigger_text", required=False) or ""
        out.append(Thesis(tid, title, summary, trigger_text, tuple(tickers), tuple(names)))
    return out


def _triggers(check: Checker, raw: object, thesis_ids: set[str]) -> list[Trigger]:
    out: list[Trigger] = []
    keys = ("id", "kind", "thesis", "severity", "description", "params")
    for i, item in enumerate(check.tables(raw, "trigger")):
        tid = check.string(item, "trigger", i, "id")
        kind = check.choice(item, "trigger", i, "kind", tuple(KINDS))
        thesis = check.choice(item, "trigger", i, "thesis", tuple(sorted(thesis_ids)))
        severity = check.choice(item, "trigger", i, "severity", SEVERITIES)
        description = check.string(item, "trigger", i, "description", required=False) or ""
        check.unknown_keys(item, "trigger", i, keys)
        if tid is not None and tid in {t.id for t in out}:
            check.duplicate("trigger", i, "id", tid)
        cls = KINDS.get(kind or "")
        params = read_params(check, item.get("params", {}), i, tid or f"#{i + 1}", cls)
        if cls is None or params is None:
            continue
        # Built even when the identity is bad, so that every problem is reported at once.
        identity: dict[str, Any] = {
            "id": tid or f"#{i + 1}",
            "thesis_id": thesis or "",
            "severity": severity or "info",
            "description": description,
            "line": check.index.line_of("trigger", i),
        }
        trigger = build_trigger(check, i, cls, identity, params)
        if trigger is not None and None not in (tid, thesis, severity):
            out.append(trigger)
    return out
