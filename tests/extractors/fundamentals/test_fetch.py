"""Fetching fundamentals without Yahoo: ticker lists, the time budget, picklable results."""

from __future__ import annotations

import pickle

import pytest

from core.errors import ConfigError
from extractors.fundamentals.fetch import DEFAULT_TICKERS, fetch_fundamentals, normalize_tickers


def test_tickers_are_upper_cased_split_on_commas_and_deduplicated() -> None:
    got = normalize_tickers(["nvda, amd", "NVDA", " 000660.ks "])
    assert got == ["NVDA", "AMD", "000660.KS"]


def test_no_tickers_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no tickers given"):
        normalize_tickers([" , "])


def test_default_tickers_name_the_theses_companies() -> None:
    assert DEFAULT_TICKERS == (
        "GOOGL",
        "AMZN",
        "MSFT",
        "META",
        "NVDA",
        "AMD",
        "AVGO",
        "TSM",
        "MU",
        "000660.KS",
        "005930.KS",
    )


def test_a_fetch_outcome_survives_pickling_for_task_results() -> None:
    fetched = fetch_fundamentals(["NVDA"], budget_s=-1.0)  # skipped before any fetch
    (back,) = pickle.loads(pickle.dumps(fetched))
    assert (back.ticker, back.error_kind) == ("NVDA", "fetch_failed")
    assert back.error == "skipped: run budget of -1s spent"
