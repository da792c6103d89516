"""reporting.read is the report's one door to the warehouse."""

from __future__ import annotations

import ast

from tests.paths import ROOT

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
