"""Identity decisions: a key joins its family only when its prices agree, and says why."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.identity import Identity, KeyPrices, SeriesKey, resolve
from reconcile.overrides import parse_overrides

INPUT: SeriesKey = ("input", "standard", 0, "", "", "")
OUTPUT: SeriesKey = ("output", "standard", 0, "", "", "")
CACHE_READ: SeriesKey = ("cache_read", "standard", 0, "", "", "")


def key(
    source: str, key: str, provider: str, model: str, *prices: tuple[SeriesKey, str]
) -> KeyPrices:
    return KeyPrices(source, key, provider, model, {s: Decimal(v) for s, v in prices})


def by_key(identities: list[Identity]) -> dict[tuple[str, str], Identity]:
    return {(i.source, i.source_model_key): i for i in identities}


def test_a_dated_snapshot_priced_like_its_family_is_an_alias() -> None:
    found = by_key(
        resolve(
            [
                key("litellm", "claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5",
                    (INPUT, "3"), (OUTPUT, "15")),
                key("litellm", "claude-sonnet-4-5-20250929", "anthropic",
                    "claude-sonnet-4-5-20250929", (INPUT, "3"), (OUTPUT, "15")),
            ]
        )
    )  # fmt: skip
    dated = found[("litellm", "claude-sonnet-4-5-20250929")]
    assert (dated.canonical_provider, dated.canonical_model) == ("anthropic", "claude-sonnet-4-5")
    assert (dated.rule, dated.outcome) == ("dated-snapshot", "alias")
    assert dated.explanation == (
        "dated snapshot (2025-09-29) of claude-sonnet-4-5, same prices as claude-sonnet-4-5: alias"
    )
    assert found[("litellm", "claude-sonnet-4-5")].outcome == "exact"


def test_a_dated_snapshot_priced_apart_stays_its_own_series_and_says_where() -> None:
    found = by_key(
        resolve(
            [
                key("litellm", "gpt-4o", "openai", "gpt-4o", (INPUT, "2.5"), (OUTPUT, "10")),
                key("litellm", "gpt-4o-2024-05-13", "openai", "gpt-4o-2024-05-13",
                    (INPUT, "5"), (OUTPUT, "15")),
                key("litellm", "gpt-4o-2024-08-06", "openai", "gpt-4o-2024-08-06",
                    (INPUT, "2.5"), (OUTPUT, "10")),
            ]
        )
    )  # fmt: skip
    old = found[("litellm", "gpt-4o-2024-05-13")]
    assert (old.canonical_model, old.outcome, old.family) == (
        "gpt-4o-2024-05-13",
        "own-series",
        "gpt-4o",
    )
    assert "input 5 vs 2.5 under gpt-4o" in old.explanation
    assert old.explanation.endswith(": own series")
    assert found[("litellm", "gpt-4o-2024-08-06")].canonical_model == "gpt-4o"


def test_without_the_family_key_a_latest_alias_leads_and_old_snapshots_may_stay_apart() -> None:
    found = by_key(
        resolve(
            [
                key("litellm", "mistral/mistral-large-2402", "mistral", "mistral-large-2402",
                    (INPUT, "8")),
                key("litellm", "mistral/mistral-large-2411", "mistral", "mistral-large-2411",
                    (INPUT, "2")),
                key("litellm", "mistral/mistral-large-latest", "mistral",
                    "mistral-large-latest", (INPUT, "2")),
            ]
        )
    )  # fmt: skip
    assert {k[1]: i.canonical_model for k, i in found.items()} == {
        "mistral/mistral-large-2402": "mistral-large-2402",
        "mistral/mistral-large-2411": "mistral-large",
        "mistral/mistral-large-latest": "mistral-large",
    }
    assert found[("litellm", "mistral/mistral-large-latest")].explanation == (
        "-latest alias of mistral-large, the first key of mistral-large in litellm: alias"
    )


def test_a_source_without_the_family_key_must_match_another_source_stating_it() -> None:
    family = key("openrouter", "openai/gpt-4o", "openai", "gpt-4o", (INPUT, "2.5"))
    old = key("genai-prices", "openai/gpt-4o-2024-05-13", "openai", "gpt-4o-2024-05-13",
              (INPUT, "5"))  # fmt: skip
    new = key("genai-prices", "openai/gpt-4o-2024-11-20", "openai", "gpt-4o-2024-11-20",
              (INPUT, "2.5"))  # fmt: skip
    apart = by_key(resolve([family, old]))[("genai-prices", "openai/gpt-4o-2024-05-13")]
    assert apart.canonical_model == "gpt-4o-2024-05-13"
    assert "input 5 vs 2.5 under openai/gpt-4o in openrouter" in apart.explanation
    joined = by_key(resolve([family, new]))[("genai-prices", "openai/gpt-4o-2024-11-20")]
    assert joined.canonical_model == "gpt-4o"
    assert "same prices as openai/gpt-4o in openrouter" in joined.explanation


def test_two_keys_of_one_source_naming_one_model_at_two_prices_are_kept_under_their_keys() -> None:
    found = by_key(
        resolve(
            [
                key("litellm", "gemini-2.0-flash", "google-vertex", "gemini-2.0-flash",
                    (INPUT, "0.1")),
                key("litellm", "vertex_ai/gemini-2.0-flash", "google-vertex", "gemini-2.0-flash",
                    (INPUT, "0.15")),
            ]
        )
    )  # fmt: skip
    assert found[("litellm", "gemini-2.0-flash")].canonical_model == "gemini-2.0-flash"
    second = found[("litellm", "vertex_ai/gemini-2.0-flash")]
    assert (second.canonical_model, second.outcome) == ("vertex_ai/gemini-2.0-flash", "own-key")
    assert "input 0.15 vs 0.1 under gemini-2.0-flash" in second.explanation


def test_a_prefixed_and_a_bare_key_with_equal_prices_share_the_model() -> None:
    found = by_key(
        resolve(
            [
                key("litellm", "gemini-flash-latest", "google", "gemini-flash-latest",
                    (INPUT, "0.3")),
                key("litellm", "gemini/gemini-flash-latest", "google", "gemini-flash-latest",
                    (INPUT, "0.3")),
            ]
        )
    )  # fmt: skip
    assert {i.canonical_model for i in found.values()} == {"gemini-flash"}


def test_a_cloud_keeps_its_copy_of_a_lab_model_under_its_own_name() -> None:
    found = by_key(
        resolve(
            [
                key("litellm", "claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5",
                    (INPUT, "3")),
                key("litellm", "vertex_ai/claude-sonnet-4-5@20250929", "google-vertex",
                    "claude-sonnet-4-5@20250929", (INPUT, "3")),
                key("litellm", "gemini/gemini-2.5-pro", "google", "gemini-2.5-pro",
                    (INPUT, "1.25")),
                key("litellm", "gemini-2.5-pro", "google-vertex", "gemini-2.5-pro",
                    (INPUT, "1.25")),
            ]
        )
    )  # fmt: skip
    vertex = found[("litellm", "vertex_ai/claude-sonnet-4-5@20250929")]
    assert (vertex.canonical_provider, vertex.canonical_model) == (
        "google-vertex",
        "claude-sonnet-4-5",
    )
    assert (vertex.lab_provider, vertex.lab_model) == ("anthropic", "claude-sonnet-4-5")
    assert found[("litellm", "gemini-2.5-pro")].canonical_provider == "google-vertex"
    assert found[("litellm", "gemini/gemini-2.5-pro")].canonical_provider == "google"


def test_the_chatgpt_model_is_never_folded_into_the_api_model() -> None:
    found = by_key(
        resolve(
            [
                key("litellm", "gpt-4o", "openai", "gpt-4o", (INPUT, "5")),
                key("litellm", "chatgpt-4o-latest", "openai", "chatgpt-4o-latest", (INPUT, "5")),
            ]
        )
    )
    assert found[("litellm", "chatgpt-4o-latest")].canonical_model == "chatgpt-4o"


def test_a_key_without_prices_joins_its_family() -> None:
    found = by_key(
        resolve(
            [
                key("genai-prices", "anthropic/claude-3-5-sonnet", "anthropic",
                    "claude-3-5-sonnet", (INPUT, "3")),
                key("genai-prices", "anthropic/claude-3-5-sonnet-latest", "anthropic",
                    "claude-3-5-sonnet-latest"),
            ]
        )
    )  # fmt: skip
    assert found[("genai-prices", "anthropic/claude-3-5-sonnet-latest")].outcome == "alias"


def test_an_override_forces_an_alias_and_another_keeps_a_key_apart() -> None:
    overrides = parse_overrides(
        '[[alias]]\nkey = "openai/o3-mini-high"\nmodel = "openai/o3-mini"\nreason = "effort"\n\n'
        '[[separate]]\nsource = "litellm"\nkey = "gpt-4o-2024-11-20"\n',
        "aliases.toml",
    )
    found = by_key(
        resolve(
            [
                key("openrouter", "openai/o3-mini", "openai", "o3-mini", (INPUT, "1.1")),
                key("openrouter", "openai/o3-mini-high", "openai", "o3-mini-high",
                    (INPUT, "1.2")),
                key("litellm", "gpt-4o", "openai", "gpt-4o", (INPUT, "2.5")),
                key("litellm", "gpt-4o-2024-11-20", "openai", "gpt-4o-2024-11-20",
                    (INPUT, "2.5")),
            ],
            overrides,
        )
    )  # fmt: skip
    forced = found[("openrouter", "openai/o3-mini-high")]
    assert (forced.canonical_model, forced.outcome, forced.rule) == (
        "o3-mini",
        "override-alias",
        "override",
    )
    assert forced.explanation == "alias of openai/o3-mini forced by aliases.toml:1 (effort)"
    apart = found[("litellm", "gpt-4o-2024-11-20")]
    assert (apart.canonical_model, apart.outcome) == ("gpt-4o-2024-11-20", "override-apart")
    assert "aliases.toml:6" in apart.explanation


def test_the_decision_does_not_depend_on_the_order_keys_come_in() -> None:
    keys = [
        key("litellm", f"claude-3-5-sonnet-{date}", "anthropic", f"claude-3-5-sonnet-{date}",
            (INPUT, price))
        for date, price in [("20240620", "3"), ("20241022", "3"), ("latest", "3"),
                            ("20250101", "4")]
    ]  # fmt: skip
    expected = sorted(resolve(keys), key=lambda i: i.source_model_key)
    shuffled = keys[:]
    random.Random(3).shuffle(shuffled)
    assert sorted(resolve(shuffled), key=lambda i: i.source_model_key) == expected


def assert_no_clash(identities: list[Identity], keys: list[KeyPrices]) -> None:
    """No two keys of one source with different prices for one series share a canonical
    model, unless an override forced it."""
    prices = {(k.source, k.source_model_key): k.prices for k in keys}
    groups: dict[tuple[str, str, str], list[Identity]] = defaultdict(list)
    for i in identities:
        if i.outcome != "override-alias":
            groups[(i.source, i.canonical_provider, i.canonical_model)].append(i)
    for group, members in groups.items():
        seen: dict[SeriesKey, tuple[Decimal, str]] = {}
        for m in members:
            for series, value in prices[(m.source, m.source_model_key)].items():
                first = seen.setdefault(series, (value, m.source_model_key))
                assert first[0] == value, (group, series, first, (value, m.source_model_key))


FAMILY_KEYS = st.sampled_from(
    [
        ("claude-sonnet-4-5", "claude-sonnet-4-5"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929"),
        ("anthropic/claude-sonnet-4-5", "claude-sonnet-4-5"),
        ("claude-sonnet-4-5-latest", "claude-sonnet-4-5-latest"),
        ("claude-sonnet-4-5-20260101", "claude-sonnet-4-5-20260101"),
        ("claude-4-5-sonnet", "claude-4-5-sonnet"),
        ("claude-sonnet-4-5-20250929-latest", "claude-sonnet-4-5-20250929-latest"),
        ("x/claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929"),
    ]
)
PRICE = st.sampled_from(["1", "3", "15"])
SERIES = st.sampled_from([INPUT, OUTPUT, CACHE_READ])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["litellm", "openrouter"]),
            FAMILY_KEYS,
            st.dictionaries(SERIES, PRICE, max_size=3),
        ),
        max_size=10,
        unique_by=lambda t: (t[0], t[1][0]),
    )
)
def test_no_two_keys_of_a_source_with_different_prices_share_a_model(
    drawn: list[tuple[str, tuple[str, str], dict[SeriesKey, str]]],
) -> None:
    keys = [
        KeyPrices(source, k, "anthropic", model, {s: Decimal(v) for s, v in prices.items()})
        for source, (k, model), prices in drawn
    ]
    identities = resolve(keys)
    assert len(identities) == len(keys)
    assert_no_clash(identities, keys)
