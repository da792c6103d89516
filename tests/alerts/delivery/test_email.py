from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any

import pytest

from alerts.delivery.base import DeliveryFailed
from alerts.delivery.email import SmtpConfig, SmtpEmail
from alerts.delivery.render import digest, probe_message
from alerts.records import Alert

HEADLINE = (
    "thesis: google gemini-2.5-pro input above 200k tokens $1.25 → $2.5 (+100%) "
    "and 1 more alert (1 warning, 1 info)"
)
TITLES = [("memory-bound-decode", "#3 Decode is memory-bandwidth-starved")]


def parts(mail: EmailMessage) -> tuple[str, str]:
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert text is not None and html is not None
    unix = (str(p.get_content()).replace("\r\n", "\n") for p in (text, html))
    return next(unix), next(unix)


def plain_config(port: int) -> SmtpConfig:
    return SmtpConfig(
        "127.0.0.1", port, "thesis@example.com", ("analyst@example.com",), security="none"
    )


def test_digest_arrives_with_text_and_html_parts(
    start_smtp: Any, gemini_tier: Alert, gpt4o_cut: Alert
) -> None:
    server = start_smtp()
    SmtpEmail(plain_config(server.port)).send(digest([gpt4o_cut, gemini_tier], TITLES))

    (mail,) = server.inbox.messages
    assert server.inbox.envelopes == [("thesis@example.com", ["analyst@example.com"])]
    assert " ".join(mail["Subject"].split()) == HEADLINE
    assert mail.get_content_type() == "multipart/alternative"
    text, html = parts(mail)
    assert text.splitlines()[:7] == [
        HEADLINE,
        "",
        "== #3 Decode is memory-bandwidth-starved ==",
        "[WARNING] google gemini-2.5-pro input above 200k tokens",
        "  long-context tier: 1.25 -> 2.5 USD/Mtok (+100%)  (long-context-tier, 2025-06-17)",
        "  Roofline: 2x above 200k: KV-cache reads dominate decode beyond the crossover",
        "  Source: https://ai.google.dev/gemini-api/docs/pricing",
    ]
    assert "== batching-economics ==\n[INFO] openai gpt-4o input" in text
    assert "<h3>#3 Decode is memory-bandwidth-starved</h3>" in html
    assert "1.25 -&gt; 2.5 USD/Mtok" in html
    assert '<a href="https://openai.com/api/pricing/">source page</a>' in html


def test_untrusted_text_is_escaped_in_html_literal_in_text_and_cannot_inject_headers(
    start_smtp: Any, hostile_alert: Alert
) -> None:
    server = start_smtp()
    SmtpEmail(plain_config(server.port)).send(digest([hostile_alert]))

    (mail,) = server.inbox.messages
    text, html = parts(mail)
    assert "[CRITICAL] google <!channel> *bold* <http://x|y>\nBcc: victim@example.com" in text
    assert "google &lt;!channel&gt; *bold* &lt;http://x|y&gt;" in html
    assert "&lt;b&gt;html&lt;/b&gt;" in html and "<b>html</b>" not in html
    # The source keys it was seen under: literal in text, escaped in HTML.
    assert "\n  seen in: litellm: <!channel> *bold* <http://x|y>, <b>x</b> (confirms)\n" in text
    seen = "seen in: litellm: &lt;!channel&gt; *bold* &lt;http://x|y&gt;, &lt;b&gt;x&lt;/b&gt;"
    assert f"<br><small>{seen} (confirms)</small>" in html and "<b>x</b>" not in html
    # The subject stays one header line; no Bcc header was injected.
    assert mail["Bcc"] is None
    assert server.inbox.envelopes[0][1] == ["analyst@example.com"]


