from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from alerts.theses.load import DEFAULT_THESES_PATH, load_theses
from alerts.triggers.base import Watched
from alerts.triggers.context import ContextStepUp
from alerts.triggers.price import CachePricing, PriceChange, SpreadChange, Threshold
from alerts.triggers.registry import KINDS
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
    spread, ceiling = by_id["frontier-spread-band"], by_id["context-ceiling-step-up"]
    cut, cache = by_id["price-cut-or-rise"], by_id["cache-discount-band"]
    assert isinstance(spread, SpreadChange) and isinstance(ceiling, ContextStepUp)
    assert isinstance(cut, PriceChange) and isinstance(cache, CachePricing)
    assert (spread.band_low, spread.band_high) == (Decimal(3), Decimal(8))
    assert spread.change_fraction == Decimal("0.2")
    assert (ceiling.ceiling_low, ceiling.ceiling_high) == (500_000, 1_000_000)
    assert cut.change_fraction == Decimal("0.10")
    assert cache.band_low < 10 < cache.band_high
    # Defaults are filled in: every trigger on models confirms over two snapshots.
    watched = [t for t in theses.triggers if isinstance(t, Watched)]
    assert len(watched) == 7
    assert {t.confirm_snapshots for t in watched} == {2}


def test_shipped_checklist_uses_every_kind_the_issue_names() -> None:
    used = {t.kind for t in load_theses().triggers}
    assert used == set(KINDS)


def test_good_minimal_file_loads_with_line_of_each_trigger(tmp_path: Path) -> None:
    text = HEAD + GOOD_TRIGGER
    theses = load_theses(write(tmp_path, text))
    (trigger,) = theses.triggers
    assert trigger.line == line_number(text, "[[trigger]]")
    assert isinstance(trigger, SpreadChange) and trigger.baseline_days == 90


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


THRESHOLD = """
[[trigger]]
id = "spread-above"
kind = "threshold"
thesis = "memory-bound-decode"
severity = "warning"
[trigger.params]
metric = "output_input_ratio"
above = 5
"""


def test_threshold_on_a_known_metric_loads_with_its_typed_params(tmp_path: Path) -> None:
    (trigger,) = load_theses(write(tmp_path, HEAD + THRESHOLD)).triggers
    assert isinstance(trigger, Threshold)
    assert (trigger.metric, trigger.above, trigger.below) == ("output_input_ratio", 5, None)


def test_unknown_metric_names_the_line_and_lists_the_known_metrics(tmp_path: Path) -> None:
    text = HEAD + THRESHOLD.replace("output_input_ratio", "output_input_ration")
    message = error_for(tmp_path, text)
    assert f"my-theses.toml:{line_number(text, 'output_input_ration')}:" in message
    assert "param metric has unknown value(s) output_input_ration" in message
    assert "use: output_input_ratio, long_context_price_multiplier" in message
    assert "priority_standard_ratio, cache_discount" in message


def test_unknown_param_lists_the_params_of_the_kind(tmp_path: Path) -> None:
    message = error_for(tmp_path, HEAD + THRESHOLD + "abvoe = 6\n")
    assert "trigger 'spread-above' (threshold) has unknown param 'abvoe'" in message
    assert "use one of: metric, above, below, providers, models, confirm_snapshots" in message


def test_threshold_needs_a_limit_and_its_limits_in_order(tmp_path: Path) -> None:
    text = HEAD + THRESHOLD.replace("above = 5\n", "")
    message = error_for(tmp_path, text)
    assert f":{line_number(text, '[trigger.params]')}:" in message
    assert "(threshold) needs 'above' or 'below'; add above = <number>" in message
    message = error_for(tmp_path, HEAD + THRESHOLD + "below = 6\n")
    assert "below (6) must be below above (5)" in message


def test_a_price_component_the_history_does_not_hold_is_rejected(tmp_path: Path) -> None:
    text = HEAD + THRESHOLD.replace('"threshold"', '"price_change"').replace(
        'metric = "output_input_ratio"\nabove = 5\n', 'components = ["input", "cache_write_5m"]\n'
    )
    message = error_for(tmp_path, text)
    assert f":{line_number(text, 'components')}:" in message
    assert "param components has unknown value(s) cache_write_5m" in message
    assert "use: input, output, cache_read" in message


def test_params_a_kind_does_not_evaluate_are_rejected(tmp_path: Path) -> None:
    # Fundamentals are company figures: no providers, models or snapshot confirmation.
    text = HEAD + THRESHOLD.replace('"threshold"', '"fundamentals"').replace(
        'metric = "output_input_ratio"\nabove = 5\n', 'metric = "price_move"\nproviders = ["x"]\n'
    )
    message = error_for(tmp_path, text)
    assert "(fundamentals) has unknown param 'providers'" in message
    assert "use one of: metric, tickers, change_fraction" in message


def test_a_bad_identity_and_a_bad_band_are_reported_together(tmp_path: Path) -> None:
    text = HEAD + GOOD_TRIGGER.replace("warning", "loud").replace("band_low = 3", "band_low = 9")
    message = error_for(tmp_path, text)
    assert "severity 'loud' is not known" in message
    assert "band_low (9) must be below band_high (8)" in message


def test_a_trigger_built_in_code_is_validated_too() -> None:
    with pytest.raises(ConfigError, match=r"param change_fraction is negative \(-0.1\)"):
        PriceChange(
            id="cut",
            thesis_id="batching-economics",
            severity="info",
            change_fraction=Decimal("-0.1"),
        )
