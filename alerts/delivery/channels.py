"""Alert channels configured from the environment.

Environment variables (all optional; set none and `thesis` alerts nowhere, saying so):

Slack (incoming webhook, Block Kit message):
    THESIS_SLACK_WEBHOOK_URL    the webhook URL, https://hooks.slack.com/services/T../B../..
    THESIS_SLACK_WEBHOOK_BLOCK  instead of the URL: the name of a Prefect Secret block that
                                holds it (`prefect block create secret`); read at start-up.

Email (SMTP; one multipart text + HTML message per run):
    THESIS_SMTP_HOST      relay host name, e.g. smtp.gmail.com (setting it enables email)
    THESIS_SMTP_PORT      port; default 587 for starttls, 465 for tls, 25 for none
    THESIS_SMTP_SECURITY  starttls (default) | tls (implicit TLS, "SMTPS") | none
    THESIS_SMTP_USER      login user name (no login when unset)
    THESIS_SMTP_PASSWORD  login password or app password (required with THESIS_SMTP_USER)
    THESIS_SMTP_FROM      sender address; defaults to THESIS_SMTP_USER
    THESIS_SMTP_TO        recipient address(es), comma or space separated (required)
    THESIS_SMTP_CA_FILE   a PEM CA bundle to trust instead of the system CAs (own relay)

Apprise (any service Apprise supports: ntfy, Discord, Teams, Telegram, json://, ...):
    THESIS_APPRISE_URLS   one or more Apprise URLs, comma or space separated; each URL is
                          its own channel, so each is delivered to exactly once.

Secrets (webhook URL, password, Apprise URLs with tokens) are never logged, printed,
stored in the warehouse or put in error text: channels are recorded by name only
(`slack`, `email`, `apprise:<scheme>:<hash>`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import cast

from alerts.delivery.apprise_url import AppriseUrl
from alerts.delivery.base import Channel
from alerts.delivery.email import Security, SmtpConfig, SmtpEmail
from alerts.delivery.slack import SlackWebhook
from core.errors import ConfigError

DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "tls": 465, "none": 25}
NO_CHANNELS = (
    "no alert channels configured: set THESIS_SLACK_WEBHOOK_URL, THESIS_SMTP_HOST "
    "(with THESIS_SMTP_TO) or THESIS_APPRISE_URLS (see `thesis alerts --help`)"
)


def channels_from_env(env: Mapping[str, str] | None = None) -> list[Channel]:
    """Every channel the environment configures, validated; [] when none is."""
    env = os.environ if env is None else env
    channels: list[Channel] = []
    slack = _slack(env)
    if slack is not None:
        channels.append(slack)
    smtp = smtp_config_from_env(env)
    if smtp is not None:
        channels.append(SmtpEmail(smtp))
    channels += [AppriseUrl.of(url) for url in _split(env.get("THESIS_APPRISE_URLS", ""))]
    return channels


def _split(value: str) -> list[str]:
    return [part for part in re.split(r"[,\s]+", value) if part]


def _get(env: Mapping[str, str], name: str) -> str:
    return env.get(name, "").strip()


def _slack(env: Mapping[str, str]) -> SlackWebhook | None:
    url, block = _get(env, "THESIS_SLACK_WEBHOOK_URL"), _get(env, "THESIS_SLACK_WEBHOOK_BLOCK")
    if url and block:
        raise ConfigError(
            "both THESIS_SLACK_WEBHOOK_URL and THESIS_SLACK_WEBHOOK_BLOCK are set: unset one"
        )
    if block:
        url = _secret_block(block)
    if not url:
        return None
    if not re.match(r"^https?://\S+$", url):
        # Never echo the value: it is a secret.
        raise ConfigError(
            "THESIS_SLACK_WEBHOOK_URL is not an http(s) URL: paste the whole incoming "
            "webhook URL from Slack (https://hooks.slack.com/services/...)"
        )
    return SlackWebhook(url)


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


def smtp_config_from_env(env: Mapping[str, str]) -> SmtpConfig | None:
    host = _get(env, "THESIS_SMTP_HOST")
    if not host:
        stray = sorted(k for k in env if k.startswith("THESIS_SMTP_") and env[k].strip())
        if stray:
            raise ConfigError(f"{stray[0]} is set but THESIS_SMTP_HOST is not: set the relay host")
        return None
    security = _get(env, "THESIS_SMTP_SECURITY").lower() or "starttls"
    if security not in DEFAULT_PORTS:
        raise ConfigError(
            f"THESIS_SMTP_SECURITY={security!r} is not known: use starttls, tls or none"
        )
    port = _port(_get(env, "THESIS_SMTP_PORT"), DEFAULT_PORTS[security])
    user, password = _get(env, "THESIS_SMTP_USER"), env.get("THESIS_SMTP_PASSWORD", "")
    if user and not password:
        raise ConfigError("THESIS_SMTP_USER is set but THESIS_SMTP_PASSWORD is not: set both")
    if user and security == "none":
        raise ConfigError(
            "THESIS_SMTP_SECURITY=none with THESIS_SMTP_USER would send the password in "
            "clear: use starttls or tls"
        )
    recipients = tuple(_split(_get(env, "THESIS_SMTP_TO")))
    if not recipients:
        raise ConfigError("THESIS_SMTP_TO is not set: give the recipient address(es)")
    sender = _get(env, "THESIS_SMTP_FROM") or user
    if not sender:
        raise ConfigError("THESIS_SMTP_FROM is not set: give the sender address")
    addresses = [("THESIS_SMTP_FROM", sender)] + [("THESIS_SMTP_TO", r) for r in recipients]
    for name, address in addresses:
        if not re.match(r"^[^@\s<>]+@[^@\s<>]+$", address):
            raise ConfigError(f"{name}: {address!r} is not an email address like a@example.com")
    return SmtpConfig(
        host=host,
        port=port,
        sender=sender,
        recipients=recipients,
        security=cast(Security, security),
        user=user,
        password=password,
        ca_file=_get(env, "THESIS_SMTP_CA_FILE"),
    )


def _port(raw: str, default: int) -> int:
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(
            f"THESIS_SMTP_PORT={raw!r} is not a port number: use a whole number "
            f"1-65535, e.g. {default}"
        )
    return int(raw)
