from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from alerts.delivery.base import DeliveryFailed
from alerts.delivery.escape import ZWSP, slack_mrkdwn
from alerts.delivery.render import digest, probe_message, source_broken
from alerts.delivery.slack import SlackWebhook
from alerts.delivery.slack_blocks import (
    MAX_BLOCKS,
    MAX_HEADER_CHARS,
    MAX_POSTS,
    MAX_SECTION_CHARS,
    POST_BUDGET_CHARS,
    block_chars,
    slack_posts,
)
from alerts.records import Alert, SourceFailure
from alerts.theses.load import load_theses

HOOK = "/services/T000/B000/XXXXsecretXXXX"
GPT4O = Alert(
    "price-cut-or-rise", "price_change", "batching-economics", "info", "openai", "gpt-4o",
    "gpt-4o", "openai gpt-4o input", Decimal(5), Decimal("2.5"), "USD/Mtok", "",
    "https://openai.com/api/pricing/", dt.date(2024, 8, 6),
)  # fmt: skip

GEMINI_HEADLINE = (
    "thesis: google gemini-2.5-pro input above 200k tokens $1.25 → $2.5 (+100%) "
    "and 1 more alert (1 warning, 1 info)"
)


def received(httpserver: HTTPServer) -> dict[str, Any]:
    (entry,) = httpserver.log
    request, _ = entry
    assert request.headers["Content-Type"] == "application/json"
    data = json.loads(request.get_data())
    assert isinstance(data, dict)
    return data


def mrkdwn_texts(payload: dict[str, Any]) -> list[str]:
    texts = [payload["text"]]
    for block in payload["blocks"]:
        if block.get("text", {}).get("type") == "mrkdwn":
            texts.append(block["text"]["text"])
        texts += [e["text"] for e in block.get("elements", []) if e["type"] == "mrkdwn"]
    return texts


def test_digest_arrives_as_block_kit_with_change_thesis_and_link(
    httpserver: HTTPServer, gemini_tier: Alert, gpt4o_cut: Alert
) -> None:
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    titles = [("memory-bound-decode", "#3 Decode is memory-bandwidth-starved")]
    SlackWebhook(httpserver.url_for(HOOK)).send(digest([gpt4o_cut, gemini_tier], titles))

    payload = received(httpserver)
    blocks = payload["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": GEMINI_HEADLINE},
    }
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    # The warning's thesis comes first; its title is the thesis file's, the other is the id.
    assert sections[0] == "*#3 Decode is memory-bandwidth-starved*"
    assert sections[1] == (
        ":warning: *WARNING* google gemini-2.5-pro input above 200k tokens\n"
        "long-context tier: *1.25 -&gt; 2.5 USD/Mtok (+100%)*  (long-context-tier, 2025-06-17)\n"
        "_Roofline:_ 2x above 200k: KV-cache reads dominate decode beyond the crossover\n"
        "<https://ai.google.dev/gemini-api/docs/pricing|source page>"
    )
    assert sections[2] == "*batching-economics*"
    assert "openai gpt-4o input" in sections[3] and "*5 -&gt; 2.5 USD/Mtok (−50%)*" in sections[3]
    assert [b["type"] for b in blocks].count("divider") == 2


def test_untrusted_names_arrive_literal_not_as_mentions_links_or_bold(
    httpserver: HTTPServer, hostile_alert: Alert
) -> None:
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    SlackWebhook(httpserver.url_for(HOOK)).send(digest([hostile_alert]))

    texts = mrkdwn_texts(received(httpserver))
    alert_text = next(t for t in texts if "CRITICAL" in t)
    # `<!channel>` and `<http://x|y>` cannot be parsed: their angle brackets are entities.
    assert "&lt;!channel&gt;" in alert_text
    assert "&lt;http://x|y&gt;" in alert_text
    # `*bold*` cannot pair up: zero-width spaces sit around each marker.
    assert f"{ZWSP}*{ZWSP}bold{ZWSP}*{ZWSP}" in alert_text
    assert f"{ZWSP}`{ZWSP}code{ZWSP}`{ZWSP}" in alert_text
    assert "&amp; &lt;b&gt;html&lt;/b&gt;" in alert_text
    # The source keys it was seen under are scraped too: the same escaping.
    assert (
        f"\nseen in: litellm: &lt;!channel&gt; {ZWSP}*{ZWSP}bold{ZWSP}*{ZWSP} &lt;http://x|y&gt;,"
        " &lt;b&gt;x&lt;/b&gt; (confirms)\n"
    ) in alert_text
    for text in texts:
        assert "<!" not in text and "*bold*" not in text and "<http://x" not in text
    # What a reader sees is the original name.
    shown = alert_text.replace(ZWSP, "").replace("&lt;", "<").replace("&gt;", ">")
    assert "<!channel> *bold* <http://x|y>" in shown.replace("&amp;", "&")


