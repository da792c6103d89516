"""What an alert is: the records trigger evaluation produces and channels deliver."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, get_args

Severity = Literal["info", "warning", "critical"]
SEVERITIES: tuple[str, ...] = get_args(Severity)
# Higher ranks sort first in a digest.
SEVERITY_RANK = {"critical": 2, "warning": 1, "info": 0}

# old/new values: prices are Decimal, token counts int; a value read back from the
# warehouse is its text form, which renders the same.
Value = Decimal | int | str | None

MessageKind = Literal["digest", "source_broken", "test", "flow_failed"]


def value_text(value: Value) -> str:
    """The display form of a value: Decimal without exponent or trailing zeros."""
    if value is None:
        return "none"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


@dataclass(frozen=True, slots=True)
class Alert:
    """One fired trigger about one subject (usually a model) on one date.

    `subject` is what changed, in words fit for a heading ("openai gpt-4o"); `unit` names
    the unit of old/new ("USD/Mtok", "x", "tokens"); `explanation` is what the roofline
    inversion says about the change (may be empty); `source_url` links the source page.
    `source_model_key` is the source's key of the model; for an alert of the reconciled
    series, which several keys may stand behind, the canonical model's name. `evidence`
    names the sources and keys behind a series alert (alerts.triggers.evidence), None
    where there is none (other alerts, rows recorded before it was kept).
    Scraped text (model names, subjects, keys, evidence) is untrusted: renderers escape it.
    """

    trigger_id: str
    kind: str
    thesis_id: str
    severity: Severity
    provider: str
    model: str
    source_model_key: str
    subject: str
    old_value: Value
    new_value: Value
    unit: str
    explanation: str
    source_url: str
    date: date
    evidence: str | None = None

    @property
    def key(self) -> str:
        """Stable identity of this event: a re-run of the same day yields the same key."""
        parts = (
            self.trigger_id,
            self.subject,
            self.source_model_key,
            value_text(self.old_value),
            value_text(self.new_value),
            self.date.isoformat(),
        )
        return "\x1f".join(parts)


@dataclass(frozen=True, slots=True)
class SourceFailure:
    """A source that failed on a run (`kind` is the SourceError kind, e.g. layout_changed)."""

    source: str
    kind: str
    reason: str
    date: date
    source_url: str = ""

    @property
    def key(self) -> str:
        return "\x1f".join(("source_broken", self.source, self.kind, self.date.isoformat()))


@dataclass(frozen=True, slots=True)
class Message:
    """One message to one channel: a digest of alerts, a source-broken notice, or a test."""

    kind: MessageKind
    title: str
    alerts: tuple[Alert, ...] = ()
    failures: tuple[SourceFailure, ...] = ()
    # Thesis id -> human title, for digest group headings.
    thesis_titles: tuple[tuple[str, str], ...] = ()
    note: str = ""

    def thesis_title(self, thesis_id: str) -> str:
        return dict(self.thesis_titles).get(thesis_id, thesis_id)
