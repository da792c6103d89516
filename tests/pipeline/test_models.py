"""The models use case: canonical models with their keys, matched by name or key."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError, WarehouseMissing
from pipeline.history import import_history
from pipeline.models import STALE_NOTE, list_models
from tests.paths import FIXTURES


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("THESIS_MODEL_ALIASES_FILE", "")
    location = tmp_path / "w.duckdb"
    import_history(location, "litellm", FIXTURES / "identity")
    return location


def _names(db: Path, pattern: str | None, source: str | None = None) -> list[str]:
    return [f"{m['provider']}/{m['model']}" for m in list_models(db, pattern, source).models]


def test_a_model_is_listed_when_its_name_or_any_key_matches(db: Path) -> None:
    # The old word-order key claude-4-sonnet-20250514 is an alias of claude-sonnet-4.
    assert _names(db, "claude-4-sonnet") == ["anthropic/claude-sonnet-4"]
    assert _names(db, "OPENAI/gpt-4o") == [
        "openai/gpt-4o",
        "openai/gpt-4o-2024-05-13",
    ]
    assert _names(db, "gpt-4o-2024-0?-*") == ["openai/gpt-4o", "openai/gpt-4o-2024-05-13"]
    (sonnet,) = list_models(db, "claude-sonnet-4").models[:1]
    assert sonnet["sources"] == ["litellm"]
    assert {k["source_model_key"] for k in sonnet["keys"]} >= {
        "claude-sonnet-4-20250514",
        "claude-4-sonnet-20250514",
    }


def test_the_listing_is_current_until_the_override_file_changes(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert list_models(db).stale == ""
    aliases = tmp_path / "aliases.toml"
    aliases.write_text('[[separate]]\nkey = "gpt-4o-2024-08-06"\n', encoding="utf-8")
    monkeypatch.setenv("THESIS_MODEL_ALIASES_FILE", str(aliases))
    assert list_models(db).stale == STALE_NOTE


def test_bad_input_is_refused_before_the_warehouse_is_read(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="PATTERN is empty"):
        list_models(tmp_path / "none.duckdb", "  ")
    with pytest.raises(ConfigError, match="unknown source 'nope'"):
        list_models(tmp_path / "none.duckdb", None, "nope")
    with pytest.raises(WarehouseMissing):
        list_models(tmp_path / "none.duckdb")
