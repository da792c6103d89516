"""Shared test fixtures: paths to project fixtures and to ../shared/samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import SAMPLES


@pytest.fixture
def samples() -> Path:
    """../shared/samples, or skip: the samples are third-party and not shipped."""
    if not SAMPLES.is_dir():
        pytest.skip(f"real samples not present at {SAMPLES}")
    return SAMPLES
