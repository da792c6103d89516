"""Building messages (digest, source broken, test) and rendering them per channel format.

A digest is one message per run per channel: alerts grouped by thesis, the group with the
most severe alert first, most severe first within a group. Untrusted text goes through
alerts.delivery.escape for the target markup; plain text is left as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from alerts.delivery.escape import html_link, html_text, slack_link, slack_mrkdwn, slack_plain
from alerts.records import SEVERITY_RANK, Alert, Message, SourceFailure, value_text
from alerts.triggers.registry import KINDS

SLACK_MAX_BLOCKS = 50
SEVERITY_EMOJI = {
    "critical": ":rotating_light:",
    "warning": ":warning:",
    "info": ":information_source:",
}
# The trigger kinds name themselves; page alerts (alerts.page_news) are not triggers.
KIND_LABELS = {k: cls.label for k, cls in KINDS.items()} | {
    "page_new_model": "new model on the official page",
    "page_parser_attention": "page section skipped",
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def digest(alerts: Iterable[Alert], thesis_titles: Iterable[tuple[str, str]] = ()) -> Message:
    """One message for the run's alerts, titled by the most important change (the subject
    line and Slack's notification text), e.g. "thesis: openai gpt-5.5 output $10 → $5
    (−50%) and 2 more alerts (1 warning, 2 info)"."""
    items = tuple(alerts)
    counts = [
        f"{sum(a.severity == s for a in items)} {s}"
        for s in ("critical", "warning", "info")
        if any(a.severity == s for a in items)
    ]
    if not items:
        return Message("digest", "thesis: no alerts", thesis_titles=tuple(thesis_titles))
    title = f"thesis: {headline(most_important(items))}"
    if len(items) > 1:
        title += f" and {_plural(len(items) - 1, 'more alert')} ({', '.join(counts)})"
    return Message("digest", title, alerts=items, thesis_titles=tuple(thesis_titles))


def most_important(alerts: Iterable[Alert]) -> Alert:
    """The most severe alert; among equals, the largest relative change."""
    return max(alerts, key=lambda a: (SEVERITY_RANK[a.severity], abs(pct_change(a) or 0)))


def pct_change(alert: Alert) -> Decimal | None:
    """(new - old) / old in percent, when both values are numbers and old is not zero."""
    try:
        old, new = Decimal(str(alert.old_value)), Decimal(str(alert.new_value))
    except InvalidOperation:
        return None
    if old == 0 or not old.is_finite() or not new.is_finite():
        return None
    return (new - old) / old * 100


def pct_text(alert: Alert) -> str:
    """ " (−50%)", " (+100%)", or "" when there is no relative change to show."""
    pct = pct_change(alert)
    if pct is None:
        return ""
    rounded = pct.quantize(Decimal(1) if abs(pct) >= 10 else Decimal("0.1"))
    sign = "+" if rounded > 0 else "−" if rounded < 0 else "±"
    return f" ({sign}{value_text(abs(rounded))}%)"


def headline(alert: Alert) -> str:
    """The change in one phrase: "openai gpt-5.5 output $10 → $5 (−50%)"."""
    if alert.unit == "USD/Mtok":
        old, new = (f"${value_text(v)}" for v in (alert.old_value, alert.new_value))
        change = f"{old} → {new}"
    else:
        unit = f" {alert.unit}" if alert.unit else ""
        change = f"{value_text(alert.old_value)} → {value_text(alert.new_value)}{unit}"
    subject = " ".join(alert.subject.split())  # scraped: one line, in a subject too
    return f"{subject} {change}{pct_text(alert)}"


def source_broken(failures: Iterable[SourceFailure]) -> Message:
    items = tuple(failures)
    names = ", ".join(sorted({f.source for f in items}))
    return Message("source_broken", f"thesis: source broken: {names}", failures=items)


def probe_message() -> Message:
    return Message(
        "test",
        "thesis: test message",
        note="This is a test from `thesis alerts test`: this channel is configured and works.",
    )


def grouped(alerts: Iterable[Alert]) -> list[tuple[str, list[Alert]]]:
    """(thesis id, alerts) groups: most severe group first, most severe alert first."""
    groups: dict[str, list[Alert]] = {}
    for alert in alerts:
        groups.setdefault(alert.thesis_id, []).append(alert)
    for items in groups.values():
        items.sort(key=lambda a: (-SEVERITY_RANK[a.severity], a.date, a.subject, a.trigger_id))
    return sorted(
        groups.items(),
        key=lambda kv: (-max(SEVERITY_RANK[a.severity] for a in kv[1]), kv[0]),
    )


def change_text(alert: Alert) -> str:
    unit = f" {alert.unit}" if alert.unit else ""
    return f"{value_text(alert.old_value)} -> {value_text(alert.new_value)}{unit}{pct_text(alert)}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------ plain text


def plain_text(msg: Message) -> str:
    """The message as plain text (email text part, Apprise body). Nothing is escaped."""
    lines: list[str] = []
    if msg.kind == "digest":
        for thesis_id, items in grouped(msg.alerts):
            lines += ["", f"== {msg.thesis_title(thesis_id)} =="]
            for a in items:
                lines += _alert_text_lines(a)
    for f in msg.failures:
        lines += ["", f"[SOURCE BROKEN] {f.source} ({f.kind}) on {f.date.isoformat()}"]
        lines += [f"  {f.reason}"] + ([f"  Source: {f.source_url}"] if f.source_url else [])
    if msg.note:
        lines += ["", msg.note]
    return "\n".join([msg.title, *lines]).strip() + "\n"


