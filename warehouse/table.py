"""What a table's row dataclass gives: its columns, a frame of rows, rows back from a query.

A `Table` binds a table name to a dataclass whose fields are the table's columns in
order, each annotated with a type of core/sqltypes.py. Everything that writes or reads the
table by column derives from it (warehouse/write.py), so a column is named in one place
besides its migration, and tests/warehouse/test_tables.py checks the two agree.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    Generic,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

import duckdb

from core.sqltypes import SqlType

if TYPE_CHECKING:  # pandas costs ~1 s to import: only a write needs it, not `thesis --help`
    import pandas as pd

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    sql_type: str  # as the migration writes it, e.g. decimal(20, 9)
    nullable: bool
    decimal: bool  # travels to DuckDB as text: a frame types Decimals by sampling


@dataclass(frozen=True)
class Table(Generic[R]):
    """Table `name`, whose rows are `row` instances; `key` names the columns that identify
    a row (merges match on them; empty for an append-only log)."""

    name: str
    row: type[R]
    key: tuple[str, ...] = ()
    columns: tuple[Column, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", columns_of(self.row))
        unknown = set(self.key) - set(self.names)
        if unknown:
            raise TypeError(f"key of {self.name} names no column: {sorted(unknown)}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def frame(self, rows: Sequence[R]) -> pd.DataFrame:
        """One object column per table column, for DuckDB to scan (see `cast_columns`)."""
        import pandas as pd

        get = attrgetter(*self.names)  # a tuple per row: the quickest frame to build
        records = list(map(get, rows)) if len(self.names) > 1 else [(get(r),) for r in rows]
        frame = pd.DataFrame(records, columns=list(self.names), dtype=object)
        for column in self.columns:
            if column.decimal:
                text = [None if v is None else format(v, "f") for v in frame[column.name]]
                # A Series keeps None as None; a plain list would turn it into NaN.
                frame[column.name] = pd.Series(text, index=frame.index, dtype=object)
        return frame

    def cast_columns(self) -> str:
        """Select-list casting a frame's columns to the table's types."""
        return ", ".join(f'cast("{c.name}" as {c.sql_type}) as "{c.name}"' for c in self.columns)

    def rows(self, cursor: duckdb.DuckDBPyConnection) -> list[R]:
        """The rows of a query over this table that selects its columns (e.g. `select *`)."""
        names = [d[0] for d in cursor.description or ()]
        return [self.row(**dict(zip(names, values, strict=True))) for values in cursor.fetchall()]


def columns_of(row: type[Any]) -> tuple[Column, ...]:
    """The columns a row dataclass declares: one per field, in order."""
    if not dataclasses.is_dataclass(row):
        raise TypeError(f"{row.__name__} is not a dataclass")
    hints = get_type_hints(row, include_extras=True)
    return tuple(_column(row, f.name, hints[f.name]) for f in dataclasses.fields(row))


def _column(row: type[Any], name: str, hint: Any) -> Column:
    nullable = False
    if get_origin(hint) in (Union, types.UnionType):
        members = [a for a in get_args(hint) if a is not type(None)]
        nullable = len(members) < len(get_args(hint))
        hint = members[0] if len(members) == 1 else hint
    marks = [m for m in getattr(hint, "__metadata__", ()) if isinstance(m, SqlType)]
    if get_origin(hint) is not Annotated or len(marks) != 1:
        raise TypeError(
            f"{row.__name__}.{name} has no column type: annotate it with a type of "
            "core/sqltypes.py (e.g. Varchar, or Varchar | None when nullable)"
        )
    return Column(name, marks[0].name, nullable, get_args(hint)[0] is Decimal)
