"""`thesis sql`: what it does, and its fast start.

The command's interface is declared once, with typer, in thesis_cli/main.py (its help,
its errors). Typer costs ~0.5 s of CPU to run a command (it checks each option through a
pydantic TypeAdapter), twice what the whole of `thesis sql` may take, so the entry point
(thesis_cli/entry.py) first offers the arguments to `fast_sql`: it runs the ordinary
case itself and hands everything else (--help, a parse error, any THESIS_* setting but
THESIS_DB to check) back to the typer app, which answers in its own words.
tests/thesis_cli/test_sql_cmd.py runs both paths on the same arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from core.environ import settings_named
from core.errors import ConfigError

_OPTIONS = ("--file", "--format", "-f", "--db", "--json")


def read_query(query: str | None, file: Path | None) -> str:
    """`thesis sql`'s query: the argument, else the file, else piped standard input."""
    if query is not None and file is not None:
        raise ConfigError("give the query as an argument or with --file, not both")
    if query is None and file is not None:
        if not file.is_file():
            raise ConfigError(f"no such file: {file}")
        query = file.read_text()
    if query is None:
        if sys.stdin.isatty():
            raise ConfigError("no query: give one as an argument, with --file, or on stdin")
        query = sys.stdin.read()
    if not query.strip():
        raise ConfigError("the query is empty")
    return query


def sql_answer(query: str | None, file: Path | None, fmt: str, db: str | None) -> str:
    """The answer to the query, rendered in `fmt`; a bad query is one ConfigError line."""
    import duckdb

    from warehouse.query import FORMATS, error_line, render, run_query

    if fmt not in FORMATS:
        raise ConfigError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    try:
        answer = run_query(db, read_query(query, file))
    except duckdb.Error as err:
        raise ConfigError(f"query failed: {error_line(err)}") from err
    return render(answer, fmt)


class _Unusual(Exception):
    """Arguments the fast path leaves to the typer app."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Unusual(message)


def _parser() -> _Parser:
    parser = _Parser(add_help=False, allow_abbrev=False)
    parser.add_argument("query", nargs="?")
    parser.add_argument("--file", type=Path)
    parser.add_argument("--format", "-f", dest="fmt", default="table")
    parser.add_argument("--db")
    parser.add_argument("--json", dest="as_json", action="store_true")
    return parser


def _unknown_option(arg: str) -> bool:
    """--help, -1, --fmt...: click words these (argparse would take -1 for the query)."""
    name = arg.split("=", 1)[0]
    return arg.startswith("-") and name not in _OPTIONS and not arg.startswith("-f")


def fast_sql(args: list[str]) -> int | None:
    """Run `thesis sql ARGS` without typer and return its exit code, or None when the
    typer app must answer: help, arguments it would word an error about, or settings to
    check (only THESIS_DB, which parse_target checks, is read here)."""
    if settings_named() - {"THESIS_DB"} or any(map(_unknown_option, args)):
        return None
    try:
        ns = _parser().parse_args(args)
    except _Unusual:
        return None
    if ns.file is not None and ns.file.is_dir():
        return None  # typer's own "is a directory" message
    from thesis_cli.failure import report_failure
    from warehouse.target import parse_target

    try:
        if "THESIS_DB" in settings_named():
            parse_target(None)  # as the settings check does before every command
        print(sql_answer(ns.query, ns.file, "json" if ns.as_json else ns.fmt, ns.db))
    except (Exception, KeyboardInterrupt) as err:
        return report_failure(err)
    return 0