def _alert_text_lines(a: Alert) -> list[str]:
    lines = [
        f"[{a.severity.upper()}] {a.subject}",
        f"  {KIND_LABELS.get(a.kind, a.kind)}: {change_text(a)}"
        f"  ({a.trigger_id}, {a.date.isoformat()})",
    ]
    if a.explanation:
        lines.append(f"  Roofline: {a.explanation}")
    if a.source_url:
        lines.append(f"  Source: {a.source_url}")
    return lines


# ------------------------------------------------------------------ HTML (email)


def html_body(msg: Message) -> str:
    parts = [f"<h2>{html_text(msg.title)}</h2>"]
    if msg.kind == "digest":
        for thesis_id, items in grouped(msg.alerts):
            parts.append(f"<h3>{html_text(msg.thesis_title(thesis_id))}</h3><ul>")
            parts += [f"<li>{_alert_html(a)}</li>" for a in items]
            parts.append("</ul>")
    if msg.failures:
        parts.append("<ul>")
        for f in msg.failures:
            link = f" ({html_link(f.source_url, 'source')})" if f.source_url else ""
            parts.append(
                f"<li><b>{html_text(f.source)}</b> ({html_text(f.kind)}) on "
                f"{f.date.isoformat()}: {html_text(f.reason)}{link}</li>"
            )
        parts.append("</ul>")
    if msg.note:
        parts.append(f"<p>{html_text(msg.note)}</p>")
    body = "\n".join(parts)
    return f'<!DOCTYPE html>\n<html><body style="font-family:sans-serif">\n{body}\n</body></html>\n'


def _alert_html(a: Alert) -> str:
    out = (
        f"<b>[{a.severity.upper()}] {html_text(a.subject)}</b><br>"
        f"{html_text(KIND_LABELS.get(a.kind, a.kind))}: {html_text(change_text(a))} "
        f"<small>({html_text(a.trigger_id)}, {a.date.isoformat()})</small>"
    )
    if a.explanation:
        out += f"<br><i>Roofline:</i> {html_text(a.explanation)}"
    if a.source_url:
        out += f"<br>{html_link(a.source_url, 'source page')}"
    return out


# ------------------------------------------------------------------ Slack Block Kit


@dataclass(frozen=True, slots=True)
class _Blocks:
    items: list[dict[str, object]]

    def add(self, block: dict[str, object]) -> None:
        self.items.append(block)

    def room(self, needed: int) -> bool:
        # Keep one block free for the "and N more" note.
        return len(self.items) + needed <= SLACK_MAX_BLOCKS - 1


def _section(text: str) -> dict[str, object]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}


def slack_payload(msg: Message) -> dict[str, object]:
    """An incoming-webhook payload: header, one section per alert, at most 50 blocks."""
    blocks = _Blocks(
        [{"type": "header", "text": {"type": "plain_text", "text": slack_plain(msg.title, 150)}}]
    )
    left_out = 0
    if msg.kind == "digest":
        for thesis_id, items in grouped(msg.alerts):
            if not blocks.room(3):
                left_out += len(items)
                continue
            blocks.add({"type": "divider"})
            blocks.add(_section(f"*{slack_mrkdwn(_cut(msg.thesis_title(thesis_id), 300))}*"))
            for a in items:
                if blocks.room(1):
                    blocks.add(_section(_alert_mrkdwn(a)))
                else:
                    left_out += 1
    for f in msg.failures:
        if blocks.room(1):
            blocks.add(_section(_failure_mrkdwn(f)))
        else:
            left_out += 1
    if msg.note:
        blocks.add(_section(slack_mrkdwn(msg.note)))
    if left_out:
        note = f"…and {_plural(left_out, 'more item')}: see `thesis alerts list`"
        blocks.add({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    return {"text": slack_mrkdwn(msg.title), "blocks": blocks.items}


def _alert_mrkdwn(a: Alert) -> str:
    lines = [
        f"{SEVERITY_EMOJI[a.severity]} *{a.severity.upper()}* {slack_mrkdwn(_cut(a.subject, 150))}",
        f"{slack_mrkdwn(KIND_LABELS.get(a.kind, a.kind))}: *{slack_mrkdwn(change_text(a))}*"
        f"  ({slack_mrkdwn(a.trigger_id)}, {a.date.isoformat()})",
    ]
    if a.explanation:
        lines.append(f"_Roofline:_ {slack_mrkdwn(_cut(a.explanation, 400))}")
    if a.source_url:
        lines.append(slack_link(a.source_url, "source page"))
    return "\n".join(lines)


def _failure_mrkdwn(f: SourceFailure) -> str:
    text = (
        f":x: *{slack_mrkdwn(f.source)}* ({slack_mrkdwn(f.kind)}) on {f.date.isoformat()}\n"
        f"{slack_mrkdwn(_cut(f.reason, 500))}"
    )
    return text + (f"\n{slack_link(f.source_url, 'source')}" if f.source_url else "")
