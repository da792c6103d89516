from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.catalog.load import Catalog
from model.roofline.moe import experts_touched, params_touched


def test_one_token_touches_exactly_k_experts() -> None:
    assert experts_touched(256, 8, 1) == pytest.approx(8)


def test_a_large_batch_touches_essentially_every_expert() -> None:
    assert experts_touched(256, 8, 4096) == pytest.approx(256, rel=1e-12)


def test_a_moderate_batch_touches_neither_k_nor_all_experts() -> None:
    # 64 tokens x 8 picks over 256 experts: 256 * (1 - (31/32)^64) ≈ 222.7
    touched = experts_touched(256, 8, 64)
    assert touched == pytest.approx(256 * (1 - (31 / 32) ** 64))
    assert 8 < touched < 256


def test_batch_of_one_reads_exactly_the_active_parameters(catalog: Catalog) -> None:
    for model in catalog.models.values():
        assert params_touched(model, 1) == pytest.approx(model.active_params), model.id


def test_dense_models_read_all_weights_at_any_batch(catalog: Catalog) -> None:
    model = catalog.get_model("llama-3.1-70b")
    assert params_touched(model, 1) == params_touched(model, 1000) == model.total_params


@given(
    experts=st.integers(2, 512), data=st.data(), tokens=st.floats(0, 1e5), more=st.floats(0, 1e5)
)
def test_experts_touched_grows_with_batch_and_stays_within_bounds(
    experts: int, data: st.DataObject, tokens: float, more: float
) -> None:
    active = data.draw(st.integers(1, experts - 1))
    few, many = (
        experts_touched(experts, active, tokens),
        experts_touched(experts, active, tokens + more),
    )
    assert 0 <= few <= many <= experts
