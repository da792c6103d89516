"""The README's coverage tables name only trigger ids of the shipped checklist and relations the
migrations create, and every thesis and checklist item has its row."""

from __future__ import annotations

import re
from pathlib import Path

from alerts.theses.load import load_theses
from tests.paths import ROOT
from warehouse.db import connect

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOC = README[README.index("## What it watches") :].split("\n## ", 1)[0]
ROWS = [line for line in DOC.splitlines() if line.startswith("| ") and "---" not in line]


def cells(column: int) -> set[str]:
    named = set()
    for row in ROWS[1:]:
        parts = [p.strip() for p in row.strip("|").split("|")]
        if len(parts) > column:
            named |= set(re.findall(r"`([a-z0-9_-]+)`", parts[column]))
    return named - {"trigger", "ids"}


def test_every_trigger_id_named_is_in_the_shipped_checklist() -> None:
    shipped = {t.id for t in load_theses().triggers}
    named = cells(1)
    assert named and named <= shipped, named - shipped


def test_every_view_named_exists_in_a_migrated_warehouse(tmp_path: Path) -> None:
    con = connect(tmp_path / "wh.duckdb")
    try:
        relations = {
            r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
        }
    finally:
        con.close()
    named = cells(3)
    assert named and named <= relations, named - relations


def test_six_checklist_items_and_five_thesis_triggers_each_have_a_row() -> None:
    items = [r for r in ROWS if not r.startswith(("| checklist item", "| thesis"))]
    assert len(items) == 11
    assert [r.split("|")[1].strip()[:2] for r in items[6:]] == ["#1", "#2", "#3", "#4", "#5"]
