"""docs/identity.md: its transcripts are what the commands print, its override example is
valid and does what the text says."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.overrides import parse_overrides
from tests.paths import FIXTURES, ROOT
from thesis_cli.main import app

DOC = ROOT / "docs" / "identity.md"
BLOCK = re.compile(r"^```(console|toml)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
runner = CliRunner()


def commands(block: str) -> list[tuple[str, str]]:
    """(command, expected output) for each `$ ` line of a console block."""
    found: list[tuple[str, str]] = []
    for line in block.splitlines(keepends=True):
        if line.startswith("$ "):
            found.append((line[2:].strip(), ""))
        else:
            command, output = found[-1]
            found[-1] = (command, output + line)
    return found


def test_the_identity_doc_transcripts_and_override_example_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The transcripts name tests/fixtures/identity and an aliases.toml beside it.
    shutil.copytree(FIXTURES / "identity", tmp_path / "tests" / "fixtures" / "identity")
    monkeypatch.chdir(tmp_path)
    env = {"THESIS_DB": str(tmp_path / "doc.duckdb"), "THESIS_MODEL_ALIASES_FILE": ""}
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert [kind for kind, _ in blocks] == ["console", "toml", "console"]
    for kind, body in blocks:
        if kind == "toml":
            Path("aliases.toml").write_text(body, encoding="utf-8")
            assert len(parse_overrides(body, "aliases.toml", ["litellm"]).entries) == 2
            env["THESIS_MODEL_ALIASES_FILE"] = "aliases.toml"
            continue
        for command, expected in commands(body):
            argv = shlex.split(command)
            assert argv[0] == "thesis"
            result = runner.invoke(app, argv[1:], env=env)
            assert result.exit_code == 0, result.output
            assert result.stdout == expected, command


def test_the_identity_doc_lists_every_naming_rule() -> None:
    from reconcile.naming import MODEL_RULES

    text = DOC.read_text(encoding="utf-8")
    assert [name for name, _ in MODEL_RULES if f"| `{name}` |" not in text] == []