def test_subject_with_newlines_is_flattened(start_smtp: Any, hostile_alert: Alert) -> None:
    from dataclasses import replace

    server = start_smtp()
    msg = replace(digest([hostile_alert]), title="thesis: x\r\nBcc: victim@example.com")
    SmtpEmail(plain_config(server.port)).send(msg)
    (mail,) = server.inbox.messages
    assert mail["Subject"] == "thesis: x Bcc: victim@example.com"
    assert mail["Bcc"] is None


def test_starttls_with_login(start_smtp: Any, tls_files: Any) -> None:
    server = start_smtp(tls="starttls", login=("alice", "s3cret-pw"))
    inbox = server.inbox
    config = SmtpConfig(
        "127.0.0.1", server.port, "thesis@example.com", ("analyst@example.com",),
        security="starttls", user="alice", password="s3cret-pw", ca_file=str(tls_files.cert),
    )  # fmt: skip
    SmtpEmail(config).send(probe_message())
    assert inbox.logins == ["alice"]
    assert inbox.messages[0]["Subject"] == "thesis: test message"


# aiosmtpd warns that AUTH without STARTTLS is unsafe; here the socket itself is TLS.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls_with_login(start_smtp: Any, tls_files: Any) -> None:
    server = start_smtp(tls="tls", login=("alice", "s3cret-pw"))
    inbox = server.inbox
    config = SmtpConfig(
        "127.0.0.1", server.port, "thesis@example.com", ("analyst@example.com",),
        security="tls", user="alice", password="s3cret-pw", ca_file=str(tls_files.cert),
    )  # fmt: skip
    SmtpEmail(config).send(probe_message())
    assert inbox.logins == ["alice"] and len(inbox.messages) == 1


def test_wrong_password_fails_without_echoing_it(start_smtp: Any, tls_files: Any) -> None:
    server = start_smtp(tls="starttls", login=("alice", "s3cret-pw"))
    inbox = server.inbox
    config = SmtpConfig(
        "127.0.0.1", server.port, "thesis@example.com", ("analyst@example.com",),
        security="starttls", user="alice", password="wrong-pw", ca_file=str(tls_files.cert),
    )  # fmt: skip
    with pytest.raises(DeliveryFailed) as info:
        SmtpEmail(config).send(probe_message())
    assert str(info.value) == "email: login refused (SMTP 535)"
    assert "wrong-pw" not in repr(config) and inbox.messages == []


def test_untrusted_certificate_is_refused(start_smtp: Any, tls_files: Any) -> None:
    server = start_smtp(tls="starttls")
    config = SmtpConfig(
        "127.0.0.1", server.port, "thesis@example.com", ("analyst@example.com",),
        security="starttls",
    )  # fmt: skip
    with pytest.raises(DeliveryFailed) as info:
        SmtpEmail(config).send(probe_message())
    assert str(info.value) == (
        f"email: cannot deliver via 127.0.0.1:{server.port} (SSLCertVerificationError)"
    )


def test_server_down_is_a_delivery_failure(unused_port: int) -> None:
    with pytest.raises(DeliveryFailed) as info:
        SmtpEmail(plain_config(unused_port)).send(probe_message())
    assert str(info.value) == (
        f"email: cannot deliver via 127.0.0.1:{unused_port} (ConnectionRefusedError)"
    )


def test_the_headers_carry_a_time_zone_the_senders_domain_and_auto_submitted(
    start_smtp: Any, gpt4o_cut: Alert
) -> None:
    server = start_smtp()
    config = replace(plain_config(server.port), sender="Thesis Bot <alerts@research.example.org>")
    SmtpEmail(config).send(digest([gpt4o_cut], TITLES))

    (mail,) = server.inbox.messages
    sent = parsedate_to_datetime(mail["Date"])
    assert sent.tzinfo is not None and not mail["Date"].endswith("-0000")
    assert abs((datetime.now(UTC) - sent).total_seconds()) < 3600
    assert mail["Message-ID"].endswith("@research.example.org>")
    assert mail["Auto-Submitted"] == "auto-generated"
