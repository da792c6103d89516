"""Alert channels configured by the settings THESIS_SLACK_*, THESIS_SMTP_* and
THESIS_APPRISE_URLS (core.settings.ChannelSettings; docs/configuration.md).

Secrets (webhook URL, password, Apprise URLs with tokens) are never logged, printed,
stored in the warehouse or put in error text: channels are recorded by name only
(`slack`, `email`, `apprise:<scheme>:<hash>`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from alerts.delivery.apprise_url import AppriseUrl
from alerts.delivery.base import Channel
from alerts.delivery.email import SmtpConfig, SmtpEmail
from alerts.delivery.slack import SlackWebhook
from core.errors import ConfigError
from core.settings import ChannelSettings
from core.settings.channels import WEBHOOK_URL

NO_CHANNELS = (
    "no alert channels configured: set THESIS_SLACK_WEBHOOK_URL, THESIS_SMTP_HOST "
    "(with THESIS_SMTP_TO) or THESIS_APPRISE_URLS (see `thesis alerts --help`)"
)


def channels_from_env(env: Mapping[str, str] | None = None) -> list[Channel]:
    """Every channel the settings configure, validated; [] when none is."""
    settings = ChannelSettings.load(env)
    channels: list[Channel] = []
    slack = _slack(settings)
    if slack is not None:
        channels.append(slack)
    smtp = _smtp(settings)
    if smtp is not None:
        channels.append(SmtpEmail(smtp))
    channels += [AppriseUrl.of(url.get_secret_value()) for url in settings.apprise_urls]
    return channels


def _slack(settings: ChannelSettings) -> SlackWebhook | None:
    if settings.slack_webhook_block:
        url = _secret_block(settings.slack_webhook_block)
        if not WEBHOOK_URL.match(url):
            # Never echo the value: it is a secret.
            raise ConfigError(
                f"THESIS_SLACK_WEBHOOK_BLOCK: block '{settings.slack_webhook_block}' does not "
                "hold an http(s) URL: store the whole incoming webhook URL from Slack"
            )
        return SlackWebhook(url)
    if settings.slack_webhook_url is None:
        return None
    return SlackWebhook(settings.slack_webhook_url.get_secret_value())


def _secret_block(name: str) -> str:
    """The value of a Prefect Secret block (needs a reachable Prefect API)."""
    from prefect.blocks.system import Secret

    try:
        # Called outside an event loop, load() is synchronous and returns the block.
        value = cast(Secret, Secret.load(name)).get()  # type: ignore[type-arg]
    except ValueError:
        raise ConfigError(
            f"THESIS_SLACK_WEBHOOK_BLOCK: no Prefect Secret block named '{name}'; "
            f"create it with `prefect block create secret` or fix the name"
        ) from None
    if not isinstance(value, str):
        raise ConfigError(f"THESIS_SLACK_WEBHOOK_BLOCK: block '{name}' does not hold a string")
    return value


def smtp_config_from_env(env: Mapping[str, str] | None = None) -> SmtpConfig | None:
    return _smtp(ChannelSettings.load(env))


def _smtp(settings: ChannelSettings) -> SmtpConfig | None:
    if not settings.smtp_host:
        return None
    password = settings.smtp_password
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port_in_use,
        sender=settings.smtp_sender,
        recipients=settings.smtp_to,
        security=settings.smtp_security,
        user=settings.smtp_user or "",
        password="" if password is None else password.get_secret_value(),
        ca_file="" if settings.smtp_ca_file is None else str(settings.smtp_ca_file),
    )
