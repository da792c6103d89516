"""The explicit key -> (provider, model) mapping, the same names across the three feeds."""

from __future__ import annotations

import pytest

from extractors.providers import (
    OpenRouterModel,
    genai_prices_model,
    litellm_model,
    openrouter_model,
)


@pytest.mark.parametrize(
    ("key", "litellm_provider", "expected"),
    [
        ("gemini/gemini-2.5-pro", "gemini", ("google", "gemini-2.5-pro")),
        ("gemini-2.5-pro", "vertex_ai-language-models", ("google-vertex", "gemini-2.5-pro")),
        (
            "vertex_ai/gemini-2.5-pro",
            "vertex_ai-language-models",
            ("google-vertex", "gemini-2.5-pro"),
        ),
        (
            "vertex_ai/claude-sonnet-4-5@20250929",
            "vertex_ai-anthropic_models",
            ("google-vertex", "claude-sonnet-4-5@20250929"),
        ),
        ("deepseek/deepseek-chat", "deepseek", ("deepseek", "deepseek-chat")),
        ("xai/grok-4", "xai", ("xai", "grok-4")),
        ("claude-sonnet-4-5", "anthropic", ("anthropic", "claude-sonnet-4-5")),
        ("gpt-5", "openai", ("openai", "gpt-5")),
        ("text-davinci-003", "text-completion-openai", ("openai", "text-davinci-003")),
        ("mistral/mistral-large-latest", "mistral", ("mistral", "mistral-large-latest")),
        ("dashscope/qwen-flash", "dashscope", ("alibaba", "qwen-flash")),
        ("azure/gpt-4o", "azure", ("azure", "gpt-4o")),
        ("azure/gpt-35-turbo-instruct", "azure_text", ("azure", "gpt-35-turbo-instruct")),
        ("azure_ai/grok-4-fast-reasoning", "azure_ai", ("azure-ai", "grok-4-fast-reasoning")),
        (
            "anthropic.claude-3-5-sonnet-20240620-v1:0",
            "bedrock_converse",
            ("bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0"),
        ),
        (
            "bedrock/us-east-1/anthropic.claude-v2",
            "bedrock",
            ("bedrock", "us-east-1/anthropic.claude-v2"),
        ),
        ("amazon-nova/nova-pro-v1", "amazon_nova", ("amazon-nova", "nova-pro-v1")),
        (
            "fireworks_ai/accounts/fireworks/models/kimi-k2",
            "fireworks_ai",
            ("fireworks-ai", "accounts/fireworks/models/kimi-k2"),
        ),
        (
            "openrouter/anthropic/claude-sonnet-4.5",
            "openrouter",
            ("openrouter", "anthropic/claude-sonnet-4.5"),
        ),
        (
            "deepinfra/meta-llama/Llama-3.3-70B-Instruct",
            "deepinfra",
            ("deepinfra", "meta-llama/Llama-3.3-70B-Instruct"),
        ),
        ("together-ai-up-to-3b", None, ("unknown", "together-ai-up-to-3b")),
    ],
)
def test_litellm_mapping(key: str, litellm_provider: str | None, expected: tuple[str, str]) -> None:
    assert litellm_model(key, litellm_provider) == expected


@pytest.mark.parametrize(
    ("model_id", "expected"),
    [
        ("google/gemini-2.5-pro", OpenRouterModel("google", "gemini-2.5-pro", "")),
        ("anthropic/claude-sonnet-4.5", OpenRouterModel("anthropic", "claude-sonnet-4-5", "")),
        ("anthropic/claude-3.5-haiku", OpenRouterModel("anthropic", "claude-3-5-haiku", "")),
        ("openai/gpt-5.4", OpenRouterModel("openai", "gpt-5.4", "")),
        ("x-ai/grok-4", OpenRouterModel("xai", "grok-4", "")),
        ("deepseek/deepseek-chat", OpenRouterModel("deepseek", "deepseek-chat", "")),
        ("mistralai/mistral-large", OpenRouterModel("mistral", "mistral-large", "")),
        ("meta-llama/llama-4-scout", OpenRouterModel("meta", "llama-4-scout", "")),
        ("moonshotai/kimi-k2", OpenRouterModel("moonshot", "kimi-k2", "")),
        ("z-ai/glm-4.6", OpenRouterModel("zai", "glm-4.6", "")),
        ("qwen/qwen3-32b", OpenRouterModel("alibaba", "qwen3-32b", "")),
        ("google/gemma-4-31b-it:free", OpenRouterModel("google", "gemma-4-31b-it", "free")),
        (
            "qwen/qwen-plus-2025-07-28:thinking",
            OpenRouterModel("alibaba", "qwen-plus-2025-07-28", "thinking"),
        ),
        ("nvidia/nemotron-nano-9b-v2", OpenRouterModel("nvidia", "nemotron-nano-9b-v2", "")),
        ("openrouter/auto", OpenRouterModel("openrouter", "auto", "")),
    ],
)
def test_openrouter_mapping(model_id: str, expected: OpenRouterModel) -> None:
    assert openrouter_model(model_id) == expected


@pytest.mark.parametrize(
    ("provider_id", "model_id", "expected"),
    [
        ("google", "gemini-2.5-pro", ("google", "gemini-2.5-pro")),
        ("google", "gemma-3", ("google", "gemma-3")),
        ("google", "claude-3-5-sonnet", ("google-vertex", "claude-3-5-sonnet")),
        ("anthropic", "claude-sonnet-4-5", ("anthropic", "claude-sonnet-4-5")),
        ("x-ai", "grok-4-0709", ("xai", "grok-4-0709")),
        ("moonshotai", "kimi-k2", ("moonshot", "kimi-k2")),
        ("aws", "amazon.nova-pro-v1:0", ("bedrock", "amazon.nova-pro-v1:0")),
        (
            "together",
            "Qwen/Qwen2.5-7B-Instruct-Turbo",
            ("together-ai", "Qwen/Qwen2.5-7B-Instruct-Turbo"),
        ),
        ("fireworks", "deepseek-v3p2", ("fireworks-ai", "deepseek-v3p2")),
        (
            "openrouter",
            "anthropic/claude-sonnet-4.5",
            ("openrouter", "anthropic/claude-sonnet-4.5"),
        ),
        ("huggingface_groq", "Qwen/Qwen3-32B", ("huggingface-groq", "Qwen/Qwen3-32B")),
    ],
)
def test_genai_prices_mapping(provider_id: str, model_id: str, expected: tuple[str, str]) -> None:
    assert genai_prices_model(provider_id, model_id) == expected


def test_the_same_model_gets_the_same_name_from_all_three_feeds() -> None:
    gemini = {
        litellm_model("gemini/gemini-2.5-pro", "gemini"),
        openrouter_model("google/gemini-2.5-pro")[:2],
        genai_prices_model("google", "gemini-2.5-pro"),
    }
    claude = {
        litellm_model("claude-sonnet-4-5", "anthropic"),
        openrouter_model("anthropic/claude-sonnet-4.5")[:2],
        genai_prices_model("anthropic", "claude-sonnet-4-5"),
    }
    deepseek = {
        litellm_model("deepseek/deepseek-chat", "deepseek"),
        openrouter_model("deepseek/deepseek-chat")[:2],
        genai_prices_model("deepseek", "deepseek-chat"),
    }
    assert gemini == {("google", "gemini-2.5-pro")}
    assert claude == {("anthropic", "claude-sonnet-4-5")}
    assert deepseek == {("deepseek", "deepseek-chat")}
