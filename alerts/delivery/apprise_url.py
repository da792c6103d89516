"""Delivery to any Apprise URL (ntfy, Discord, Teams, Telegram, json://, ...)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import apprise

from alerts.delivery.base import DeliveryFailed
from alerts.delivery.render import plain_text
from alerts.records import Message
from core.errors import ConfigError


def apprise_channel_name(url: str) -> str:
    """A stable, secret-free name: scheme plus a short hash of the whole URL."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else "unknown"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:8]
    return f"apprise:{scheme}:{digest}"


@dataclass(frozen=True, slots=True)
class AppriseUrl:
    """One Apprise URL. URLs embed tokens: the URL is never in repr, logs or errors."""

    url: str = field(repr=False)
    name: str = ""

    @classmethod
    def of(cls, url: str) -> AppriseUrl:
        name = apprise_channel_name(url)
        if apprise.Apprise.instantiate(url) is None:
            raise ConfigError(
                f"THESIS_APPRISE_URLS: {name} is not a URL Apprise understands; "
                "see https://github.com/caronc/apprise/wiki for the URL formats"
            )
        return cls(url, name)

    def send(self, msg: Message) -> None:
        notifier = apprise.Apprise()
        if not notifier.add(self.url):
            raise DeliveryFailed(f"{self.name}: not a URL Apprise understands")
        ok = notifier.notify(
            title=msg.title,
            body=plain_text(msg),
            body_format=apprise.NotifyFormat.TEXT,
        )
        if not ok:
            raise DeliveryFailed(f"{self.name}: Apprise reported the notification failed")
