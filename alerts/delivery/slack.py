"""Slack incoming-webhook delivery (Block Kit payload from alerts.delivery.render)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import requests

from alerts.delivery.base import DeliveryFailed
from alerts.delivery.render import slack_payload
from alerts.records import Message

# Slack answers errors with a short token ("invalid_payload", "no_service"): safe to show.
_SLACK_ERROR_TOKEN = re.compile(r"^[a-z_]{1,60}$")


@dataclass(frozen=True, slots=True)
class SlackWebhook:
    """A Slack incoming webhook. The URL is a secret: it is never in repr or errors."""

    webhook_url: str = field(repr=False)
    name: str = "slack"
    timeout_s: float = 15.0

    def send(self, msg: Message) -> None:
        """POST the message; raise DeliveryFailed unless Slack accepted it (HTTP 200)."""
        try:
            resp = requests.post(self.webhook_url, json=slack_payload(msg), timeout=self.timeout_s)
        except requests.Timeout:
            raise DeliveryFailed(f"{self.name}: timed out after {self.timeout_s:g}s") from None
        except requests.RequestException as exc:
            # str(exc) would carry the webhook URL: report the error type only.
            raise DeliveryFailed(f"{self.name}: could not connect ({type(exc).__name__})") from None
        if resp.status_code != 200:
            body = resp.text.strip()
            detail = f" {body}" if _SLACK_ERROR_TOKEN.match(body) else ""
            raise DeliveryFailed(f"{self.name}: HTTP {resp.status_code}{detail}")
