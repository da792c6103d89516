"""Attention FLOPs with sparse attention and per-layer-type head sizes."""

from __future__ import annotations

from model.catalog.load import Catalog
from model.roofline.attention import decode_attention_flops, prefill_attention_flops


def test_sparse_decode_attends_to_the_top_k_and_indexes_every_key(catalog: Catalog) -> None:
    v32 = catalog.get_model("deepseek-v3.2")
    # absorbed MLA: 2 x 128 heads x (576 + 512) per attended key; indexer 2 x 64 x 128 per key
    main, indexer = 2 * 128 * (576 + 512), 2 * 64 * 128
    assert decode_attention_flops(v32, 100_000) == 61 * (main * 2_048 + indexer * 100_000)
    dense = catalog.get_model("deepseek-v3")
    assert decode_attention_flops(dense, 1_000) < decode_attention_flops(v32, 1_000)
    assert decode_attention_flops(v32, 100_000) < decode_attention_flops(dense, 100_000) / 10


def test_sparse_prefill_caps_each_querys_keys_like_a_window(catalog: Catalog) -> None:
    v32 = catalog.get_model("deepseek-v3.2")
    per_head = 2 * 128 * (128 + 64 + 128)  # per-head MLA prefill: d_qk 192, d_v 128
    tokens = 10_000
    attended = 2_048 * 2_049 / 2 + (tokens - 2_048) * 2_048
    indexed = tokens * (tokens + 1) / 2
    expected = 61 * (per_head * attended + 2 * 64 * 128 * indexed)
    assert prefill_attention_flops(v32, tokens) == expected


def test_gemma_4_global_layers_use_their_wider_heads(catalog: Catalog) -> None:
    gemma = catalog.get_model("gemma-4-31b")
    # 10 full layers x 2 x 32 heads x (512 + 512) + 50 windowed x 2 x 32 x (256 + 256)
    assert decode_attention_flops(gemma, 500) == 500 * (10 * 2 * 32 * 1024 + 50 * 2 * 32 * 512)
