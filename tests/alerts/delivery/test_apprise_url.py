from __future__ import annotations

import json
import logging

import pytest
from pytest_httpserver import HTTPServer

from alerts.delivery.apprise_url import AppriseUrl, apprise_channel_name
from alerts.delivery.base import DeliveryFailed
from alerts.delivery.render import digest
from alerts.records import Alert
from core.errors import ConfigError

# The most important change names the digest (a scraped subject flattened to one line).
TITLE = (
    "thesis: google <!channel> *bold* <http://x|y> Bcc: victim@example.com $1.25 → $2.5 "
    "(+100%) and 1 more alert (1 critical, 1 warning)"
)


def apprise_url(httpserver: HTTPServer, path: str = "/notify") -> str:
    return f"json://{httpserver.host}:{httpserver.port}{path}"


def test_digest_arrives_at_a_json_apprise_url_as_plain_text(
    httpserver: HTTPServer, gemini_tier: Alert, hostile_alert: Alert
) -> None:
    httpserver.expect_request("/notify", method="POST").respond_with_data("ok")
    AppriseUrl.of(apprise_url(httpserver)).send(digest([gemini_tier, hostile_alert]))

    ((request, _),) = httpserver.log
    body = json.loads(request.get_data())
    assert body["title"] == TITLE
    message = body["message"]
    assert message.startswith(TITLE + "\n\n== memory-bound-decode ==")
    # Plain text: the untrusted name arrives exactly as scraped.
    assert "[CRITICAL] google <!channel> *bold* <http://x|y>" in message
    assert "long-context tier: 1.25 -> 2.5 USD/Mtok (+100%)" in message


def test_failed_apprise_delivery_names_channel_not_url(
    httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    httpserver.expect_request("/notify", method="POST").respond_with_data("", status=500)
    url = apprise_url(httpserver) + "?token=SECRET123"
    channel = AppriseUrl.of(url)
    with pytest.raises(DeliveryFailed) as info:
        channel.send(digest([]))
    assert str(info.value) == f"{channel.name}: Apprise reported the notification failed"
    assert channel.name.startswith("apprise:json:") and "SECRET123" not in channel.name
    assert "SECRET123" not in repr(channel)
    assert caplog.records and "SECRET123" not in caplog.text


def test_channel_name_is_stable_and_distinct_per_url() -> None:
    a = apprise_channel_name("json://127.0.0.1:1/a")
    assert a == apprise_channel_name("json://127.0.0.1:1/a")
    assert a != apprise_channel_name("json://127.0.0.1:1/b")


def test_unknown_scheme_is_a_config_error_without_the_url() -> None:
    with pytest.raises(ConfigError) as info:
        AppriseUrl.of("nosuchscheme://token-abc/")
    assert "token-abc" not in str(info.value)
    assert "is not a URL Apprise understands" in str(info.value)
