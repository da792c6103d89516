"""Model identity: every source key -> one canonical (provider, model), and why.

The naming rules (reconcile/naming.py) read a family off each key. Whether a key joins its
family is decided by prices, per source: keys of one source that name one family are
taken in order (the key naming the family itself first, then a `-latest` alias, then
dated snapshots newest first) and each joins only if it states no price that differs from
one already on the family's sheet. A key that differs stays visibly its own series under
its own model id; two keys naming the same model at different prices are kept apart under
their keys. When a source has no key naming the family itself, a key must also agree with
the family as some other source states it. So no two keys of one source with different
prices for the same series ever share a canonical model, unless the user's override file
says so (reconcile/overrides.py).

Canonical providers are never changed: a cloud's copy of a lab model (Bedrock, Vertex AI,
Azure) is priced by the cloud and stays under it; `lab_provider`/`lab_model` say whose
model it is. The decision is a pure function of the keys and their current prices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from reconcile.naming import Naming, lab_of, name_key
from reconcile.overrides import NO_OVERRIDES, Override, Overrides

# Bump when a rule changes: a warehouse built with another version is rebuilt.
RULES_VERSION = 1

# component, service_tier, tier_min_prompt_tokens, condition, effective_from, effective_to
SeriesKey = tuple[str, str, int, str, str, str]
Outcome = Literal["exact", "alias", "own-series", "own-key", "override-alias", "override-apart"]
Level = Literal["family", "model", "key"]


@dataclass(frozen=True, slots=True)
class KeyPrices:
    """One source key as its parser named it, with the prices it currently states."""

    source: str
    source_model_key: str
    provider: str
    model: str
    prices: Mapping[SeriesKey, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Identity:
    source: str
    source_model_key: str
    provider: str
    model: str
    family: str  # what the naming rules read in the key
    canonical_provider: str
    canonical_model: str
    rule: str  # the naming rules applied, "+"-joined; "exact" or "override"
    outcome: Outcome
    explanation: str
    lab_provider: str | None
    lab_model: str | None


@dataclass(eq=False, slots=True)
class _Member:
    key: KeyPrices
    naming: Naming
    override: Override | None
    levels: list[tuple[Level, str]]
    at: int = 0
    refused: str = ""  # why the family (or model) refused it, for the explanation

    @property
    def candidate(self) -> tuple[Level, str]:
        return self.levels[self.at]


def resolve(keys: Iterable[KeyPrices], overrides: Overrides = NO_OVERRIDES) -> list[Identity]:
    """The identity of every key. Give all keys of the families concerned, every source:
    a key's decision depends on the other keys of its family."""
    members = [_member(k, overrides) for k in keys]
    free = [m for m in members if not (m.override and m.override.kind == "alias")]
    refs = _references(free)
    accepted_by = _settle(free, refs)
    return [_identity(m, accepted_by.get(id(m), "")) for m in members]


def _member(key: KeyPrices, overrides: Overrides) -> _Member:
    naming = name_key(key.source_model_key, key.provider, key.model)
    override = overrides.find(key.source, key.source_model_key)
    levels: list[tuple[Level, str]] = []
    if naming.family != key.model and not (override and override.kind == "separate"):
        levels.append(("family", naming.family))
    levels += [("model", key.model), ("key", key.source_model_key)]
    return _Member(key, naming, override, levels)


def _references(members: list[_Member]) -> dict[tuple[str, str], dict[str, _Member]]:
    """Per (provider, family), each source's key that names the family itself."""
    refs: dict[tuple[str, str], dict[str, _Member]] = defaultdict(dict)
    for m in sorted(members, key=lambda m: (m.key.source_model_key != m.key.model, _key(m))):
        if m.key.model == m.naming.family and m.levels[0][0] == "model":
            refs[(m.key.provider, m.key.model)].setdefault(m.key.source, m)
    return refs


def _settle(
    members: list[_Member], refs: Mapping[tuple[str, str], Mapping[str, _Member]]
) -> dict[int, str]:
    """Move refused keys down their candidates until every group's sheet agrees.

    Returns, for each key that joined a group, what its prices were checked against.
    Only the groups a key left or joined are walked again.
    """
    groups: dict[tuple[str, str, str, str], list[_Member]] = defaultdict(list)
    for m in members:
        groups[_group_of(m)].append(m)
    matched: dict[int, str] = {}
    dirty = set(groups)
    while dirty:
        touched = set()
        for group_id in dirty:
            source, provider, _, name = group_id
            others = {s: r for s, r in refs.get((provider, name), {}).items() if s != source}
            for m in _refused(groups[group_id], name, others, matched):
                groups[group_id].remove(m)
                matched.pop(id(m), None)
                m.at += 1
                groups[_group_of(m)].append(m)
                touched |= {group_id, _group_of(m)}
        dirty = touched
    return matched


def _group_of(m: _Member) -> tuple[str, str, str, str]:
    level, name = m.candidate
    # Keys only share a group with keys: a source key is never taken for a model name.
    return (m.key.source, m.key.provider, "key" if level == "key" else "name", name)


