"""The calibration table: published serving points against the roofline."""

from __future__ import annotations

import math

import pytest

from model.catalog.load import Catalog
from model.inversion.infer import efficiency_for
from model.roofline.calibration import calibrate, calibration_lines


def test_every_point_cites_its_source_and_none_beats_the_bound(catalog: Catalog) -> None:
    result = calibrate(catalog)
    assert len(result.rows) >= 7
    for row in result.rows:
        assert row.point.source_url.startswith("https://")
        assert row.point.source_detail
        assert row.measured_over_bound >= 1.0, row.point.id


def test_palm_decode_batch_64_bound_is_64_weight_reads(catalog: Catalog) -> None:
    # 540.35B bf16 weights over 64 TPU v4 x 1.2 TB/s = 14.07 ms a step; the MQA KV
    # (64 x ~2,080 tokens x 120,832 B) adds 0.2 ms; 64 steps = 0.914 s against 1.82 s.
    row = next(r for r in calibrate(catalog).rows if r.point.id == "palm-540b-decode-batch-64")
    assert row.bound_s == pytest.approx(0.914, rel=2e-3)
    assert row.measured_over_bound == pytest.approx(1.99, abs=0.01)


def test_deepseek_fleet_point_derives_batch_and_step_from_the_published_rates(
    catalog: Catalog,
) -> None:
    point = catalog.calibration["deepseek-v3-fleet-decode"]
    # 14.8k tokens/s per 8-GPU node = 1,850 per H800; 144 H800 at 21 tokens/s per user
    assert point.batch == pytest.approx(1_850 * 144 / 21)
    assert point.measured_s == pytest.approx(1 / 21)
    assert point.context_tokens == 4_989


def test_fractions_are_the_geometric_means_of_bound_over_measured(catalog: Catalog) -> None:
    result = calibrate(catalog)
    for phase, fraction in (
        ("decode", result.decode_fraction),
        ("prefill", result.prefill_fraction),
    ):
        rows = [r for r in result.rows if r.point.phase == phase]
        mean = math.exp(sum(math.log(1 / r.measured_over_bound) for r in rows) / len(rows))
        assert fraction == pytest.approx(mean)
        assert 0.2 < fraction < 1
    # calibrated, the fitted points straddle 1 (their geometric mean is exactly 1)
    decode = [r.measured_over_calibrated for r in result.rows if r.point.phase == "decode"]
    assert math.prod(decode) == pytest.approx(1.0)


def test_the_inversion_default_is_the_calibrated_efficiency(catalog: Catalog) -> None:
    result = calibrate(catalog)
    eff = efficiency_for("calibrated", catalog, "per-op")
    assert (eff.name, eff.decode_fraction, eff.prefill_fraction) == (
        "calibrated",
        result.decode_fraction,
        result.prefill_fraction,
    )
    assert efficiency_for("roofline", catalog, "per-op").decode_fraction == 1.0


def test_the_overlapped_bound_is_looser_so_its_calibration_is_lower(catalog: Catalog) -> None:
    per_op, overlapped = calibrate(catalog, "per-op"), calibrate(catalog, "overlapped")
    assert overlapped.decode_fraction <= per_op.decode_fraction
    for a, b in zip(per_op.rows, overlapped.rows, strict=True):
        assert a.bound_s >= b.bound_s * (1 - 1e-12)


def test_the_printed_table_has_a_row_and_a_source_per_point(catalog: Catalog) -> None:
    result = calibrate(catalog)
    text = "\n".join(calibration_lines(result))
    for row in result.rows:
        assert f"{row.measured_over_bound:.2f}" in text
        assert row.point.source_url in text
