"""Threaded scaling of lucas under dask: the C loops release the GIL, so two threads do about
twice the work of one.

    python benchmarks/bench_dask.py            # ~15 s on 2 idle cores
    python benchmarks/bench_dask.py --quick    # ~4 s

Workloads (every result checked against the plain NumPy call before timing):
  jump   term_mod of a random order-8 recurrence at 2**17 random n ~ 10**18, m = 2**61 - 1
  exact  term (int64, Tribonacci) at random n in [0, 70]
  anchor the same dask graph with a pure-Python function per chunk (holds the GIL)
Each is timed with dask's threaded scheduler at num_workers = 1 and 2; the table prints the
seconds, the speed-up t(1) / t(2), and CPU/wall at 2 threads (near 2 when both threads compute
at once, near 1 when the GIL serialises them).  Numbers are best-of-repeats wall clock in this run.
"""

from __future__ import annotations

import argparse
import os
import time
from functools import partial

import numpy as np

import lucas

try:
    import dask
    import dask.array as da
except ImportError:  # pragma: no cover
    raise SystemExit("bench_dask.py needs dask: pip install 'dask[array]'") from None

P61 = 2**61 - 1


def best_time(fn, repeat: int) -> float:
    return best_time_cpu(fn, repeat)[0]


def best_time_cpu(fn, repeat: int) -> tuple[float, float]:
    """Best wall-clock seconds, and the process CPU seconds of that run (all threads)."""
    best, cpu = float("inf"), float("nan")
    for _ in range(repeat):
        c = time.process_time()
        t = time.perf_counter()
        fn()
        wall = time.perf_counter() - t
        if wall < best:
            best, cpu = wall, time.process_time() - c
    return best, cpu


def py_fib_mod_block(n: np.ndarray) -> np.ndarray:
    """Pure-Python F(n) mod P61 by fast doubling, one element at a time (holds the GIL)."""
    out = np.empty(n.shape, dtype=np.int64)
    for j, v in enumerate(n.tolist()):
        a, b = 0, 1
        for bit in bin(v)[2:]:
            d = a * ((2 * b - a) % P61) % P61
            e = (a * a + b * b) % P61
            a, b = (e, (d + e) % P61) if bit == "1" else (d, e)
        out[j] = a
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    size = 2**15 if args.quick else 2**17
    nchunks = 16
    rng = np.random.default_rng(1)
    k = 8
    coefs = rng.integers(-5, 6, size=k)
    coefs[0] = 1
    init = rng.integers(-9, 10, size=k)
    n_jump = rng.integers(10**17, 10**18, size=size, dtype=np.int64)
    n_exact = rng.integers(0, 71, size=size * 16, dtype=np.int64)
    n_py = rng.integers(10**17, 10**18, size=size // 16, dtype=np.int64)
    trib = (np.array([1, 1, 1]), np.array([0, 0, 1]))

    workloads = {
        "jump   term_mod k=8, n~1e18": (
            lambda x: lucas.term_mod(coefs, init, x, P61),
            n_jump,
        ),
        "exact  term int64 Tribonacci": (lambda x: lucas.term(*trib, x), n_exact),
        "anchor pure Python per chunk": (
            lambda x: da.map_blocks(py_fib_mod_block, x, dtype=np.int64),
            n_py,
        ),
    }
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"cores: {os.cpu_count()}, load average before: {load:.2f} (other work on the machine "
        f"lowers the speed-up), chunks per array: {nchunks}, best of {args.repeat}"
    )
    print(
        "| workload | elements | NumPy call (s) | dask 1 thread (s) | dask 2 threads (s) "
        "| speed-up 1->2 | CPU/wall at 2 threads |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (build, n_np) in workloads.items():
        x = da.from_array(n_np, chunks=len(n_np) // nchunks)
        graph = build(x)
        anchor = name.startswith("anchor")
        expected = py_fib_mod_block(n_np) if anchor else build(n_np)
        np.testing.assert_array_equal(graph.compute(scheduler="threads"), expected)
        t_np = None if anchor else best_time(partial(build, n_np), args.repeat)
        times, cpus = {}, {}
        for workers in (1, 2):
            with dask.config.set(scheduler="threads", num_workers=workers):
                times[workers], cpus[workers] = best_time_cpu(graph.compute, args.repeat)
        print(
            f"| {name} | {len(n_np):,} | {'-' if t_np is None else f'{t_np:.3f}'} "
            f"| {times[1]:.3f} | {times[2]:.3f} "
            f"| {times[1] / times[2]:.2f}x | {cpus[2] / times[2]:.2f} |"
        )
    print("\nspeed-up near 2x on 2 idle cores: the C loops run without the GIL; the pure-Python")
    print("anchor stays near 1x because it holds the GIL.  CPU/wall (process CPU seconds over")
    print("wall seconds) shows how many threads really ran at once; on a busy machine both")
    print("columns drop towards 1 for every row, as the other work takes the second core.")


if __name__ == "__main__":
    main()
