"""`thesis sources`: each source's last success, its age and its last failure."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from extractors.registry import SOURCES
from pipeline.daily import source_status
from warehouse import runs
from warehouse.db import connection


def record(db: Path, outcomes: list[tuple[str, str, str | None]]) -> None:
    """One run per outcome, in order: (source, status, error)."""
    with connection(db) as con:
        for source, status, error in outcomes:
            run_id = runs.start_run(con, "daily")
            runs.record_source(con, run_id, source, status, started_at=runs.now(), error=error)


def test_each_source_shows_its_last_success_its_age_and_its_last_failure(
    tmp_path: Path,
) -> None:
    db = tmp_path / "t.duckdb"
    record(
        db,
        [
            ("litellm", "failed", "HTTP 503 from litellm"),
            ("litellm", "loaded", None),
            ("litellm", "unchanged", None),
            ("openrouter", "loaded", None),
            ("openrouter", "failed", "unreachable: DNS lookup failed"),
        ],
    )
    with connection(db, read_only=True) as con:
        finished = dict(
            con.execute(
                "select source || ':' || status, max(finished_at) from source_runs group by all"
            ).fetchall()
        )
    now = finished["litellm:unchanged"] + timedelta(hours=5)
    doc = {item["id"]: item for item in source_status(db, now=now)}

    assert list(doc) == list(SOURCES)
    litellm = doc["litellm"]
    assert litellm["last_success"] == finished["litellm:unchanged"]  # unchanged is fresh
    assert litellm["age_s"] == 5 * 3600
    assert litellm["last_failure"] == {
        "at": finished["litellm:failed"],
        "error": "HTTP 503 from litellm",
    }
    openrouter = doc["openrouter"]
    assert openrouter["last"]["status"] == "failed"
    assert openrouter["last_success"] == finished["openrouter:loaded"]
    assert openrouter["last_failure"]["error"] == "unreachable: DNS lookup failed"
    never = doc["gemini-docs"]
    assert (never["last_success"], never["age_s"], never["last_failure"]) == (None, None, None)


def test_without_a_warehouse_the_registry_alone_is_listed(tmp_path: Path) -> None:
    doc = source_status(tmp_path / "absent.duckdb")
    assert [item["id"] for item in doc] == list(SOURCES)
    assert all(item["last_success"] is None and item["age_s"] is None for item in doc)
