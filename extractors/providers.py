"""Which company serves a model, and under which id: each feed's own key -> (provider, model).

Provider names are the same across all sources, lower case with hyphens:

- first-party labs, the companies the thesis watches: `openai`, `anthropic`, `google`
  (the Gemini API / Google AI Studio), `deepseek`, `xai`, `mistral`, `cohere`, `meta`,
  `moonshot`, `zai`, `alibaba`, `minimax`, `ai21`, `perplexity`;
- clouds and resellers keep their own name: `google-vertex` (Vertex AI, including the
  Claude and Llama it resells), `bedrock`, `azure`, `azure-ai`, `openrouter`,
  `together-ai`, `fireworks-ai`, `groq`, ...; a name not in the tables below passes through
  with `_` turned into `-` (LiteLLM's `nscale` stays `nscale`).

`model` is the provider's own model id: the feed's routing prefix is stripped
(`gemini/gemini-2.5-pro` -> `gemini-2.5-pro`), nothing else is guessed. One exception:
OpenRouter spells Anthropic versions with dots (`claude-sonnet-4.5`) where Anthropic's API
ids never contain one (`claude-sonnet-4-5`), so Anthropic ids from OpenRouter have dots
turned into hyphens; without it the two sources could never confirm each other.

Per source:

- LiteLLM: from the entry's `litellm_provider`. `gemini` is Google AI Studio (`google`);
  every `vertex_ai*` flavour is `google-vertex`, so LiteLLM's bare `gemini-2.5-pro` (its
  provider is `vertex_ai-language-models`) is Vertex, not AI Studio.
- OpenRouter: ids are `vendor/model[:variant]`; the provider is the vendor (OpenRouter
  resells first-party models at the lab's list price, and the row's `source` already says
  it came through OpenRouter). `:free`-style variants are returned apart so the caller can
  keep them out of the list-price series.
- genai-prices: its provider ids (`x-ai`, `aws`, `moonshotai`, ...). Its `google` section
  mixes both Google pages: Gemini models are `google`, the partner models only Vertex sells
  (Claude) are `google-vertex`. Its `openrouter` section stays `openrouter` with the
  OpenRouter id as model: it copies OpenRouter, which has its own source here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

GOOGLE = "google"
GOOGLE_VERTEX = "google-vertex"

LITELLM_PROVIDERS: dict[str, str] = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "anthropic": "anthropic",
    "gemini": GOOGLE,
    "deepseek": "deepseek",
    "xai": "xai",
    "mistral": "mistral",
    "codestral": "mistral",
    "text-completion-codestral": "mistral",
    "cohere": "cohere",
    "cohere_chat": "cohere",
    "meta_llama": "meta",
    "moonshot": "moonshot",
    "zai": "zai",
    "dashscope": "alibaba",
    "minimax": "minimax",
    "ai21": "ai21",
    "perplexity": "perplexity",
    "bedrock": "bedrock",
    "bedrock_converse": "bedrock",
    "azure": "azure",
    "azure_text": "azure",
    "fireworks_ai-embedding-models": "fireworks-ai",
}

OPENROUTER_VENDORS: dict[str, str] = {
    "openai": "openai",
    "anthropic": "anthropic",
    "google": GOOGLE,
    "deepseek": "deepseek",
    "x-ai": "xai",
    "mistralai": "mistral",
    "cohere": "cohere",
    "meta-llama": "meta",
    "moonshotai": "moonshot",
    "z-ai": "zai",
    "qwen": "alibaba",
    "minimax": "minimax",
    "ai21": "ai21",
    "perplexity": "perplexity",
}

GENAI_PRICES_PROVIDERS: dict[str, str] = {
    "x-ai": "xai",
    "moonshotai": "moonshot",
    "aws": "bedrock",
    "together": "together-ai",
    "fireworks": "fireworks-ai",
    "zhipuai": "zhipu",
}


class OpenRouterModel(NamedTuple):
    provider: str
    model: str
    # OpenRouter's route variant after the colon (`free`, `thinking`, ...), or "".
    variant: str


def _default_name(name: str) -> str:
    return name.replace("_", "-")


@lru_cache(maxsize=16384)
def litellm_model(key: str, litellm_provider: str | None) -> tuple[str, str]:
    """LiteLLM key and its `litellm_provider` -> (provider, model)."""
    if not litellm_provider:
        # Only 2023 price buckets (`together-ai-up-to-3b`) lack it: the key's prefix is all
        # there is to go on.
        prefix = key.split("/", 1)[0] if "/" in key else "unknown"
        return _default_name(prefix), key.split("/", 1)[-1]
    if litellm_provider.startswith("vertex_ai"):
        provider = GOOGLE_VERTEX
    else:
        provider = LITELLM_PROVIDERS.get(litellm_provider, _default_name(litellm_provider))
    return provider, _strip_litellm_prefix(key, litellm_provider)


def _strip_litellm_prefix(key: str, litellm_provider: str) -> str:
    """Drop the routing prefix LiteLLM puts before the provider's id, when it names the
    provider (`vertex_ai/claude-...` under `vertex_ai-anthropic_models`, `amazon-nova/...`
    under `amazon_nova`); a first segment that does not (Bedrock regions, HF orgs) stays."""
    if "/" not in key:
        return key
    prefix, rest = key.split("/", 1)
    names = {litellm_provider, litellm_provider.split("-")[0], litellm_provider.split("_")[0]}
    if prefix in names or prefix.replace("-", "_") in names:
        return rest
    return key


@lru_cache(maxsize=4096)
def openrouter_model(model_id: str) -> OpenRouterModel:
    """OpenRouter `vendor/model[:variant]` -> provider, the vendor's model id, variant."""
    vendor, _, rest = model_id.partition("/")
    if not rest:
        return OpenRouterModel("openrouter", model_id, "")
    model, _, variant = rest.partition(":")
    provider = OPENROUTER_VENDORS.get(vendor, _default_name(vendor))
    if provider == "anthropic":
        model = model.replace(".", "-")
    return OpenRouterModel(provider, model, variant)


@lru_cache(maxsize=4096)
def genai_prices_model(provider_id: str, model_id: str) -> tuple[str, str]:
    """genai-prices provider id and model id -> (provider, model)."""
    if provider_id == "google" and not model_id.startswith(("gemini", "gemma")):
        return GOOGLE_VERTEX, model_id
    return GENAI_PRICES_PROVIDERS.get(provider_id, _default_name(provider_id)), model_id
