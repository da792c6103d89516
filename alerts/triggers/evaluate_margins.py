"""Evaluate the implied-margin triggers over the warehouse's `implied_margin_daily`
(migration 008: the stand-in bands the roofline inversion stores each day)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import duckdb

from alerts.records import Alert
from alerts.theses.load import Theses
from alerts.triggers.base import OnMargins
from alerts.triggers.inputs import MarginBand, MarginBands, ModelRef

# Margins are doubles; four places (a hundredth of a percent) is all a band says.
PLACES = Decimal("0.0001")


def evaluate_margins(
    con: duckdb.DuckDBPyConnection, theses: Theses, *, since: date | None = None
) -> list[Alert]:
    triggers = [t for t in theses.triggers if isinstance(t, OnMargins)]
    if not triggers:
        return []
    bands = load_margin_bands(con)
    alerts = [a for trigger in triggers for a in trigger.on_margins(bands)]
    return [a for a in alerts if since is None or a.date > since]


def load_margin_bands(con: duckdb.DuckDBPyConnection) -> MarginBands:
    rows = con.execute(
        "select provider, model, day, margin_low, margin_high from implied_margin_daily"
        " where margin_low is not null and margin_high is not null"
        " order by provider, model, day"
    ).fetchall()
    out: dict[ModelRef, list[MarginBand]] = defaultdict(list)
    for provider, model, day, low, high in rows:
        band = (day, _decimal(low), _decimal(high))
        out[ModelRef(provider, model, model)].append(band)
    return MarginBands(dict(out))


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(PLACES)
