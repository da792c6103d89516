"""Shared test fixtures: paths to project fixtures and to ../shared/samples."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.paths import SAMPLES
from tests.warehouse_templates import WarehouseTemplates

if TYPE_CHECKING:
    from pipeline.history import ImportResult


@pytest.fixture
def samples() -> Path:
    """../shared/samples, or skip: the samples are third-party and not shipped."""
    if not SAMPLES.is_dir():
        pytest.skip(f"real samples not present at {SAMPLES}")
    return SAMPLES


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """Prefect's test server, started once per session (it costs ~10 s)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


ENGINES = ["file", "ducklake"]


@pytest.fixture(scope="session")
def warehouse_templates(tmp_path_factory: pytest.TempPathFactory) -> WarehouseTemplates:
    """Migrated warehouses built once per session; `.copy(...)` gives a test its own."""
    return WarehouseTemplates(tmp_path_factory.mktemp("warehouse-templates"))


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine the warehouse runs on; a test taking this runs once per engine."""
    return str(request.param)


@dataclass(frozen=True)
class RealHistory:
    """The samples' 363 daily LiteLLM files, imported once per session."""

    folder: Path  # the dated files
    warehouse: Path  # a DuckDB file holding them: read it, or copy it to write
    result: ImportResult  # what the import said of each file


@pytest.fixture(scope="session")
def real_history(tmp_path_factory: pytest.TempPathFactory) -> RealHistory:
    """The real history imported once (it costs a minute on a busy machine), or skip."""
    from tests.reporting.report_page import HISTORY, import_litellm_history

    if not (SAMPLES / HISTORY).is_file():
        pytest.skip(f"real samples not present at {SAMPLES / HISTORY}")
    work = tmp_path_factory.mktemp("real-history")
    db, result = import_litellm_history(SAMPLES, work)
    return RealHistory(work / "litellm", db, result)
