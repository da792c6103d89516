"""`thesis models`: canonical models with their keys per source, as text and JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.paths import FIXTURES, SAMPLES
from thesis_cli.main import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A warehouse loaded from tests/fixtures/identity, and no override file."""
    env = {"THESIS_DB": str(tmp_path / "models.duckdb"), "THESIS_MODEL_ALIASES_FILE": ""}
    folder = str(FIXTURES / "identity")
    loaded = runner.invoke(app, ["import-snapshots", folder, "--source", "litellm"], env=env)
    assert loaded.exit_code == 0, loaded.output
    return env


def test_json_lists_each_model_with_its_keys_first_and_last_seen(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["models", "gpt-4o", "--json"], env=env)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [f"{m['provider']}/{m['model']}" for m in doc] == [
        "openai/chatgpt-4o",
        "openai/gpt-4o",
        "openai/gpt-4o-2024-05-13",
    ]
    gpt_4o = doc[1]
    assert [(k["source_model_key"], k["outcome"], k["is_alias"]) for k in gpt_4o["keys"]] == [
        ("gpt-4o", "exact", False),
        ("gpt-4o-2024-08-06", "alias", True),
    ]
    assert (gpt_4o["first_seen_at"][:10], gpt_4o["last_seen_at"][:10]) == (
        "2025-10-01",
        "2025-10-02",
    )
    assert gpt_4o["sources"] == ["litellm"]
    old = doc[2]["keys"][0]
    assert (old["present"], old["last_seen_at"][:10]) == (False, "2025-10-01")


def test_a_glob_matches_model_and_key_names_and_source_narrows(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["models", "CLAUDE-*-2025*", "--json"], env=env)
    names = [f"{m['provider']}/{m['model']}" for m in json.loads(result.stdout)]
    assert names == ["anthropic/claude-sonnet-4", "anthropic/claude-sonnet-4-5"]
    none = runner.invoke(app, ["models", "--source", "openrouter", "--json"], env=env)
    assert json.loads(none.stdout) == []
    text = runner.invoke(app, ["models", "no-such-model"], env=env)
    assert (text.exit_code, text.stdout) == (0, "no model matches 'no-such-model'\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["models", "--source", "litelm"], "thesis: unknown source 'litelm'; choose one of: "),
        (["models", " "], "thesis: PATTERN is empty; give part of a model name"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    env: dict[str, str], args: list[str], message: str
) -> None:
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_a_missing_warehouse_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["models"], env={"THESIS_DB": str(tmp_path / "none.duckdb")})
    assert result.exit_code == 2
    assert result.stderr.startswith("thesis: no warehouse at ")


def test_an_override_file_not_yet_applied_is_noted_and_a_bad_one_is_exit_2(
    env: dict[str, str], tmp_path: Path
) -> None:
    aliases = tmp_path / "aliases.toml"
    aliases.write_text('[[separate]]\nkey = "gpt-4o-2024-08-06"\n', encoding="utf-8")
    noted = runner.invoke(
        app, ["models", "gpt-4o"], env=env | {"THESIS_MODEL_ALIASES_FILE": str(aliases)}
    )
    assert noted.exit_code == 0
    assert noted.stderr.startswith("thesis: note: the model identity below was built with")
    aliases.write_text('[[separate]]\nkye = "x"\n', encoding="utf-8")
    bad = runner.invoke(app, ["models"], env=env | {"THESIS_MODEL_ALIASES_FILE": str(aliases)})
    assert bad.exit_code == 2
    assert bad.stderr.startswith(f"thesis: {aliases}:2: [[separate]] has no field 'kye'")


@pytest.mark.samples
def test_after_importing_the_samples_the_dated_claude_key_is_an_alias(tmp_path: Path) -> None:
    """The issue's check: LiteLLM, one genai-prices and one OpenRouter file imported."""
    if not SAMPLES.is_dir():
        pytest.skip(f"real samples not present at {SAMPLES}")
    env = {"THESIS_DB": str(tmp_path / "samples.duckdb"), "THESIS_MODEL_ALIASES_FILE": ""}
    for source, name, dated in [
        ("litellm", "litellm_releases/2026-11-17T222824_1.108.11.json.gz", None),
        ("openrouter", "openrouter_models_2026-08-01.json.gz", "2026-08-01_openrouter.json.gz"),
        ("genai-prices", "genai-prices_data_2026-08-21.json.gz", "2026-08-21_genai.json.gz"),
    ]:
        folder = tmp_path / source
        folder.mkdir()
        shutil.copy(SAMPLES / name, folder / (dated or Path(name).name))
        loaded = runner.invoke(app, ["import-snapshots", str(folder), "-s", source], env=env)
        assert loaded.exit_code == 0, loaded.output
    result = runner.invoke(app, ["models", "claude-sonnet-4-5", "--json"], env=env)
    (sonnet,) = [m for m in json.loads(result.stdout) if m["provider"] == "anthropic"]
    assert sonnet["model"] == "claude-sonnet-4-5"
    assert {(k["source"], k["source_model_key"], k["outcome"]) for k in sonnet["keys"]} == {
        ("litellm", "claude-sonnet-4-5", "exact"),
        ("litellm", "claude-sonnet-4-5-20250929", "alias"),
        ("openrouter", "anthropic/claude-sonnet-4.5", "exact"),
        ("genai-prices", "anthropic/claude-sonnet-4-5", "exact"),
    }
