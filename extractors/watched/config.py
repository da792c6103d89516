"""Settings of the watched-model sources, read from the environment and validated.

| variable | meaning | default |
|---|---|---|
| THESIS_OPENROUTER_ENDPOINTS_MODELS | OpenRouter model ids or patterns to watch | watchlist |
| THESIS_MODEL_CONFIGS_MODELS | Hugging Face repos whose config.json to watch | watchlist |
| THESIS_WATCHED_MAX_MODELS | the most models one source fetches per run | 40 |
| OPENROUTER_API_KEY | optional: unlocks the hosts' latency and throughput | none |
| HF_TOKEN | optional: opens gated Hugging Face repos | none |
| THESIS_URL_<SOURCE> | a mirror: a URL template with {model} | the source's own |

(watchlist: the defaults of extractors/watched/watchlist.py.) Tokens are read where a
fetch needs them and never logged, stored or passed on.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from core.errors import ConfigError
from core.settings import source_url
from extractors.watched.base import MODEL_MARK, WatchedSource
from extractors.watched.watchlist import DEFAULT_MAX_MODELS, parse_list

MAX_MODELS_VARIABLE = "THESIS_WATCHED_MAX_MODELS"


def models_variable(source_id: str) -> str:
    return f"THESIS_{source_id.upper().replace('-', '_')}_MODELS"


@dataclass(frozen=True, slots=True)
class WatchedConfig:
    """One watched-model source's settings (the token stays in the environment)."""

    source: WatchedSource
    entries: tuple[str, ...]
    max_models: int
    url_template: str

    def token(self, env: Mapping[str, str] | None = None) -> str | None:
        env = os.environ if env is None else env
        return env.get(self.source.token_variable, "").strip() or None


def load_watched_config(
    source: WatchedSource, env: Mapping[str, str] | None = None
) -> WatchedConfig:
    env = os.environ if env is None else env
    name = models_variable(source.id)
    raw = env.get(name, "").strip()
    entries = parse_list(name, raw) if raw else source.default_models
    template = source_url(source.id, source.url_template, env)
    if MODEL_MARK not in template:
        variable = "THESIS_URL_" + source.id.upper().replace("-", "_")
        raise ConfigError(
            f"{variable}={template!r} has no {MODEL_MARK}; write the URL with {MODEL_MARK} "
            f"where the model id goes, e.g. http://127.0.0.1:8000/{MODEL_MARK}/endpoints"
        )
    return WatchedConfig(source, entries, _max_models(env), template)


def _max_models(env: Mapping[str, str]) -> int:
    raw = env.get(MAX_MODELS_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_MAX_MODELS
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(
            f"{MAX_MODELS_VARIABLE}={raw!r} is not a whole number >= 1; "
            f"e.g. {MAX_MODELS_VARIABLE}={DEFAULT_MAX_MODELS}"
        )
    return int(raw)
