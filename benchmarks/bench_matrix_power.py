"""Benchmarks of lucas.matrix_power / matrix_power_mod against NumPy and python-flint.

    python benchmarks/bench_matrix_power.py           # the four workloads below
    python benchmarks/bench_matrix_power.py --quick   # smaller sizes, fewer rounds

Workloads, each with its anchor measured in this same run (results checked before timing):
  1. 10^5 stacked 3x3 int64 matrices (entries in {-1, 0, 1}), n = 20:
     lucas.matrix_power (exact, overflow check on) vs numpy.linalg.matrix_power on the stack
     (which wraps silently).  Target >= 2x.
  2. float64 k = 512 row-stochastic matrix, n = 10^6, one BLAS thread each:
     vs numpy.linalg.matrix_power.  Target: at least as fast, within 1e-8 relative.  Both
     are all dgemm: lucas does 24 (a sliding window of 2 bits), NumPy's binary powering 25.
  3. k = 256 mod 998244353, n = 10^18: vs python-flint ``nmod_mat ** n``.  Target >= 2x.
  4. one 8x8 matrix mod 10^9+7, 10^5 random n < 2^62: one broadcast call vs a loop of
     python-flint ``M ** n``.  Target >= 50x.  Also 3x3 and 16x16 (for information; the
     flint loop there runs over every tenth exponent, its time scaled by ten).

Both sides run in the calling thread with one BLAS thread (OPENBLAS_NUM_THREADS=1 is set
before NumPy loads; lucas uses LUCAS_BLAS_THREADS=1), so each is timed with the thread's CPU
clock (time.thread_time); the wall clock is printed too.  Each number is the best of several
rounds, anchor and lucas alternating.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("LUCAS_BLAS_THREADS", "1")

import argparse
import random

import numpy as np
from _timing import best_of, optional

import lucas

flint = optional("flint")


def row(
    rows: list,
    name: str,
    ours: tuple[float, float],
    anchor: tuple[float, float],
    anchor_name: str,
    target: str,
) -> None:
    ratio = anchor[0] / ours[0]
    rows.append((name, ours, anchor, anchor_name, ratio, target))
    print(
        f"  {name}: lucas {ours[0] * 1e3:.2f} ms cpu ({ours[1] * 1e3:.2f} wall), "
        f"{anchor_name} {anchor[0] * 1e3:.2f} ms cpu ({anchor[1] * 1e3:.2f} wall): "
        f"{ratio:.2f}x (target {target})"
    )


def bench_stack(count: int, repeat: int, rows: list) -> None:
    rng = np.random.default_rng(1)
    a = rng.integers(-1, 2, size=(count, 3, 3), dtype=np.int64)
    got = lucas.matrix_power(a, 20)
    want = np.linalg.matrix_power(a, 20)
    assert np.array_equal(got, want)  # 3^20 < 2^63: NumPy does not wrap here
    ours, anchor = best_of(
        [lambda: lucas.matrix_power(a, 20), lambda: np.linalg.matrix_power(a, 20)], repeat
    )
    row(rows, f"(1) {count} x 3x3 int64, n=20", ours, anchor, "numpy", ">= 2x")


def bench_float(k: int, repeat: int, rows: list) -> None:
    rng = np.random.default_rng(2)
    a = rng.random((k, k))
    a /= a.sum(axis=1, keepdims=True)
    n = 10**6
    got = lucas.matrix_power(a, n)
    want = np.linalg.matrix_power(a, n)
    err = float(np.max(np.abs(got - want) / np.abs(want)))
    assert err < 1e-8, err
    ours, anchor = best_of(
        [lambda: lucas.matrix_power(a, n), lambda: np.linalg.matrix_power(a, n)], repeat
    )
    row(rows, f"(2) float64 k={k}, n=10^6 (max rel err {err:.1e})", ours, anchor, "numpy", ">= 1x")


def bench_big_mod(k: int, repeat: int, rows: list) -> None:
    if flint is None:
        print("  (3) skipped: python-flint is not installed")
        return
    p = 998244353
    n = 10**18
    rng = random.Random(3)
    a = [[rng.randrange(p) for _ in range(k)] for _ in range(k)]
    arr = np.array(a, dtype=np.int64)
    fm = flint.nmod_mat(a, p)
    got = lucas.matrix_power_mod(arr, n, p)
    want = fm**n
    assert [[int(x) for x in r] for r in got] == [
        [int(want[i, j]) for j in range(k)] for i in range(k)
    ]
    ours, anchor = best_of([lambda: lucas.matrix_power_mod(arr, n, p), lambda: fm**n], repeat)
    row(rows, f"(3) k={k} mod 998244353, n=10^18", ours, anchor, "flint nmod_mat", ">= 2x")


def bench_many_n(k: int, count: int, repeat: int, rows: list, sample: int = 1) -> None:
    """One k x k matrix mod 10^9+7, `count` random n < 2^62.  sample > 1: the flint loop runs
    over every sample-th exponent and its time is scaled up (the informational sizes)."""
    if flint is None:
        print(f"  (4) k={k} skipped: python-flint is not installed")
        return
    p = 10**9 + 7
    rng = random.Random(4)
    a = [[rng.randrange(p) for _ in range(k)] for _ in range(k)]
    arr = np.array(a, dtype=np.int64)
    ns = np.array([rng.randrange(2**62) for _ in range(count)], dtype=np.int64)
    nl = ns.tolist()
    fm = flint.nmod_mat(a, p)
    got = lucas.matrix_power_mod(arr, ns, p)
    for t in range(0, count, max(1, count // 50)):
        w = fm ** nl[t]
        assert [[int(x) for x in r] for r in got[t]] == [
            [int(w[i, j]) for j in range(k)] for i in range(k)
        ]
    sub = nl[::sample]

    def anchor() -> None:
        for n in sub:
            fm**n

    ours, anc = best_of([lambda: lucas.matrix_power_mod(arr, ns, p), anchor], repeat)
    anc = (anc[0] * count / len(sub), anc[1] * count / len(sub))
    note = "" if sample == 1 else f", flint timed on every {sample}th n"
    target = ">= 50x" if k == 8 else "(information)"
    name = f"(4) {k}x{k} mod 10^9+7, {count} random n < 2^62{note}"
    row(rows, name, ours, anc, "flint loop", target)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    q = args.quick
    rows: list = []
    print(
        f"lucas {lucas.__version__}, BLAS {lucas._core.blas_info()['name']}, "
        f"flint {getattr(flint, '__version__', 'missing')}"
    )
    bench_stack(10**4 if q else 10**5, 3 if q else 7, rows)
    bench_float(128 if q else 512, 2 if q else 3, rows)
    bench_big_mod(64 if q else 256, 2 if q else 3, rows)
    bench_many_n(8, 10**3 if q else 10**5, 2 if q else 3, rows)
    bench_many_n(3, 10**3 if q else 10**5, 2 if q else 3, rows, sample=10)
    bench_many_n(16, 10**3 if q else 10**5, 2 if q else 3, rows, sample=10)
    print()
    print("| workload | lucas (ms, cpu) | anchor | anchor (ms, cpu) | ratio | target |")
    print("|---|---:|---|---:|---:|---|")
    for name, ours, anchor, aname, ratio, target in rows:
        print(
            f"| {name} | {ours[0] * 1e3:.2f} | {aname} | {anchor[0] * 1e3:.2f} | "
            f"{ratio:.2f}x | {target} |"
        )


if __name__ == "__main__":
    main()
