"""A message as Slack Block Kit posts, each inside Slack's documented limits.

Slack documents (docs/alerts.md, "Slack's limits", cites the pages): at most 50 blocks in
a message, 3000 characters in a section's text, 150 in a header's. Beyond those, Slack
refuses large block payloads with `msg_blocks_too_long` at an undocumented total, so a
digest is also held to a budget of visible text per post and split into several posts:
each post has its own header ("… (2/3)"), and a thesis that continues from one post to
the next repeats its heading. A day too large even for MAX_POSTS posts ends with a note
pointing to `thesis alerts list`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alerts.delivery.escape import slack_link, slack_mrkdwn, slack_plain
from alerts.delivery.outages import Outage, outages
from alerts.delivery.render import (
    KIND_LABELS,
    change_text,
    cut,
    explained_groups,
    plural,
    seen_in,
)
from alerts.records import Alert, Message

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
# Visible text per post: Slack once asked for messages under 4,000 characters, and a
# screen of 10-15 alerts is what a reader takes in at once.
POST_BUDGET_CHARS = 4000
MAX_POSTS = 10
# Kept free in every post: the header block and a closing "…and N more" note.
_RESERVED_BLOCKS = 2
_RESERVED_CHARS = MAX_HEADER_CHARS + 100

SEVERITY_EMOJI = {
    "critical": ":rotating_light:",
    "warning": ":warning:",
    "info": ":information_source:",
}

Block = dict[str, object]


def _section(text: str) -> Block:
    text = cut(text, MAX_SECTION_CHARS)
    return {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}


def block_chars(block: Block) -> int:
    """The visible text of a block (header, section or context)."""
    text = block.get("text")
    total = len(str(text.get("text", ""))) if isinstance(text, dict) else 0
    elements = block.get("elements")
    if isinstance(elements, list):
        total += sum(len(str(e.get("text", ""))) for e in elements if isinstance(e, dict))
    return total


@dataclass(frozen=True, slots=True)
class _Unit:
    """Blocks that go in one post together; `thesis` is set for a digest's alert, and
    `opens` when the unit starts with its thesis heading."""

    blocks: list[Block]
    thesis: str = ""
    opens: bool = False


@dataclass(slots=True)
class _Post:
    blocks: list[Block] = field(default_factory=list)
    units: int = 0

    def fits(self, blocks: list[Block]) -> bool:
        n = len(self.blocks) + len(blocks)
        chars = sum(map(block_chars, self.blocks)) + sum(map(block_chars, blocks))
        return n <= MAX_BLOCKS - _RESERVED_BLOCKS and chars <= POST_BUDGET_CHARS - _RESERVED_CHARS


def slack_posts(msg: Message) -> list[dict[str, Any]]:
    """Incoming-webhook payloads for the message, in order; one unless it is too big."""
    posts: list[_Post] = []
    for unit in _units(msg):
        blocks = unit.blocks
        if not posts or not posts[-1].fits(blocks):
            posts.append(_Post())
            if unit.thesis and not unit.opens:
                blocks = [*_heading(msg.thesis_title(unit.thesis) + " (continued)"), *blocks]
        posts[-1].blocks += blocks
        posts[-1].units += 1
    posts = posts or [_Post()]
    left_out = sum(p.units for p in posts[MAX_POSTS:])
    kept = posts[:MAX_POSTS]
    if left_out:
        note = f"…and {plural(left_out, 'more item')}: see `thesis alerts list`"
        kept[-1].blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    return [_payload(msg.title, p.blocks, i, len(kept)) for i, p in enumerate(kept, 1)]


def _payload(title: str, blocks: list[Block], number: int, count: int) -> dict[str, Any]:
    suffix = f" ({number}/{count})" if count > 1 else ""
    header = slack_plain(title, MAX_HEADER_CHARS - len(suffix)) + suffix
    return {
        "text": slack_mrkdwn(cut(title, 500)) + suffix,
        "blocks": [{"type": "header", "text": {"type": "plain_text", "text": header}}, *blocks],
    }


def _heading(title: str) -> list[Block]:
    return [{"type": "divider"}, _section(f"*{slack_mrkdwn(cut(title, 300))}*")]


def _units(msg: Message) -> list[_Unit]:
    units = []
    for thesis_id, items in explained_groups(msg):
        for i, (alert, note) in enumerate(items):
            section = _section(_alert_mrkdwn(alert, note))
            heading = _heading(msg.thesis_title(thesis_id)) if i == 0 else []
            units.append(_Unit([*heading, section], thesis_id, opens=i == 0))
    units += [_Unit([_section(_outage_mrkdwn(o))]) for o in outages(msg.failures)]
    if msg.note:
        units.append(_Unit([_section(slack_mrkdwn(msg.note))]))
    return units


def _alert_mrkdwn(a: Alert, note: str) -> str:
    lines = [
        f"{SEVERITY_EMOJI[a.severity]} *{a.severity.upper()}* {slack_mrkdwn(cut(a.subject, 150))}",
        f"{slack_mrkdwn(KIND_LABELS.get(a.kind, a.kind))}: *{slack_mrkdwn(change_text(a))}*"
        f"  ({slack_mrkdwn(a.trigger_id)}, {a.date.isoformat()})",
    ]
    if seen_in(a):
        lines.append(slack_mrkdwn(seen_in(a)))
    if note:
        lines.append(f"_Roofline:_ {slack_mrkdwn(cut(note, 400))}")
    if a.source_url:
        lines.append(slack_link(a.source_url, "source page"))
    return "\n".join(lines)


def _outage_mrkdwn(o: Outage) -> str:
    text = (
        f":x: *{slack_mrkdwn(o.name)}* ({slack_mrkdwn(', '.join(o.kinds))}) on "
        f"{o.date.isoformat()}\n{slack_mrkdwn(cut(o.reason, 1500))}"
    )
    return text + (f"\n{slack_link(o.source_url, 'source')}" if o.source_url else "")
