"""Timers and optional imports shared by the benchmark scripts (run them from any directory:
each script's own folder is on sys.path)."""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable


def bench_options(doc: str, argv: list[str] | None) -> tuple[argparse.Namespace, int]:
    """The options every comparison script takes (--quick, --repeat) and the input scale
    divisor they give: 10 with --quick, else 1."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="10x smaller inputs")
    ap.add_argument("--repeat", type=int, default=5, help="rounds per measurement (best kept)")
    opts = ap.parse_args(argv)
    return opts, 10 if opts.quick else 1


def print_versions(extra: str = "") -> None:
    """A report's first line: lucas, NumPy and Python versions, the machine, then extra."""
    import platform

    import numpy as np

    import lucas

    print(
        f"lucas {lucas.__version__}, numpy {np.__version__}, Python "
        f"{platform.python_version()}, {platform.machine()}{extra}"
    )


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


def table_head(note: str, header: str) -> None:
    """A report table's opening: a blank line, the note, the column header and a rule."""
    print()
    print(note)
    print(header)
    print("-" * len(header))
