"""scripts/demo_offline.py runs from a clone, and docs/demo.md shows what it prints."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from tests.scripts.demo_transcripts import (
    DEMO,
    DOCUMENT,
    normalise,
    outputs,
    run_day,
    stale,
    transcripts,
)


@pytest.fixture(scope="module")
def demo_run(
    tmp_path_factory: pytest.TempPathFactory, prefect_harness: None
) -> tuple[Path, dict[str, str]]:
    """The demo run once (on the session's Prefect server), then the documented queries."""
    from prefect.settings import PREFECT_API_URL

    out = tmp_path_factory.mktemp("demo").resolve() / "demo"
    commands = [t.command for t in transcripts(DOCUMENT.read_text(encoding="utf-8"))]
    return out, outputs(commands, out, str(PREFECT_API_URL.value()))


def test_docs_demo_shows_the_demo_and_queries_on_its_warehouse() -> None:
    commands = [t.command for t in transcripts(DOCUMENT.read_text(encoding="utf-8"))]
    assert commands[0] == DEMO
    assert all(c.startswith("uv run thesis ") for c in commands[1:])


def test_every_transcript_in_docs_demo_is_what_the_demo_printed(
    demo_run: tuple[Path, dict[str, str]],
) -> None:
    _, printed = demo_run
    diffs = stale(DOCUMENT.read_text(encoding="utf-8"), printed)
    assert diffs == [], (
        "docs/demo.md is stale; regenerate with "
        "`uv run python -m tests.scripts.demo_transcripts --rewrite`\n\n" + "\n\n".join(diffs)
    )


def test_the_demo_confirms_the_deepseek_cut_and_writes_the_report(
    demo_run: tuple[Path, dict[str, str]],
) -> None:
    out, printed = demo_run
    run_line = re.search(r"^run daily-\S+: ok, (\d+)/(\d+) sources ok", printed[DEMO], re.M)
    assert run_line is not None and run_line.group(1) == run_line.group(2)
    assert "The local Slack stand-in received 1 message(s):" in printed[DEMO]
    assert "deepseek deepseek-v4-pro input price cut $1.74 → $0.435 (−75%)" in printed[DEMO]
    assert (out / "report" / "index.html").stat().st_size > 0


def test_normalising_replaces_only_the_run_specific_values() -> None:
    today = date(2026, 11, 24)
    text = (
        "2024-10-03 cut\nrun daily-20261124T123818-44d1c5b0: ok\n"
        "on http://127.0.0.1:32975\nsince 2026-11-21 06:00:00+00:00\n"
        "2026-11-24 12:38  info\nreport (7 of 9 charts drawn, 2.0 MB)\n2026-11-20"
    )
    assert normalise(text, today) == (
        "2024-10-03 cut\nrun daily-<run id>: ok\n"
        "on http://127.0.0.1:<port>\nsince <today-3> 06:00:00+00:00\n"
        "<today-0> <hh:mm>  info\nreport (7 of 9 charts drawn, <size> MB)\n2026-11-20"
    )
    assert run_day(text) == today
