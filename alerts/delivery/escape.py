"""Escaping of untrusted (scraped) text for each channel's markup.

Model names and page text come from third parties: a model called `<!channel>` must not
ping a Slack channel, `<http://x|y>` must not become a link, `*bold*` must not turn bold,
an HTML tag must not render in email, and a newline must not inject an email header.
"""

from __future__ import annotations

import html
import re

ZWSP = "\u200b"
# Slack mrkdwn formatting markers; a zero-width space on both sides keeps them from
# pairing up (Slack has no backslash escape), while the visible text stays the same.
_SLACK_MARKERS = re.compile(r"([*_~`])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def slack_mrkdwn(text: str) -> str:
    """Literal text inside a Slack mrkdwn field (control chars other than \\n dropped)."""
    text = _CONTROL.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SLACK_MARKERS.sub(ZWSP + r"\1" + ZWSP, text)


def slack_plain(text: str, limit: int = 3000) -> str:
    """Text for a Slack plain_text object: no markup is parsed there; just bound it."""
    text = _CONTROL.sub("", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_link(url: str, label: str) -> str:
    """A mrkdwn link `<url|label>`, or the escaped label alone when the URL is unusable.

    Only http(s) URLs become links; `|`, `<` and `>` in a URL would end the link early,
    so they are percent-encoded.
    """
    if not re.match(r"^https?://[^\s]+$", url) or len(url) > 1000:
        return slack_mrkdwn(label)  # not a link, or one that would crowd the 3000-char field
    safe = url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E")
    return f"<{safe.replace('|', '%7C')}|{slack_mrkdwn(label)}>"


def html_text(text: str) -> str:
    """Text as HTML content or an attribute value (quotes escaped too)."""
    return html.escape(text, quote=True)


def html_link(url: str, label: str) -> str:
    if not re.match(r"^https?://[^\s\"'<>]+$", url):
        return html_text(label)
    return f'<a href="{html_text(url)}">{html_text(label)}</a>'


def header_value(text: str, limit: int = 200) -> str:
    """A single-line email header value: CR/LF and other controls become spaces."""
    flat = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
