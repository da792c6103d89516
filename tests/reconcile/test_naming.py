"""The naming rules read the family a key names, and say which rule read what."""

from __future__ import annotations

import pytest

from reconcile.naming import MODEL_RULES, lab_of, name_key


@pytest.mark.parametrize(
    ("key", "provider", "model", "family", "rules"),
    [
        # dated snapshots, in each provider's date style
        ("claude-sonnet-4-5-20250929", "anthropic", "claude-sonnet-4-5-20250929",
         "claude-sonnet-4-5", ("dated-snapshot",)),
        ("gpt-4o-2024-08-06", "openai", "gpt-4o-2024-08-06", "gpt-4o", ("dated-snapshot",)),
        ("gpt-4-0613", "openai", "gpt-4-0613", "gpt-4", ("dated-snapshot",)),
        ("mistral/mistral-large-2411", "mistral", "mistral-large-2411", "mistral-large",
         ("feed-prefix", "dated-snapshot")),
        ("xai/grok-2-1212", "xai", "grok-2-1212", "grok-2", ("feed-prefix", "dated-snapshot")),
        ("gemini/gemini-2.5-pro-preview-06-05", "google", "gemini-2.5-pro-preview-06-05",
         "gemini-2.5-pro-preview", ("feed-prefix", "dated-snapshot")),
        ("gemini/gemini-2.5-flash-preview-09-2025", "google",
         "gemini-2.5-flash-preview-09-2025", "gemini-2.5-flash-preview",
         ("feed-prefix", "dated-snapshot")),
        # word order and the ".0" alias of Claude 4
        ("claude-4-sonnet-20250514", "anthropic", "claude-4-sonnet-20250514", "claude-sonnet-4",
         ("dated-snapshot", "word-order")),
        ("anthropic/claude-sonnet-4-0", "anthropic", "claude-sonnet-4-0", "claude-sonnet-4",
         ("feed-prefix", "minor-zero")),
        # -latest aliases; the ChatGPT model is not the API's gpt-4o
        ("claude-3-5-sonnet-latest", "anthropic", "claude-3-5-sonnet-latest",
         "claude-3-5-sonnet", ("latest-alias",)),
        ("chatgpt-4o-latest", "openai", "chatgpt-4o-latest", "chatgpt-4o", ("latest-alias",)),
        # routing prefixes stay the parser's business: the family is the model
        ("gemini/gemini-2.5-pro", "google", "gemini-2.5-pro", "gemini-2.5-pro", ("feed-prefix",)),
        ("gemini-2.5-pro", "google-vertex", "gemini-2.5-pro", "gemini-2.5-pro", ()),
        ("anthropic/claude-sonnet-4.5", "anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5",
         ("feed-prefix",)),
        # route variants: OpenRouter's moved to the condition by the parser, genai-prices' not
        ("openai/gpt-oss-20b:free", "openai", "gpt-oss-20b", "gpt-oss-20b",
         ("route-variant", "feed-prefix")),
        ("openai/gpt-4o:extended", "openai", "gpt-4o:extended", "gpt-4o",
         ("feed-prefix", "route-variant")),
        # Google's numbered versions, only Google's
        ("gemini/gemini-2.0-flash-001", "google", "gemini-2.0-flash-001", "gemini-2.0-flash",
         ("feed-prefix", "version-suffix")),
        ("text-davinci-003", "openai", "text-davinci-003", "text-davinci-003", ()),
        # clouds: regions, inference profiles and version pins
        ("azure/eu/gpt-4o-2024-08-06", "azure", "eu/gpt-4o-2024-08-06", "gpt-4o",
         ("feed-prefix", "host-region", "dated-snapshot")),
        ("azure/gpt-35-turbo-0125", "azure", "gpt-35-turbo-0125", "gpt-3.5-turbo",
         ("feed-prefix", "dated-snapshot", "spelling")),
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "bedrock",
         "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-sonnet-4-5",
         ("host-profile", "host-version", "dated-snapshot")),
        ("bedrock/ap-south-1/meta.llama3-70b-instruct-v1:0", "bedrock",
         "ap-south-1/meta.llama3-70b-instruct-v1:0", "meta.llama3-70b-instruct",
         ("feed-prefix", "host-region", "host-version")),
        ("anthropic.claude-v2:1", "bedrock", "anthropic.claude-v2:1", "anthropic.claude-v2:1", ()),
        ("vertex_ai/claude-sonnet-4-5@20250929", "google-vertex", "claude-sonnet-4-5@20250929",
         "claude-sonnet-4-5", ("feed-prefix", "dated-snapshot")),
        ("vertex_ai/claude-opus-4-6@default", "google-vertex", "claude-opus-4-6@default",
         "claude-opus-4-6", ("feed-prefix", "host-version")),
        # products of their own keep their word
        ("gemini/gemini-2.5-pro-preview-tts", "google", "gemini-2.5-pro-preview-tts",
         "gemini-2.5-pro-preview-tts", ("feed-prefix",)),
        ("llama3-70b-8192", "groq", "llama3-70b-8192", "llama3-70b-8192", ()),
    ],
)  # fmt: skip
def test_a_key_names_its_family_by_the_rules_that_read_it(
    key: str, provider: str, model: str, family: str, rules: tuple[str, ...]
) -> None:
    naming = name_key(key, provider, model)
    assert (naming.family, naming.rules) == (family, rules)


def test_each_rule_says_what_it_read() -> None:
    naming = name_key("azure/eu/gpt-4o-2024-08-06", "azure", "eu/gpt-4o-2024-08-06")
    assert naming.note("host-region") == "eu"
    assert naming.note("dated-snapshot") == "2024-08-06"
    assert name_key("gpt-4-0613", "openai", "gpt-4-0613").note("dated-snapshot") == "0613"


def test_rule_names_are_unique() -> None:
    names = [name for name, _ in MODEL_RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("provider", "family", "lab"),
    [
        ("anthropic", "claude-sonnet-4-5", ("anthropic", "claude-sonnet-4-5")),
        ("bedrock", "anthropic.claude-sonnet-4-5", ("anthropic", "claude-sonnet-4-5")),
        ("google-vertex", "claude-sonnet-4-5", ("anthropic", "claude-sonnet-4-5")),
        ("google-vertex", "gemini-2.5-pro", ("google", "gemini-2.5-pro")),
        ("google-vertex", "meta/llama-3.1-405b-instruct-maas",
         ("meta", "llama-3.1-405b-instruct")),
        ("azure", "gpt-4o", ("openai", "gpt-4o")),
        ("openrouter", "anthropic/claude-sonnet-4.5", ("anthropic", "claude-sonnet-4-5")),
        ("bedrock", "amazon.nova-pro", ("amazon", "nova-pro")),
        ("together-ai", "meta-llama/Llama-3.3-70B-Instruct-Turbo", None),
        ("google-vertex", "medlm-large", None),
    ],
)  # fmt: skip
def test_a_host_key_names_the_lab_whose_model_it_serves(
    provider: str, family: str, lab: tuple[str, str] | None
) -> None:
    assert lab_of(provider, family) == lab
