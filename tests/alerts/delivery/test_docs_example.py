"""docs/alerts.md shows a digest exactly as the plain-text renderer writes it."""

from __future__ import annotations

from alerts.delivery.render import digest, plain_text
from tests.alerts.conftest import GEMINI_TIER, GPT4O_CUT
from tests.paths import ROOT

TITLES = [("memory-bound-decode", "#3 Decode is memory-bandwidth-starved")]


def test_the_digest_in_docs_alerts_md_is_what_the_renderer_writes() -> None:
    doc = (ROOT / "docs" / "alerts.md").read_text()
    shown = doc.split("```text\n", 1)[1].split("```", 1)[0]
    assert shown == plain_text(digest([GPT4O_CUT, GEMINI_TIER], TITLES))
