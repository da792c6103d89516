"""The collector paced for bulk parsing, and put back as it was afterwards."""

from __future__ import annotations

import gc

import pytest

from core.gc_pacing import THRESHOLD, paced_collection


def test_inside_the_block_old_objects_are_frozen_and_young_ones_scanned_less_often() -> None:
    before = gc.get_threshold()
    with paced_collection():
        assert gc.get_threshold()[0] == THRESHOLD > before[0]
        assert gc.get_freeze_count() > 0
        # Cycles made inside are still collected.
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_the_settings_come_back_when_the_block_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), paced_collection():
        raise RuntimeError("a bad file")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
