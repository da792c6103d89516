"""Connection strings: a file, a DuckLake or MotherDuck, passed to DuckDB as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from warehouse.target import parse_target


def test_a_plain_path_is_a_duckdb_file_with_home_expanded() -> None:
    target = parse_target("~/data/thesis.duckdb", env={})
    assert target.kind == "file"
    assert target.local == Path.home() / "data" / "thesis.duckdb"
    assert target.location == str(Path.home() / "data" / "thesis.duckdb")


def test_no_location_means_thesis_db_then_the_user_data_directory(tmp_path: Path) -> None:
    chosen = parse_target(None, env={"THESIS_DB": "ducklake:/srv/lake/thesis.ducklake"})
    assert (chosen.kind, chosen.local) == ("ducklake", Path("/srv/lake/thesis.ducklake"))
    default = parse_target(None, env={})
    assert default.kind == "file" and default.local is not None
    assert default.local.name == "thesis.duckdb"


def test_a_ducklake_with_a_local_catalog_keeps_its_spool_beside_the_catalog() -> None:
    target = parse_target("ducklake:/srv/lake/thesis.ducklake", env={})
    assert target.location == "ducklake:/srv/lake/thesis.ducklake"
    assert target.spool_dir(env={}) == Path("/srv/lake/spool")
    sqlite = parse_target("ducklake:sqlite:/srv/lake/meta.sqlite", env={})
    assert (sqlite.location, sqlite.local) == (
        "ducklake:sqlite:/srv/lake/meta.sqlite",
        Path("/srv/lake/meta.sqlite"),
    )


def test_remote_warehouses_go_to_duckdb_untouched_and_spool_in_the_data_directory() -> None:
    for text in ("md:thesis", "motherduck:thesis", "ducklake:postgres:dbname=lake host=db"):
        target = parse_target(text, env={})
        assert target.location == text
        assert target.local is None and target.exists() is None
        assert target.spool_dir(env={}).name == "spool"
    assert parse_target("md:thesis", env={}).kind == "motherduck"
    assert parse_target("ducklake:postgres:dbname=lake", env={}).kind == "ducklake"


def test_thesis_spool_dir_overrides_where_payloads_wait(tmp_path: Path) -> None:
    target = parse_target("md:thesis", env={})
    assert target.spool_dir(env={"THESIS_SPOOL_DIR": str(tmp_path)}) == tmp_path


def test_a_relative_local_path_is_made_absolute_for_runs_started_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert parse_target("w.duckdb", env={}).absolute() == str(tmp_path / "w.duckdb")
    assert parse_target("ducklake:lake/t.ducklake", env={}).absolute() == (
        f"ducklake:{tmp_path / 'lake' / 't.ducklake'}"
    )
    assert parse_target("md:thesis", env={}).absolute() == "md:thesis"


@pytest.mark.parametrize(
    "text",
    [
        "md:thesis?motherduck_token=eyJhbGciOi",
        "ducklake:postgres:dbname=lake password=hunter2",
    ],
)
def test_a_secret_in_the_connection_string_is_refused_without_echoing_it(text: str) -> None:
    with pytest.raises(ConfigError, match="keep secrets in the environment") as err:
        parse_target(text, env={})
    assert "eyJhbGciOi" not in str(err.value) and "hunter2" not in str(err.value)


def test_a_url_or_an_empty_catalog_says_which_forms_are_accepted() -> None:
    with pytest.raises(ConfigError, match="ducklake:CATALOG or md:DATABASE"):
        parse_target("s3://bucket/thesis.duckdb", env={})
    with pytest.raises(ConfigError, match="needs a catalog"):
        parse_target("ducklake:", env={})
