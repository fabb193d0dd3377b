"""Benchmarks of issue 3: lucas.sequence and lucas.LucasIter against Python and NumPy anchors.

    python benchmarks/bench_sequence.py            # 10^7 terms for sequence, 10^6 for LucasIter
    python benchmarks/bench_sequence.py --quick    # 10^6 and 10^5

Anchors (measured in this same run):
  * a pure-Python loop producing the same terms into a list (the natural way to write it);
    it runs on a prefix of at most 10^6 terms and its time is extrapolated per term (the
    table says so);
  * one NumPy elementwise pass ``(x * 3 + 1) % p`` over an int64 array of the same length:
    the yardstick for "memory speed" (it reads and writes every element once per ufunc);
    ``x + 1`` is shown as the cheapest possible pass;
  * for LucasIter, a pure-Python generator ``a, b = b, (a + b) % p``, both consumed the same
    way.

Every lucas result is checked (against the anchor's output, term/term_mod at sampled points,
and the recurrence itself over the whole array) before it is timed.  Each number is the best
of several rounds, lucas and anchor alternating, timed with the thread's CPU clock (lucas
computes in the calling thread, without the GIL) so that a busy machine does not inflate it;
the wall-clock ratio is printed in brackets.
"""

from __future__ import annotations

import collections
import itertools
import sys

import numpy as np
from _timing import bench_options, best_of, print_versions

import lucas

P61 = 2**61 - 1
P30 = 998244353
PY_MAX = 10**6  # longest pure-Python run; beyond, its time is extrapolated per term
YARD: dict[str, float] = {}  # ns per element of the NumPy passes over the same length


def best(fns: list, repeat: int) -> list[tuple[float, float]]:
    return best_of(fns, repeat)


# ---- pure-Python anchors ------------------------------------------------------------------


def py_squares(n: int) -> list[int]:
    """a[n+3] = a[n] - 3 a[n+1] + 3 a[n+2] (the squares), stepped in Python."""
    out = [0, 1, 4]
    a, b, c = 0, 1, 4
    for _ in range(n - 3):
        a, b, c = b, c, a - 3 * b + 3 * c
        out.append(c)
    return out[:n]


def py_fib_mod(n: int, p: int) -> list[int]:
    out = []
    a, b = 0, 1
    for _ in range(n):
        out.append(a)
        a, b = b, (a + b) % p
    return out


def py_trib_mod(n: int, p: int) -> list[int]:
    out = []
    a, b, c = 0, 0, 1
    for _ in range(n):
        out.append(a)
        a, b, c = b, c, (a + b + c) % p
    return out


def py_fib_gen(p: int):
    a, b = 0, 1
    while True:
        yield a
        a, b = b, (a + b) % p


def consume(it, n: int) -> None:
    collections.deque(itertools.islice(it, n), maxlen=0)


def next_loop(it, n: int) -> None:
    nxt = next
    for _ in range(n):
        nxt(it)


# ---- workloads ------------------------------------------------------------------------------


def check_recurrence_mod(a: np.ndarray, c: list[int], p: int) -> None:
    """a[j+k] == sum c[i] a[j+i] mod p over the whole array (p < 2^61: sums fit uint64)."""
    k = len(c)
    u = a.astype(np.uint64)
    acc = np.zeros(len(u) - k, dtype=np.uint64)
    for i, ci in enumerate(c):
        acc = (acc + np.uint64(ci % p) * u[i : len(u) - k + i] % np.uint64(p)) % np.uint64(p)
    assert (acc == u[k:]).all(), "sequence does not satisfy its recurrence"


def bench_sequence(n: int, repeat: int, rows: list) -> None:
    npy = min(n, PY_MAX)
    x = np.arange(n, dtype=np.int64)
    yard = best([lambda: (x * 3 + 1) % P30, lambda: x + 1], repeat)
    YARD["NumPy (x*3+1) % p"] = yard[0][0] / n * 1e9
    YARD["NumPy x + 1"] = yard[1][0] / n * 1e9

    # int64: the squares, exact (k = 3)
    sq = ([1, -3, 3], [0, 1, 4])
    got = lucas.sequence(*sq, n)
    assert got.dtype == np.int64 and (got == x * x).all(), "squares disagree"
    assert got[:npy].tolist() == py_squares(npy), "squares disagree with the Python loop"
    t = best([lambda: lucas.sequence(*sq, n), lambda: py_squares(npy)], repeat)
    rows.append(("sequence int64 squares (k=3)", n, t[0], "Python loop", npy, t[1], True))

    # residues: Fibonacci (k = 2) and Tribonacci (k = 3) mod p, and an order-16 recurrence
    for name, c, init, pyf, p in (
        ("sequence Fibonacci mod 2^61-1 (k=2)", [1, 1], [0, 1], py_fib_mod, P61),
        ("sequence Fibonacci mod 998244353 (k=2)", [1, 1], [0, 1], py_fib_mod, P30),
        ("sequence Tribonacci mod 2^61-1 (k=3)", [1, 1, 1], [0, 0, 1], py_trib_mod, P61),
    ):
        got = lucas.sequence(c, init, n, mod=p)
        assert got.tolist()[:npy] == pyf(npy, p), f"{name}: disagrees with the Python loop"
        idx = np.unique(np.linspace(0, n - 1, 50).astype(np.int64))
        assert got[idx].tolist() == lucas.term_mod(c, init, idx, p).tolist(), name
        check_recurrence_mod(got, c, p)
        t = best([lambda: lucas.sequence(c, init, n, mod=p), lambda: pyf(npy, p)], repeat)
        rows.append((name, n, t[0], "Python loop", npy, t[1], True))

    # a jump first: 10^15 terms skipped, then stepping
    got = lucas.sequence([1, 1], [0, 1], n, start=10**15, mod=P61)
    assert int(got[0]) == int(lucas.term_mod([1, 1], [0, 1], 10**15, P61))
    check_recurrence_mod(got, [1, 1], P61)
    t = best(
        [
            lambda: lucas.sequence([1, 1], [0, 1], n, start=10**15, mod=P61),
            lambda: py_fib_mod(npy, P61),
        ],
        repeat,
    )
    rows.append(
        ("sequence Fibonacci mod 2^61-1, start=10^15", n, t[0], "Python loop", npy, t[1], True)
    )


