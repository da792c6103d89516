"""Column types of warehouse tables, written as the Python type a row field holds.

A table's row type (warehouse/tables.py) annotates each field with one of these, so the
one dataclass states the column's name, position, DuckDB type and nullability
(`Varchar | None` is a nullable varchar). They are plain `Annotated` aliases: mypy sees
`str`, `int`, `Decimal` and so on. They live in core because a parser's row can be a
table's row as it stands (extractors/fundamentals/rows.py: QuoteRow).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated


@dataclass(frozen=True, slots=True)
class SqlType:
    """The DuckDB type of a column, as its migration writes it."""

    name: str


VARCHAR = SqlType("varchar")  # for Annotated[SomeLiteral, VARCHAR]

Varchar = Annotated[str, VARCHAR]
Json = Annotated[str, SqlType("json")]  # JSON text
Integer = Annotated[int, SqlType("integer")]
BigInt = Annotated[int, SqlType("bigint")]
Double = Annotated[float, SqlType("double")]
Boolean = Annotated[bool, SqlType("boolean")]
Decimal20_9 = Annotated[Decimal, SqlType("decimal(20, 9)")]
Decimal38_6 = Annotated[Decimal, SqlType("decimal(38, 6)")]
Date = Annotated[date, SqlType("date")]
TimestampTz = Annotated[datetime, SqlType("timestamptz")]
Blob = Annotated[bytes, SqlType("blob")]
VarcharList = Annotated[list[str], SqlType("varchar[]")]
