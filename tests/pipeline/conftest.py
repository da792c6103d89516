"""Use-case fixtures: the warehouses the lower layers' tests build, shared here."""

from __future__ import annotations

from tests.alerts.conftest import gpt4o_cut
from tests.reporting.conftest import empty, full, prices_only, shared_full
from tests.warehouse.conftest import con, history

__all__ = ["con", "empty", "full", "gpt4o_cut", "history", "prices_only", "shared_full"]
