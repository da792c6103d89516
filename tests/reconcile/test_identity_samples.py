"""Identity of every key in the real samples, through the project's own parsers.

Each key carries the prices of the last sample that listed it (LiteLLM releases and the
daily history in date order), as the warehouse would hold them.
"""

from __future__ import annotations

import gzip
import tarfile
from decimal import Decimal
from pathlib import Path

import pytest

from core.rows import Parsed
from extractors.base import Source
from extractors.feeds import genai_prices, litellm, openrouter
from reconcile.identity import Identity, KeyPrices, SeriesKey, resolve
from tests.paths import SAMPLES
from tests.reconcile.test_identity import assert_no_clash

pytestmark = pytest.mark.samples
State = dict[tuple[str, str], tuple[str, str, dict[SeriesKey, Decimal]]]


def _add(state: State, source: Source, parsed: Parsed) -> None:
    listed: State = {}
    for row in parsed.prices:
        entry = listed.setdefault((source.id, row.source_model_key), (row.provider, row.model, {}))
        start = row.effective_from.isoformat() if row.effective_from else ""
        end = row.effective_to.isoformat() if row.effective_to else ""
        series = (row.component, row.service_tier, row.tier_min_prompt_tokens, row.condition)
        entry[2][(*series, start, end)] = row.usd_per_mtok
    for lim in parsed.limits:
        listed.setdefault((source.id, lim.source_model_key), (lim.provider, lim.model, {}))
    state.update(listed)


def _litellm_files(samples: Path) -> list[tuple[str, bytes]]:
    files = [
        (p.name[:10], gzip.decompress(p.read_bytes()))
        for p in samples.glob("litellm_releases/*.json.gz")
    ]
    (archive,) = samples.glob("litellm_history/*.tar.gz")
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            handle = tar.extractfile(member) if member.name.endswith(".json") else None
            if handle is not None:
                files.append((Path(member.name).name[:10], handle.read()))
    return sorted(files, key=lambda item: item[0])


@pytest.fixture(scope="module")
def sample_keys() -> list[KeyPrices]:
    if not SAMPLES.is_dir():
        pytest.skip(f"real samples not present at {SAMPLES}")
    state: State = {}
    for _, payload in _litellm_files(SAMPLES):
        _add(state, litellm.SOURCE, litellm.SOURCE.parse(payload))
    for source, name in [
        (openrouter.SOURCE, "openrouter_models_2026-08-01.json.gz"),
        (genai_prices.SOURCE, "genai-prices_data_2026-08-21.json.gz"),
    ]:
        _add(state, source, source.parse(gzip.decompress((SAMPLES / name).read_bytes())))
    return [KeyPrices(s, k, p, m, prices) for (s, k), (p, m, prices) in state.items()]


@pytest.fixture(scope="module")
def identities(sample_keys: list[KeyPrices]) -> dict[tuple[str, str], Identity]:
    return {(i.source, i.source_model_key): i for i in resolve(sample_keys)}


def canonical(identities: dict[tuple[str, str], Identity], source: str, key: str) -> str:
    found = identities[(source, key)]
    return f"{found.canonical_provider}/{found.canonical_model}"


def test_every_sample_key_gets_exactly_one_identity(
    sample_keys: list[KeyPrices], identities: dict[tuple[str, str], Identity]
) -> None:
    assert len(sample_keys) > 5000
    assert set(identities) == {(k.source, k.source_model_key) for k in sample_keys}
    assert all(i.explanation and i.rule for i in identities.values())


def test_no_two_sample_keys_of_a_source_with_different_prices_share_a_model(
    sample_keys: list[KeyPrices], identities: dict[tuple[str, str], Identity]
) -> None:
    assert_no_clash(list(identities.values()), sample_keys)


def test_dated_claude_keys_are_aliases_of_their_family(
    identities: dict[tuple[str, str], Identity],
) -> None:
    dated = identities[("litellm", "claude-sonnet-4-5-20250929")]
    assert canonical(identities, "litellm", "claude-sonnet-4-5-20250929") == (
        "anthropic/claude-sonnet-4-5"
    )
    assert dated.explanation == (
        "dated snapshot (2025-09-29) of claude-sonnet-4-5, same prices as claude-sonnet-4-5: alias"
    )
    assert canonical(identities, "openrouter", "anthropic/claude-sonnet-4.5") == (
        "anthropic/claude-sonnet-4-5"
    )


