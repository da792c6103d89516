"""Every price-source kind of the registry, as docs/triggers.md shows it (its `example`),
evaluated over LiteLLM's real day-by-day history (../shared/samples/litellm_history:
363 dated price files, 2023-11-03 to 2026-11-17) loaded by the project's importer and
read as the triggers read it: the reconciled series of canonical models.

Each kind must fire on the real events named below; a kind added to the registry without
a case here fails `test_every_price_source_kind_has_a_real_history_case`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from alerts.records import Alert
from alerts.theses.load import parse_theses
from alerts.triggers.base import OnFundamentals, OnMargins, OnWatched
from alerts.triggers.evaluate import evaluate_history
from alerts.triggers.history import SourceHistory
from alerts.triggers.reference import shipped_head
from alerts.triggers.registry import KINDS
from alerts.triggers.series_history import load_series_history
from alerts.triggers.state import MemoryState
from tests.conftest import RealHistory
from warehouse.db import connection

pytestmark = pytest.mark.samples

Event = tuple[str, str, str, str]  # (date, subject, old value, new value) as text

# Per kind: real events its documented example must report.
EVENTS: dict[str, list[Event]] = {
    # The case: output_input_ratio above 5 used to validate and never fire.
    # gemini-2.5-flash-preview-05-20 went $0.15/$0.60 (4x) -> $0.30/$2.50 (8.33x).
    "threshold": [
        ("2025-06-21", "google gemini-2.5-flash-preview-05-20 output_input_ratio beyond threshold",
         "4.0000", "8.3333"),
    ],
    # The priority tier of gpt-5.5 went from 2x to 2.5x the standard input price.
    "step_change": [
        ("2026-11-17", "openai gpt-5.5 priority_standard_ratio", "2.0000", "2.5000"),
    ],
    "spread_change": [
        ("2025-06-21", "google gemini-2.5-flash-preview-05-20 output/input spread outside 3-8x",
         "4.0000", "8.3333"),
        ("2024-11-22", "openai gpt-4o output/input spread vs its 90-day baseline",
         "3.0000", "4.0000"),
    ],
    # The series confirms these tier sets on 2024-06-24, 2025-04-11 and 2026-03-29, and the
    # kind fires on those days (it reads confirmed prices: no second confirmation).
    # gemini-2.5-pro-preview-03-25 is a dated key of gemini-2.5-pro-preview.
    "long_context_tier": [
        ("2024-06-24", "google gemini-1.5-pro long-context tier introduced", "none", "128000"),
        ("2025-04-11", "google gemini-2.5-pro-preview long-context tier moved",
         "128000", "200000"),
        ("2026-03-29", "anthropic claude-sonnet-4-6 long-context tier removed", "200000", "none"),
    ],
    "cache_pricing": [
        ("2024-10-24", "openai gpt-4o cache pricing appears", "None", "1.250000000"),
        ("2025-03-02", "anthropic claude-3-5-haiku-20241022 cache discount outside 5-20x",
         "10.0000", "1.0000"),
    ],
    # OpenAI's o3 cut of June 2025 (-80%) and Anthropic's claude-2 cut of early 2024.
    "price_change": [
        ("2025-06-12", "openai o3 input price cut", "10.000000000", "2.000000000"),
        ("2025-06-12", "openai o3 output price cut", "40.000000000", "8.000000000"),
        ("2024-01-31", "anthropic claude-2 input price cut", "11.020000000", "8.000000000"),
    ],
    # Gemini 1.5 Pro's 2M-token context, per model and as Google's highest (which was
    # another canonical Google model's 1,048,576).
    "context_step_up": [
        ("2024-07-18", "google gemini-1.5-pro context ceiling step-up", "1000000", "2097152"),
        ("2024-07-18", "google highest context ceiling step-up (gemini-1.5-pro)",
         "1048576", "2097152"),
    ],
    # gpt-5.2 came 6 days after the previous gpt-5* release, against a mean gap of 30 days
    # (dated keys of one canonical model are one release, not several).
    "refresh_cadence": [
        ("2025-12-11", "openai flagship release gap shortened (gpt-5.2)", "30.0", "6"),
        ("2025-04-05", "google flagship release gap shortened (gemini-2.5-pro-preview)",
         "117.0", "25"),
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def history(real_history: RealHistory) -> SourceHistory:
    # LiteLLM really withdrew 78 models on 2026-03-11 and 32 on 2026-10-28: each file
    # is refused as a shrink once, and the removal loads with the next day's file.
    result = real_history.result
    assert (result.count("loaded"), result.count("failed")) == (361, 2)
    with connection(real_history.warehouse, read_only=True) as con:
        return load_series_history(con)


def example_alerts(history: SourceHistory, kind: str) -> list[Alert]:
    theses = parse_theses(shipped_head() + "\n" + KINDS[kind].example, Path("example.toml"))
    return evaluate_history(history, theses, state=MemoryState())


def events(alerts: list[Alert]) -> list[Event]:
    return [(a.date.isoformat(), a.subject, str(a.old_value), str(a.new_value)) for a in alerts]


def test_every_price_source_kind_has_a_real_history_case() -> None:
    # Company figures, the inversion's margin bands and the watched models are not in a
    # price history: test_evaluate_fundamentals, test_margin and test_watched cover them.
    elsewhere = (OnFundamentals, OnMargins, OnWatched)
    price_kinds = {k for k, cls in KINDS.items() if not issubclass(cls, elsewhere)}
    assert set(EVENTS) == price_kinds


@pytest.mark.parametrize("kind", list(EVENTS))
def test_each_kinds_documented_example_fires_on_real_events(
    history: SourceHistory, kind: str
) -> None:
    alerts = example_alerts(history, kind)
    fired = events(alerts)
    for event in EVENTS[kind]:
        assert event in fired
    assert {a.kind for a in alerts} == {kind}
    # Alerts are dated on snapshots after the baseline (the first two snapshots).
    assert {a.date for a in alerts} <= set(history.dates[2:])


def test_output_input_threshold_fires_only_beyond_its_limit(history: SourceHistory) -> None:
    alerts = example_alerts(history, "threshold")
    assert alerts and all(isinstance(a.new_value, Decimal) and a.new_value > 5 for a in alerts)
    assert {a.unit for a in alerts} == {"x"}
    assert {a.provider for a in alerts} <= {"openai", "anthropic", "google"}
    # gpt-4o stays at or below 4x its input price all along: never beyond 5x.
    assert not [a for a in alerts if a.model == "gpt-4o"]
    # A condition fires once per crossing: gpt-5's 8x stays out and fires once.
    assert len([a for a in alerts if a.model == "gpt-5"]) == 1


def test_step_change_example_fires_exactly_the_real_priority_moves(
    history: SourceHistory,
) -> None:
    # Of three years of priority tiers, only these moved by more than 20%. gpt-5.5 is
    # listed under two keys (gpt-5.5-2026-04-23 is its dated alias, model identity):
    # one change of one canonical model is one alert, kept under the key naming it.
    # Both moves came in the 2026-10-28 file, which withdrew 32 models at once: refused as
    # a shrink, its changes load with the next file (2026-11-17), the last of the sample.
    assert events(example_alerts(history, "step_change")) == [
        ("2026-11-17", "openai gpt-5.5 priority_standard_ratio", "2.0000", "2.5000"),
    ]


def test_history_spans_the_whole_sample(history: SourceHistory) -> None:
    assert (history.dates[0], history.dates[-1]) == (dt.date(2023, 11, 3), dt.date(2026, 11, 17))
    assert len(history.dates) == 361  # two files refused as shrinks, see above