def bench_iter(n: int, repeat: int, rows: list) -> None:
    p = P61
    want = list(itertools.islice(py_fib_gen(p), n))
    assert list(itertools.islice(lucas.LucasIter([1, 1], [0, 1], mod=p), n)) == want
    t = best(
        [
            lambda: consume(lucas.LucasIter([1, 1], [0, 1], mod=p), n),
            lambda: consume(py_fib_gen(p), n),
        ],
        repeat,
    )
    rows.append(
        ("LucasIter Fibonacci mod 2^61-1, islice", n, t[0], "Python generator", n, t[1], False)
    )
    t = best(
        [
            lambda: next_loop(lucas.LucasIter([1, 1], [0, 1], mod=p), n),
            lambda: next_loop(py_fib_gen(p), n),
        ],
        repeat,
    )
    rows.append(
        ("LucasIter Fibonacci mod 2^61-1, next() loop", n, t[0], "Python generator", n, t[1], False)
    )

    # exact integers past int64: the first terms in int64 blocks, then Python ints
    m = min(n, 20_000)

    def py_fib_exact():
        a, b = 0, 1
        while True:
            yield a
            a, b = b, a + b

    assert list(itertools.islice(lucas.LucasIter([1, 1], [0, 1]), m)) == list(
        itertools.islice(py_fib_exact(), m)
    )
    t = best(
        [lambda: consume(lucas.LucasIter([1, 1], [0, 1]), m), lambda: consume(py_fib_exact(), m)],
        repeat,
    )
    rows.append(
        (
            "LucasIter Fibonacci exact (big ints), islice",
            m,
            t[0],
            "Python generator",
            m,
            t[1],
            False,
        )
    )

    # jump-ahead: advance(10^18) mod p against stepping 10^5 terms in Python (extrapolation
    # would be absurd; shown per call)
    it = lucas.LucasIter([1, 1], [0, 1], mod=p)
    it.advance(10**18)
    assert next(it) == int(lucas.term_mod([1, 1], [0, 1], np.uint64(10**18), np.uint64(p)))


def main(argv: list[str] | None = None) -> int:
    opts, scale = bench_options(__doc__, argv)
    print_versions()
    rows: list = []
    bench_sequence(10_000_000 // scale, opts.repeat, rows)
    bench_iter(1_000_000 // scale, max(2, opts.repeat // 2), rows)

    print()
    print(
        "ns per term, best of rounds, thread CPU time; ratio = anchor / lucas (wall-clock "
        "ratio in brackets)."
    )
    print(
        "Python loops run on at most 10^6 terms; their time is extrapolated per term.  "
        "'/pass' = lucas time over one NumPy pass (x*3+1) % p of the same length "
        f"({YARD['NumPy (x*3+1) % p']:.2f} ns/element; x + 1: {YARD['NumPy x + 1']:.2f})."
    )
    hdr = (
        f"{'workload':<46} {'N':>9} {'lucas':>7} {'/pass':>6}  {'anchor':<17} {'N':>8} "
        f"{'anchor':>8} {'ratio':>7} {'(wall)':>8}"
    )
    print(hdr)
    print("-" * len(hdr))
    for name, n, (c_ours, w_ours), anchor, na, (c_a, w_a), vs_pass in rows:
        ours = c_ours / n * 1e9
        theirs = c_a / na * 1e9
        wall = (w_a / na) / (w_ours / n)
        rel = f"{ours / YARD['NumPy (x*3+1) % p']:.2f}" if vs_pass else ""
        print(
            f"{name:<46} {n:>9} {ours:>7.2f} {rel:>6}  {anchor:<17} {na:>8} {theirs:>8.1f} "
            f"{theirs / ours:>6.0f}x {f'({wall:.0f}x)':>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
