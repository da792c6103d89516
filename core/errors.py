"""Typed failures. Each carries a one-line reason fit for a CLI message or an alert."""

from __future__ import annotations


class ThesisError(Exception):
    """Base class: `str(err)` is the one-line reason shown to the user."""

    kind = "error"
    exit_code = 1  # 2: the user's input or config is wrong; 1: the run failed


class ConfigError(ThesisError):
    kind = "config"
    exit_code = 2


class SourceError(ThesisError):
    """A failure of one source; the run records it and carries on with the others."""

    kind = "source"

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, str]]:
        # Pickle by the constructor's arguments, so the error survives a process boundary
        # (a Dask worker, a forked fetch) with its type, source and reason intact.
        return (type(self), (self.source, self.reason))


class FetchFailed(SourceError):
    """The source could not be reached or answered with an error status."""

    kind = "fetch_failed"


class AccessDenied(FetchFailed):
    """HTTP 401/403: the resource needs credentials we lack (a gated model repo, a key)."""

    kind = "access_denied"


class NotFound(FetchFailed):
    """HTTP 404/410: the resource is gone or was renamed."""

    kind = "not_found"


class RateLimited(FetchFailed):
    """HTTP 429 that outlasted the retries (or asked for a wait beyond the cap)."""

    kind = "rate_limited"


class Blocked(SourceError):
    """The source answered with a bot/JavaScript challenge instead of content."""

    kind = "blocked"


class LayoutChanged(SourceError):
    """The payload no longer has the shape the parser relies on (name the anchor)."""

    kind = "layout_changed"


class BadPayload(SourceError):
    """The payload is malformed: truncated JSON, an HTML error page, wrong encoding."""

    kind = "bad_payload"


class InvalidPrice(SourceError):
    """A price is not a number, is negative, or is otherwise not a price."""

    kind = "invalid_price"


class AmbiguousPrice(SourceError):
    """A price cell can be read more than one way; refuse rather than guess."""

    kind = "ambiguous_price"


class TooFewModels(SourceError):
    """The payload has far fewer models than the last good snapshot of the source.
    (Kept to read failures stored before suspicious_shrink replaced it.)"""

    kind = "too_few_models"


class SuspiciousShrink(SourceError):
    """The payload would remove more of the source's live prices or models at once than
    a real sheet ever withdraws: a broken feed, not news. Nothing of it is written."""

    kind = "suspicious_shrink"


class StorageFull(SourceError):
    """A disk the run writes to is full; `source` names the write site (a source's spool,
    or "warehouse", which holds the archive too). Nothing already stored is lost; the
    next run with space catches up."""

    kind = "storage_full"


class TooFewHosts(SourceError):
    """A model's host list is far shorter than in its last good snapshot."""

    kind = "too_few_hosts"


class WarehouseError(ThesisError):
    kind = "warehouse"


class WarehouseLocked(WarehouseError):
    """Another process holds the DuckDB file."""

    kind = "warehouse_locked"


class WarehouseMissing(WarehouseError):
    """A read-only command was pointed at a warehouse file that does not exist."""

    kind = "warehouse_missing"
    exit_code = 2


class WarehouseUnavailable(WarehouseError):
    """The warehouse could not be opened: a bad file, a missing extension, no network."""

    kind = "warehouse_unavailable"


class OrchestratorUnavailable(ThesisError):
    """No Prefect API to run the flow on: the temporary server did not start in time."""

    kind = "orchestrator_unavailable"


def source_error(kind: str, source: str, reason: str) -> SourceError:
    """The typed error a stored `kind` names (a plain SourceError for an unknown one)."""
    for cls in (
        FetchFailed,
        AccessDenied,
        NotFound,
        RateLimited,
        Blocked,
        LayoutChanged,
        BadPayload,
        InvalidPrice,
        AmbiguousPrice,
        TooFewModels,
        SuspiciousShrink,
        StorageFull,
        TooFewHosts,
    ):
        if cls.kind == kind:
            return cls(source, reason)
    return SourceError(source, reason)
