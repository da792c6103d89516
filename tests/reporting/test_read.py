"""reporting.read is the report's one door to the warehouse."""

from __future__ import annotations

import ast
from pathlib import Path

from reporting.read import read
from tests.paths import ROOT
from warehouse.db import connection

READERS = {"reporting/read.py", "reporting/relations.py"}  # relations: read.py's SQL helpers


def test_only_the_read_module_queries_the_warehouse() -> None:
    querying = set()
    for path in sorted((ROOT / "reporting").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = {
            node.func.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        }
        if calls & {"execute", "sql", "query", "fetchall", "fetchone"}:
            querying.add(path.relative_to(ROOT).as_posix())
    assert querying == READERS


BANDS = """insert into inference_bands values
  ('2026-11-18', now(), null, 'liquid', 'lfm-7b', 'serving_margin', 'fraction', -119, -16.6,
   3, 'below-rental', true, '', 'gb200', '{}', '{}', ''),
  ('2026-11-18', now(), null, 'liquid', 'lfm-7b', 'implied_revenue_usd_per_chip_hour',
   'usd_per_chip_hour', 0.05, 0.34, 3, '', true, '', 'gb200', '{}', '{}', '')"""


def test_margins_come_with_the_revenue_and_hardware_behind_them(empty: Path) -> None:
    with connection(empty) as con:
        con.execute(BANDS)
        (row,), why = read(con).margins
    assert why is None
    assert (row["low"], row["high"], row["hardware"]) == (-119.0, -16.6, "gb200")
    assert (row["revenue_low"], row["revenue_high"]) == (0.05, 0.34)


def test_margins_read_without_the_revenue_where_the_relation_lacks_it(empty: Path) -> None:
    with connection(empty) as con:
        con.execute(
            "drop view implied_margin_daily; create table implied_margin_daily as select"
            " date '2026-11-18' as day, 'liquid' as provider, 'lfm-7b' as model,"
            " -119.0 as margin_low, -16.6 as margin_high"
        )
        (row,), why = read(con).margins
    assert why is None and row["low"] == -119.0
    assert (row["hardware"], row["revenue_low"], row["revenue_high"]) == (None, None, None)
