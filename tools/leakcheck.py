#!/usr/bin/env python3
"""Leak check: 10^5 calls of every lucas face (successes and error paths), heap growth reported.

    python tools/leakcheck.py [--calls N] [--only NAME ...]   heap accounting (default)
    python tools/leakcheck.py --valgrind [--calls N]            run under valgrind memcheck

Default mode: after a warm-up, the bytes in use by malloc (glibc mallinfo2: the C core's
workspaces and, with PYTHONMALLOC=malloc set here, every Python object too) are read before and
after each of two windows of N/2 calls of each scenario.  A leak grows the heap in both
windows (a cache that fills once grows only the first); the script fails when any scenario
grows by more than max(32 kB, N/8) bytes in both windows, which a leak of 1 byte per call
(Python objects are 16 bytes and up) exceeds at N = 10^5.

--valgrind: the same loops with fewer calls under ``valgrind --leak-check=full``; reports
"definitely lost" blocks whose allocation stack passes through lucas' extension.  CPython's own
deliberate at-exit leftovers are not counted.

Run it with the installed package (not the source tree): ``cd /tmp && python .../leakcheck.py``.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _ensure_malloc_env() -> None:
    """Re-exec with PYTHONMALLOC=malloc so that Python objects are counted by mallinfo2."""
    if os.environ.get("PYTHONMALLOC") != "malloc":
        env = dict(os.environ, PYTHONMALLOC="malloc")
        os.execve(sys.executable, [sys.executable, *sys.argv], env)


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def heap_in_use() -> int:
    libc = ctypes.CDLL(None)
    f = libc.mallinfo2
    f.restype = _MallInfo2
    info = f()
    return int(info.uordblks + info.hblkhd)


def scenarios() -> dict[str, Callable[[], Any]]:
    import numpy as np

    import lucas

    # the helpers tests/test_refcount.py uses too
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from leakutil import obj, swallow

    big = 10**40 + 7
    c_obj, i_obj = obj(big, 1), obj(0, big)
    n_small = np.arange(8, dtype=np.int64)
    n_batch = np.arange(0, 6000, 37, dtype=np.int64)
    fib_m = np.array([[0, 1], [1, 1]], dtype=np.int64)
    fib_o, sing_o = fib_m.astype(object), np.array([[2, 0], [0, 1]], dtype=object)
    out: dict[str, Callable[[], Any]] = {
        "matpow-int64": lambda: lucas.matrix_power(fib_m, n_small),
        "matpow-mod": lambda: lucas.matrix_power_mod(fib_m, -(10**15), 10**9 + 7),
        "matpow-object": lambda: lucas.matrix_power(fib_o, -40),
        "matpow-object-mod": lambda: lucas.matrix_power_mod(fib_o, -(10**20), 2**89 - 1),
        "matpow-uint64": lambda: lucas.matrix_power(fib_m.astype(np.uint64), 100),
        "err-matpow-overflow": swallow(lambda: lucas.matrix_power(fib_m, 93)),
        "err-matpow-det": swallow(lambda: lucas.matrix_power(sing_o, -1)),
        "err-matpow-singular-mod": swallow(lambda: lucas.matrix_power_mod(sing_o, -1, 6)),
        "err-matpow-type": swallow(lambda: lucas.matrix_power(fib_o, 2.5)),
        "err-matpow-huge": swallow(lambda: lucas.matrix_power(fib_o, 10**18)),
        "err-matpow-modulus": swallow(lambda: lucas.matrix_power_mod(fib_m, 2, 0)),
        "term-int64": lambda: lucas.term([1, 1], [0, 1], 90),
        "term-int64-certify": lambda: lucas.term([1, 1], [0, 1], 92),
        "term-int64-batch": lambda: lucas.term([1, 2], [0, 1], n_small),
        "term-float-matrix": lambda: lucas.term_ufunc("matrix")([1.0, 1.0, 1.0], [0.0, 0, 1], 999),
        "term-mod-batch": lambda: lucas.term_mod([1, 1, 1], [0, 0, 1], n_batch, 10**9 + 7),
        "term-mod-neg": lambda: lucas.term_mod([1, 1], [0, 1], -(10**15), 2**61 - 1),
        "term-object": lambda: lucas.term(c_obj, i_obj, 40),
        "term-object-mod": lambda: lucas.term_mod(c_obj, i_obj, 10**20, 10**9 + 9),
        "err-overflow": swallow(lambda: lucas.term([1, 1], [0, 1], 93)),
        "err-backwards": swallow(lambda: lucas.term([2, 1], [0, 1], -5)),
        "err-modulus": swallow(lambda: lucas.term_mod([1, 1], [0, 1], n_small, 0)),
        "err-empty": swallow(lambda: lucas.term(np.zeros(0, np.int64), np.zeros(0, np.int64), 3)),
        "err-object-type": swallow(lambda: lucas.term(obj(big, 0.5), i_obj, 5)),
        "err-object-backwards": swallow(lambda: lucas.term_mod(obj(2, big), i_obj, -3, 4)),
        "err-huge-k": swallow(
            lambda: lucas.term(
                np.lib.stride_tricks.as_strided(np.zeros(1, np.int64), (2**40,), (0,)),
                np.lib.stride_tricks.as_strided(np.zeros(1, np.int64), (2**40,), (0,)),
                5,
            )
        ),
    }
    if hasattr(lucas, "sequence"):
        out["sequence-int64"] = lambda: lucas.sequence([1, 1], [0, 1], 80)
        out["sequence-mod"] = lambda: lucas.sequence([1, 1, 1], [0, 0, 1], 300, mod=10**9 + 7)
        out["sequence-object"] = lambda: lucas.sequence(c_obj, i_obj, 30)
        out["sequence-err-overflow"] = swallow(lambda: lucas.sequence([1, 1], [0, 1], 100))
    if hasattr(lucas, "LucasIter"):

        def iterate() -> None:
            it = lucas.LucasIter([1, 1], [0, 1])
            for _ in range(20):
                next(it)

        out["iter-int64"] = iterate
    for name in ("fibonacci", "lucas_u", "is_prime"):
        if hasattr(lucas, name):
            f = getattr(lucas, name)
            if name == "fibonacci":
                out["fibonacci"] = lambda f=f: f(n_small)
                out["fibonacci-err"] = swallow(lambda f=f: f(200))
            elif name == "is_prime":
                out["is_prime"] = lambda f=f: f(n_batch)
    return out


_PLANTED: dict[str, Callable[[], Any]] = {}


def run_counts(calls: int, only: list[str]) -> int:
    sc = {**scenarios(), **_PLANTED}
    names = only or sorted(sc)
    half = max(1, calls // 2)
    limit = max(32_000, half // 4)
    worst = 0
    failed = []
    total = 0
    t0 = time.perf_counter()
    print(f"{'scenario':26s} {'calls':>8s} {'growth 1st half':>16s} {'2nd half':>10s}")
    for name in names:
        call = sc[name]
        for _ in range(min(2000, calls)):
            call()
        growth = []
        for _window in range(2):
            gc.collect()
            before = heap_in_use()
            for _ in range(half):
                call()
            gc.collect()
            growth.append(heap_in_use() - before)
        total += 2 * half
        # a leak grows the heap in both windows; a cache that fills up once only in the first
        leak = min(growth)
        worst = max(worst, leak)
        print(f"{name:26s} {2 * half:8d} {growth[0]:16d} {growth[1]:10d}")
        if leak > limit:
            failed.append(name)
    print(
        f"leakcheck: {total} calls in {time.perf_counter() - t0:.1f} s; largest growth in "
        f"both halves {worst} bytes (limit {limit} per half)"
    )
    if failed:
        print("leakcheck: LEAK in " + ", ".join(failed))
        return 1
    print("leakcheck: no leak")
    return 0


def run_valgrind(calls: int, only: list[str]) -> int:
    cmd = [
        "valgrind",
        "--leak-check=full",
        "--show-leak-kinds=definite",
        "--num-callers=40",
        "--error-exitcode=0",
        sys.executable,
        os.path.abspath(__file__),
        "--inner",
        "--calls",
        str(calls),
    ]
    for o in only:
        cmd += ["--only", o]
    env = dict(os.environ, PYTHONMALLOC="malloc")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    print(proc.stdout, end="")
    blocks = re.split(r"\n==\d+== \n", proc.stderr)
    ours = [b for b in blocks if "definitely lost" in b and re.search(r"_core\.cpython|lr_", b)]
    summary = [line for line in proc.stderr.splitlines() if "definitely lost:" in line]
    print("\n".join(summary))
    for b in ours:
        print(b)
    print(f"leakcheck --valgrind: {len(ours)} definitely-lost record(s) from lucas")
    return 1 if ours or proc.returncode != 0 else 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--calls", type=int, default=None, help="calls per scenario (10^5; valgrind: 2000)"
    )
    p.add_argument("--only", action="append", default=[], help="run only this scenario")
    p.add_argument("--valgrind", action="store_true", help="run under valgrind memcheck")
    p.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--list", action="store_true", help="list the scenarios")
    p.add_argument(
        "--selftest",
        action="store_true",
        help="check that a planted 1-object-per-call leak is reported",
    )
    a = p.parse_args()
    if a.list:
        print("\n".join(sorted(scenarios())))
        return 0
    if a.valgrind:
        return run_valgrind(a.calls or 2000, a.only)
    if a.inner:
        sc = scenarios()
        for name in a.only or sorted(sc):
            for _ in range(a.calls):
                sc[name]()
        return 0
    _ensure_malloc_env()
    if a.selftest:
        kept: list[Any] = []
        _PLANTED["planted-leak"] = lambda: kept.append(object())
        rc = run_counts(a.calls or 100_000, ["planted-leak"])
        print("leakcheck selftest: " + ("ok, the planted leak was found" if rc else "FAILED"))
        return 0 if rc else 1
    return run_counts(a.calls or 100_000, a.only)


if __name__ == "__main__":
    sys.exit(main())
