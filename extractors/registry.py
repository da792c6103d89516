"""The one explicit list of price sources. Ids are what the command line takes."""

from __future__ import annotations

from core.errors import ConfigError
from extractors.base import Source
from extractors.feeds import genai_prices, litellm, openrouter
from extractors.pages import anthropic, deepseek, gemini, openai, xai

SOURCES: dict[str, Source] = {
    s.id: s
    for s in (
        # The labs' own pages: official, they win when fresh.
        gemini.SOURCE,
        anthropic.SOURCE,
        openai.SOURCE,
        deepseek.SOURCE,
        xai.SOURCE,
        # Aggregated feeds: broad, but they lag and carry typos.
        genai_prices.SOURCE,
        litellm.SOURCE,
        openrouter.SOURCE,
    )
}


def get_source(source_id: str) -> Source:
    try:
        return SOURCES[source_id]
    except KeyError:
        raise ConfigError(
            f"unknown source {source_id!r}; choose one of: {', '.join(SOURCES)}"
        ) from None


def select(ids: list[str] | None) -> list[Source]:
    """The named sources (all when `ids` is empty), rejecting unknown names up front."""
    return [get_source(i) for i in ids] if ids else list(SOURCES.values())
