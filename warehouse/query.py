"""Read-only ad-hoc SQL over the warehouse, and rendering of the answer."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from warehouse.db import connection

FORMATS = ("table", "csv", "json")


@dataclass(frozen=True, slots=True)
class Answer:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def run_query(path: Path | str | None, sql: str, *, wait_s: float = 10.0) -> Answer:
    """Run `sql` on a read-only connection that is closed straight after."""
    with connection(path, read_only=True, wait_s=wait_s) as con:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if columns else []
    return Answer(columns, rows)


def error_line(err: duckdb.Error) -> str:
    """DuckDB's message on one line, its hint kept ("Candidate bindings: ...", "Did you
    mean ...?"); the echo of the query with a caret below it is left out."""
    message = str(err).split("\n\n", 1)[0]
    return " ".join(line.strip() for line in message.splitlines() if line.strip())


def dict_rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[dict[str, Any]]:
    """The answer to `sql` as one {column: value} dict per row."""
    cursor = con.execute(sql, params)
    names = [col[0] for col in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _shortest(value: float) -> float:
    """A DOUBLE without binary noise: 0.1 * 3 is 0.3, not 0.30000000000000004."""
    return float(f"{value:.15g}")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float):
        return _shortest(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float):
        return repr(_shortest(value))
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


def render(answer: Answer, fmt: str) -> str:
    if fmt == "json":
        records = [dict(zip(answer.columns, map(_plain, row), strict=True)) for row in answer.rows]
        return json.dumps({"columns": answer.columns, "rows": records}, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(answer.columns)
        writer.writerows([[_text(v) for v in row] for row in answer.rows])
        return buf.getvalue().rstrip("\n")
    return render_table(answer.columns, [[_text(v) for v in row] for row in answer.rows])


def render_table(columns: list[str], rows: list[list[str]]) -> str:
    widths = [len(c) for c in columns]
    for row in rows:
        widths = [max(w, len(v)) for w, v in zip(widths, row, strict=True)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return "\n".join([line.rstrip(), rule, *(b.rstrip() for b in body), footer])
