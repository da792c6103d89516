"""The naming rules: which model family a source key names, read from the key alone.

Each rule reads one decoration off a model id (a date, a `-latest`, a cloud's region or
version pin, ...) and says what it read. They run in the order of `MODEL_RULES`, each at
most once, on the `(provider, model)` the source's parser gave (the feed's routing prefix
is already gone: `gemini/gemini-2.5-pro` is google's `gemini-2.5-pro`). What is left is
the key's *family*. Whether the key joins its family takes prices: reconcile/identity.py.
docs/identity.md has the table of rules with examples.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

# The companies that sell their own models: their price is the lab's list price.
# Everything else is a host (a cloud, a reseller, an inference provider) and keeps its name.
FIRST_PARTY = frozenset(
    {
        "openai", "anthropic", "google", "deepseek", "xai", "mistral", "cohere", "meta",
        "moonshot", "zai", "alibaba", "minimax", "ai21", "perplexity",
    }
)  # fmt: skip
# Hosts whose keys name a lab's model in a way the rules can read (lab_of below).
LAB_HOSTS = frozenset({"bedrock", "google-vertex", "azure", "azure-ai", "openrouter"})


@dataclass(frozen=True, slots=True)
class Step:
    rule: str
    note: str  # what the rule read, for explanations: "2025-09-29", "eu", "@001"


@dataclass(frozen=True, slots=True)
class Naming:
    """What a key names: its family, and each rule that got there."""

    model: str
    family: str
    steps: tuple[Step, ...]
    rules: tuple[str, ...]  # each step's rule, in order

    def note(self, rule: str) -> str:
        return next((s.note for s in self.steps if s.rule == rule), "")


Rule = Callable[[str, str], tuple[str, str] | None]

# OpenRouter's route variants (`:free` is a free, rate-limited route of the same model).
_VARIANT = re.compile(
    r"^(?P<base>.+):(?P<variant>free|beta|extended|thinking|nitro|online|floor|exacto)$"
)
_AZURE_ZONE = re.compile(r"^(?P<zone>[a-z][a-z-]*)/(?P<base>.+)$")
_AWS_REGION = re.compile(r"^(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d)/(?P<base>.+)$")
_AWS_PROFILE = re.compile(
    r"^(?P<profile>us|eu|apac|au|jp|ca|global|regional|us-gov)\.(?P<base>.+)$"
)
_AT_PIN = re.compile(r"^(?P<base>[^@]+)@(?P<pin>[a-z0-9.-]+)$")
_AWS_VERSION = re.compile(r"^(?P<base>.+?)(?P<version>-v\d+(?::\d+)?|-\d+:\d+|:\d+)$")
_LATEST = re.compile(r"^(?P<base>.+)-latest$")
_DATES = (
    re.compile(r"^(?P<base>.+)-(?P<y>20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)$"),
    re.compile(r"^(?P<base>.+)-(?P<y>20\d\d)(?P<m>\d\d)(?P<d>\d\d)$"),
    re.compile(r"^(?P<base>.+)-(?P<m>\d\d)-(?P<y>20\d\d)$"),
    re.compile(r"^(?P<base>.+)-(?P<m>\d\d)-(?P<d>\d\d)$"),
)
_FOUR_DIGITS = re.compile(r"^(?P<base>.+)-(?P<digits>\d{4})$")
_GOOGLE_VERSION = re.compile(r"^(?P<base>.+)-(?P<version>00\d)$")
_OLD_ORDER = re.compile(
    r"(?P<pre>^|[./])claude-(?P<major>\d+)(?:-(?P<minor>\d))?-(?P<tier>opus|sonnet|haiku)(?P<post>$|-)"
)
_MINOR_ZERO = re.compile(r"^(?P<base>.*claude-(?:opus|sonnet|haiku)-\d+)-0$")
_GPT35 = re.compile(r"(^|[./])gpt-35-")


def _route_variant(provider: str, model: str) -> tuple[str, str] | None:
    found = _VARIANT.match(model)
    return (found["base"], ":" + found["variant"]) if found else None


def _host_region(provider: str, model: str) -> tuple[str, str] | None:
    if provider in ("azure", "azure-ai"):
        found = _AZURE_ZONE.match(model)
        return (found["base"], found["zone"]) if found else None
    if provider == "bedrock" and "commitment" not in model:
        found = _AWS_REGION.match(model)
        return (found["base"], found["region"]) if found else None
    return None


def _host_profile(provider: str, model: str) -> tuple[str, str] | None:
    if provider != "bedrock":
        return None
    found = _AWS_PROFILE.match(model)
    return (found["base"], found["profile"] + ".") if found else None


def _host_version(provider: str, model: str) -> tuple[str, str] | None:
    pinned = _AT_PIN.match(model)
    if pinned and not _is_date(pinned["pin"]):
        return pinned["base"], "@" + pinned["pin"]
    if provider == "bedrock" and "commitment" not in model:
        found = _AWS_VERSION.match(model)
        # `anthropic.claude-v2:1` is Claude 2.1 and `claude-instant-v1` a name: no pin.
        if found and not re.search(r"claude(-instant)?$", found["base"]):
            return found["base"], found["version"]
    return None


def _latest_alias(provider: str, model: str) -> tuple[str, str] | None:
    found = _LATEST.match(model)
    return (found["base"], "-latest") if found else None


def _dated_snapshot(provider: str, model: str) -> tuple[str, str] | None:
    pinned = _AT_PIN.match(model)
    if pinned and _is_date(pinned["pin"]):
        return pinned["base"], _iso(pinned["pin"])
    for pattern in _DATES:
        found = pattern.match(model)
        if found and _valid(found.groupdict().get("m"), found.groupdict().get("d") or "01"):
            parts = [found.groupdict().get(k) for k in ("y", "m", "d")]
            return found["base"], "-".join(p for p in parts if p)
    found = _FOUR_DIGITS.match(model)
    if found and _month_day_or_year_month(found["digits"]):
        return found["base"], found["digits"]
    return None


def _version_suffix(provider: str, model: str) -> tuple[str, str] | None:
    if provider not in ("google", "google-vertex"):
        return None  # `text-davinci-002` and `-003` are two models, not two versions
    found = _GOOGLE_VERSION.match(model)
    return (found["base"], found["version"]) if found else None


def _word_order(provider: str, model: str) -> tuple[str, str] | None:
    found = _OLD_ORDER.search(model)
    if not found or int(found["major"]) < 4:
        return None  # Claude 3.x names put the version first: that is their own spelling
    version = found["major"] + (f"-{found['minor']}" if found["minor"] else "")
    new = f"{found['pre']}claude-{found['tier']}-{version}{found['post']}"
    return model[: found.start()] + new + model[found.end() :], found.group(0).strip("./-")


def _minor_zero(provider: str, model: str) -> tuple[str, str] | None:
    found = _MINOR_ZERO.match(model)
    return (found["base"], "-0") if found else None


def _spelling(provider: str, model: str) -> tuple[str, str] | None:
    found = _GPT35.search(model)
    if not found:
        return None
    return model[: found.start()] + found.group(1) + "gpt-3.5-" + model[found.end() :], "gpt-35"


MODEL_RULES: tuple[tuple[str, Rule], ...] = (
    ("route-variant", _route_variant),
    ("host-region", _host_region),
    ("host-profile", _host_profile),
    ("host-version", _host_version),
    ("latest-alias", _latest_alias),
    ("dated-snapshot", _dated_snapshot),
    ("version-suffix", _version_suffix),
    ("word-order", _word_order),
    ("minor-zero", _minor_zero),
    ("spelling", _spelling),
)


@lru_cache(maxsize=16384)
def name_key(source_model_key: str, provider: str, model: str) -> Naming:
    """The family `(provider, model)` names, and the rules that read it off.

    Two rules come from the key rather than the model: `route-variant` when the parser
    moved an OpenRouter `:free`-style suffix into the row's condition, and `feed-prefix`
    when the key is the model behind a routing prefix (`gemini/gemini-2.5-pro`,
    `anthropic/claude-sonnet-4.5`). Neither changes the family.
    """
    steps: list[Step] = []
    key_variant = _VARIANT.match(source_model_key)
    if key_variant and not model.endswith(":" + key_variant["variant"]):
        steps.append(Step("route-variant", ":" + key_variant["variant"]))
    bare = key_variant["base"] if key_variant else source_model_key
    if bare != model:
        steps.append(Step("feed-prefix", bare))
    family = model
    for rule, apply in MODEL_RULES:
        found = apply(provider, family)
        if found is not None and found[0]:
            family, note = found
            steps.append(Step(rule, note))
    return Naming(model, family, tuple(steps), tuple(s.rule for s in steps))


def lab_of(provider: str, family: str) -> tuple[str, str] | None:
    """The lab and its model family that a host's family names, or None.

    First-party keys are their own lab. For the clouds that resell lab models (Bedrock,
    Vertex AI, Azure) and OpenRouter prices relayed by another feed, the vendor prefix
    (`anthropic.`, `meta/`) or the model's name says whose model it is; other hosts
    (inference providers with their own spellings) get None.
    """
    if provider in FIRST_PARTY:
        return provider, family
    if provider not in LAB_HOSTS:
        return None
    vendor, model = _split_vendor(family)
    lab = _VENDORS.get(vendor) if vendor else None
    lab = lab or _lab_by_name(model)
    if lab is None:
        return None
    if model.endswith("-maas"):  # Vertex's "model as a service" listing of the same model
        model = model.removesuffix("-maas")
    if lab == "anthropic":
        model = model.replace(".", "-")  # OpenRouter's dotted versions (providers.py)
    return lab, name_key(model, lab, model).family


def _split_vendor(family: str) -> tuple[str, str]:
    for sep in ("/", "."):
        head, found, rest = family.partition(sep)
        if found and head in _VENDORS:
            return head, rest
    return "", family


_VENDORS: dict[str, str] = {
    "anthropic": "anthropic", "openai": "openai", "google": "google", "meta": "meta",
    "meta-llama": "meta", "mistral": "mistral", "mistralai": "mistral", "deepseek": "deepseek",
    "deepseek-ai": "deepseek", "xai": "xai", "x-ai": "xai", "cohere": "cohere", "ai21": "ai21",
    "qwen": "alibaba", "moonshotai": "moonshot", "minimax": "minimax", "minimaxai": "minimax",
    "zai-org": "zai", "z-ai": "zai", "amazon": "amazon",
}  # fmt: skip
_NAME_PREFIXES: tuple[tuple[str, str], ...] = (
    ("claude", "anthropic"), ("gemini", "google"), ("gemma", "google"),
    ("chatgpt", "openai"), ("gpt-", "openai"), ("o1", "openai"), ("o3", "openai"),
    ("o4", "openai"), ("codex", "openai"), ("grok", "xai"), ("deepseek", "deepseek"),
    ("mistral", "mistral"), ("mixtral", "mistral"), ("codestral", "mistral"),
    ("ministral", "mistral"), ("magistral", "mistral"), ("pixtral", "mistral"),
    ("devstral", "mistral"), ("llama", "meta"), ("command", "cohere"), ("jamba", "ai21"),
    ("qwen", "alibaba"), ("kimi", "moonshot"), ("glm", "zai"), ("minimax", "minimax"),
)  # fmt: skip


def _lab_by_name(model: str) -> str | None:
    return next((lab for prefix, lab in _NAME_PREFIXES if model.startswith(prefix)), None)


def _is_date(text: str) -> bool:
    return len(text) == 8 and text.isdigit() and _valid(text[4:6], text[6:8])


def _iso(text: str) -> str:
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def _valid(month: str | None, day: str) -> bool:
    return month is not None and 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _month_day_or_year_month(digits: str) -> bool:
    """`0613` (June 13) or `2411` (November 2024): how OpenAI, Mistral and xAI date keys."""
    first, second = int(digits[:2]), int(digits[2:])
    month_day = 1 <= first <= 12 and 1 <= second <= 31
    year_month = 23 <= first <= 29 and 1 <= second <= 12
    return month_day or year_month
