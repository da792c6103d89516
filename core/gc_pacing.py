"""Cyclic garbage collection paced for loops that parse gigabytes of JSON.

Parsing a 3 MB feed allocates some 60,000 dicts and lists, acyclic and freed by reference
counting. Python's collector counts them anyway: every 700 allocations it scans the young
objects, and about once a file it scans every object the process holds (its modules, the
previous snapshot's entries, ...). Over an import of 200 full-size LiteLLM files that was
2-4 s of an 18 s import (benchmarks/import_vs_parse.py). Inside `paced_collection` the
objects alive at its start are frozen (never scanned again until it ends) and the young
generation is scanned every THRESHOLD allocations instead of 700; cycles still get
collected, only less often.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLD = 100_000  # allocations between scans of the young objects (Python's is 700)


@contextmanager
def paced_collection() -> Iterator[None]:
    """Collect cycles less often inside the block; the settings before it come back."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(THRESHOLD, before[1], before[2])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
