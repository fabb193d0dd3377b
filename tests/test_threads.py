"""Threads: 8 threads calling every face at once get exactly the single-thread answers.

The numeric loops run without the GIL, so these threads really overlap in the C core; any
shared mutable state there would show up as wrong or flaky results.  A second test compiles
the core on its own and checks with ``nm`` that it has no writable global or static data at
all (``lr_core.h`` promises "no mutable global state").
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from threadutil import run_workers

import lucas

NTHREADS = 8
ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "src" / "core"


def obj(*v: Any) -> np.ndarray:
    a = np.empty(len(v), dtype=object)
    a[:] = list(v)
    return a


def _jobs() -> list[tuple[str, Callable[[], Any]]]:
    rng = np.random.default_rng(12345)
    n_rand = rng.integers(0, 10**18, 2000)
    n_neg = rng.integers(-(10**12), 0, 500)
    n_run = np.arange(10**6, 10**6 + 3000)
    c5 = np.array([3, -1, 4, 1, -5])
    i5 = np.array([2, 7, 1, 8, 2])
    cf = rng.random((40, 6)) / 6  # sum <= 1: finite terms
    rng_m8 = rng.integers(0, 10**9, (8, 8))
    jobs: list[tuple[str, Callable[[], Any]]] = [
        ("int64-fib", lambda: lucas.term([1, 1], [0, 1], np.arange(93))),
        ("int64-certify", lambda: lucas.term([-2, 2], [1, 1], np.arange(202, 3002, 4))),
        ("mod-batch", lambda: lucas.term_mod(c5, i5, n_rand, 2**61 - 1)),
        ("mod-neg", lambda: lucas.term_mod([1, 3, 1], [1, 2, 3], n_neg, 10**9 + 7)),
        ("mod-run", lambda: lucas.term_mod(c5, i5, n_run, 998244353)),
        ("mod-uint64", lambda: lucas.term_mod(c5, i5, n_rand[:300], np.uint64(2**64 - 59))),
        ("mod-matrix", lambda: lucas.term_mod_ufunc("matrix")(c5, i5, n_rand[:300], 10**9 + 9)),
        (
            "mod-poly-many-m",
            lambda: lucas.term_mod_ufunc("poly")(c5, i5, 10**15, np.arange(2, 400)),
        ),
        ("float-batch", lambda: lucas.term(cf, np.ones(6), 10**5)),
        (
            "float-blas",
            lambda: lucas.term_ufunc("matrix")(np.full(70, 1.0 / 70), np.linspace(0, 1, 70), 10**6),
        ),
        ("object", lambda: lucas.term(obj(1, 1), obj(0, 1), np.array([500, 1000, 1500]))),
        ("matpow-int64", lambda: lucas.matrix_power(np.array([[0, 1], [1, 1]]), np.arange(92))),
        (
            "matpow-certify",
            lambda: lucas.matrix_power(
                np.array([[2**40, 2**40], [-(2**40), -(2**40)]]), np.arange(6)
            ),
        ),
        ("matpow-mod-many", lambda: lucas.matrix_power_mod(rng_m8, n_rand[:300], 10**9 + 7)),
        (
            "matpow-mod-stack",
            lambda: lucas.matrix_power_mod(
                rng_m8[None] + np.arange(40)[:, None, None], 10**15, np.uint64(2**64 - 59)
            ),
        ),
        ("matpow-float-blas", lambda: lucas.matrix_power(np.full((70, 70), 1.0 / 70), 10**6)),
        ("object-mod", lambda: lucas.term_mod(obj(1, 2), obj(0, 1), 10**30, 10**20 + 39)),
    ]
    if hasattr(lucas, "sequence"):
        jobs += [
            ("sequence-mod", lambda: lucas.sequence(c5, i5, 50_000, start=10**12, mod=10**9 + 7)),
            ("sequence-float", lambda: lucas.sequence([0.5, 0.5], [0.0, 1.0], 20_000)),
            ("sequence-int64", lambda: lucas.sequence([1, 2], [0, 1], 50, start=-10)),
        ]
    if hasattr(lucas, "LucasIter"):

        def iterate_mod() -> list[int]:
            it = lucas.LucasIter(c5, i5, mod=10**9 + 7)
            it.advance(10**15)
            return list(itertools.islice(it, 3000))

        def iterate_exact() -> list[int]:
            return list(itertools.islice(lucas.LucasIter([1, 1], [0, 1]), 400))

        jobs += [("iter-mod", iterate_mod), ("iter-exact", iterate_exact)]
    if hasattr(lucas, "lucas_uv_mod"):
        jobs.append(("lucas_uv_mod", lambda: lucas.lucas_uv_mod(3, 1, n_rand, 10**9 + 7)))
    if hasattr(lucas, "is_prime"):
        jobs.append(
            (
                "is_prime",
                lambda: lucas.is_prime(np.uint64(2**64 - 1) - np.arange(3000, dtype=np.uint64)),
            )
        )
    if hasattr(lucas, "fibonacci"):
        jobs.append(("fibonacci", lambda: lucas.fibonacci(np.arange(-92, 93))))
    return jobs


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(np.array_equal(np.asarray(a), np.asarray(b)))


@pytest.mark.parametrize("rounds", [3])
def test_threads_agree_with_one_thread(rounds: int) -> None:
    jobs = _jobs()
    expected = {name: f() for name, f in jobs}
    errors: list[str] = []
    barrier = threading.Barrier(NTHREADS)

    def worker(tid: int) -> None:
        barrier.wait()
        # each thread walks the jobs in its own order, so different faces overlap
        order = jobs[tid % len(jobs) :] + jobs[: tid % len(jobs)]
        for _ in range(rounds):
            for name, f in order:
                try:
                    got = f()
                except Exception as e:  # noqa: BLE001 - reported below
                    errors.append(f"thread {tid} {name}: {type(e).__name__}: {e}")
                    continue
                if not _same(got, expected[name]):
                    errors.append(f"thread {tid} {name}: result differs from one thread")

    run_workers(worker, NTHREADS)
    assert not errors, "\n".join(errors[:20])


def test_threads_errors_stay_in_their_thread() -> None:
    # failing calls in some threads do not disturb (or leak their exception into) others
    errors: list[str] = []
    barrier = threading.Barrier(NTHREADS)
    good = lucas.term_mod([1, 1], [0, 1], np.arange(5000), 10**9 + 7)

    def worker(tid: int) -> None:
        barrier.wait()
        for _ in range(30):
            try:
                if tid % 2:
                    with pytest.raises(OverflowError, match=r"a\[93\]"):
                        lucas.term([1, 1], [0, 1], np.arange(200))
                    with pytest.raises(ValueError, match=r"positive"):
                        lucas.term_mod([1, 1], [0, 1], 5, 0)
                else:
                    assert np.array_equal(
                        lucas.term_mod([1, 1], [0, 1], np.arange(5000), 10**9 + 7), good
                    )
            except BaseException as e:  # noqa: BLE001 - collected for the assertion
                errors.append(f"thread {tid}: {type(e).__name__}: {e}")

    run_workers(worker, NTHREADS)
    assert not errors, "\n".join(errors[:10])


def test_separate_iterators_in_threads() -> None:
    if not hasattr(lucas, "LucasIter"):
        pytest.skip("LucasIter not built")
    ref = list(itertools.islice(lucas.LucasIter([1, 1, 1], [0, 0, 1], mod=2**61 - 1), 20_000))
    results: dict[int, list[int]] = {}
    barrier = threading.Barrier(NTHREADS)

    def worker(tid: int) -> None:
        it = lucas.LucasIter([1, 1, 1], [0, 0, 1], mod=2**61 - 1)
        barrier.wait()
        results[tid] = list(itertools.islice(it, 20_000))

    run_workers(worker, NTHREADS)
    assert all(results[t] == ref for t in range(NTHREADS))


# ---- the core keeps no mutable global state ----------------------------------------------

_WRITABLE = set("bBdDgGsS")  # nm: bss, data, small data (lower case: file-local statics)


@pytest.mark.skipif(
    shutil.which("cc") is None or shutil.which("nm") is None, reason="needs a C compiler and nm"
)
def test_core_has_no_writable_globals(tmp_path: Path) -> None:
    sources = sorted(CORE.rglob("*.c"))
    assert sources, "src/core not found next to the tests"
    # every folder of the core is on the include path, as in src/meson.build
    incs = [f"-I{d}" for d in [CORE, *sorted(p for p in CORE.iterdir() if p.is_dir())]]
    found = []
    for src in sources:
        obj_file = tmp_path / (src.stem + ".o")
        subprocess.run(
            ["cc", "-std=c99", "-O0", "-c", str(src), *incs, "-o", str(obj_file)],
            check=True,
            capture_output=True,
        )
        out = subprocess.run(
            ["nm", str(obj_file)], check=True, capture_output=True, text=True
        ).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in _WRITABLE:
                found.append(f"{src.name}: {parts[2]} ({parts[1]})")
    assert not found, "writable global/static data in the core:\n" + "\n".join(found)
