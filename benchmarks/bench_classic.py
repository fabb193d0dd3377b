"""Benchmarks of issue 7: lucas.is_prime and lucas.lucas_uv_mod against Python loops.

    python benchmarks/bench_classic.py            # 10^6 numbers for is_prime, 10^5 for U/V
    python benchmarks/bench_classic.py --quick    # 10^5 and 10^4

Anchors (measured in this same run):
  * is_prime over random 64-bit n against ``[gmpy2.is_prime(x) for x in values]`` and
    ``[sympy.isprime(x) for x in values]`` (values = the array as a list of Python ints,
    the fastest way to feed a Python loop).  Targets: 20x faster than the gmpy2 loop.
  * lucas_uv_mod(P, Q, n, m) for random 63-bit n and 64-bit m against
    ``[(gmpy2.lucasu_mod(P, Q, n, m), gmpy2.lucasv_mod(P, Q, n, m)) for ...]``.  Target 30x.

Every result is checked against its anchor before it is timed.  Both sides run in the
calling thread (lucas releases the GIL but computes in that thread), so each is timed with
the thread's CPU clock (time.thread_time), which a busy machine does not inflate by
descheduling us; the wall clock (time.perf_counter) is printed too.  Each number is the best
of several rounds, anchor and lucas alternating; ratios compare numbers from this run only.
"""

from __future__ import annotations

import sys

import numpy as np
from _timing import bench_options, best_of, optional, print_versions, table_head

import lucas

U64_MAX = 2**64 - 1


gmpy2 = optional("gmpy2")
sympy = optional("sympy")


def best_pair(ours, anchor, repeat: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Best (CPU, wall) seconds of each callable over `repeat` alternating rounds."""
    b_ours, b_anchor = best_of([ours, anchor], repeat)
    return b_ours, b_anchor


def bench_is_prime(n: int, repeat: int, rows: list) -> None:
    rng = np.random.default_rng(2024)
    a = rng.integers(0, U64_MAX, n, dtype=np.uint64, endpoint=True)
    values = a.tolist()
    got = lucas.is_prime(a)
    print(f"is_prime: {n} random 64-bit numbers, {int(got.sum())} primes")
    if gmpy2 is not None:
        want = np.array([gmpy2.is_prime(x) for x in values])
        assert (got == want).all(), "is_prime disagrees with gmpy2.is_prime"
        t_ours, t_g = best_pair(
            lambda: lucas.is_prime(a), lambda: [gmpy2.is_prime(x) for x in values], repeat
        )
        rows.append(("is_prime", n, t_ours, "gmpy2.is_prime loop", t_g, 20.0))
    else:
        print("  gmpy2 not installed: anchor skipped")
    if sympy is not None:
        m = min(n, 200_000)  # SymPy is slower; a prefix keeps the run short
        want = np.array([sympy.isprime(x) for x in values[:m]])
        assert (got[:m] == want).all(), "is_prime disagrees with sympy.isprime"
        t_ours, t_s = best_pair(
            lambda: lucas.is_prime(a[:m]),
            lambda: [sympy.isprime(x) for x in values[:m]],
            max(2, repeat // 2),
        )
        rows.append(("is_prime", m, t_ours, "sympy.isprime loop", t_s, None))
    else:
        print("  sympy not installed: anchor skipped")


def bench_uv_mod(n: int, repeat: int, rows: list) -> None:
    rng = np.random.default_rng(7)
    cases = {
        "random P, Q in [-100, 100]": (rng.integers(-100, 101, n), rng.integers(-100, 101, n)),
        "Fibonacci/Lucas (1, -1)": (np.ones(n, dtype=np.int64), -np.ones(n, dtype=np.int64)),
    }
    k = rng.integers(0, 2**63, n, dtype=np.int64)
    m = rng.integers(1, U64_MAX, n, dtype=np.uint64, endpoint=True)
    for label, (P, Q) in cases.items():
        D = P * P - 4 * Q
        keep = D != 0  # gmpy2 refuses P^2 = 4Q
        P, Q, kk, mm = P[keep], Q[keep], k[keep], m[keep]
        args = list(zip(P.tolist(), Q.tolist(), kk.tolist(), mm.tolist()))
        u, v = lucas.lucas_uv_mod(P, Q, kk, mm)
        print(f"lucas_uv_mod: {len(args)} terms, {label}, random 63-bit n and 64-bit m")
        if gmpy2 is None:
            print("  gmpy2 not installed: anchor skipped")
            return

        def anchor():
            return [
                (gmpy2.lucasu_mod(p, q, e, md), gmpy2.lucasv_mod(p, q, e, md))
                for p, q, e, md in args
            ]

        want = anchor()
        assert [int(x) for x in u] == [int(w[0]) for w in want], "U disagrees with gmpy2"
        assert [int(x) for x in v] == [int(w[1]) for w in want], "V disagrees with gmpy2"
        t_ours, t_g = best_pair(lambda: lucas.lucas_uv_mod(P, Q, kk, mm), anchor, repeat)
        rows.append(
            (
                f"lucas_uv_mod {label}",
                len(args),
                t_ours,
                "gmpy2 lucasu_mod + lucasv_mod loop",
                t_g,
                30.0,
            )
        )


def main(argv: list[str] | None = None) -> int:
    opts, scale = bench_options(__doc__, argv)
    print_versions(
        f"; gmpy2 {getattr(gmpy2, 'version', lambda: 'missing')()}"
        f", sympy {getattr(sympy, '__version__', 'missing')}"
    )
    rows: list = []
    bench_is_prime(1_000_000 // scale, opts.repeat, rows)
    bench_uv_mod(100_000 // scale, max(2, opts.repeat // 2), rows)

    table_head(
        "ns per element, best of rounds; ratio = anchor / lucas (thread CPU time; wall clock "
        "in brackets)",
        f"{'workload':<42} {'N':>8} {'lucas':>8}  {'anchor':<35} {'anchor':>8} "
        f"{'ratio':>7} {'(wall)':>8}  target",
    )
    ok = True
    for name, n, (c_ours, w_ours), anchor, (c_anchor, w_anchor), target in rows:
        ratio = c_anchor / c_ours
        verdict = (
            ""
            if target is None
            else (f"{target:.0f}x " + ("met" if ratio >= target else "NOT met"))
        )
        ok &= target is None or ratio >= target
        print(
            f"{name:<42} {n:>8} {c_ours / n * 1e9:>8.1f}  {anchor:<35} "
            f"{c_anchor / n * 1e9:>8.1f} {ratio:>6.1f}x {f'({w_anchor / w_ours:.1f}x)':>8}  {verdict}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
