from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from alerts.delivery.escape import (
    ZWSP,
    header_value,
    html_link,
    html_text,
    slack_link,
    slack_mrkdwn,
)

printable = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=200)


def slack_visible(escaped: str) -> str:
    """What Slack shows for escaped mrkdwn with no markup: entities decoded, ZWSP invisible."""
    return escaped.replace(ZWSP, "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@given(printable)
def test_slack_escape_leaves_no_control_sequence_and_shows_the_original(text: str) -> None:
    escaped = slack_mrkdwn(text)
    assert "<" not in escaped and ">" not in escaped
    # Every & starts one of the three entities.
    assert escaped.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "").count("&") == 0
    assert slack_visible(escaped) == text.replace(ZWSP, "")


@given(printable)
def test_slack_markers_never_touch_a_visible_character(text: str) -> None:
    escaped = slack_mrkdwn(text)
    for i, ch in enumerate(escaped):
        if ch in "*_~`":
            assert escaped[i - 1] == ZWSP and escaped[i + 1] == ZWSP


def test_slack_examples_from_the_issue() -> None:
    assert slack_mrkdwn("<!channel>") == "&lt;!channel&gt;"
    assert slack_mrkdwn("*bold* <http://x|y>") == (
        f"{ZWSP}*{ZWSP}bold{ZWSP}*{ZWSP} &lt;http://x|y&gt;"
    )


def test_slack_link_only_links_http_and_cannot_be_broken_out_of() -> None:
    assert (
        slack_link("https://a.example/p?x=1&y=2", "page")
        == "<https://a.example/p?x=1&amp;y=2|page>"
    )
    assert slack_link("https://a.example/a|b>c", "p") == "<https://a.example/a%7Cb%3Ec|p>"
    assert slack_link("javascript:alert(1)", "p") == "p"


@given(printable)
def test_html_escape_round_trips(text: str) -> None:
    escaped = html_text(text)
    assert "<" not in escaped and '"' not in escaped
    assert html.unescape(escaped) == text


def test_html_link_refuses_non_http() -> None:
    assert html_link("javascript:alert(1)", "<x>") == "&lt;x&gt;"
    assert html_link('https://a.example/"x', "p") == "p"


@given(st.text(max_size=300))
def test_header_values_are_one_line(text: str) -> None:
    value = header_value(text)
    assert "\r" not in value and "\n" not in value and len(value) <= 200
