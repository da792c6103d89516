"""The daily run's steps without Prefect, against a real local HTTP server: fetch into the
spool, parse, load with the outcome recorded, conditional GETs, the checklist up front."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipeline import daily
from pipeline.daily_summary import SourceOutcome
from tests.paths import FIXTURES
from warehouse import spool
from warehouse.db import connection
from warehouse.target import parse_target

LITELLM = (FIXTURES / "litellm_history" / "2024-10-05T120000_litellm.json").read_bytes()
ETAG = '"' + hashlib.sha256(LITELLM).hexdigest()[:16] + '"'


def _litellm(request: Request) -> Response:
    if request.headers.get("If-None-Match") == ETAG:
        return Response(status=304, headers={"ETag": ETAG})
    return Response(LITELLM, headers={"ETag": ETAG, "Content-Type": "application/json"})


@pytest.fixture
def feeds(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    httpserver.expect_request("/litellm.json").respond_with_handler(_litellm)
    httpserver.expect_request("/genai.json").respond_with_data("upstream down", status=503)
    httpserver.expect_request("/openrouter").respond_with_data("{not json")
    monkeypatch.setenv("THESIS_URL_LITELLM", httpserver.url_for("/litellm.json"))
    monkeypatch.setenv("THESIS_URL_GENAI_PRICES", httpserver.url_for("/genai.json"))
    monkeypatch.setenv("THESIS_URL_OPENROUTER", httpserver.url_for("/openrouter"))
    monkeypatch.setenv("THESIS_FETCH_ATTEMPTS", "1")
    return httpserver


def _run(db: Path, source_id: str) -> tuple[daily.Fetched, SourceOutcome]:
    """One source through every step, as the flow composes them."""
    root = spool.spool_dir(db)
    headers = daily.conditional_headers(parse_target(db))
    fetched = daily.fetch_source(source_id, root, *headers.get(source_id, (None, None)))
    pending = spool.pending(root, source_id)
    errors = {str(i.path): e for i in pending if (e := daily.parse_spooled(source_id, i))}
    run_id = daily.start_run(db)
    return fetched, daily.load_source(db, run_id, source_id, pending, errors, fetched)


@pytest.mark.usefixtures("feeds")
def test_a_source_is_fetched_spooled_loaded_and_recorded_then_not_modified(
    tmp_path: Path,
) -> None:
    db = tmp_path / "w.duckdb"
    fetched, outcome = _run(db, "litellm")
    assert fetched.item is not None and fetched.error is None
    assert (outcome.status, outcome.models) == ("loaded", 3)
    assert outcome.rows_added > 0
    assert spool.pending(spool.spool_dir(db), "litellm") == []  # loaded: out of the spool
    assert daily.conditional_headers(parse_target(db)) == {"litellm": (ETAG, None)}
    again, second = _run(db, "litellm")
    assert again.item is None and again.not_modified_at is not None
    assert (second.status, second.rows_added) == ("not_modified", 0)
    with connection(db, read_only=True) as con:
        assert con.execute(
            "select status, rows_added from source_runs order by started_at"
        ).fetchall() == [("loaded", outcome.rows_added), ("not_modified", 0)]


@pytest.mark.usefixtures("feeds")
def test_a_failed_fetch_and_a_bad_payload_are_outcomes_not_exceptions(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    fetched, down = _run(db, "genai-prices")
    assert fetched.error is not None and "HTTP 503" in fetched.error.reason
    assert (down.status, down.error_kind) == ("failed", "fetch_failed")
    _, bad = _run(db, "openrouter")
    assert (bad.status, bad.error_kind) == ("failed", "bad_payload")
    with connection(db, read_only=True) as con:
        # The bad payload is archived and recorded as failed: `reprocess` can retry it.
        assert con.execute("select source, status from snapshots").fetchall() == [
            ("openrouter", "failed")
        ]


def test_no_warehouse_means_unconditional_fetches_and_no_last_outcomes(tmp_path: Path) -> None:
    db = tmp_path / "none.duckdb"
    assert daily.conditional_headers(parse_target(db)) == {}
    status = daily.source_status(db)
    assert [s["id"] for s in status][:2] == ["gemini-docs", "anthropic-docs"]
    assert all(s["last"] is None for s in status)
    assert not db.exists()


def test_a_bad_theses_file_is_the_runs_problem_line(tmp_path: Path) -> None:
    theses = tmp_path / "theses.toml"
    theses.write_text('[[thesis]]\nid = "x"\n\n[[trigger]]\nid = "t"\nkind = "teleport"\n')
    loaded, problem = daily.load_checklist(str(theses))
    assert loaded is None
    assert problem is not None and problem.startswith("alerts not evaluated: ")
    shipped, none = daily.load_checklist(None)
    assert shipped is not None and shipped.theses and none is None
