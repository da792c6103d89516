"""Report fixtures: warehouses built from the project's own fixture history and figures."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from alerts.delivery.outbox import record_alerts
from alerts.explain import with_explanations
from alerts.theses.load import load_theses
from alerts.triggers.evaluate import evaluate_series
from extractors.fundamentals.rows import (
    CASH_FLOW_ITEMS,
    INCOME_ITEMS,
    FundamentalRow,
    gross_margin_rows,
)
from extractors.registry import get_source
from pipeline.history import import_snapshots
from pipeline.inference import infer_and_store
from tests.paths import FIXTURES
from tests.warehouse_templates import WarehouseTemplates
from warehouse.db import connect
from warehouse.fundamentals_load import insert_fundamentals

HISTORY = FIXTURES / "litellm_history"
FUNDAMENTALS = FIXTURES / "fundamentals"
FETCHED_AT = datetime(2025, 7, 28, 6, 0, tzinfo=UTC)
INFERRED_AT = datetime(2024, 10, 6, 6, 0, tzinfo=UTC)
SOURCE_URL = "https://github.com/BerriAI/litellm"


def fundamental_rows() -> list[FundamentalRow]:
    """Every statement figure of the fundamentals fixtures, plus derived gross margins."""
    items = INCOME_ITEMS | CASH_FLOW_ITEMS
    out: list[FundamentalRow] = []
    for path in sorted(FUNDAMENTALS.glob("*.json")):
        fx = json.loads(path.read_text(encoding="utf-8"))
        rows = [
            FundamentalRow(
                fx["ticker"],
                date.fromisoformat(day),
                kind,
                items[name],
                Decimal(str(value)) * fx["scale"],
                fx["info"]["financialCurrency"],
                FETCHED_AT,
            )
            for kind in ("annual", "quarterly")
            for day, values in fx[kind].items()
            for name, value in values.items()
        ]
        out.extend(rows + gross_margin_rows(rows))
    return out


@pytest.fixture
def prices_only(tmp_path: Path) -> Path:
    """A warehouse holding only the dated LiteLLM fixture history."""
    path = tmp_path / "prices" / "thesis.duckdb"
    con = connect(path)
    try:
        import_snapshots(con, get_source("litellm"), HISTORY)
    finally:
        con.close()
    return path


def make_full(path: Path) -> Path:
    """Prices, fundamentals, the inversion of the latest prices and the alerts the shipped
    theses fire on that history: every chart built on today's tables has data."""
    con = connect(path)
    try:
        import_snapshots(con, get_source("litellm"), HISTORY)
        insert_fundamentals(con, fundamental_rows())
        infer_and_store(con, now=INFERRED_AT)
        fired = evaluate_series(con, load_theses(), source_urls={"litellm": SOURCE_URL})
        record_alerts(con, with_explanations(con, fired), [], now=INFERRED_AT)
    finally:
        con.close()
    return path


@pytest.fixture
def full(tmp_path: Path) -> Path:
    return make_full(tmp_path / "full" / "thesis.duckdb")


@pytest.fixture(scope="module")
def shared_full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`full`, built once per test module: tests only read it (copy it to change it)."""
    return make_full(tmp_path_factory.mktemp("full") / "thesis.duckdb")


@pytest.fixture
def empty(tmp_path: Path, warehouse_templates: WarehouseTemplates) -> Path:
    """A migrated warehouse with no observations at all."""
    return Path(warehouse_templates.copy(tmp_path / "empty", "thesis", "file"))
