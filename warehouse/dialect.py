"""The schema's DDL for the engines the warehouse runs on.

Migrations are written once, for DuckDB (files and MotherDuck), with the keys that let the
engine refuse a duplicate. DuckLake has no PRIMARY KEY, UNIQUE or sequences, so for it the
keys become NOT NULL columns and the table constraints go; the loaders never rely on them
(they upsert with MERGE on the key columns), so the data is the same on every engine.
"""

from __future__ import annotations

import re
from typing import Literal

Dialect = Literal["duckdb", "ducklake"]

_SEQUENCE = re.compile(r"create\s+sequence\s+[^;]+;", re.IGNORECASE)
_NEXTVAL = re.compile(r"\s+default\s+nextval\s*\(\s*'[^']*'\s*\)", re.IGNORECASE)
_COLUMN_KEY = re.compile(r"(?:\bnot\s+null\s+)?\bprimary\s+key\b(?!\s*\()", re.IGNORECASE)
_TABLE_KEY = re.compile(r",(\s*)(?:primary\s+key|unique)\s*\([^)]*\)", re.IGNORECASE)
_LEFT_OVER = re.compile(r"\b(primary\s+key|unique|nextval|create\s+sequence)\b", re.IGNORECASE)


class DialectError(ValueError):
    """A statement uses something the target engine lacks and no rewrite covers."""


def for_dialect(sql: str, dialect: Dialect) -> str:
    """`sql` (DuckDB DDL) as the engine `dialect` accepts it."""
    if dialect == "duckdb":
        return sql
    code = strip_comments(sql)
    code = _SEQUENCE.sub("", code)
    code = _NEXTVAL.sub("", code)
    code = _TABLE_KEY.sub(r"\1", code)
    code = _COLUMN_KEY.sub("not null", code)
    left = _LEFT_OVER.search(code)
    if left:
        raise DialectError(f"DuckLake has no {left.group(1).lower()}: rewrite {left.group(0)!r}")
    return code


def strip_comments(sql: str) -> str:
    """`sql` without its `--` comments (a `--` inside a quoted string is kept)."""
    out = []
    quoted = False
    i = 0
    while i < len(sql):
        ch = sql[i]
        if ch == "'":
            quoted = not quoted
        elif not quoted and sql.startswith("--", i):
            end = sql.find("\n", i)
            i = len(sql) if end < 0 else end
            continue
        out.append(ch)
        i += 1
    return "".join(out)
