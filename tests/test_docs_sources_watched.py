"""The `transcript` blocks of docs/sources.md are what `thesis` prints (samples needed)."""

from __future__ import annotations

import re
import shlex

import pytest
from typer.testing import CliRunner

from tests.paths import ROOT, SAMPLES
from thesis_cli.main import app

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"{SAMPLES} (shared samples) absent")


def transcripts() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```transcript\n\$ thesis (.*?)\n(.*?)```", text, re.DOTALL)
    assert blocks, "docs/sources.md has no transcript block"
    return blocks


@pytest.mark.parametrize(("command", "shown"), transcripts())
def test_a_transcript_is_what_the_command_prints(
    command: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, shlex.split(command))
    assert result.exit_code == 0, result.output
    assert result.stdout == shown
