"""Triggers confirm changes by the one rule of reconcile/confirm.py (re-exported here)."""

from reconcile.confirm import (
    Change,
    Corroborated,
    confirmed_changes,
    confirmed_timeline,
    corroborated_days,
    derived,
    settled_days,
)

__all__ = [
    "Change",
    "Corroborated",
    "confirmed_changes",
    "confirmed_timeline",
    "corroborated_days",
    "derived",
    "settled_days",
]
