"""The reconciled sheet of one model on one day (reconcile/series.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reconcile.series import Quote, in_force, reconcile_sheet

INPUT = ("input", "standard", 0, "")
OUTPUT = ("output", "standard", 0, "")
CACHE_READ = ("cache_read", "standard", 0, "")
CATALOG = {
    "deepseek-docs": (True, 0),
    "genai-prices": (False, 10),
    "litellm": (False, 20),
    "openrouter": (False, 30),
}


def q(
    source: str,
    key: tuple[str, str, int, str],
    usd: str,
    *,
    fresh: bool = True,
    confirmed: bool = True,
) -> Quote:
    official, rank = CATALOG[source]
    return Quote(source, official, rank, fresh, key, Decimal(usd), "deepseek-chat", confirmed)


def _by_key(quotes: list[Quote]) -> dict[str, tuple[str, str, str | None, str]]:
    return {
        v.key[0]: (str(v.usd_per_mtok), v.source, v.filled_from, v.state)
        for v in reconcile_sheet(quotes)
    }


def test_one_source_per_sheet_and_another_fills_only_what_it_lacks() -> None:
    sheet = _by_key(
        [
            q("genai-prices", INPUT, "0.28"),
            q("genai-prices", OUTPUT, "0.42"),
            q("litellm", INPUT, "0.28"),
            q("litellm", CACHE_READ, "0.028"),
        ]
    )
    assert sheet == {
        "input": ("0.28", "genai-prices", None, "confirmed"),
        "output": ("0.42", "genai-prices", None, "confirmed"),
        "cache_read": ("0.028", "litellm", "litellm", "confirmed"),
    }


def test_a_fresh_official_page_beats_every_feed_and_a_stale_one_loses() -> None:
    quotes = [q("deepseek-docs", INPUT, "0.27"), q("litellm", INPUT, "0.27")]
    assert _by_key(quotes)["input"][1] == "deepseek-docs"
    stale = [q("deepseek-docs", INPUT, "0.27", fresh=False), q("litellm", INPUT, "0.28")]
    assert _by_key(stale)["input"][:2] == ("0.28", "litellm")


def test_two_fresh_sources_that_disagree_give_disputed_never_a_silent_pick() -> None:
    sheet = reconcile_sheet([q("genai-prices", INPUT, "0.28"), q("litellm", INPUT, "0.27")])
    assert [(v.state, v.disagreeing) for v in sheet] == [("disputed", ("litellm",))]


def test_a_source_that_disagrees_on_the_base_prices_fills_nothing() -> None:
    sheet = _by_key(
        [
            q("genai-prices", INPUT, "0.029", fresh=False),
            q("openrouter", INPUT, "0.030", fresh=False),
            q("openrouter", CACHE_READ, "0.030", fresh=False),
        ]
    )
    assert sheet == {"input": ("0.029", "genai-prices", None, "confirmed")}


def test_a_second_agreeing_source_confirms_a_new_value_at_once() -> None:
    sheet = reconcile_sheet(
        [
            q("genai-prices", INPUT, "0.28", confirmed=False),
            q("litellm", INPUT, "0.28", confirmed=False),
        ]
    )
    assert [(v.state, v.agreeing) for v in sheet] == [("confirmed", ("litellm",))]


def test_a_dated_price_in_force_beats_the_list_price() -> None:
    dated = [(Decimal("0.07"), None, None), (Decimal("0.028"), date(2025, 9, 5), None)]
    assert in_force(dated, date(2025, 9, 4)) == (Decimal("0.07"), None, None)
    assert in_force(dated, date(2025, 9, 5)) == (Decimal("0.028"), date(2025, 9, 5), None)


sources = st.sampled_from(sorted(CATALOG))
quotes = st.lists(
    st.builds(
        q,
        sources,
        st.sampled_from([INPUT, OUTPUT, CACHE_READ]),
        st.sampled_from(["0.1", "0.2", "0.3"]),
        fresh=st.booleans(),
        confirmed=st.booleans(),
    ),
    max_size=12,
    unique_by=lambda x: (x.source, x.key),
)


@given(quotes)
def test_every_sheet_has_one_source_and_states_follow_the_votes(qs: list[Quote]) -> None:
    sheet = reconcile_sheet(qs)
    assert len({v.sheet_source for v in sheet}) <= 1
    assert len({v.key for v in sheet}) == len(sheet)
    for v in sheet:
        assert (v.filled_from is None) == (v.source == v.sheet_source)
        assert not set(v.agreeing) & set(v.disagreeing)
        assert (v.state == "disputed") == bool(v.disagreeing)
        if v.state == "pending":
            assert not v.agreeing
    stated = {x.key for x in qs if x.source == (sheet[0].sheet_source if sheet else None)}
    assert stated <= {v.key for v in sheet}
