"""Which models the watched-model sources fetch: defaults, and patterns expanded (pure).

A watched entry is an exact model id or a shell-style pattern (`deepseek/*`,
`qwen/qwen3-*-a22b*`). Exact ids are fetched as written; a pattern is matched against
the ids the caller knows (for OpenRouter, the model list of the `openrouter` source's
newest snapshot), so a pattern picks up new models as they appear. The expanded list is
capped, so a loose pattern cannot turn one daily run into hundreds of requests.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from core.settings.watched import DEFAULT_MAX_MODELS

PATTERN_CHARS = frozenset("*?[")

# The open-weight models whose configs the catalog is built from, as OpenRouter names
# them, and the labs' frontier models (served by the lab and by the clouds).
OPENROUTER_DEFAULTS: tuple[str, ...] = (
    "deepseek/deepseek-chat-v3.1",
    "deepseek/deepseek-v3.2",
    "deepseek/deepseek-v4-pro",
    "deepseek/deepseek-v4-flash",
    "moonshotai/kimi-k2",
    "moonshotai/kimi-k2.5",
    "qwen/qwen3-235b-a22b-2507",
    "qwen/qwen3-coder",
    "openai/gpt-oss-120b",
    "openai/gpt-oss-20b",
    "meta-llama/llama-3.1-70b-instruct",
    "meta-llama/llama-3.3-70b-instruct",
    "meta-llama/llama-4-maverick",
    "mistralai/mixtral-8x22b-instruct",
    "z-ai/glm-4.6",
    "openai/gpt-5",
    "anthropic/claude-sonnet-4.5",
    "google/gemini-2.5-pro",
    "google/gemini-2.5-flash",
    "x-ai/grok-4.3",
)
# Hugging Face repos of the same open-weight models. Meta's Llama repos are gated: add
# them (meta-llama/Llama-3.1-70B-Instruct, ...) together with an HF_TOKEN that has access.
MODEL_CONFIG_DEFAULTS: tuple[str, ...] = (
    "deepseek-ai/DeepSeek-V3",
    "deepseek-ai/DeepSeek-V3.1",
    "deepseek-ai/DeepSeek-V3.2",
    "deepseek-ai/DeepSeek-V4-Pro",
    "deepseek-ai/DeepSeek-V4-Flash",
    "moonshotai/Kimi-K2-Instruct",
    "moonshotai/Kimi-K2.5",
    "Qwen/Qwen3-235B-A22B",
    "Qwen/Qwen3-Coder-480B-A35B-Instruct",
    "openai/gpt-oss-120b",
    "openai/gpt-oss-20b",
    "mistralai/Mixtral-8x22B-v0.1",
    "zai-org/GLM-4.6",
)


def is_pattern(entry: str) -> bool:
    return any(c in PATTERN_CHARS for c in entry)


def expand(
    entries: Iterable[str], known: Iterable[str], max_models: int = DEFAULT_MAX_MODELS
) -> list[str]:
    """Exact ids as given, patterns matched against `known` (sorted); first `max_models`."""
    known_sorted = sorted(set(known))
    out: dict[str, None] = {}
    for entry in entries:
        if is_pattern(entry):
            out |= dict.fromkeys(k for k in known_sorted if fnmatch.fnmatchcase(k, entry))
        else:
            out[entry] = None
    return list(out)[:max_models]
