"""Use-case fixtures: the warehouses the lower layers' tests build, shared here."""

from __future__ import annotations

from tests.alerts.conftest import gpt4o_cut
from tests.warehouse.conftest import con, history

__all__ = ["con", "gpt4o_cut", "history"]
