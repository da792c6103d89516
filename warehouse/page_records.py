"""What the warehouse keeps about official pages beside their observations: the sections
each snapshot skipped, and the diff of a page's pricing text from one payload to the next
(migration 009). Written by the loader in the same transaction as the snapshot.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache

import duckdb

from core.errors import SourceError, source_error
from core.rows import SectionFailure
from extractors.base import Source
from warehouse.archive import read_raw
from warehouse.tables import PAGE_DIFFS, PAGE_SECTION_FAILURES, PageDiffRow, PageSectionFailureRow
from warehouse.write import insert_rows

# Error kinds whose alert points at the page diff: the page changed under the parser.
_LAYOUT_KINDS = frozenset({"layout_changed", "too_few_models", "suspicious_shrink"})


def diff_command(source: str, since: date) -> str:
    return f"thesis pages diff {source} --since {since.isoformat()}"


def text_diff(
    source: str, old: str, new: str, old_at: datetime, new_at: datetime
) -> tuple[str, int, int]:
    """(unified diff, lines added, lines removed) between two pricing texts."""
    lines = list(
        difflib.unified_diff(
            old.splitlines(),
            new.splitlines(),
            fromfile=f"{source} {_stamp(old_at)}",
            tofile=f"{source} {_stamp(new_at)}",
            lineterm="",
            n=1,
        )
    )
    added = sum(1 for ln in lines if ln.startswith("+") and not ln.startswith("+++"))
    removed = sum(1 for ln in lines if ln.startswith("-") and not ln.startswith("---"))
    return "\n".join(lines) + ("\n" if lines else ""), added, removed


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%MZ")


@dataclass(frozen=True, slots=True)
class _Seen:
    """A payload the recorder compared with or will compare with: its pricing text on
    demand (None: no text to compare, a challenge page say)."""

    digest: str
    observed_at: datetime
    text: Callable[[], str | None]


@dataclass
class PageRecorder:
    """Collects a page source's skipped sections and page diffs for the loader to write.

    For a source that is not a page (`Source.page_text` is None) it records nothing.
    """

    con: duckdb.DuckDBPyConnection
    source: Source
    failures: list[PageSectionFailureRow] = field(default_factory=list)
    diffs: list[PageDiffRow] = field(default_factory=list)
    _previous: _Seen | None = None
    _started: bool = False

    def add(
        self,
        snapshot_id: str,
        digest: str,
        observed_at: datetime,
        payload: bytes,
        failures: list[SectionFailure],
        error: SourceError | None,
    ) -> SourceError | None:
        """Record one new snapshot; returns `error`, pointing at the page diff when the
        page's layout changed and its pricing text differs from the previous payload."""
        if self.source.page_text is None:
            return error
        self.failures += [
            PageSectionFailureRow(
                snapshot_id=snapshot_id,
                source=f.source,
                observed_at=observed_at,
                section=f.section,
                heading=f.heading,
                error_kind=f.kind,
                error=f.reason,
                models=list(f.models),
            )
            for f in failures
        ]
        found = self._diff(snapshot_id, digest, observed_at, payload)
        if found is None or error is None or error.kind not in _LAYOUT_KINDS:
            return error
        note = f"; what changed on the page: `{diff_command(self.source.id, observed_at.date())}`"
        return source_error(error.kind, error.source, error.reason + note)

    def _diff(
        self, snapshot_id: str, digest: str, observed_at: datetime, payload: bytes
    ) -> PageDiffRow | None:
        previous = self._latest()
        if previous is not None and previous.digest == digest:
            self._previous = _Seen(digest, observed_at, previous.text)  # no text to compare
            return None
        text = self._text(payload)
        self._previous = _Seen(digest, observed_at, lambda: text)
        old_text = None if previous is None else previous.text()
        if previous is None or text is None or old_text is None or old_text == text:
            return None
        body, added, removed = text_diff(
            self.source.id, old_text, text, previous.observed_at, observed_at
        )
        found = PageDiffRow(
            snapshot_id=snapshot_id,
            source=self.source.id,
            observed_at=observed_at,
            content_sha256=digest,
            previous_sha256=previous.digest,
            previous_observed_at=previous.observed_at,
            lines_added=added,
            lines_removed=removed,
            diff=body,
        )
        self.diffs.append(found)
        return found

    def _text(self, payload: bytes) -> str | None:
        assert self.source.page_text is not None
        try:
            return self.source.page_text(payload)
        except SourceError:  # a challenge page or an empty body: nothing to compare
            return None

    def _latest(self) -> _Seen | None:
        """The source's newest payload before this batch (read once; its text only when
        a payload differs from it: a page seen again is not read again)."""
        if not self._started:
            self._started = True
            row = self.con.execute(
                "select content_sha256, observed_at from snapshots where source = ?"
                " order by observed_at desc limit 1",
                [self.source.id],
            ).fetchone()
            if row is not None:
                digest = row[0]
                self._previous = _Seen(
                    digest, row[1], cache(lambda: self._text(read_raw(self.con, digest)))
                )
        return self._previous

    def flush(self, snapshot_ids: list[str]) -> None:
        """Write what was collected for `snapshot_ids` (in the loader's transaction),
        replacing what an earlier load of the same snapshots wrote."""
        if self.source.page_text is None:
            return
        for table in ("page_section_failures", "page_diffs"):
            self.con.execute(
                f"delete from {table} where list_contains(?, snapshot_id)", [snapshot_ids]
            )
        insert_rows(self.con, PAGE_SECTION_FAILURES, self.failures)
        insert_rows(self.con, PAGE_DIFFS, self.diffs)
        self.failures, self.diffs = [], []


def stored_diffs(
    con: duckdb.DuckDBPyConnection, source: str, since: date | None = None
) -> list[PageDiffRow]:
    """The page diffs of `source` observed on or after `since`, oldest first; without
    `since`, the newest one only."""
    sql = "select * from page_diffs where source = ?"
    if since is None:
        query = con.execute(sql + " order by observed_at desc limit 1", [source])
    else:
        query = con.execute(
            sql + " and cast(observed_at as date) >= ? order by observed_at", [source, since]
        )
    return PAGE_DIFFS.rows(query)


def latest_skipped(con: duckdb.DuckDBPyConnection, source: str) -> list[SectionFailure]:
    """The sections the newest loaded snapshot of `source` skipped."""
    row = con.execute(
        "select snapshot_id from snapshots where source = ? and status = 'loaded'"
        " order by observed_at desc limit 1",
        [source],
    ).fetchone()
    return [] if row is None else skipped_in(con, row[0])


def skipped_in(con: duckdb.DuckDBPyConnection, snapshot_id: str) -> list[SectionFailure]:
    """The sections snapshot `snapshot_id` skipped, by section."""
    rows = PAGE_SECTION_FAILURES.rows(
        con.execute(
            "select * from page_section_failures where snapshot_id = ? order by section",
            [snapshot_id],
        )
    )
    return [
        SectionFailure(
            source=r.source,
            section=r.section,
            heading=r.heading,
            kind=r.error_kind,
            reason=r.error,
            models=tuple(r.models),
        )
        for r in rows
    ]