def test_both_word_orders_of_claude_sonnet_4_and_its_dot_zero_alias_are_one_model(
    identities: dict[tuple[str, str], Identity],
) -> None:
    for source, key in [
        ("litellm", "claude-4-sonnet-20250514"),
        ("litellm", "claude-sonnet-4-20250514"),
        ("openrouter", "anthropic/claude-sonnet-4"),
        ("genai-prices", "anthropic/claude-sonnet-4-0"),
    ]:
        assert canonical(identities, source, key) == "anthropic/claude-sonnet-4", key
    assert identities[("litellm", "claude-4-sonnet-20250514")].rule == ("dated-snapshot+word-order")


def test_gemini_prefixed_and_bare_keys_name_ai_studio_and_vertex_apart(
    identities: dict[tuple[str, str], Identity],
) -> None:
    for source, key in [
        ("litellm", "gemini/gemini-2.5-pro"),
        ("openrouter", "google/gemini-2.5-pro"),
        ("genai-prices", "google/gemini-2.5-pro"),
    ]:
        assert canonical(identities, source, key) == "google/gemini-2.5-pro", key
    vertex = identities[("litellm", "gemini-2.5-pro")]
    assert canonical(identities, "litellm", "gemini-2.5-pro") == "google-vertex/gemini-2.5-pro"
    assert (vertex.lab_provider, vertex.lab_model) == ("google", "gemini-2.5-pro")


def test_latest_aliases_join_their_family_and_chatgpt_stays_apart_from_gpt_4o(
    identities: dict[tuple[str, str], Identity],
) -> None:
    assert canonical(identities, "litellm", "claude-3-5-sonnet-latest") == (
        "anthropic/claude-3-5-sonnet"
    )
    assert canonical(identities, "litellm", "claude-3-5-sonnet-20241022") == (
        "anthropic/claude-3-5-sonnet"
    )
    assert canonical(identities, "litellm", "chatgpt-4o-latest") == "openai/chatgpt-4o"
    assert canonical(identities, "genai-prices", "openai/chatgpt-4o-latest") == (
        "openai/chatgpt-4o"
    )


def test_dated_gpt_4o_snapshots_priced_apart_stay_their_own_series(
    identities: dict[tuple[str, str], Identity],
) -> None:
    assert canonical(identities, "litellm", "gpt-4o-2024-08-06") == "openai/gpt-4o"
    old = identities[("litellm", "gpt-4o-2024-05-13")]
    assert (old.canonical_model, old.outcome) == ("gpt-4o-2024-05-13", "own-series")
    assert canonical(identities, "openrouter", "openai/gpt-4o-2024-05-13") == (
        "openai/gpt-4o-2024-05-13"
    )


def test_route_variants_free_routes_and_extended_ones(
    identities: dict[tuple[str, str], Identity],
) -> None:
    free = identities[("openrouter", "google/gemma-4-31b-it:free")]
    assert canonical(identities, "openrouter", "google/gemma-4-31b-it:free") == (
        "google/gemma-4-31b-it"
    )
    assert "route-variant" in free.rule
    # Its prices stay apart under the condition the parser gave them: nothing in common.
    assert "no price in common with google/gemma-4-31b-it" in free.explanation
    extended = identities[("genai-prices", "openai/gpt-4o:extended")]
    assert (extended.canonical_model, extended.outcome) == ("gpt-4o:extended", "own-series")


def test_cloud_keys_stay_with_the_cloud_and_name_the_lab_model(
    identities: dict[tuple[str, str], Identity],
) -> None:
    sonnet = ("anthropic", "claude-sonnet-4-5")
    for key, expected, lab in [
        ("anthropic.claude-sonnet-4-5-20250929-v1:0", "bedrock/anthropic.claude-sonnet-4-5",
         sonnet),
        ("global.anthropic.claude-sonnet-4-5-20250929-v1:0", "bedrock/anthropic.claude-sonnet-4-5",
         sonnet),
        ("vertex_ai/claude-sonnet-4-5@20250929", "google-vertex/claude-sonnet-4-5", sonnet),
        ("azure/gpt-4o-2024-08-06", "azure/gpt-4o", ("openai", "gpt-4o")),
        ("openrouter/anthropic/claude-sonnet-4.5", "openrouter/anthropic/claude-sonnet-4.5",
         sonnet),
    ]:  # fmt: skip
        found = identities[("litellm", key)]
        assert canonical(identities, "litellm", key) == expected, key
        assert (found.lab_provider, found.lab_model) == lab, key
    eu = identities[("litellm", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    assert eu.outcome == "own-series"  # the EU profile costs 10% more
