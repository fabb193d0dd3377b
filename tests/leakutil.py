"""Helpers shared by the two leak checks: tests/test_refcount.py (reference counts, Python
allocations) and tools/leakcheck.py (the C heap over 10^5 calls)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

# what the error scenarios are built to raise: lucas' own errors, a ZeroDivisionError from a
# hostile __index__, a KeyError from an unknown method name
EXPECTED = (ValueError, TypeError, OverflowError, MemoryError, ZeroDivisionError, KeyError)


def obj(*v: Any) -> np.ndarray:
    """A 1-D object array of exactly these elements (no nested conversion)."""
    a = np.empty(len(v), dtype=object)
    a[:] = list(v)
    return a


def swallow(f: Callable[[], Any]) -> Callable[[], None]:
    """Call f and ignore the error it is meant to raise."""

    def run() -> None:
        try:
            f()
        except EXPECTED:
            pass

    return run
