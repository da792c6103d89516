"""Which models the price charts follow: a documented list of flagships, else the newest.

FRONTIER names each lab's flagship chat models by the provider's own model id; the charts
follow the canonical model each id maps to (model_identity), so a dated key and its
family are one model. A provider none of whose listed models is in the warehouse falls
back to its `FALLBACK_PER_PROVIDER` most recently first-priced models, so a new lab or a
renamed line still shows up. Edit the list when a lab ships a new flagship.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

FRONTIER_PROVIDERS: tuple[str, ...] = ("openai", "anthropic", "google", "deepseek", "xai")

FRONTIER: tuple[tuple[str, str], ...] = (
    ("openai", "gpt-4"),
    ("openai", "gpt-4-turbo"),
    ("openai", "gpt-4o"),
    ("openai", "gpt-4.1"),
    ("openai", "gpt-5"),
    ("openai", "gpt-5.1"),
    ("openai", "gpt-5.5"),
    ("anthropic", "claude-3-opus-20240229"),
    ("anthropic", "claude-3-5-sonnet-20240620"),
    ("anthropic", "claude-3-5-sonnet-20241022"),
    ("anthropic", "claude-sonnet-4-20250514"),
    ("anthropic", "claude-opus-4-1-20250805"),
    ("anthropic", "claude-sonnet-4-5-20250929"),
    ("anthropic", "claude-opus-4-5-20251101"),
    ("google", "gemini-pro"),
    ("google", "gemini-1.5-pro"),
    ("google", "gemini-2.5-pro"),
    ("google", "gemini-3-pro-preview"),
    ("deepseek", "deepseek-chat"),
    ("deepseek", "deepseek-reasoner"),
    ("xai", "grok-2"),
    ("xai", "grok-3"),
    ("xai", "grok-4"),
)
FALLBACK_PER_PROVIDER = 3

Key = tuple[str, str]


def frontier_models(
    first_seen: Mapping[Key, date], canonical: Mapping[Key, Key] | None = None
) -> list[Key]:
    """The canonical (provider, model) pairs to chart, given when each priced model was
    first seen and the canonical model of each listed id (an id missing maps to itself).

    Listed models come in list order, once each; fallbacks newest first, ties by name.
    """
    names = canonical or {}
    listed = dict.fromkeys(names.get(key, key) for key in FRONTIER)
    chosen = [key for key in listed if key in first_seen]
    covered = {provider for provider, _ in chosen}
    for provider in FRONTIER_PROVIDERS:
        if provider in covered:
            continue
        own = [key for key in first_seen if key[0] == provider]
        own.sort(key=lambda key: (-first_seen[key].toordinal(), key[1]))
        chosen.extend(own[:FALLBACK_PER_PROVIDER])
    return chosen


def by_provider(keys: Iterable[Key]) -> dict[str, list[str]]:
    """Models grouped under their provider, in FRONTIER_PROVIDERS order, then others."""
    grouped: dict[str, list[str]] = {}
    for provider, model in keys:
        grouped.setdefault(provider, []).append(model)
    order = {p: i for i, p in enumerate(FRONTIER_PROVIDERS)}
    return dict(sorted(grouped.items(), key=lambda item: (order.get(item[0], 99), item[0])))
