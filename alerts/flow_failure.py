"""The "daily run failed" alert: a flow run that fails or crashes tells the same channels.

A run that finished with failed sources or tickers ends Failed too, but it has recorded
them and sent "source broken" itself: its state carries the run summary, and this alert
stays quiet. This is for the run itself failing or crashing: the warehouse stayed locked,
a bug, the process was killed. It is delivered straight to each channel and not recorded in the
warehouse, because the warehouse may be the very thing that failed.

Wire it as Prefect state hooks:

    daily_flow.with_options(on_failure=[alert_flow_failure], on_crashed=[alert_flow_failure])
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from alerts.delivery.base import Channel, DeliveryFailed
from alerts.delivery.channels import channels_from_env
from alerts.records import Message
from core.errors import ConfigError

# Prefect's state messages can carry a whole traceback line; an alert needs the gist.
MAX_REASON_CHARS = 600
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FlowFailure:
    """What an operator needs to act on a failed run. `ui_url` may be empty (no server)."""

    flow_name: str
    run_name: str
    state: str  # Failed | Crashed
    reason: str
    at: datetime
    ui_url: str = ""


@dataclass(frozen=True, slots=True)
class Sent:
    """One channel's outcome; `error` never carries a secret (DeliveryFailed's rule)."""

    channel: str
    ok: bool
    error: str = ""


def flow_failure_message(failure: FlowFailure) -> Message:
    reason = " ".join(failure.reason.split()) or "no reason given"
    if len(reason) > MAX_REASON_CHARS:
        reason = reason[: MAX_REASON_CHARS - 1] + "…"
    lines = [
        f"Flow run {failure.run_name} of {failure.flow_name} ended {failure.state} at "
        f"{failure.at.astimezone(UTC):%Y-%m-%d %H:%M} UTC.",
        f"Reason: {reason}",
    ]
    if failure.ui_url:
        lines.append(f"Run in the Prefect UI: {failure.ui_url}")
    lines.append("Sources and rows loaded before the failure are kept; the next run catches up.")
    title = f"thesis: daily run {failure.state.lower()}: {failure.run_name}"
    return Message("flow_failed", title, note="\n".join(lines))


def send_flow_failure(failure: FlowFailure, channels: Sequence[Channel]) -> list[Sent]:
    """Send the alert to every channel; one channel failing does not stop the others."""
    msg = flow_failure_message(failure)
    results = []
    for channel in channels:
        try:
            channel.send(msg)
        except DeliveryFailed as err:
            log.error("flow-failure alert not delivered: %s", err)
            results.append(Sent(channel.name, False, str(err)))
        else:
            results.append(Sent(channel.name, True))
    return results


def alert_flow_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect on_failure/on_crashed hook: alert through the channels in the environment.

    Arguments are Prefect's Flow, FlowRun and State. A bad channel configuration is logged
    (Prefect records hook errors, but the run has already failed for its own reason).
    """
    result = state.result(raise_on_failure=False)
    if isinstance(result, dict) and not result.get("stopped"):
        log.info("run %s finished and reported its own failures", flow_run.name)
        return  # a run stopped early (warehouse locked or full, Ctrl-C) could not: say it
    failure = FlowFailure(
        flow_name=str(flow.name),
        run_name=str(flow_run.name),
        state=str(state.name),
        reason=str(state.message or ""),
        at=datetime.now(UTC),
        ui_url=_ui_url(flow_run),
    )
    try:
        channels = channels_from_env()
    except ConfigError as err:
        log.error("flow-failure alert not sent: %s", err)
        return
    if not channels:
        log.warning("flow-failure alert not sent: no alert channels configured")
    send_flow_failure(failure, channels)


def _ui_url(flow_run: Any) -> str:
    """The run's page in the Prefect UI, or "" for an ephemeral run with no UI."""
    from prefect.utilities.urls import url_for

    return url_for(flow_run) or ""
