"""The rules every loader shares for a payload it records: when a refused shrink is real,
and what a snapshot row says of the payload's outcome.

A payload that would remove much of what a source (a feed's entries, a model's host list)
stated before is refused once: a broken answer is far likelier than news. The next
payload that removes (nearly) the same keys confirms the removal, and loads; one that
removes other keys is a new shrink, refused in turn.
"""

from __future__ import annotations

from typing import Any

from core.errors import SourceError

# Two payloads remove "the same" keys when they share this much of what either removes.
SAME_REMOVAL = 0.9


def confirms_removal(gone: frozenset[str], refused: frozenset[str]) -> bool:
    """`gone` (the keys this payload would remove) repeats `refused` (those the previous
    payload, refused as a shrink, would have removed): the shrink persists, it is real."""
    if not gone or not refused:
        return False
    return len(gone & refused) >= SAME_REMOVAL * len(gone | refused)


def outcome_columns(
    status: str, error: SourceError | None, count_column: str, count: int
) -> dict[str, Any]:
    """A snapshot row's outcome: its status, the error's kind and reason (if failed), and
    its count (models, hosts) only when it loaded."""
    return {
        "status": status,
        "error_kind": error.kind if error else None,
        "error": error.reason if error else None,
        count_column: count if status == "loaded" else None,
    }
