"""`thesis pages diff` and `thesis pages skipped`, and the transcripts in docs/sources.md."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.registry import get_source
from tests.paths import FIXTURES, ROOT
from thesis_cli.main import app
from warehouse.db import connect
from warehouse.load import Payload, load_payload

runner = CliRunner()
PAGE = (FIXTURES / "pages" / "gemini_pricing.md").read_text(encoding="utf-8")
DAY1 = datetime(2026, 6, 1, 6, tzinfo=UTC)
# Day 2: Gemini 2.0 Flash's output price rises; day 3: 2.5 Pro's strip loses two tabs.
DAY2 = PAGE.replace(
    "| Output price | Free of charge | $0.40 |", "| Output price | Free of charge | $0.45 |"
)
DAY3 = DAY2.replace(
    "[Flex](https://ai.google.dev/gemini-api/docs/pricing#flex)"
    "[Priority](https://ai.google.dev/gemini-api/docs/pricing#priority)",
    "",
    1,
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "pages.duckdb"
    con = connect(str(path))
    try:
        for n, text in enumerate((PAGE, DAY2, DAY3)):
            at = DAY1 + timedelta(days=n)
            load_payload(con, Payload(get_source("gemini-docs"), text.encode(), at))
    finally:
        con.close()
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_diff_shows_the_newest_change_by_default(db: Path) -> None:
    code, out, _ = _run("pages", "diff", "gemini-docs", "--db", str(db))
    assert code == 0
    assert out.startswith("== gemini-docs: 2026-06-02 06:00Z -> 2026-06-03 06:00Z (+1 -1) ==\n")
    assert "-Standard Batch Flex Priority More\n+Standard Batch More\n" in out


def test_diff_since_a_day_lists_every_change_in_order_as_json(db: Path) -> None:
    code, out, _ = _run(
        "pages", "diff", "gemini-docs", "--since", "2026-06-01", "--db", str(db), "--json"
    )
    assert code == 0
    doc = json.loads(out)
    assert [(d["observed_at"], d["lines_added"], d["lines_removed"]) for d in doc["diffs"]] == [
        ("2026-06-02T06:00:00+00:00", 1, 1),
        ("2026-06-03T06:00:00+00:00", 1, 1),
    ]
    assert "+| Output price | Free of charge | $0.45 |" in doc["diffs"][0]["diff"]


def test_skipped_lists_the_sections_the_newest_capture_skipped(db: Path) -> None:
    code, out, _ = _run("pages", "skipped", "gemini-docs", "--db", str(db), "--json")
    assert code == 0
    [item] = json.loads(out)["skipped"]
    assert (item["section"], item["kind"], item["models"]) == (
        "Gemini 2.5 Pro",
        "layout_changed",
        ["gemini-2.5-pro"],
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pages", "diff", "litellm"], "thesis: litellm is not an official page; choose one of: "),
        (["pages", "diff", "nope"], "thesis: unknown source 'nope'"),
        (["pages", "diff", "xai-docs", "--since", "June"], "thesis: --since 'June' is not a date"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(db: Path, args: list[str], message: str) -> None:
    code, out, err = _run(*args, "--db", str(db))
    assert code == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def _transcripts() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n\$ thesis (pages .*?)\n(.*?)```", text, re.DOTALL)
    assert blocks, "docs/sources.md has no `thesis pages` transcript"
    return blocks


def test_the_transcripts_in_the_docs_are_what_the_commands_print(db: Path) -> None:
    for command, shown in _transcripts():
        code, out, _ = _run(*command.split(), "--db", str(db))
        assert code == 0, command
        assert out == shown, command
