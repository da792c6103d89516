from __future__ import annotations

import pytest

from alerts.delivery.apprise_url import AppriseUrl
from alerts.delivery.channels import channels_from_env, smtp_config_from_env
from alerts.delivery.email import SmtpEmail
from alerts.delivery.slack import SlackWebhook
from core.errors import ConfigError

SMTP = {
    "THESIS_SMTP_HOST": "smtp.example.com",
    "THESIS_SMTP_USER": "alerts@example.com",
    "THESIS_SMTP_PASSWORD": "app-password-123",
    "THESIS_SMTP_TO": "a@example.com, b@example.com",
}


def test_no_variables_means_no_channels() -> None:
    assert channels_from_env({}) == []


def test_every_channel_from_environment() -> None:
    env = {
        "THESIS_SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T1/B2/abc",
        "THESIS_APPRISE_URLS": "json://127.0.0.1:9/a, ntfy://ntfy.sh/topic1 json://127.0.0.1:9/b",
        **SMTP,
    }
    channels = channels_from_env(env)
    assert [type(c) for c in channels] == [
        SlackWebhook, SmtpEmail, AppriseUrl, AppriseUrl, AppriseUrl
    ]  # fmt: skip
    names = [c.name for c in channels]
    assert names[:2] == ["slack", "email"] and len(set(names)) == 5
    assert names[3].startswith("apprise:ntfy:")


def test_smtp_defaults_starttls_on_587_and_sender_from_user() -> None:
    config = smtp_config_from_env(SMTP)
    assert config is not None
    assert (config.security, config.port) == ("starttls", 587)
    assert config.sender == "alerts@example.com"
    assert config.recipients == ("a@example.com", "b@example.com")
    assert "app-password-123" not in repr(config)


def test_implicit_tls_defaults_to_465() -> None:
    config = smtp_config_from_env({**SMTP, "THESIS_SMTP_SECURITY": "TLS"})
    assert config is not None and (config.security, config.port) == ("tls", 465)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"THESIS_SMTP_PORT": "58x"}, "THESIS_SMTP_PORT='58x' is not a port number: use a whole"),
        ({"THESIS_SMTP_PORT": "70000"}, "THESIS_SMTP_PORT='70000' is not a port number"),
        ({"THESIS_SMTP_SECURITY": "ssl"}, "THESIS_SMTP_SECURITY='ssl' is not known: use starttls"),
        ({"THESIS_SMTP_TO": ""}, "THESIS_SMTP_TO is not set"),
        ({"THESIS_SMTP_PASSWORD": ""}, "THESIS_SMTP_USER is set but THESIS_SMTP_PASSWORD is not"),
        ({"THESIS_SMTP_SECURITY": "none"}, "would send the password in clear"),
        ({"THESIS_SMTP_TO": "not-an-address"}, "THESIS_SMTP_TO: 'not-an-address' is not an email"),
        ({"THESIS_SMTP_HOST": ""}, "is set but THESIS_SMTP_HOST is not"),
    ],
)
def test_bad_smtp_settings_name_the_variable_and_the_fix(
    override: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")) as info:
        channels_from_env({**SMTP, **override})
    assert "app-password-123" not in str(info.value)


def test_bad_slack_url_is_rejected_without_echoing_it() -> None:
    with pytest.raises(ConfigError) as info:
        channels_from_env({"THESIS_SLACK_WEBHOOK_URL": "hooks.slack.com/services/SECRET"})
    assert "is not an http(s) URL" in str(info.value)
    assert "SECRET" not in str(info.value)


def test_slack_url_and_block_together_are_ambiguous() -> None:
    env = {"THESIS_SLACK_WEBHOOK_URL": "https://x/y", "THESIS_SLACK_WEBHOOK_BLOCK": "slack"}
    with pytest.raises(ConfigError, match="unset one"):
        channels_from_env(env)
