"""Shared fixtures: the shipped catalog, loaded once."""

from __future__ import annotations

import pytest

from model.catalog.load import Catalog, load_catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()
