"""A key per model price sheet: equal keys, equal inferences (pure but for reading this
package's own source files, as the catalog loader reads its data files).

A model's inferences depend on its price rows and limit rows as the inversion reads them,
and on everything else fixed for the run: the shipped catalog (stand-ins, hardware,
calibration points: files of model/), the inversion's code, and the assumptions
(efficiency, assumed model or hardware, overlap). The context key hashes the latter once;
each sheet key hashes the context key with the digests of one model's rows, so a changed
catalog file or a changed line of model/ changes every key and every model is recomputed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from model.inversion.prices import Key

MODEL_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def code_version() -> str:
    """SHA-256 of every source and data file of model/ (a process reads them once)."""
    digest = hashlib.sha256()
    for path in sorted(MODEL_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".toml") and path.is_file():
            digest.update(str(path.relative_to(MODEL_PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def context_key(code: str, assumptions: Mapping[str, object]) -> str:
    """What every model's result depends on beside its own prices: the code version and
    the run's assumptions. The catalog the daily run reads is the shipped one, whose files
    are part of the code version."""
    text = json.dumps({"assumptions": assumptions, "code": code}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def sheet_keys(digests: Mapping[Key, tuple[str, str]], context: str) -> dict[Key, str]:
    """(provider, model) -> the key of its sheet: the digests of its price rows and of its
    limit rows (warehouse/price_sheets.py) with the context key."""
    return {
        key: hashlib.sha256("\n".join([context, prices, limits]).encode()).hexdigest()
        for key, (prices, limits) in digests.items()
    }