def _refused(
    group: list[_Member], name: str, others: Mapping[str, _Member], matched: dict[int, str]
) -> list[_Member]:
    """Walk a group in head order, building its price sheet; return the keys that differ."""
    needs_reference = bool(others) and not any(m.key.model == name for m in group)
    if len(group) == 1 and not needs_reference:  # most keys: alone under their name
        matched[id(group[0])] = f"the first key of {name} in {group[0].key.source}"
        return []
    ordered = sorted(group, key=lambda m: _head_order(m, name))
    sheet: dict[SeriesKey, tuple[Decimal, str]] = {}
    head = ""
    refused = []
    for m in ordered:
        if m.candidate[0] == "key":
            continue  # the last resort: nothing else names this key
        clash = _clash(sheet, m.key.prices)
        via = _shared_with(sheet, m.key.prices)
        if clash is None and needs_reference:
            clash, via = _against_references(m, others)
        if clash is not None:
            m.refused = clash
            refused.append(m)
            continue
        if via:
            matched[id(m)] = f"same prices as {via}"
        elif head:
            matched[id(m)] = f"no price in common with {head}"
        else:
            matched[id(m)] = f"the first key of {name} in {m.key.source}"
        head = head or m.key.source_model_key
        for series, value in m.key.prices.items():
            sheet.setdefault(series, (value, m.key.source_model_key))
    return refused


def _against_references(m: _Member, others: Mapping[str, _Member]) -> tuple[str | None, str]:
    """A key of a source without the family's own key must match another source's."""
    first_clash = None
    for source in sorted(others):
        ref = others[source].key
        sheet = {s: (v, f"{ref.source_model_key} in {source}") for s, v in ref.prices.items()}
        clash = _clash(sheet, m.key.prices)
        if clash is None:
            return None, _shared_with(sheet, m.key.prices)
        first_clash = first_clash or clash
    return first_clash, ""


def _head_order(m: _Member, name: str) -> tuple[int, int, str, int, str]:
    """The key naming the group itself first (a bare key before a prefixed one), then a
    `-latest` alias, then dated snapshots newest first; the plainest spelling first."""
    key, rules = m.key.source_model_key, len(m.naming.rules)
    if m.key.model == name:
        return (0, 0 if key == name else 1, "", rules, key)
    if "latest-alias" in m.naming.rules:
        return (1, 0, "", rules, key)
    if "dated-snapshot" in m.naming.rules:
        return (2, 0, _descending(m.naming.note("dated-snapshot")), rules, key)
    return (3, 0, "", rules, key)


def _descending(text: str) -> str:
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


def _key(m: _Member) -> str:
    return m.key.source_model_key


def _clash(
    sheet: Mapping[SeriesKey, tuple[Decimal, str]], prices: Mapping[SeriesKey, Decimal]
) -> str | None:
    """The first series where `prices` differ from the sheet, described, or None."""
    for series in sorted(prices.keys() & sheet.keys()):
        value, owner = sheet[series]
        if value != prices[series]:
            return (
                f"{_series_text(series)} {_money(prices[series])} vs {_money(value)} under {owner}"
            )
    return None


def _shared_with(
    sheet: Mapping[SeriesKey, tuple[Decimal, str]], prices: Mapping[SeriesKey, Decimal]
) -> str:
    owners = sorted({sheet[s][1] for s in prices.keys() & sheet.keys()})
    return ", ".join(owners)


def _series_text(series: SeriesKey) -> str:
    component, tier, threshold, condition, start, end = series
    text = component
    if tier != "standard":
        text += f" ({tier})"
    if threshold:
        text += f" from {threshold} tokens"
    if condition:
        text += f" [{condition}]"
    if start or end:
        text += f" [{start or '...'} to {end or '...'}]"
    return text


def _money(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _identity(m: _Member, matched: str) -> Identity:
    key, naming = m.key, m.naming
    rule = "+".join(naming.rules) or "exact"
    lab = lab_of(key.provider, naming.family)
    if m.override is not None and m.override.kind == "alias":
        o = m.override
        text = f"alias of {o.provider}/{o.model} forced by {o.describe()}"
        return _make(m, o.provider, o.model, "override", "override-alias", text, lab)
    level, name = m.candidate
    if m.override is not None:
        canonical = name if level != "key" else key.source_model_key
        text = f"kept apart from {naming.family} by {m.override.describe()}"
        return _make(m, key.provider, canonical, "override", "override-apart", text, lab)
    if level == "key":
        text = (
            f"{key.provider}/{key.model} is also named at another price ({m.refused}): "
            "kept under its own key"
        )
        return _make(m, key.provider, key.source_model_key, rule, "own-key", text, lab)
    if level == "model" and naming.family != key.model:
        text = f"{_phrase(naming)} of {naming.family}, priced apart ({m.refused}): own series"
        return _make(m, key.provider, key.model, rule, "own-series", text, lab)
    if not any(r not in ("feed-prefix",) for r in naming.rules):
        text = f"names {key.provider}/{key.model}" + (
            " behind the feed's routing prefix" if naming.rules else ""
        )
        return _make(m, key.provider, name, rule, "exact", text, lab)
    text = f"{_phrase(naming)} of {name}, {matched}: alias"
    return _make(m, key.provider, name, rule, "alias", text, lab)


def _make(
    m: _Member,
    provider: str,
    model: str,
    rule: str,
    outcome: Outcome,
    text: str,
    lab: tuple[str, str] | None,
) -> Identity:
    key = m.key
    return Identity(
        key.source,
        key.source_model_key,
        key.provider,
        key.model,
        m.naming.family,
        provider,
        model,
        rule,
        outcome,
        text,
        lab[0] if lab else None,
        lab[1] if lab else None,
    )


_PHRASES = {
    "route-variant": "route variant {}",
    "host-region": "{} deployment",
    "host-profile": "cross-region profile {}",
    "host-version": "version pin {}",
    "latest-alias": "-latest alias",
    "dated-snapshot": "dated snapshot ({})",
    "version-suffix": "version {}",
    "word-order": "old word order ({})",
    "minor-zero": "'.0' alias",
    "spelling": "spelling {}",
}


def _phrase(naming: Naming) -> str:
    parts = [_PHRASES[s.rule].format(s.note) for s in naming.steps if s.rule in _PHRASES]
    return ", ".join(parts)
