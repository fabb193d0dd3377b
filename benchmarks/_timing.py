"""Timers and optional imports shared by the benchmark scripts (run them from any directory:
each script's own folder is on sys.path)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable


def optional(name: str):
    """The module `name`, or None when it is not installed (its anchor is then skipped)."""
    try:
        return __import__(name)
    except ImportError:
        return None


def best_time(fn: Callable[[], object], repeat: int = 5, number: int = 1) -> float:
    """Best wall-clock seconds per call over `repeat` batches of `number` calls."""
    best = math.inf
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - t) / number)
    return best


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(thread CPU seconds, wall seconds) of one call: the CPU clock is not inflated when a
    busy machine deschedules us."""
    c, w = time.thread_time(), time.perf_counter()
    fn()
    return time.thread_time() - c, time.perf_counter() - w


def best_of(fns: list[Callable[[], object]], repeat: int) -> list[tuple[float, float]]:
    """Best (CPU, wall) seconds of each callable over `repeat` alternating rounds."""
    res = [[math.inf, math.inf] for _ in fns]
    for _ in range(repeat):
        for fn, b in zip(fns, res):
            c, w = timed(fn)
            b[0] = min(b[0], c)
            b[1] = min(b[1], w)
    return [(b[0], b[1]) for b in res]
