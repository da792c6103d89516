"""Where alerts go: Slack, email over SMTP, and any Apprise URL. Secrets stay secret."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import SecretStr, field_validator, model_validator

from core.settings.base import AnyCase, Section, setting

Security = Literal["starttls", "tls", "none"]
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "tls": 465, "none": 25}
ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")
WEBHOOK_URL = re.compile(r"^https?://\S+$")
LIST_SEPARATORS = re.compile(r"[,\s]+")


def split_list(value: object) -> object:
    """'a, b c' -> ('a', 'b', 'c'): lists are written comma or space separated."""
    if isinstance(value, str):
        return tuple(part for part in LIST_SEPARATORS.split(value) if part)
    return value


class ChannelSettings(Section):
    """All optional: set none and `thesis` alerts nowhere, saying so. Secrets (the
    webhook URL, the SMTP password, Apprise URLs) are never logged, printed, stored or put
    in an error message: channels are recorded by name only (`slack`, `email`,
    `apprise:<scheme>:<hash>`)."""

    title = "Alert channels"

    slack_webhook_url: SecretStr | None = setting(
        None,
        "Slack incoming-webhook URL (a Block Kit digest).",
        example="https://hooks.slack.com/services/T000/B000/XXXX",
    )
    slack_webhook_block: str | None = setting(
        None,
        "Instead of the URL: the name of a Prefect Secret block holding it "
        "(`prefect block create secret`), read at start-up.",
        example="thesis-slack",
    )
    smtp_host: str | None = setting(
        None, "SMTP relay host; setting it enables email.", example="smtp.gmail.com"
    )
    smtp_security: Annotated[Security, AnyCase] = setting(
        "starttls",
        '`starttls`, `tls` (implicit TLS, "SMTPS") or `none`.',
        example="tls",
    )
    smtp_port: int | None = setting(
        None,
        "SMTP port.",
        example="587",
        default_text="587 (starttls), 465 (tls), 25 (none)",
        problem="is not a port number: use a whole number 1-65535",
        ge=1,
        le=65535,
    )
    smtp_user: str | None = setting(
        None, "Login user name (no login when unset).", example="alerts@example.com"
    )
    smtp_password: SecretStr | None = setting(
        None,
        "Login password or app password; required with THESIS_SMTP_USER, never sent over `none`.",
        example="app-password",
    )
    smtp_from: str | None = setting(
        None,
        "Sender address.",
        example="thesis@example.com",
        default_text="THESIS_SMTP_USER",
    )
    smtp_to: tuple[str, ...] = setting(
        (),
        "Recipient addresses, comma or space separated (required with THESIS_SMTP_HOST).",
        example="a@example.com,b@example.com",
    )
    smtp_ca_file: Path | None = setting(
        None,
        "A PEM CA bundle to trust instead of the system CAs (your own relay).",
        example="/etc/ssl/certs/relay-ca.pem",
        default_text="the system CAs",
    )
    apprise_urls: tuple[SecretStr, ...] = setting(
        (),
        "Apprise URLs (`ntfy://`, `discord://`, `json://`, ...), comma or space separated; "
        "each is its own channel, delivered to exactly once.",
        example="ntfy://ntfy.sh/my-topic",
    )

    @field_validator("smtp_to", "apprise_urls", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        return split_list(value)

    @field_validator("slack_webhook_url")
    @classmethod
    def _slack_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_URL.match(value.get_secret_value()):
            raise ValueError(
                "is not an http(s) URL: paste the whole incoming webhook URL from Slack"
            )
        return value

    @field_validator("apprise_urls")
    @classmethod
    def _apprise_urls(cls, value: tuple[SecretStr, ...]) -> tuple[SecretStr, ...]:
        for number, url in enumerate(value, 1):
            if "://" not in url.get_secret_value():
                raise ValueError(
                    f"has an entry (number {number}) that is not a URL: write each as "
                    "scheme://..., see https://github.com/caronc/apprise/wiki"
                )
        return value

    @field_validator("smtp_ca_file")
    @classmethod
    def _ca_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.expanduser().is_file():
            raise ValueError("is not a file: give the path of a PEM CA bundle")
        return None if value is None else value.expanduser()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.slack_webhook_url is not None and self.slack_webhook_block:
            raise ValueError(
                "both THESIS_SLACK_WEBHOOK_URL and THESIS_SLACK_WEBHOOK_BLOCK are set: unset one"
            )
        if self.smtp_host:
            self._check_smtp()
        else:
            stray = sorted(f for f in self.model_fields_set if f.startswith("smtp_"))
            if stray:
                raise ValueError(
                    f"THESIS_{stray[0].upper()} is set but THESIS_SMTP_HOST is not: "
                    "set the relay host"
                )
        return self

    def _check_smtp(self) -> None:
        if self.smtp_user and self.smtp_password is None:
            raise ValueError("THESIS_SMTP_USER is set but THESIS_SMTP_PASSWORD is not: set both")
        if self.smtp_user and self.smtp_security == "none":
            raise ValueError(
                "THESIS_SMTP_SECURITY=none with THESIS_SMTP_USER would send the password in "
                "clear: use starttls or tls"
            )
        if not self.smtp_to:
            raise ValueError(
                "THESIS_SMTP_TO is not set: give the recipient address(es), "
                "e.g. THESIS_SMTP_TO=a@example.com"
            )
        if not self.smtp_sender:
            raise ValueError(
                "THESIS_SMTP_FROM is not set: give the sender address, "
                "e.g. THESIS_SMTP_FROM=thesis@example.com"
            )
        addresses = [("THESIS_SMTP_FROM", self.smtp_sender)]
        addresses += [("THESIS_SMTP_TO", r) for r in self.smtp_to]
        for name, address in addresses:
            if not ADDRESS.match(address):
                raise ValueError(f"{name}: {address!r} is not an email address like a@example.com")

    @property
    def smtp_sender(self) -> str:
        return self.smtp_from or self.smtp_user or ""

    @property
    def smtp_port_in_use(self) -> int:
        return self.smtp_port or DEFAULT_PORTS[self.smtp_security]
