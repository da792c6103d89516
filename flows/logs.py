"""Prefect's own logging of an expected, typed failure is one line, not a traceback.

Prefect logs every exception a task or flow raises with its traceback. For a ThesisError
(a locked or full warehouse, an unreachable source, a changed layout) the traceback says
nothing the one-line reason does not, and buries it; a real bug keeps its traceback.
"""

from __future__ import annotations

import logging

from core.errors import ThesisError

RUN_LOGGERS = ("prefect.task_runs", "prefect.flow_runs")


class OneLineForExpected(logging.Filter):
    """Drops the traceback of a record whose exception is a ThesisError and says the
    error's kind and reason in its message instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, ThesisError):
            first = record.getMessage().split(":", 1)[0]  # e.g. "Task run failed with exception"
            record.msg, record.args = f"{first}: {exc.kind}: {exc}", ()
            record.exc_info, record.exc_text = None, None
        return True


def quiet_expected_failures() -> None:
    """Install the filter on Prefect's run loggers (once)."""
    for name in RUN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OneLineForExpected) for f in logger.filters):
            logger.addFilter(OneLineForExpected())
