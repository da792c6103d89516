"""The watched-model settings: lists of org/name ids or patterns, and a cap."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from core.settings import WatchedSettings


def test_a_watch_list_is_comma_or_space_separated_org_name_entries_without_repeats() -> None:
    settings = WatchedSettings.load({"THESIS_OPENROUTER_ENDPOINTS_MODELS": "a/b, c/*  a/b"})
    assert settings.openrouter_endpoints_models == ("a/b", "c/*")
    assert settings.model_configs_models == ()  # unset: the source's built-in watchlist
    assert settings.watched_max_models == 40


def test_an_entry_without_an_org_is_one_line_naming_the_variable_and_an_example() -> None:
    with pytest.raises(ConfigError) as caught:
        WatchedSettings.load({"THESIS_MODEL_CONFIGS_MODELS": "deepseek-ai/DeepSeek-V3 gpt-5"})
    assert str(caught.value) == (
        "THESIS_MODEL_CONFIGS_MODELS='deepseek-ai/DeepSeek-V3 gpt-5' has 'gpt-5', which is not "
        "a model id or pattern of the form org/name; "
        "e.g. THESIS_MODEL_CONFIGS_MODELS=deepseek-ai/DeepSeek-V3,Qwen/Qwen3-235B-A22B"
    )


def test_a_cap_below_one_is_refused() -> None:
    with pytest.raises(ConfigError, match="THESIS_WATCHED_MAX_MODELS='0' must be at least 1"):
        WatchedSettings.load({"THESIS_WATCHED_MAX_MODELS": "0"})
