"""The alias override file: validated, every problem naming the file and its line."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from reconcile.overrides import parse_overrides

SOURCES = ("litellm", "openrouter", "genai-prices")


def problems(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_overrides(text, "aliases.toml", known_sources=SOURCES)
    return str(caught.value)


def test_a_valid_file_gives_its_entries_and_the_source_specific_one_wins() -> None:
    overrides = parse_overrides(
        '[[alias]]\nkey = "k"\nmodel = "openai/gpt-4o"\n\n'
        '[[separate]]\nsource = "litellm"\nkey = "k"\nreason = "priced apart by region"\n',
        "aliases.toml",
        known_sources=SOURCES,
    )
    assert [(e.kind, e.source, e.where) for e in overrides.entries] == [
        ("alias", None, "aliases.toml:1"),
        ("separate", "litellm", "aliases.toml:5"),
    ]
    found = overrides.find("litellm", "k")
    assert found is not None and found.kind == "separate"
    other = overrides.find("openrouter", "k")
    assert other is not None and (other.provider, other.model) == ("openai", "gpt-4o")
    assert overrides.find("openrouter", "other") is None
    assert len(overrides.fingerprint) == 64


def test_bad_toml_names_the_line() -> None:
    assert problems('[[alias]]\nkey = "k"\nmodel = \n').startswith("aliases.toml:3: not valid TOML")


def test_an_unknown_table_is_named_with_its_line() -> None:
    assert problems('\n[[aliases]]\nkey = "k"\n') == (
        "aliases.toml:2: unknown table 'aliases'; use [[alias]] or [[separate]]"
    )


def test_a_missing_target_and_a_bad_one_are_each_named() -> None:
    text = '[[alias]]\nkey = "a"\n\n[[alias]]\nkey = "b"\nmodel = "gpt-4o"\n'
    assert problems(text) == (
        "aliases.toml:1: [[alias]] is missing 'model'; add model = \"...\" | "
        "aliases.toml:6: model 'gpt-4o' is not 'provider/model'; "
        'write e.g. model = "openai/gpt-4o"'
    )


def test_an_unknown_field_and_an_unknown_source_are_named() -> None:
    text = '[[separate]]\nkey = "a"\nsource = "litelm"\nmodel = "openai/x"\n'
    assert problems(text) == (
        "aliases.toml:4: [[separate]] has no field 'model'; use key, reason, source | "
        "aliases.toml:3: unknown source 'litelm'; use one of genai-prices, litellm, openrouter"
    )


def test_a_key_that_is_not_a_string_is_named() -> None:
    assert problems("[[separate]]\nkey = 3\n") == (
        "aliases.toml:2: 'key' must be a non-empty string"
    )


def test_two_entries_for_one_key_are_refused() -> None:
    text = '[[separate]]\nkey = "a"\n\n[[alias]]\nkey = "a"\nmodel = "openai/gpt-4o"\n'
    assert problems(text) == (
        "aliases.toml:4: key 'a' (every source) is already overridden at aliases.toml:1; "
        "keep one entry"
    )


def test_an_empty_file_overrides_nothing() -> None:
    assert parse_overrides("# nothing yet\n", "aliases.toml").entries == ()
