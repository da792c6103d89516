"""`thesis sources` prints each source's freshness as text and in --json."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.daily import source_status
from tests.paths import ROOT
from tests.pipeline.test_source_status import record
from thesis_cli.main import app
from thesis_cli.output import age_text, print_sources
from warehouse.db import connection

runner = CliRunner()


def test_sources_prints_last_success_age_and_last_failure(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    record(db, [("litellm", "loaded", None), ("litellm", "failed", "HTTP 503 from litellm")])

    text = runner.invoke(app, ["sources", "--db", str(db)])
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("litellm ")))
    assert lines[at].split()[:3] == ["litellm", "feed", "failed"]
    assert lines[at + 1].strip().startswith("last success 20")
    assert lines[at + 1].endswith(" s ago)")  # recorded a moment ago
    assert lines[at + 2].strip().startswith("last failure 20")
    assert lines[at + 2].endswith(": HTTP 503 from litellm")

    doc = json.loads(runner.invoke(app, ["sources", "--db", str(db), "--json"]).stdout)
    litellm = next(item for item in doc if item["id"] == "litellm")
    assert litellm["age_s"] >= 0 and litellm["last_success"].startswith("20")
    assert litellm["last_failure"]["error"] == "HTTP 503 from litellm"
    assert text.stdout.count("last success") == 1  # no other source has run


def test_an_age_reads_in_its_largest_unit() -> None:
    assert [age_text(s) for s in (0, 59, 60, 3599, 3600, 86399, 86400 * 3 + 5)] == [
        "0 s",
        "59 s",
        "1 min",
        "59 min",
        "1 h",
        "23 h",
        "3 d",
    ]


def test_the_operations_guide_shows_real_sources_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/operations.md's transcript is what print_sources writes for its runs."""
    db = tmp_path / "t.duckdb"
    runs = [
        ("litellm", "failed", "HTTP 503 from litellm", "2026-11-28 06:00"),
        ("litellm", "unchanged", None, "2026-11-30 06:00"),
        ("openrouter", "loaded", None, "2026-11-29 06:00"),
        ("openrouter", "failed", "unreachable: DNS lookup failed", "2026-11-30 06:00"),
    ]
    record(db, [(source, status, error) for source, status, error, _ in runs])
    with connection(db) as con:  # the runs at the transcript's times
        for source, status, _, at in runs:
            con.execute(
                "update source_runs set started_at = ?::timestamptz, finished_at = ?::timestamptz"
                " where source = ? and status = ?",
                [f"{at}:00+00", f"{at}:00+00", source, status],
            )
    capsys.readouterr()
    print_sources(source_status(db, now=datetime(2026, 11, 30, 11, tzinfo=UTC)))
    printed = capsys.readouterr().out
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    block = text.split("<!-- sources transcript -->\n", 1)[1].split("\n\n", 1)[0]
    shown = "".join(line.removeprefix("    ") + "\n" for line in block.splitlines())
    assert shown.count("\n") == 6 and shown in printed
