"""The one place a command's failure becomes a message on stderr and an exit code.

Free of typer, so the fast `thesis sql` path (thesis_cli/entry.py) reports exactly as
every other command does."""

from __future__ import annotations

import sys
import traceback

from core.errors import ThesisError

INTERRUPTED = (
    "thesis: interrupted; what had loaded stays loaded (each source commits on its own) "
    "and payloads already fetched wait in the spool for the next run"
)


def report_failure(err: BaseException) -> int:
    """Print the one line for `err` (a real bug's traceback first); return the exit code."""
    if isinstance(err, ThesisError):
        print(f"thesis: {err}", file=sys.stderr)
        return err.exit_code
    if isinstance(err, KeyboardInterrupt):
        print(INTERRUPTED, file=sys.stderr)
        return 130
    traceback.print_exception(err)
    print(f"thesis: internal error: {type(err).__name__}: {err} (a bug)", file=sys.stderr)
    return 1
