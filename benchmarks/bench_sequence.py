"""Benchmarks of issues 3 and 13: lucas.sequence and lucas.LucasIter against Python and NumPy.

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
    way;
  * issue 13, "consecutive terms at memory speed": ``np.cumsum`` over an array of the same
    length and dtype (a dependent scan written at memory speed), target "within 1.5x" for
    residues (k = 2, 3), float64 and a bounded int64 recurrence; and ``term_mod`` over
    ``np.arange(N)`` against ``sequence``.  Both sides allocate their output (as a plain call
    does); the ``out=`` column gives both a preallocated one, i.e. without the page faults.

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
from _timing import bench_options, best_of, print_versions, table_head

import lucas

P61 = 2**61 - 1
P30 = 998244353
PY_MAX = 10**6  # longest pure-Python run; beyond, its time is extrapolated per term
YARD: dict[str, float] = {}  # ns per element of the NumPy passes over the same length


def best(fns: list, repeat: int) -> list[tuple[float, float]]:
    return best_of(fns, repeat)


def add_row(
    rows: list,
    name: str,
    n: int,
    ours,
    anchor: str,
    na: int,
    theirs,
    repeat: int,
    vs_pass: bool = True,
) -> None:
    """Time ours (n terms) and the anchor (na terms) alternately; one row of the table."""
    t = best([ours, theirs], repeat)
    rows.append((name, n, t[0], anchor, na, t[1], vs_pass))


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
    add_row(
        rows,
        "sequence int64 squares (k=3)",
        n,
        lambda: lucas.sequence(*sq, n),
        "Python loop",
        npy,
        lambda: py_squares(npy),
        repeat,
    )

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
        add_row(
            rows,
            name,
            n,
            lambda: lucas.sequence(c, init, n, mod=p),
            "Python loop",
            npy,
            lambda: pyf(npy, p),
            repeat,
        )

    # a jump first: 10^15 terms skipped, then stepping
    got = lucas.sequence([1, 1], [0, 1], n, start=10**15, mod=P61)
    assert int(got[0]) == int(lucas.term_mod([1, 1], [0, 1], 10**15, P61))
    check_recurrence_mod(got, [1, 1], P61)
    add_row(
        rows,
        "sequence Fibonacci mod 2^61-1, start=10^15",
        n,
        lambda: lucas.sequence([1, 1], [0, 1], n, start=10**15, mod=P61),
        "Python loop",
        npy,
        lambda: py_fib_mod(npy, P61),
        repeat,
    )


def bench_iter(n: int, repeat: int, rows: list) -> None:
    p = P61
    want = list(itertools.islice(py_fib_gen(p), n))
    assert list(itertools.islice(lucas.LucasIter([1, 1], [0, 1], mod=p), n)) == want
    for how, drive in (("islice", consume), ("next() loop", next_loop)):
        add_row(
            rows,
            f"LucasIter Fibonacci mod 2^61-1, {how}",
            n,
            lambda: drive(lucas.LucasIter([1, 1], [0, 1], mod=p), n),
            "Python generator",
            n,
            lambda: drive(py_fib_gen(p), n),
            repeat,
            vs_pass=False,
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
    add_row(
        rows,
        "LucasIter Fibonacci exact (big ints), islice",
        m,
        lambda: consume(lucas.LucasIter([1, 1], [0, 1]), m),
        "Python generator",
        m,
        lambda: consume(py_fib_exact(), m),
        repeat,
        vs_pass=False,
    )

    # jump-ahead: advance(10^18) mod p against stepping 10^5 terms in Python (extrapolation
    # would be absurd; shown per call)
    it = lucas.LucasIter([1, 1], [0, 1], mod=p)
    it.advance(10**18)
    assert next(it) == int(lucas.term_mod([1, 1], [0, 1], np.uint64(10**18), np.uint64(p)))


# ---- issue 13: consecutive terms against np.cumsum ---------------------------------------

P9 = 10**9 + 7
MEMORY_TARGET = 1.5  # sequence within 1.5x of np.cumsum over the same length


def cumsum_cases() -> list[tuple[str, list, list, int | None, type]]:
    """(name, c, init, mod, dtype): residues for k = 2, 3 at three moduli, float64 and int64
    recurrences that stay bounded (a growing one overflows in a few dozen terms)."""
    cases = []
    for pname, p in (("10^9+7", P9), ("998244353", P30), ("2^61-1", P61)):
        cases.append((f"Fibonacci mod {pname} (k=2)", [1, 1], [0, 1], p, np.int64))
        cases.append((f"Tribonacci mod {pname} (k=3)", [1, 1, 1], [0, 0, 1], p, np.int64))
    cases.append(
        ("k=3 c=(12345,678910,111213) mod 10^9+7", [12345, 678910, 111213], [0, 0, 1], P9, np.int64)
    )
    cases.append(("float64 k=2 c=(1/2,1/2)", [0.5, 0.5], [0.0, 1.0], None, np.float64))
    cases.append(("float64 k=3 c=(1/3,1/3,1/3)", [1 / 3] * 3, [0.0, 0.0, 1.0], None, np.float64))
    cases.append(("int64 a[n]=n, c=(-1,2)", [-1, 2], [0, 1], None, np.int64))
    cases.append(("int64 periodic, c=(1,-1,1)", [1, -1, 1], [0, 1, 2], None, np.int64))
    return cases


def check_steps(a: np.ndarray, c: list, init: list, mod: int | None, npy: int) -> None:
    """The first npy terms against plain Python stepping (exact, or float to 1e-12)."""
    k = len(c)
    want = list(init)
    while len(want) < npy:
        v = sum(ci * want[len(want) - k + i] for i, ci in enumerate(c))
        want.append(v % mod if mod is not None else v)
    if a.dtype == np.float64:
        assert np.allclose(a[:npy], want, rtol=1e-12, atol=1e-12), "float64 disagrees"
    else:
        assert a[:npy].tolist() == want, "sequence disagrees with stepping"


def bench_cumsum(n: int, repeat: int) -> list:
    rows = []
    npy = min(n, 20_000)
    for name, c, init, mod, dt in cumsum_cases():
        got = lucas.sequence(c, init, n, mod=mod)
        check_steps(got, c, init, mod, npy)
        if mod is not None:
            check_recurrence_mod(got, c, mod)
            idx = np.unique(np.linspace(0, n - 1, 20).astype(np.int64))
            assert got[idx].tolist() == lucas.term_mod(c, init, idx, mod).tolist(), name
        x = np.ones(n, dtype=dt)
        out, xo = np.empty(n, dtype=dt), np.empty(n, dtype=dt)
        t = best(
            [
                lambda: lucas.sequence(c, init, n, mod=mod),
                lambda: np.cumsum(x),
                lambda: lucas.sequence(c, init, n, mod=mod, out=out),
                lambda: np.cumsum(x, out=xo),
            ],
            repeat,
        )
        rows.append((f"sequence {name}", n, t, f"np.cumsum {np.dtype(dt).name}"))
    # term_mod over consecutive indices runs the same kernels (lr_batch.c finds the run)
    c3, i3 = [1, 1, 1], [0, 0, 1]
    ar = np.arange(n)
    assert np.array_equal(lucas.term_mod(c3, i3, ar, P9), lucas.sequence(c3, i3, n, mod=P9))
    out, tout = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    t = best(
        [
            lambda: lucas.term_mod(c3, i3, ar, P9),
            lambda: lucas.sequence(c3, i3, n, mod=P9),
            lambda: lucas.term_mod(c3, i3, ar, P9, out=tout),
            lambda: lucas.sequence(c3, i3, n, mod=P9, out=out),
        ],
        repeat,
    )
    rows.append(("term_mod(c, i, arange(N), 10^9+7) Tribonacci", n, t, "lucas.sequence"))
    return rows


def print_cumsum(rows: list) -> bool:
    table_head(
        "issue 13: ns per term, best of rounds, thread CPU time; ratio = lucas / anchor (lower "
        f"is better), target within {MEMORY_TARGET}x; out=: both into preallocated arrays.",
        f"{'workload':<52} {'N':>9} {'lucas':>6} {'anchor':<18} {'anchor':>6} {'ratio':>6} "
        f"{'out=':>6}  target",
    )
    ok = True
    for name, n, t, anchor in rows:
        ns = [c / n * 1e9 for c, _ in t]
        ratio, ratio_out = ns[0] / ns[1], ns[2] / ns[3]
        ok &= ratio <= MEMORY_TARGET
        verdict = "met" if ratio <= MEMORY_TARGET else "NOT met"
        print(
            f"{name:<52} {n:>9} {ns[0]:>6.2f} {anchor:<18} {ns[1]:>6.2f} {ratio:>5.2f}x "
            f"{ratio_out:>5.2f}x  {MEMORY_TARGET}x {verdict}"
        )
    return ok


def main(argv: list[str] | None = None) -> int:
    opts, scale = bench_options(__doc__, argv)
    print_versions()
    rows: list = []
    bench_sequence(10_000_000 // scale, opts.repeat, rows)
    bench_iter(1_000_000 // scale, max(2, opts.repeat // 2), rows)
    memory = bench_cumsum(10_000_000 // scale, opts.repeat)

    table_head(
        "ns per term, best of rounds, thread CPU time; ratio = anchor / lucas (wall-clock "
        "ratio in brackets).\n"
        "Python loops run on at most 10^6 terms; their time is extrapolated per term.  "
        "'/pass' = lucas time over one NumPy pass (x*3+1) % p of the same length "
        f"({YARD['NumPy (x*3+1) % p']:.2f} ns/element; x + 1: {YARD['NumPy x + 1']:.2f}).",
        f"{'workload':<46} {'N':>9} {'lucas':>7} {'/pass':>6}  {'anchor':<17} {'N':>8} "
        f"{'anchor':>8} {'ratio':>7} {'(wall)':>8}",
    )
    for name, n, (c_ours, w_ours), anchor, na, (c_a, w_a), vs_pass in rows:
        ours = c_ours / n * 1e9
        theirs = c_a / na * 1e9
        wall = (w_a / na) / (w_ours / n)
        rel = f"{ours / YARD['NumPy (x*3+1) % p']:.2f}" if vs_pass else ""
        print(
            f"{name:<46} {n:>9} {ours:>7.2f} {rel:>6}  {anchor:<17} {na:>8} {theirs:>8.1f} "
            f"{theirs / ours:>6.0f}x {f'({wall:.0f}x)':>8}"
        )
    return 0 if print_cumsum(memory) else 1


if __name__ == "__main__":
    sys.exit(main())
