"""The worked examples in model/README.md and docs/roofline.md are what the code prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.model.transcripts import DOCUMENTS, ROOT, run, transcripts, workspace


@pytest.fixture(scope="module")
def gemini_workspace() -> object:
    with workspace() as folder:
        yield folder


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_transcript_matches_the_code(document: Path, gemini_workspace: object) -> None:
    found = transcripts(document.read_text(encoding="utf-8"))
    assert found, f"{document} shows no transcript"
    for transcript in found:
        printed = run(transcript.command)
        expected = printed[: len(transcript.shown)] if transcript.truncated else printed
        assert transcript.shown == expected, (
            f"{transcript.command}: the document is stale; "
            "regenerate with `uv run python -m tests.model.transcripts`"
        )
