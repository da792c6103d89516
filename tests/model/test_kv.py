from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from model.catalog.load import Catalog, load_catalog
from model.roofline.kv import kv_footprint

CATALOG = load_catalog()


def test_llama_3_1_70b_bf16_kv_is_327680_bytes_per_token(catalog: Catalog) -> None:
    # 2 (K and V) x 80 layers x 8 KV heads x 128 head dim x 2 bytes
    kv = kv_footprint(catalog.get_model("llama-3.1-70b"), "bf16")
    assert kv.bytes_per_token == 327_680


def test_mla_caches_latent_plus_rope_per_layer(catalog: Catalog) -> None:
    # DeepSeek-V3: 61 layers x (512 latent + 64 rope) x 2 bytes
    assert kv_footprint(catalog.get_model("deepseek-v3")).bytes_per_token == 70_272


def test_multi_query_attention_keeps_one_kv_head(catalog: Catalog) -> None:
    # PaLM 540B: 2 x 118 layers x 1 head x 256 x 2 bytes
    assert kv_footprint(catalog.get_model("palm-540b")).bytes_per_token == 120_832


def test_fp8_and_fp4_kv_shrink_bytes_in_proportion(catalog: Catalog) -> None:
    model = catalog.get_model("llama-3.1-8b")
    bf16 = kv_footprint(model, "bf16").bytes_per_token
    assert kv_footprint(model, "fp8").bytes_per_token == bf16 / 2
    assert kv_footprint(model, "fp4").bytes_per_token == bf16 / 4


def test_sliding_window_layers_stop_growing_at_the_window(catalog: Catalog) -> None:
    # Gemma 3 27B: 10 global + 52 local (1024-token window) layers, 2x16x128x2 bytes each
    kv = kv_footprint(catalog.get_model("gemma-3-27b"))
    per_layer = 2 * 16 * 128 * 2
    assert kv.sequence_bytes(512) == 62 * per_layer * 512
    assert kv.sequence_bytes(32_768) == 10 * per_layer * 32_768 + 52 * per_layer * 1024
    assert kv.bytes_per_token_at(131_072) < kv.bytes_per_token / 5


@given(
    model_id=st.sampled_from(sorted(CATALOG.models)),
    short=st.floats(1, 1e6),
    extra=st.floats(0, 1e6),
)
def test_sequence_kv_never_shrinks_as_context_grows(
    model_id: str, short: float, extra: float
) -> None:
    kv = kv_footprint(CATALOG.get_model(model_id))
    assert kv.sequence_bytes(short + extra) >= kv.sequence_bytes(short)
    assert kv.read_bytes(short + extra) >= kv.read_bytes(short)
    assert kv.read_bytes(short) <= kv.sequence_bytes(short) * (1 + 1e-12)


def test_sparse_attention_keeps_every_token_but_reads_the_top_k(catalog: Catalog) -> None:
    # DeepSeek-V3.2: 61 layers x (576 x 2 B latent + 128 B fp8 indexer key) kept per token;
    # a query reads every indexer key but only 2,048 latents.
    kv = kv_footprint(catalog.get_model("deepseek-v3.2"))
    assert kv.bytes_per_token == 61 * (576 * 2 + 128)  # 78,080
    assert kv.sequence_bytes(100_000) == 78_080 * 100_000
    assert kv.read_bytes(1_000) == kv.sequence_bytes(1_000)  # within the top-k: all of it
    assert kv.read_bytes(100_000) == 61 * 128 * 100_000 + 61 * 1_152 * 2_048
    dense = kv_footprint(catalog.get_model("deepseek-v3"))
    assert kv.read_bytes(100_000) < dense.read_bytes(100_000) / 5


def test_gemma_4_full_layers_keep_their_own_geometry(catalog: Catalog) -> None:
    # 50 sliding layers of 16 KV heads x 256 (K and V) and 10 full layers of 4 heads x 512
    # with keys reused as values: 819,200 + 40,960 = 860,160 bytes = 840 KiB per token.
    kv = kv_footprint(catalog.get_model("gemma-4-31b"))
    assert kv.window_layer_bytes_per_token == 50 * 2 * 16 * 256 * 2
    assert kv.full_layer_bytes_per_token == 10 * 4 * 512 * 2
    assert kv.bytes_per_token == 840 * 1024
    assert kv.sequence_bytes(200_000) == 40_960 * 200_000 + 819_200 * 1_024
