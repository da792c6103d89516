"""The digest of a group of triggers covers every table the group reads: a table left
out would let the daily run skip an evaluation whose inputs changed."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from alerts.theses.load import load_theses
from alerts.triggers import digest
from warehouse.db import connect

ROOT = Path(__file__).resolve().parents[3]
# The modules whose queries each group's evaluation runs.
GROUPS = {
    digest.PRICE_TABLES: ["alerts/page_news.py", "alerts/triggers/series_history.py",
                          "alerts/triggers/evidence.py"],
    digest.FUNDAMENTALS_TABLES: ["alerts/triggers/evaluate_fundamentals.py"],
    digest.MARGIN_TABLES: ["alerts/triggers/evaluate_margins.py"],
    digest.WATCHED_TABLES: ["alerts/triggers/evaluate_watched.py"],
}  # fmt: skip


def base_tables(con: duckdb.DuckDBPyConnection, name: str) -> set[str]:
    """The tables under `name` (itself, if a table), through every view it reads."""
    tables = {t for (t,) in con.execute("select table_name from duckdb_tables()").fetchall()}
    views = dict(
        con.execute("select view_name, sql from duckdb_views() where not internal").fetchall()
    )
    if name in tables:
        return {name}
    found: set[str] = set()
    for other in tables | set(views):
        if other != name and re.search(rf"\b{other}\b", views.get(name, "")):
            found |= base_tables(con, other)
    return found


def read_by(module: str) -> set[str]:
    """The names after `from` or `join` in a module's source."""
    text = (ROOT / module).read_text()
    return set(re.findall(r"\b(?:from|join)\s+([a-z_]+)(?![.\w])", text))


@pytest.mark.parametrize(
    "tables", list(GROUPS), ids=["prices", "fundamentals", "margins", "watched"]
)
def test_each_group_digests_every_table_its_queries_read(
    tables: tuple[str, ...], tmp_path: Path
) -> None:
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    names = {
        t
        for (t,) in con.execute(
            "select table_name from duckdb_tables() union select view_name from duckdb_views()"
        ).fetchall()
    }
    covered = {spec.partition(" where ")[0] for spec in tables}
    read = {n for module in GROUPS[tables] for n in read_by(module) if n in names}
    assert read, GROUPS[tables]
    under = set().union(*(base_tables(con, n) for n in read))
    assert under - covered == set()


def test_a_changed_row_changes_the_digest_and_another_table_does_not(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb", wait_s=0)
    theses = load_theses()
    before = digest.inputs_digest(con, digest.MARGIN_TABLES, theses)
    con.execute(
        "insert into quotes (ticker, as_of, price, currency, fetched_at)"
        " values ('MU', date '2026-11-30', 100, 'USD', now())"
    )
    assert digest.inputs_digest(con, digest.MARGIN_TABLES, theses) == before
    assert digest.inputs_digest(con, digest.MARGIN_TABLES, theses, "2026-11-30") != before
    con.execute(
        "insert into inference_sheets (day, computed_at, provider, model, sheet_key, recomputed)"
        " values (date '2026-11-30', now(), 'p', 'm', 'k', true)"
    )
    after = digest.inputs_digest(con, digest.MARGIN_TABLES, theses)
    assert after != before
    con.execute("update inference_sheets set sheet_key = 'k2'")
    assert digest.inputs_digest(con, digest.MARGIN_TABLES, theses) not in (before, after)
