"""Building messages (digest, source broken, test) and rendering them per channel format.

A digest is one message per run per channel: alerts grouped by thesis, the group with the
most severe alert first, most severe first within a group, each model's roofline reading
shown once. Failed sources are shown as outages, one line per source (alerts.delivery.
outages). Untrusted text goes through alerts.delivery.escape for the target markup; plain
text is left as it is. Slack's Block Kit form is alerts.delivery.slack_blocks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from alerts.delivery.escape import html_link, html_text
from alerts.delivery.outages import outages
from alerts.records import SEVERITY_RANK, Alert, Message, SourceFailure, value_text
from alerts.triggers.registry import KINDS

# The trigger kinds name themselves; page alerts (alerts.page_news) are not triggers.
KIND_LABELS = {k: cls.label for k, cls in KINDS.items()} | {
    "page_new_model": "new model on the official page",
    "page_parser_attention": "page section skipped",
}


def plural(n: int, word: str) -> str:
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
        title += f" and {plural(len(items) - 1, 'more alert')} ({', '.join(counts)})"
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
    """The change in one phrase: "openai gpt-5.5 output $10 → $5 (−50%)"; an alert with
    no old value (a new model, a skipped section) is its subject and what it found."""
    subject = " ".join(alert.subject.split())  # scraped: one line, in a subject too
    if alert.old_value is None:
        found = "" if alert.new_value is None else " ".join(value_text(alert.new_value).split())
        return f"{subject} ({found})" if found else subject
    if alert.unit == "USD/Mtok":
        old, new = (f"${value_text(v)}" for v in (alert.old_value, alert.new_value))
        change = f"{old} → {new}"
    else:
        unit = f" {alert.unit}" if alert.unit else ""
        change = f"{value_text(alert.old_value)} → {value_text(alert.new_value)}{unit}"
    return f"{subject} {change}{pct_text(alert)}"


def source_broken(failures: Iterable[SourceFailure]) -> Message:
    items = tuple(failures)
    names = ", ".join(o.name for o in outages(items))
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


def roofline_notes(alerts: Sequence[Alert]) -> list[str]:
    """The roofline line to show under each alert, in the order given: a model's reading
    the first time it appears; nothing under the model's later alerts; for another model
    whose reading is the same text (the inversion's assumptions, not the model, set it),
    a pointer to the first model instead of the paragraph again."""
    first_model: dict[str, str] = {}
    shown: set[tuple[str, str]] = set()
    notes = []
    for a in alerts:
        model = f"{a.provider} {a.model}".strip() or a.subject
        if not a.explanation or (model, a.explanation) in shown:
            notes.append("")
            continue
        shown.add((model, a.explanation))
        if a.explanation in first_model:
            notes.append(f"as for {first_model[a.explanation]} above")
        else:
            first_model[a.explanation] = model
            notes.append(a.explanation)
    return notes


def explained_groups(msg: Message) -> list[tuple[str, list[tuple[Alert, str]]]]:
    """grouped(msg.alerts), each alert paired with its roofline note (roofline_notes)."""
    groups = grouped(msg.alerts)
    notes = iter(roofline_notes([a for _, items in groups for a in items]))
    return [(thesis_id, [(a, next(notes)) for a in items]) for thesis_id, items in groups]


def change_text(alert: Alert) -> str:
    unit = f" {alert.unit}" if alert.unit else ""
    if alert.old_value is None:  # nothing before it: what was found, not "none -> ..."
        return f"{value_text(alert.new_value)}{unit}"
    return f"{value_text(alert.old_value)} -> {value_text(alert.new_value)}{unit}{pct_text(alert)}"


def seen_in(alert: Alert, limit: int = 300) -> str:
    """The sources and keys behind the alert as one short line, "" when none are known
    (an alert recorded before they were kept). Unescaped: each renderer escapes it."""
    if not alert.evidence:
        return ""
    return cut("seen in: " + " ".join(alert.evidence.split()), limit)


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------ plain text


def plain_text(msg: Message) -> str:
    """The message as plain text (email text part, Apprise body). Nothing is escaped."""
    lines: list[str] = []
    if msg.kind == "digest":
        for thesis_id, items in explained_groups(msg):
            lines += ["", f"== {msg.thesis_title(thesis_id)} =="]
            for a, note in items:
                lines += _alert_text_lines(a, note)
    for o in outages(msg.failures):
        lines += ["", f"[SOURCE BROKEN] {o.name} ({', '.join(o.kinds)}) on {o.date.isoformat()}"]
        lines += [f"  {o.reason}"] + ([f"  Source: {o.source_url}"] if o.source_url else [])
    if msg.note:
        lines += ["", msg.note]
    return "\n".join([msg.title, *lines]).strip() + "\n"


def _alert_text_lines(a: Alert, note: str) -> list[str]:
    lines = [
        f"[{a.severity.upper()}] {a.subject}",
        f"  {KIND_LABELS.get(a.kind, a.kind)}: {change_text(a)}"
        f"  ({a.trigger_id}, {a.date.isoformat()})",
    ]
    if seen_in(a):
        lines.append(f"  {seen_in(a)}")
    if note:
        lines.append(f"  Roofline: {note}")
    if a.source_url:
        lines.append(f"  Source: {a.source_url}")
    return lines


# ------------------------------------------------------------------ HTML (email)


def html_body(msg: Message) -> str:
    parts = [f"<h2>{html_text(msg.title)}</h2>"]
    if msg.kind == "digest":
        for thesis_id, items in explained_groups(msg):
            parts.append(f"<h3>{html_text(msg.thesis_title(thesis_id))}</h3><ul>")
            parts += [f"<li>{_alert_html(a, note)}</li>" for a, note in items]
            parts.append("</ul>")
    if msg.failures:
        parts.append("<ul>")
        for o in outages(msg.failures):
            link = f" ({html_link(o.source_url, 'source')})" if o.source_url else ""
            parts.append(
                f"<li><b>{html_text(o.name)}</b> ({html_text(', '.join(o.kinds))}) on "
                f"{o.date.isoformat()}: {html_text(o.reason)}{link}</li>"
            )
        parts.append("</ul>")
    if msg.note:
        parts.append(f"<p>{html_text(msg.note)}</p>")
    body = "\n".join(parts)
    return f'<!DOCTYPE html>\n<html><body style="font-family:sans-serif">\n{body}\n</body></html>\n'


def _alert_html(a: Alert, note: str) -> str:
    out = (
        f"<b>[{a.severity.upper()}] {html_text(a.subject)}</b><br>"
        f"{html_text(KIND_LABELS.get(a.kind, a.kind))}: {html_text(change_text(a))} "
        f"<small>({html_text(a.trigger_id)}, {a.date.isoformat()})</small>"
    )
    if seen_in(a):
        out += f"<br><small>{html_text(seen_in(a))}</small>"
    if note:
        out += f"<br><i>Roofline:</i> {html_text(note)}"
    if a.source_url:
        out += f"<br>{html_link(a.source_url, 'source page')}"
    return out
