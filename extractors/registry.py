"""The one explicit list of price sources. Ids are what the command line takes."""

from __future__ import annotations

from core.errors import ConfigError
from extractors.base import Source
from extractors.feeds import genai_prices, litellm, openrouter
from extractors.pages import anthropic, deepseek, gemini, openai, xai
from extractors.watched import model_configs, openrouter_endpoints
from extractors.watched.base import WatchedSource

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

# Sources fetched once per watched model (extractors/watched/): rows of their own, not
# prices of the reconciled sheet.
WATCHED: dict[str, WatchedSource] = {
    s.id: s
    for s in (
        openrouter_endpoints.SOURCE,
        model_configs.SOURCE,
    )
}


def get_source(source_id: str) -> Source:
    try:
        return SOURCES[source_id]
    except KeyError:
        raise ConfigError(
            f"unknown source {source_id!r}; choose one of: {', '.join(SOURCES)}"
        ) from None


def get_watched(source_id: str) -> WatchedSource:
    try:
        return WATCHED[source_id]
    except KeyError:
        raise ConfigError(
            f"unknown watched-model source {source_id!r}; choose one of: {', '.join(WATCHED)}"
        ) from None


# Every source id, price and watched-model: the names THESIS_URL_<SOURCE> may use.
SOURCE_IDS: tuple[str, ...] = (*SOURCES, *WATCHED)


def select_for_run(ids: list[str] | None) -> tuple[list[Source], list[WatchedSource]]:
    """The price and watched-model sources a run fetches: those named (all of both when
    `ids` is empty), rejecting unknown names up front."""
    if not ids:
        return list(SOURCES.values()), list(WATCHED.values())
    return [get_source(i) for i in ids if i not in WATCHED], [
        WATCHED[i] for i in ids if i in WATCHED
    ]


def select(ids: list[str] | None) -> list[Source]:
    """The named sources (all when `ids` is empty), rejecting unknown names up front."""
    return [get_source(i) for i in ids] if ids else list(SOURCES.values())
