"""The disclosures file: the shipped entries cite and quote their figures; a bad entry
is refused with a message that names file, entry, field and fix."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from core.errors import ConfigError
from model.catalog.disclosures import latest_aggregate, layouts, load_disclosures

ENTRY = """
[[disclosure]]
id = "lab-2026-01-01-tokens"
date = 2026-01-01
who = "Lab"
metric = "aggregate_tokens"
value = 1e15
unit = "tokens_per_month"
scope = "all products"
source_url = "https://example.com/a"
quote = "we served a quadrillion tokens last month"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "disclosures.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_entry_quotes_the_figure_it_states() -> None:
    shipped = load_disclosures()
    assert len(shipped) == 11 and len({d.id for d in shipped}) == 11
    for d in shipped:
        assert d.source_url.startswith("https://") and d.quote
        # the value's leading figure, as a sentence would write it: 3.2e15 -> "3.2"
        scaled = {f"{d.value / 10**k:g}" for k in (0, 9, 12, 15)}
        assert any(re.search(rf"(?<![\d.]){re.escape(s)}(?![\d])", d.quote) for s in scaled), d.id


def test_the_latest_whole_aggregate_is_googles_monthly_figure_in_tokens_per_second() -> None:
    latest = latest_aggregate(load_disclosures())
    assert latest is not None and latest.id == "google-2026-05-19-monthly-tokens"
    assert latest.tokens_per_second == pytest.approx(3.2e15 / (86_400 * 365.25 / 12))
    assert round(latest.tokens_per_second or 0, -6) == 1_217_000_000


def test_an_api_only_figure_never_stands_for_a_labs_traffic(tmp_path: Path) -> None:
    api = ENTRY.replace("all products", "the API only").replace("2026-01-01\n", "2026-02-01\n")
    assert latest_aggregate(load_disclosures(write(tmp_path, api))) is None


def test_layout_entries_group_into_deployments() -> None:
    decode, prefill = layouts(load_disclosures())
    assert (decode.deployment, decode.phase, decode.hardware) == (
        "deepseek-v3-decode-2025-02",
        "decode",
        "h800",
    )
    assert (decode.degree("ep_degree"), decode.degree("chips_per_domain")) == (144, 8)
    assert decode.degree("pp_degree") is None  # not stated, not 1
    assert decode.output_tokens_per_s_per_user == 20.0 and decode.date == date(2025, 3, 1)
    assert prefill.degree("ep_degree") == 32


def test_a_file_of_comments_only_is_an_empty_list(tmp_path: Path) -> None:
    assert load_disclosures(write(tmp_path, "# [[disclosure]]\n# id = ...\n")) == []


@pytest.mark.parametrize(
    ("edit", "field", "fix"),
    [
        (("quote = ", "qoute = "), "qoute", "use one of: id, date"),
        (('unit = "tokens_per_month"', 'unit = "chips"'), "unit", "use tokens_per_second"),
        (('metric = "aggregate_tokens"', 'metric = "pp_degree"\nunit2 = 1'), "unit2", "use one"),
        (('quote = "we served a quadrillion tokens last month"', 'quote = ""'), "quote", "add"),
        (("date = 2026-01-01", 'date = "2026"'), "date", "no quotes"),
        (("value = 1e15", "value = -3"), "value", "value = 480e12"),
        (
            ('source_url = "https://example.com/a"', 'source_url = "example.com"'),
            "source_url",
            "https",
        ),
    ],
)
def test_a_bad_entry_names_file_entry_field_and_fix(
    tmp_path: Path, edit: tuple[str, str], field: str, fix: str
) -> None:
    path = write(tmp_path, ENTRY.replace(*edit))
    with pytest.raises(ConfigError) as err:
        load_disclosures(path)
    message = str(err.value)
    assert str(path) in message and "disclosure #1 (lab-2026-01-01-tokens)" in message
    assert f"field '{field}'" in message and fix in message


def test_a_layout_needs_its_deployment_and_whole_chips(tmp_path: Path) -> None:
    layout = ENTRY.replace('"aggregate_tokens"', '"pp_degree"').replace(
        'unit = "tokens_per_month"', 'unit = "chips"'
    )
    with pytest.raises(ConfigError, match="field 'deployment': a layout figure needs"):
        load_disclosures(write(tmp_path, layout.replace("value = 1e15", "value = 4")))
    staged = layout.replace("value = 1e15", 'value = 4.5\ndeployment = "x"')
    with pytest.raises(ConfigError, match="not a whole number of chips"):
        load_disclosures(write(tmp_path, staged))


def test_ids_are_unique(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\['lab-2026-01-01-tokens'\] used twice"):
        load_disclosures(write(tmp_path, ENTRY + ENTRY))
