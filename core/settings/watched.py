"""Which models the watched-model sources (openrouter-endpoints, model-configs) fetch."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import field_validator

from core.settings.base import Section, setting
from core.settings.channels import split_list

DEFAULT_MAX_MODELS = 40


class WatchedSettings(Section):
    """Each entry is an exact model id or a shell-style pattern (`deepseek/*`); a pattern
    is matched against the ids OpenRouter lists, so it picks up new models. Unset: the
    built-in watchlist (extractors/watched/watchlist.py), the open-weight models the
    roofline catalog is built from and the labs' frontier models. The optional tokens keep
    their usual names and are read only where a fetch sends them: `OPENROUTER_API_KEY`
    unlocks the hosts' latency and throughput percentiles, `HF_TOKEN` opens gated Hugging
    Face repos; neither is logged or stored."""

    title = "Watched models"

    openrouter_endpoints_models: tuple[str, ...] = setting(
        (),
        "OpenRouter model ids or patterns whose per-host endpoints to fetch daily, comma or "
        "space separated.",
        example="deepseek/deepseek-v3.2,qwen/*",
        default_text="the built-in watchlist",
    )
    model_configs_models: tuple[str, ...] = setting(
        (),
        "Hugging Face repos whose `config.json` to fetch daily, comma or space separated.",
        example="deepseek-ai/DeepSeek-V3,Qwen/Qwen3-235B-A22B",
        default_text="the built-in watchlist",
    )
    watched_max_models: int = setting(
        DEFAULT_MAX_MODELS,
        "The most models one watched-model source fetches per run (a loose pattern cannot "
        "turn a run into hundreds of requests).",
        example="40",
        ge=1,
    )

    @field_validator("openrouter_endpoints_models", "model_configs_models", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        return split_list(value)

    @field_validator("openrouter_endpoints_models", "model_configs_models")
    @classmethod
    def _org_name(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            if "/" not in entry:
                raise ValueError(
                    f"has {entry!r}, which is not a model id or pattern of the form org/name"
                )
        return tuple(dict.fromkeys(value))


def source_token(variable: str, env: Mapping[str, str] | None = None) -> str | None:
    """A watched source's optional token (`OPENROUTER_API_KEY`, `HF_TOKEN`): read only
    where a fetch sends it, never logged, stored or put in a message."""
    environ = os.environ if env is None else env
    return environ.get(variable, "").strip() or None
