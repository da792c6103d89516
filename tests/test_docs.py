"""The README and docs/ stay short, linked and true: links resolve, the SQL examples run,
and the `$ thesis ...` transcripts of the pages this file owns print what they show."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.history import import_history
from tests.paths import FIXTURES, ROOT, SAMPLES
from thesis_cli.main import app

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"```(\w*)\n(.*?)```", re.DOTALL)
# Pages whose `$ thesis` transcripts this file runs; other pages' transcripts have their
# own tests beside the code they show (e.g. tests/thesis_cli/test_pages_cmd.py).
TRANSCRIPTS = ("sources.md#seeding-history",)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {_slug(m) for m in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}


def _links(path: Path) -> list[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return [t for t in LINK.findall(text) if not t.startswith(("http://", "https://", "mailto:"))]


def test_the_readme_fits_on_a_few_screens() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= 200, f"README.md has {lines} lines; move reference into docs/"


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda p: p.name)
def test_every_local_link_resolves_to_a_file_and_heading(page: Path) -> None:
    broken = []
    for target in _links(page):
        file_part, _, anchor = target.partition("#")
        dest = (page.parent / file_part).resolve() if file_part else page
        missing_anchor = (
            dest.exists() and bool(anchor) and dest.suffix == ".md" and anchor not in _anchors(dest)
        )
        if not dest.exists() or missing_anchor:
            broken.append(target)
    assert not broken, f"{page.name}: broken links {broken}"


def test_the_readme_links_every_page_in_docs() -> None:
    linked = {Path(t.partition("#")[0]).name for t in _links(README)}
    assert not [p.name for p in DOCS if p.name not in linked]


@pytest.fixture(scope="module")
def history_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("docs") / "docs.duckdb"
    import_history(db, "litellm", FIXTURES / "litellm_history")
    return db


def _sql_blocks(page: str) -> list[str]:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    blocks = [body for lang, body in FENCE.findall(text) if lang == "sql"]
    statements = [s.strip() for b in blocks for s in b.split(";")]
    code = [
        "\n".join(ln for ln in s.splitlines() if not ln.startswith("--")).strip()
        for s in statements
    ]
    # Queries, not the DDL of worked examples (adding a column is shown, not run here).
    return [c for c in code if c.lower().startswith(("select", "with"))]


@pytest.mark.parametrize("page", ["warehouse.md", "fundamentals.md"])
def test_every_documented_query_runs_on_a_warehouse(history_db: Path, page: str) -> None:
    queries = _sql_blocks(page)
    assert len(queries) >= 2
    con = duckdb.connect(str(history_db), read_only=True)
    try:
        for query in queries:
            con.execute(query).fetchall()
    finally:
        con.close()


def _transcripts(spec: str) -> list[tuple[str, list[str]]]:
    """(command, expected lines) pairs of a page, or of one section of it (`page#anchor`)."""
    page, _, anchor = spec.partition("#")
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    if anchor:
        sections = re.split(r"^(?=#+ )", text, flags=re.MULTILINE)
        text = next(s for s in sections if s and _slug(s.splitlines()[0].lstrip("#")) == anchor)
    pairs: list[tuple[str, list[str]]] = []
    for lang, body in FENCE.findall(text):
        for chunk in re.split(r"^\$ ", body, flags=re.MULTILINE)[1:]:
            command, *output = chunk.rstrip("\n").split("\n")
            if lang == "console" and command.startswith("thesis "):
                pairs.append((command, output))
    return pairs


def _matches(expected: list[str], got: list[str]) -> bool:
    """A transcript may end with `...`: the lines shown are the first lines printed."""
    if expected and expected[-1] == "...":
        return got[: len(expected) - 1] == expected[:-1]
    return got == expected


@pytest.mark.parametrize("spec", TRANSCRIPTS)
def test_documented_transcripts_print_what_they_show(
    spec: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pairs = _transcripts(spec)
    assert pairs, f"{spec} shows no `$ thesis` transcript"
    if any("../shared/samples" in command for command, _ in pairs) and not SAMPLES.is_dir():
        pytest.skip(f"{SAMPLES} is absent")
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("THESIS_DB", str(tmp_path / "transcript.duckdb"))
    runner = CliRunner()
    for command, expected in pairs:
        result = runner.invoke(app, shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}: {result.output}"
        got = result.output.rstrip("\n").split("\n")
        assert _matches(expected, got), f"{command} printed:\n{result.output}"


def test_the_readme_run_excerpt_is_the_demos_checked_transcript() -> None:
    """The README shows lines of docs/demo.md, which tests/scripts checks against a run."""
    readme = README.read_text(encoding="utf-8")
    demo = (ROOT / "docs" / "demo.md").read_text(encoding="utf-8").splitlines()
    excerpts = [body for lang, body in FENCE.findall(readme) if lang == "console"]
    assert excerpts, "README.md shows no run"
    for body in excerpts:
        assert [line for line in body.splitlines() if line not in demo] == []