def test_source_broken_is_its_own_message(httpserver: HTTPServer) -> None:
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    failure = SourceFailure(
        "openrouter",
        "layout_changed",
        "openrouter: response has no 'data' array",
        dt.date(2026, 11, 24),
        "https://openrouter.ai/api/v1/models",
    )
    SlackWebhook(httpserver.url_for(HOOK)).send(source_broken([failure]))
    payload = received(httpserver)
    assert payload["blocks"][0]["text"]["text"] == "thesis: source broken: openrouter"
    assert payload["blocks"][1]["text"]["text"] == (
        ":x: *openrouter* (layout\u200b_\u200bchanged) on 2026-11-24\n"
        "openrouter: response has no 'data' array\n"
        "<https://openrouter.ai/api/v1/models|source>"
    )


def test_a_real_48_alert_day_arrives_in_posts_each_within_slack_limits(
    httpserver: HTTPServer, real_day: list[Alert]
) -> None:
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    msg = digest(real_day, load_theses().titles())
    SlackWebhook(httpserver.url_for(HOOK)).send(msg)

    posts = [json.loads(request.get_data()) for request, _ in httpserver.log]
    assert len(posts) == 4
    for number, post in enumerate(posts, 1):
        header, *blocks = post["blocks"]
        assert header["text"]["text"].endswith(f" ({number}/4)")
        assert len(header["text"]["text"]) <= MAX_HEADER_CHARS
        assert post["text"].endswith(f" ({number}/4)")
        assert len(post["blocks"]) <= MAX_BLOCKS
        assert all(block_chars(b) <= MAX_SECTION_CHARS for b in blocks)
        assert sum(map(block_chars, post["blocks"])) <= POST_BUDGET_CHARS
        # A post that starts inside a thesis says which thesis it continues.
        assert blocks[0]["type"] == "divider"
    texts = [t for post in posts for t in mrkdwn_texts(post)]
    alerts = [t for t in texts if t.startswith((":warning:", ":information_source:"))]
    assert len(alerts) == 48  # every alert once, none left out
    # Six distinct roofline readings in the day: each paragraph is written out once.
    for reading in {a.explanation for a in real_day}:
        assert sum(slack_mrkdwn(reading) in t for t in texts) == 1


def test_a_digest_too_big_for_ten_posts_says_what_was_left_out(
    httpserver: HTTPServer, gpt4o_cut: Alert
) -> None:
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    many = [replace(gpt4o_cut, subject=f"openai model-{i}") for i in range(600)]
    SlackWebhook(httpserver.url_for(HOOK)).send(digest(many))
    posts = [json.loads(request.get_data()) for request, _ in httpserver.log]
    assert len(posts) == MAX_POSTS
    assert all(len(p["blocks"]) <= MAX_BLOCKS for p in posts)
    shown = sum(t.startswith(":information_source:") for p in posts for t in mrkdwn_texts(p))
    note = posts[-1]["blocks"][-1]["elements"][0]["text"]
    assert note == f"…and {600 - shown} more items: see `thesis alerts list`"


def test_a_failed_post_of_a_split_digest_is_named(
    httpserver: HTTPServer, real_day: list[Alert]
) -> None:
    httpserver.expect_oneshot_request(HOOK).respond_with_data("ok")
    httpserver.expect_oneshot_request(HOOK).respond_with_data("", status=500)
    with pytest.raises(DeliveryFailed, match=r"^slack: HTTP 500 \(post 2 of 4\)$"):
        SlackWebhook(httpserver.url_for(HOOK)).send(digest(real_day))


def test_http_error_is_reported_without_the_secret_url(httpserver: HTTPServer) -> None:
    httpserver.expect_request(HOOK, method="POST").respond_with_data("", status=500)
    with pytest.raises(DeliveryFailed) as info:
        SlackWebhook(httpserver.url_for(HOOK)).send(probe_message())
    assert str(info.value) == "slack: HTTP 500"


def test_slack_error_token_is_kept(httpserver: HTTPServer) -> None:
    httpserver.expect_request(HOOK, method="POST").respond_with_data("invalid_payload", status=400)
    with pytest.raises(DeliveryFailed, match=r"^slack: HTTP 400 invalid_payload$"):
        SlackWebhook(httpserver.url_for(HOOK)).send(probe_message())


def test_unreachable_webhook_reports_error_type_not_url(unused_port: int) -> None:
    url = f"http://127.0.0.1:{unused_port}{HOOK}"
    with pytest.raises(DeliveryFailed) as info:
        SlackWebhook(url, timeout_s=2).send(probe_message())
    assert str(info.value) == "slack: could not connect (ConnectionError)"
    assert "secret" not in repr(SlackWebhook(url))


@given(
    subject=st.text(max_size=600),
    explanation=st.text(max_size=3000),
    url=st.text(alphabet="ab<>|&/", max_size=1500).map(lambda s: "https://x.example/" + s),
)
def test_every_section_stays_within_slack_limits(subject: str, explanation: str, url: str) -> None:
    alert = replace(GPT4O, subject=subject, explanation=explanation, source_url=url)
    (payload,) = slack_posts(digest([alert] * 3, [("batching-economics", subject)]))
    assert len(payload["blocks"]) <= 50
    for block in payload["blocks"]:
        text = block.get("text", {}).get("text", "")
        assert len(text) <= 3000
        if block["type"] == "section":
            assert "<!" not in text
