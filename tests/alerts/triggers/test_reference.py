"""docs/triggers.md is the registry's reference, and its examples are valid theses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alerts.theses.load import parse_theses
from alerts.triggers.reference import DOC_PATH, render, shipped_head
from alerts.triggers.registry import KINDS

TOML_BLOCK = re.compile(r"```toml\n(.*?)```", re.DOTALL)
REGENERATE = "uv run python -m alerts.triggers.reference > docs/triggers.md"


def examples() -> list[str]:
    return TOML_BLOCK.findall(DOC_PATH.read_text(encoding="utf-8"))


def test_docs_triggers_md_is_the_rendered_registry() -> None:
    assert DOC_PATH.read_text(encoding="utf-8") == render(), f"regenerate it: {REGENERATE}"


def test_every_kind_has_a_section_a_label_a_summary_and_one_example() -> None:
    doc = DOC_PATH.read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert f"\n## {kind.kind}\n" in doc
        assert kind.summary and kind.doc
        assert f"Alerts are labelled *{kind.label}*" in doc
    kinds = [re.search(r'kind = "(\w+)"', e).group(1) for e in examples()]  # type: ignore[union-attr]
    assert kinds == list(KINDS)


@pytest.mark.parametrize("example", examples(), ids=list(KINDS))
def test_each_example_is_a_valid_trigger_added_to_the_shipped_theses(example: str) -> None:
    theses = parse_theses(shipped_head() + "\n" + example, Path("example.toml"))
    (trigger,) = theses.triggers
    assert trigger.kind in example


def test_the_documented_error_names_the_line_of_the_misspelt_metric() -> None:
    doc = DOC_PATH.read_text(encoding="utf-8")
    (line,) = re.findall(r"my-theses\.toml:(\d+): ", doc)
    threshold = KINDS["threshold"].example
    head = shipped_head() + "\n"
    offset = threshold.splitlines().index('metric = "output_input_ratio"')
    assert int(line) == len(head.splitlines()) + 1 + offset
