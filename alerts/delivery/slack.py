"""Slack incoming-webhook delivery (Block Kit posts from alerts.delivery.slack_blocks)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import requests

from alerts.delivery.base import DeliveryFailed
from alerts.delivery.slack_blocks import slack_posts
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
        """POST the message's posts in order; raise DeliveryFailed at the first one Slack
        did not accept (HTTP 200). The outbox then sends the whole message again on the
        next run, so a digest split in posts can arrive twice in part after a failure."""
        posts = slack_posts(msg)
        for number, payload in enumerate(posts, 1):
            where = f" (post {number} of {len(posts)})" if len(posts) > 1 else ""
            self._post(payload, where)

    def _post(self, payload: dict[str, object], where: str) -> None:
        try:
            resp = requests.post(self.webhook_url, json=payload, timeout=self.timeout_s)
        except requests.Timeout:
            raise DeliveryFailed(
                f"{self.name}: timed out after {self.timeout_s:g}s{where}"
            ) from None
        except requests.RequestException as exc:
            # str(exc) would carry the webhook URL: report the error type only.
            raise DeliveryFailed(
                f"{self.name}: could not connect ({type(exc).__name__}){where}"
            ) from None
        if resp.status_code != 200:
            body = resp.text.strip()
            detail = f" {body}" if _SLACK_ERROR_TOKEN.match(body) else ""
            raise DeliveryFailed(f"{self.name}: HTTP {resp.status_code}{detail}{where}")
