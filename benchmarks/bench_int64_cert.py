"""Cost of exact int64 / uint64 results when an intermediate overflows (the certifier).

    python benchmarks/bench_int64_cert.py

Each case is checked against exact Python ints before it is timed; times are thread CPU
seconds per call (best of several rounds), with the plain fast path (no overflow) beside
them for scale.  No targets: this reports what the proof costs.
"""

from __future__ import annotations

import numpy as np
from _timing import best_of

import lucas

CUBIC = ([-1, 4, -6, 4], [0, 2, 16, 54])  # a[n] = 2 n^3
CONST = ([1, -1, 1, 0], [1, 1, 1, 1])  # constant, the recurrence has a root 1.47
RE1I = ([-2, 2], [1, 1])  # Re((1+i)^n)


def cases() -> list[tuple[str, object, int]]:
    rng = np.random.default_rng(7)
    ns = rng.integers(0, 10**6, 10_000)
    u64 = np.array([1, 1], np.uint64), np.array([0, 1], np.uint64)
    return [
        (
            "fast path: F(90), no overflow",
            lambda: lucas.term([1, 1], [0, 1], 90),
            2880067194370816120,
        ),
        (
            "F(92): intermediate overflow, fits",
            lambda: lucas.term([1, 1], [0, 1], 92),
            7540113804746346429,
        ),
        ("2n^3 at n = 1e5 (certified)", lambda: lucas.term(*CUBIC, 100000), 2 * 10**15),
        ("constant at n = 1e18 (minimal polynomial)", lambda: lucas.term(*CONST, 10**18), 1),
        ("Re((1+i)^n) at n = 1e18+2 (zero class)", lambda: lucas.term(*RE1I, 10**18 + 2), 0),
        ("uint64 F(93)", lambda: lucas.term(*u64, 93), 12200160415121876738),
        ("2n^3 at 1e4 random n < 1e6 (per call)", lambda: lucas.term(*CUBIC, ns), None),
    ]


def main() -> None:
    rows = cases()
    for name, fn, want in rows:
        got = fn()
        if want is not None:
            assert int(got) == want, (name, got, want)
    reps = [1 if want is None else 200 for _, _, want in rows]

    def looped(fn, r):
        def run() -> None:
            for _ in range(r):
                fn()

        return run

    times = best_of([looped(fn, r) for (_, fn, _), r in zip(rows, reps)], repeat=7)
    print(f"{'case':48s} {'CPU us':>10s}")
    for (name, _, _), r, (cpu, _) in zip(rows, reps, times):
        print(f"{name:48s} {cpu / r * 1e6:10.1f}")


if __name__ == "__main__":
    main()
