"""Fewer cyclic garbage collections while a large piece of work runs.

Commands and the checking stage build many acyclic objects (catalog entries, readings of
texts, findings) that reference counting frees on its own; the collector's young-generation
passes over them find nothing to free and cost 5-10 % of the run (measured on
``bench/bench_check.py``: about 15-30 µs of CPU per checked entry). While
:func:`rare_collections` holds, a young collection comes after :data:`GC_THRESHOLD`
allocations instead of Python's default 700; cycles are still collected, only less often.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["GC_THRESHOLD", "collect_rarely", "rare_collections"]

#: Allocations between two young-generation collections while the work runs (default 700).
GC_THRESHOLD = 100_000


def collect_rarely() -> None:
    """Raise the young-generation threshold to :data:`GC_THRESHOLD` (never lower it), for
    the rest of the process (a worker process that lives for one run)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], GC_THRESHOLD), *thresholds[1:])


@contextlib.contextmanager
def rare_collections() -> Iterator[None]:
    """Collect rarely inside the block; the previous thresholds come back after it."""
    thresholds = gc.get_threshold()
    collect_rarely()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
