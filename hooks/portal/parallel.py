"""Maps a function over many items on every core (forked workers) when the list is large enough to gain."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")
PARALLEL_MIN = 800  # below this, starting workers costs more than it saves


def fork_map(func: Callable[[T], R], items: Sequence[T], min_items: int = PARALLEL_MIN) -> list[R]:
    """[func(x) for x in items], in order. `func` must be a module-level function; the workers are forked,
    so they see the parent's state as it was when the map started. Falls back to this process where
    fork is not available (Windows) or fails."""
    workers = min(os.cpu_count() or 1, 8)
    if len(items) >= min_items and workers > 1:
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                return list(pool.map(func, items, chunksize=max(32, len(items) // (workers * 4))))
        except (ValueError, OSError, BrokenProcessPool):
            pass
    return [func(item) for item in items]
