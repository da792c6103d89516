from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from alerts.theses.load import DEFAULT_THESES_PATH, load_theses
from alerts.triggers.kinds import KINDS
from core.errors import ConfigError

HEAD = """\
[[ticker]]
symbol = "MU"
name = "Micron"
group = "memory"

[[thesis]]
id = "memory-bound-decode"
title = "Decode is memory-bandwidth-starved"
tickers = ["MU"]
"""

GOOD_TRIGGER = """
[[trigger]]
id = "spread"
kind = "spread_change"
thesis = "memory-bound-decode"
severity = "warning"
[trigger.params]
band_low = 3
band_high = 8
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my-theses.toml"
    path.write_text(text, encoding="utf-8")
    return path


def line_number(text: str, needle: str, occurrence: int = 1) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def error_for(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_theses(path)
    return str(info.value)


def test_shipped_file_holds_the_five_theses_and_named_tickers() -> None:
    theses = load_theses()
    assert theses.path == DEFAULT_THESES_PATH
    assert [t.id for t in theses.theses] == [
        "batching-economics",
        "moe-rack-scale",
        "memory-bound-decode",
        "over-training",
        "expert-parallelism",
    ]
    assert set(theses.ticker_symbols()) == {
        "NVDA", "AVGO", "MU", "000660.KS", "005930.KS", "TSM",
        "GOOGL", "AMZN", "MSFT", "META", "AMD",
    }  # fmt: skip
    assert theses.thesis("memory-bound-decode").tickers == ("MU", "000660.KS", "005930.KS")


def test_shipped_checklist_carries_the_seed_parameters() -> None:
    theses = load_theses()
    by_id = {t.id: t for t in theses.triggers}
    spread = by_id["frontier-spread-band"].params
    assert (spread["band_low"], spread["band_high"]) == (Decimal(3), Decimal(8))
    assert spread["change_fraction"] == Decimal("0.2")
    ceiling = by_id["context-ceiling-step-up"].params
    assert (ceiling["ceiling_low"], ceiling["ceiling_high"]) == (500_000, 1_000_000)
    assert by_id["price-cut-or-rise"].params["change_fraction"] == Decimal("0.10")
    cache = by_id["cache-discount-band"].params
    assert cache["band_low"] < 10 < cache["band_high"]  # type: ignore[operator]
    # Defaults are filled in: every trigger confirms over two snapshots.
    assert {t.params["confirm_snapshots"] for t in theses.triggers} == {2}


def test_shipped_checklist_uses_every_kind_the_issue_names() -> None:
    used = {t.kind for t in load_theses().triggers}
    assert used == set(KINDS)


def test_good_minimal_file_loads_with_line_of_each_trigger(tmp_path: Path) -> None:
    text = HEAD + GOOD_TRIGGER
    theses = load_theses(write(tmp_path, text))
    (trigger,) = theses.triggers
    assert trigger.line == line_number(text, "[[trigger]]")
    assert trigger.params["baseline_days"] == 90


def test_unknown_kind_names_file_and_line_and_lists_kinds(tmp_path: Path) -> None:
    text = HEAD + GOOD_TRIGGER.replace('"spread_change"', '"spread_chnage"')
    message = error_for(tmp_path, text)
    assert f"my-theses.toml:{line_number(text, 'spread_chnage')}:" in message
    assert "kind 'spread_chnage' is not known" in message
    assert "spread_change" in message and "price_change" in message


def test_missing_param_points_at_params_table(tmp_path: Path) -> None:
    text = HEAD + GOOD_TRIGGER.replace("band_high = 8\n", "")
    message = error_for(tmp_path, text)
    assert f":{line_number(text, '[trigger.params]')}:" in message
    assert "missing param 'band_high'" in message
    assert "add band_high = <number>" in message


def test_wrong_type_names_the_param_line_and_the_fix(tmp_path: Path) -> None:
    text = HEAD + GOOD_TRIGGER.replace("band_low = 3", 'band_low = "3"')
    message = error_for(tmp_path, text)
    assert f":{line_number(text, 'band_low')}:" in message
    assert "band_low must be number, got '3'" in message
    assert "without quotes" in message


def test_bool_is_not_accepted_as_a_number(tmp_path: Path) -> None:
    text = HEAD + GOOD_TRIGGER.replace("band_low = 3", "band_low = true")
    assert "band_low must be number, got True" in error_for(tmp_path, text)


def test_unknown_thesis_reference_lists_declared_theses(tmp_path: Path) -> None:
    text = HEAD + GOOD_TRIGGER.replace('thesis = "memory-bound-decode"', 'thesis = "nope"')
    message = error_for(tmp_path, text)
    assert f":{line_number(text, 'thesis = ' + chr(34) + 'nope')}:" in message
    assert "thesis 'nope' is not known; use one of: memory-bound-decode" in message


def test_duplicate_trigger_id_names_the_second_occurrence(tmp_path: Path) -> None:
    text = HEAD + GOOD_TRIGGER + GOOD_TRIGGER
    message = error_for(tmp_path, text)
    assert f":{line_number(text, 'id = ' + chr(34) + 'spread', 2)}:" in message
    assert "duplicate [[trigger]] id 'spread'" in message


def test_unknown_param_is_a_typo_not_silently_ignored(tmp_path: Path) -> None:
    text = HEAD + GOOD_TRIGGER + "chnage_fraction = 0.3\n"
    message = error_for(tmp_path, text)
    assert f":{line_number(text, 'chnage_fraction')}:" in message
    assert "unknown param 'chnage_fraction'" in message


def test_inverted_band_is_rejected(tmp_path: Path) -> None:
    text = HEAD + GOOD_TRIGGER.replace("band_low = 3", "band_low = 9")
    assert "band_low (9) must be below band_high (8)" in error_for(tmp_path, text)


def test_undeclared_ticker_in_a_thesis(tmp_path: Path) -> None:
    text = HEAD.replace('tickers = ["MU"]', 'tickers = ["MU", "NVDA"]') + GOOD_TRIGGER
    message = error_for(tmp_path, text)
    assert f":{line_number(text, 'tickers = ')}:" in message
    assert "ticker 'NVDA' that no [[ticker]] declares" in message


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    text = HEAD + GOOD_TRIGGER.replace("warning", "loud").replace("band_low = 3", "band_low = 'x'")
    message = error_for(tmp_path, text)
    assert "severity 'loud' is not known; use one of: info, warning, critical" in message
    assert "band_low must be number" in message
    assert "\n" not in message


def test_toml_syntax_error_keeps_tomllib_line(tmp_path: Path) -> None:
    message = error_for(tmp_path, HEAD + "[[trigger]\nid = 1\n")
    assert "my-theses.toml:10: not valid TOML" in message
    assert "Expected ']]' at the end of an array declaration" in message


def test_missing_file_says_check_the_option(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="theses file not found; check the --theses path"):
        load_theses(tmp_path / "absent.toml")
