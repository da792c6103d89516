"""One watched-model source's settings: its models and URL, from core.settings.

The variables (THESIS_OPENROUTER_ENDPOINTS_MODELS, THESIS_MODEL_CONFIGS_MODELS,
THESIS_WATCHED_MAX_MODELS, THESIS_URL_<SOURCE>) are declared in core/settings/ and listed
in docs/configuration.md. The source's token (OPENROUTER_API_KEY, HF_TOKEN) is read where
a fetch needs it and never logged, stored or passed on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.errors import ConfigError
from core.settings import WatchedSettings, source_token, source_url, url_variable
from extractors.watched.base import MODEL_MARK, WatchedSource


@dataclass(frozen=True, slots=True)
class WatchedConfig:
    """One watched-model source's settings (the token stays in the environment)."""

    source: WatchedSource
    entries: tuple[str, ...]
    max_models: int
    url_template: str

    def token(self, env: Mapping[str, str] | None = None) -> str | None:
        return source_token(self.source.token_variable, env)


def load_watched_config(
    source: WatchedSource, env: Mapping[str, str] | None = None
) -> WatchedConfig:
    settings = WatchedSettings.load(env)
    chosen = getattr(settings, source.id.replace("-", "_") + "_models")
    template = source_url(source.id, source.url_template, env)
    if MODEL_MARK not in template:
        raise ConfigError(
            f"{url_variable(source.id)}={template!r} has no {MODEL_MARK}; write the URL with "
            f"{MODEL_MARK} where the model id goes, e.g. http://127.0.0.1:8000/{MODEL_MARK}/endpoints"
        )
    entries = chosen or source.default_models
    return WatchedConfig(source, entries, settings.watched_max_models, template)
