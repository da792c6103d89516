"""A key per model price sheet: equal keys, equal inferences (pure but for reading this
package's own source files, as the catalog loader reads its data files).

A model's inferences depend on its price rows and context window as the inversion reads
them, and on everything else fixed for the run: the catalog (stand-ins, hardware,
calibration points), the inversion's code, and the assumptions (efficiency, assumed
model or hardware, overlap). The context key hashes the latter once; each sheet key hashes
the context key with one model's rows, so a changed catalog or a changed line of model/
changes every key and every model is recomputed.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from model.catalog.load import Catalog
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


def context_key(catalog: Catalog, code: str, assumptions: Mapping[str, object]) -> str:
    """What every model's result depends on beside its own prices: the catalog as loaded
    (user files included), the code version and the run's assumptions."""
    text = json.dumps({"assumptions": assumptions, "code": code}, sort_keys=True, default=str)
    return hashlib.sha256((repr(catalog) + text).encode()).hexdigest()


def sheet_keys(
    price_rows: Iterable[Mapping[str, object]],
    limits: Mapping[Key, int],
    context: str,
) -> dict[Key, str]:
    """(provider, model) -> the key of its sheet: its rows in a stable order, its context
    window and the context key."""
    sheets: dict[Key, list[str]] = defaultdict(list)
    for row in price_rows:
        key = (str(row["provider"]), str(row["model"]))
        sheets[key].append(json.dumps(row, sort_keys=True, default=str))
    return {
        key: hashlib.sha256(
            "\n".join([context, str(limits.get(key)), *sorted(rows)]).encode()
        ).hexdigest()
        for key, rows in sheets.items()
    }
