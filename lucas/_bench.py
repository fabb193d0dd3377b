"""``lucas bench``: a quick comparison against the plain Python one would write without lucas.

Every workload is timed both ways on the same inputs, and the lucas result is checked against
the Python one before anything is printed.  Times are best-of-``repeat`` wall clock
(``time.perf_counter``) in this process; the ratio column is Python time / lucas time.  The
full suite with more anchors (NumPy, gmpy2, SymPy, python-flint) is ``benchmarks/run.py``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import IO, Any

import numpy as np

P61 = 2**61 - 1
M9 = 10**9 + 7


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = math.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


# --- the pure-Python side: what the seed convention looks like written out by hand ----------


def py_step(c: list[int], init: list[int], n: int) -> int:
    """a[n] by stepping the recurrence: O(n k)."""
    a = list(init)
    k = len(c)
    for _ in range(n - k + 1):
        a.append(sum(ci * a[-k + j] for j, ci in enumerate(c)))
    return a[n]


def py_fib_doubling(n: int, m: int | None = None) -> int:
    """F(n) (mod m) by fast doubling: the best short pure-Python Fibonacci."""
    a, b = 0, 1
    for bit in bin(n)[2:]:
        d = a * (2 * b - a)
        e = a * a + b * b
        if m is not None:
            d, e = d % m, e % m
        a, b = (e, d + e) if bit == "1" else (d, e)
    return a % m if m is not None else a


def py_matrix_term(c: list[int], init: list[int], n: int, m: int) -> int:
    """a[n] mod m by companion-matrix power: O(k^3 log n)."""
    k = len(c)

    def mul(x: list[list[int]], y: list[list[int]]) -> list[list[int]]:
        cols = list(zip(*y, strict=True))
        return [
            [sum(p * q for p, q in zip(row, col, strict=True)) % m for col in cols] for row in x
        ]

    comp = [[int(j == i + 1) for j in range(k)] for i in range(k - 1)] + [list(c)]
    res = [[int(i == j) for j in range(k)] for i in range(k)]
    while n:
        if n & 1:
            res = mul(res, comp)
        comp = mul(comp, comp)
        n >>= 1
    return sum(res[0][j] * init[j] for j in range(k)) % m


def py_sequence_mod(c: list[int], init: list[int], count: int, m: int) -> list[int]:
    """The first ``count`` terms mod m with a Python loop."""
    a = [x % m for x in init]
    k = len(c)
    while len(a) < count:
        a.append(sum(ci * a[-k + j] for j, ci in enumerate(c)) % m)
    return a[:count]


# --- the table ------------------------------------------------------------------------------


def run_bench(
    quick: bool = False, repeat: int = 3, stream: IO[str] | None = None
) -> list[dict[str, Any]]:
    """Time the workloads, print a Markdown table to ``stream``, return the rows.

    Examples
    --------
    >>> from lucas._bench import run_bench
    >>> rows = run_bench(quick=True, repeat=1, stream=None)  # doctest: +SKIP
    >>> rows[0]["ratio"] > 1  # doctest: +SKIP
    True
    """
    import lucas

    scale = 0.1 if quick else 1.0
    rng = np.random.default_rng(2024)
    rows: list[dict[str, Any]] = []

    def row(name: str, size: int, py: Callable[[], Any], lu: Callable[[], Any]) -> None:
        t_py, r_py = _best(py, repeat)
        t_lu, r_lu = _best(lu, repeat)
        got = r_lu.tolist() if isinstance(r_lu, np.ndarray) else r_lu
        if got != r_py:  # pragma: no cover - would be a bug in lucas
            raise AssertionError(f"bench {name!r}: lucas and pure Python disagree")
        rows.append(
            {
                "workload": name,
                "size": size,
                "python_s": t_py,
                "lucas_s": t_lu,
                "ratio": t_py / t_lu if t_lu > 0 else math.inf,
            }
        )
        if stream is not None:
            _print_row(stream, rows[-1])
            stream.flush()

    if stream is not None:
        stream.write(
            f"lucas {lucas.__version__} against pure Python, best of {repeat} "
            "(ratio = Python time / lucas time; results checked equal)\n\n"
        )
        stream.write("| workload | size | pure Python | lucas | ratio |\n")
        stream.write("|---|---:|---:|---:|---:|\n")

    # 1. exact int64 terms at many small n (Tribonacci, stepping in Python)
    size = max(int(20_000 * scale), 100)
    n = rng.integers(0, 75, size=size)
    trib = ([1, 1, 1], [0, 0, 1])
    row(
        "Tribonacci a[n], random n < 75 (int64)",
        size,
        lambda: [py_step(*trib, v) for v in n.tolist()],
        lambda: lucas.term(*trib, n),
    )

    # 2. F(n) mod 1e9+7 at many n ~ 1e18 (fast doubling in Python)
    size = max(int(20_000 * scale), 100)
    n = rng.integers(10**17, 10**18, size=size, dtype=np.int64)
    row(
        "F(n) mod 1e9+7, random n ~ 1e18",
        size,
        lambda: [py_fib_doubling(v, M9) for v in n.tolist()],
        lambda: lucas.term_mod([1, 1], [0, 1], n, M9),
    )

    # 3. an order-8 recurrence mod 2^61-1 at n ~ 1e18 (companion matrix in Python)
    size = max(int(100 * scale), 10)
    c8 = [1, -2, 3, 0, 5, -1, 2, 4]
    i8 = [1, 2, 3, 4, 5, 6, 7, 8]
    n = rng.integers(10**17, 10**18, size=size, dtype=np.int64)
    row(
        "order-8 recurrence mod 2^61-1, n ~ 1e18",
        size,
        lambda: [py_matrix_term(c8, i8, v, P61) for v in n.tolist()],
        lambda: lucas.term_mod(c8, i8, n, P61),
    )

    # 4. the first N terms mod m (a loop in Python)
    size = max(int(1_000_000 * scale), 1000)
    row(
        "first N Fibonacci numbers mod 1e9+7",
        size,
        lambda: py_sequence_mod([1, 1], [0, 1], size, M9),
        lambda: lucas.sequence([1, 1], [0, 1], size, mod=M9),
    )

    # 5. one exact big integer (Python ints on both sides)
    nbig = 10**5 if quick else 10**6
    big = np.array([1, 1], dtype=object)
    row(
        f"exact F({nbig:.0e}) (Python int, {nbig * 694 // 10**6:,} kbit)".replace("e+0", "e"),
        1,
        lambda: py_fib_doubling(nbig),
        lambda: lucas.term(big, np.array([0, 1], dtype=object), nbig),
    )
    return rows


def _fmt_time(t: float) -> str:
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.0f} us"


def _print_row(stream: IO[str], r: dict[str, Any]) -> None:
    stream.write(
        f"| {r['workload']} | {r['size']:,} | {_fmt_time(r['python_s'])} | "
        f"{_fmt_time(r['lucas_s'])} | {r['ratio']:,.1f}x |\n"
    )
