"""A MotherDuck warehouse (`md:`): the string reaches DuckDB as written, and when the
service or its extension cannot be reached the user gets one line saying so.

MotherDuck itself is a network service, so here DuckDB is pointed at an extension mirror on
this machine: the request it makes shows `md:` was handed to DuckDB's MotherDuck support.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from core.errors import WarehouseUnavailable
from thesis_cli.main import app
from warehouse.db import connect


@pytest.fixture
def mirror(httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    httpserver.expect_request(re.compile("/ext/.*")).respond_with_data("", status=404)
    monkeypatch.setenv("THESIS_DUCKDB_EXTENSION_REPOSITORY", httpserver.url_for("/ext"))
    monkeypatch.setenv("THESIS_DUCKDB_EXTENSION_DIR", str(tmp_path / "extensions"))
    monkeypatch.setenv("THESIS_SPOOL_DIR", str(tmp_path / "spool"))
    return httpserver


def test_md_goes_to_duckdbs_motherduck_extension_and_its_absence_is_one_clear_error(
    mirror: HTTPServer,
) -> None:
    with pytest.raises(WarehouseUnavailable) as err:
        connect("md:thesis", wait_s=0)
    message = str(err.value)
    assert message.startswith("cannot open warehouse md:thesis: ")
    assert "motherduck" in message.lower() and "motherduck_token" in message
    asked = [request.path for request, _ in mirror.log]
    assert len(asked) == 1 and asked[0].endswith("/motherduck.duckdb_extension.gz")


def test_thesis_sql_on_an_unreachable_motherduck_prints_one_line_and_exits_1(
    mirror: HTTPServer,
) -> None:
    result = CliRunner().invoke(app, ["sql", "--db", "md:thesis", "select 1"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("thesis: cannot open warehouse md:thesis: ")


def test_a_token_in_the_connection_string_is_refused_and_never_printed(
    mirror: HTTPServer,
) -> None:
    result = CliRunner().invoke(
        app, ["sql", "--db", "md:thesis?motherduck_token=sekrit-123", "select 1"]
    )
    assert result.exit_code == 2
    assert "sekrit-123" not in result.output and "motherduck_token" in result.output
    assert mirror.log == []
