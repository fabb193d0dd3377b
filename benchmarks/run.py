"""The performance suite of issue 4: every workload against its anchors, in one process.

    python benchmarks/run.py            # full sizes (a few minutes on 2 cores)
    python benchmarks/run.py --quick    # smaller sizes, same checks

Every result is checked against its anchor (or a pure-Python reference) before it is timed.
Timings are best-of-repeats wall clock (time.perf_counter); ratios compare numbers taken in
this same run.  Writes benchmarks/results/{results.json, table.md, scaling.png}.
Anchors that are not installed (gmpy2, python-flint, sympy, matplotlib) are reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import bench_anyring
import numpy as np
from _timing import best_of, best_time, optional

import lucas

HERE = Path(__file__).resolve().parent
P61 = 2**61 - 1


gmpy2 = optional("gmpy2")
flint = optional("flint")


def fib_mod_py(n: int, m: int) -> int:
    """Best pure-Python F(n) mod m: fast doubling on (F(j), F(j+1))."""
    a, b = 0, 1
    for bit in bin(n)[2:]:
        d = a * ((2 * b - a) % m) % m
        e = (a * a + b * b) % m
        a, b = (e, (d + e) % m) if bit == "1" else (d, e)
    return a


def fib_py(n: int) -> int:
    """Best pure-Python exact F(n): fast doubling."""
    a, b = 0, 1
    for bit in bin(n)[2:]:
        d = a * ((b << 1) - a)
        e = a * a + b * b
        a, b = (e, d + e) if bit == "1" else (d, e)
    return a


ROWS: list[dict] = []


def row(
    wid: str,
    what: str,
    ours: float,
    anchor_name: str,
    anchor: float | None,
    target: float | None,
    note: str = "",
) -> None:
    ratio = None if anchor is None else anchor / ours
    ok = None if (ratio is None or target is None) else ratio >= target
    ROWS.append(
        {
            "id": wid,
            "workload": what,
            "lucas_s": ours,
            "anchor": anchor_name,
            "anchor_s": anchor,
            "ratio": ratio,
            "target": target,
            "met": ok,
            "note": note,
        }
    )
    r = "n/a" if ratio is None else f"{ratio:8.2f}x"
    t = "" if target is None else (f"target {target:g}x " + ("MET" if ok else "MISSED"))
    a = "n/a" if anchor is None else f"{anchor:.3e}s"
    print(
        f"{wid:4} {what[:52]:52} lucas {ours:.3e}s  {anchor_name[:28]:28} {a:>11}  {r:>10}  {t}"
        + (f"  ({note})" if note else ""),
        flush=True,
    )


# ------------------------------------------------------------------------------------------


def w1() -> None:
    n, m = 10**18, P61
    want = fib_mod_py(n, m)
    c, i = np.array([1, 1]), np.array([0, 1])
    nn, mm = np.int64(n), np.int64(m)
    assert lucas.term_mod(c, i, nn, mm) == want
    assert lucas.term_mod([1, 1], [0, 1], n, m) == want
    ours = best_time(lambda: lucas.term_mod(c, i, nn, mm), repeat=15, number=2000)
    ours_list = best_time(lambda: lucas.term_mod([1, 1], [0, 1], n, m), repeat=15, number=2000)
    if gmpy2 is not None:
        assert int(gmpy2.lucasu_mod(1, -1, n, m)) == want
        anchor = best_time(lambda: gmpy2.lucasu_mod(1, -1, n, m), repeat=15, number=2000)
    else:
        anchor = None
    row(
        "W1",
        "F(1e18) mod 2^61-1, one call (arrays + NumPy scalars)",
        ours,
        "gmpy2.lucasu_mod",
        anchor,
        4,
    )
    # reported: the W1 is the scalar call above; with lists and Python ints NumPy's
    # own argument conversion costs about 1.9 us before any loop runs
    row(
        "W1'",
        "same, Python lists and ints as arguments",
        ours_list,
        "gmpy2.lucasu_mod",
        anchor,
        None,
        note="NumPy's argument conversion alone is ~1.9 us",
    )
    uv = getattr(lucas, "lucas_uv_mod", None)
    if uv is not None:
        assert int(uv(1, -1, n, m)[0]) == want
        t = best_time(lambda: uv(1, -1, n, m), repeat=15, number=2000)
        row(
            "W1''",
            "same via the elementwise lucas_uv_mod(1, -1, n, m)",
            t,
            "gmpy2.lucasu_mod",
            anchor,
            None,
            note="four Python ints, two outputs",
        )


def w2(quick: bool) -> None:
    N = 10**5 if quick else 10**6
    rng = np.random.default_rng(2)
    ns = rng.integers(0, 2**62, N)
    c, i = np.array([1, 1]), np.array([0, 1])
    got = lucas.term_mod(c, i, ns, P61)
    sub = ns[:2000].tolist()
    assert [int(x) for x in got[:2000]] == [fib_mod_py(x, P61) for x in sub]
    ours = best_time(lambda: lucas.term_mod(c, i, ns, P61), repeat=3)
    nl = ns.tolist()
    if gmpy2 is not None:
        assert [int(gmpy2.lucasu_mod(1, -1, x, P61)) for x in sub] == [int(x) for x in got[:2000]]
        f = gmpy2.lucasu_mod
        anchor = best_time(lambda: [f(1, -1, x, P61) for x in nl], repeat=1)
    else:
        anchor = None
    row(
        "W2",
        f"{N:.0e} random n < 2^62, Fibonacci mod 2^61-1",
        ours,
        "loop of gmpy2.lucasu_mod",
        anchor,
        30,
    )
    M = 5000
    py = best_time(lambda: [fib_mod_py(x, P61) for x in nl[:M]], repeat=1) * (N / M)
    row(
        "W2p",
        f"{N:.0e} random n < 2^62, Fibonacci mod 2^61-1",
        ours,
        "pure-Python doubling loop",
        py,
        1000,
        note=f"Python timed on {M} n, scaled per n",
    )


def w3(quick: bool) -> None:
    N = 10**6 if quick else 10**7
    c3, i3 = np.array([1, 1, 1]), np.array([0, 0, 1])
    ar = np.arange(N)
    a = lucas.term_mod(c3, i3, ar, P61)
    seq = getattr(lucas, "sequence", None)
    if seq is None:
        row(
            "W3",
            "term_mod over arange, Tribonacci mod p",
            best_time(lambda: lucas.term_mod(c3, i3, ar, P61), repeat=3),
            "lucas.sequence",
            None,
            None,
            note="sequence() not available",
        )
        return
    b = seq(c3, i3, N, mod=P61)
    assert np.array_equal(a, b)
    ours = best_time(lambda: lucas.term_mod(c3, i3, ar, P61), repeat=3)
    anchor = best_time(lambda: seq(c3, i3, N, mod=P61), repeat=3)
    # "within 1.5x" of the anchor: ratio anchor/ours must be >= 1/1.5
    row(
        "W3",
        f"term_mod(c3, i3, arange({N:.0e}), p), Tribonacci",
        ours,
        "sequence(c3, i3, N, mod=p)",
        anchor,
        1 / 1.5,
    )
    x = np.arange(N, dtype=np.int64)
    np_pass = best_time(lambda: (x * 3 + 1) % P61, repeat=3)
    s_time = anchor
    row(
        "W3b",
        f"sequence({N:.0e}) Tribonacci mod p",
        s_time,
        "one NumPy pass (x*3+1) % p",
        np_pass,
        1 / 4,
    )
    # issue 13: consecutive terms against np.cumsum (a dependent scan at memory speed), both
    # allocating their output; CPU time, best of alternating rounds
    for what, c, init, mod, dt in (
        ("Fibonacci mod 10^9+7", [1, 1], [0, 1], 10**9 + 7, np.int64),
        ("Tribonacci mod 10^9+7", [1, 1, 1], [0, 0, 1], 10**9 + 7, np.int64),
        ("Tribonacci mod 2^61-1", [1, 1, 1], [0, 0, 1], P61, np.int64),
        ("float64 c=(1/3,1/3,1/3)", [1 / 3] * 3, [0.0, 0.0, 1.0], None, np.float64),
        ("int64 c=(1,-1,1)", [1, -1, 1], [0, 1, 2], None, np.int64),
    ):
        x = np.ones(N, dtype=dt)
        ours, anchor = best_of(
            [lambda: lucas.sequence(c, init, N, mod=mod), lambda: np.cumsum(x)], 5
        )
        row(
            "W3c",
            f"sequence({N:.0e}) {what}",
            ours[0],
            f"np.cumsum({np.dtype(dt).name} x)",
            anchor[0],
            1 / 1.5,
        )


def companion(c: np.ndarray) -> np.ndarray:
    k = len(c)
    C = np.zeros((k, k))
    C[np.arange(k - 1), np.arange(1, k)] = 1.0
    C[-1] = c
    return C


def w4(quick: bool) -> None:
    k, n = (256, 10**5) if quick else (512, 10**6)
    rng = np.random.default_rng(4)
    c = rng.random(k)
    c /= c.sum()  # bounded: an averaging recurrence
    init = rng.random(k)
    ours_v = lucas.term(c, init, n)
    C = companion(c)
    ref = (np.linalg.matrix_power(C, n) @ init)[0]
    assert abs(ours_v - ref) <= 1e-8 * abs(ref), (ours_v, ref)
    ours = best_time(lambda: lucas.term(c, init, n), repeat=5)
    anchor = best_time(lambda: np.linalg.matrix_power(C, n) @ init, repeat=1)
    row(
        "W4",
        f"k={k} float64, n={n:.0e}, one term",
        ours,
        "np.linalg.matrix_power @ init",
        anchor,
        10,
        note=f"rel. diff {abs(ours_v - ref) / abs(ref):.1e}",
    )
    mat = lucas.term_ufunc("matrix")
    assert abs(mat(c, init, n) - ref) <= 1e-8 * abs(ref)
    t = best_time(lambda: mat(c, init, n), repeat=1)
    row(
        "W4m", "same with method='matrix' (dgemm)", t, "np.linalg.matrix_power @ init", anchor, None
    )


def w4b(quick: bool) -> None:
    k, n, p = (128 if quick else 256), 10**18, 998244353
    rng = np.random.default_rng(5)
    c = rng.integers(0, p, k)
    init = rng.integers(0, p, k)
    got = int(lucas.term_mod(c, init, n, p))
    assert got == int(lucas.term_mod_ufunc("matrix")(c, init, n, p))
    ours = best_time(lambda: lucas.term_mod(c, init, n, p), repeat=3)
    tm = best_time(lambda: lucas.term_mod_ufunc("matrix")(c, init, n, p), repeat=1)
    if flint is None:
        row(
            "W4b",
            f"k={k} mod 998244353, n=1e18",
            ours,
            "python-flint nmod_mat ** n",
            None,
            5,
            note="python-flint not installed",
        )
        return
    C = flint.nmod_mat(k, k, p)
    for a in range(k - 1):
        C[a, a + 1] = 1
    for b in range(k):
        C[k - 1, b] = int(c[b])

    def anchor_fn():
        M = C**n
        return sum(int(M[0, j]) * int(init[j]) for j in range(k)) % p

    assert anchor_fn() == got
    anchor = best_time(anchor_fn, repeat=1)
    row(
        "W4b",
        f"k={k} mod 998244353, n=1e18, one term",
        ours,
        "python-flint nmod_mat ** n",
        anchor,
        5,
    )
    row(
        "W4bm",
        "same with method='matrix' (FFLAS dgemm)",
        tm,
        "python-flint nmod_mat ** n",
        anchor,
        None,
    )


def w5(quick: bool) -> None:
    n = 10**5 if quick else 10**6
    c, i = np.array([1, 1], object), np.array([0, 1], object)
    want = fib_py(n)
    assert lucas.term(c, i, n) == want
    ours = best_time(lambda: lucas.term(c, i, n), repeat=5)
    py = best_time(lambda: fib_py(n), repeat=5)
    row("W5", f"exact F({n:.0e}), object dtype", ours, "pure-Python fast doubling", py, 1.5)
    if gmpy2 is not None:
        assert int(gmpy2.fib(n)) == want
        g = best_time(lambda: gmpy2.fib(n), repeat=5)
        row("W5g", f"exact F({n:.0e}) (gap to GMP, reported)", ours, "gmpy2.fib", g, None)


def w6(quick: bool) -> None:
    N = 10**5 if quick else 10**6
    It = getattr(lucas, "LucasIter", None)
    if It is None:
        return
    from itertools import islice

    def gen(m):
        a, b = 0, 1
        while True:
            yield a
            a, b = b, (a + b) % m

    assert list(islice(It([1, 1], [0, 1], mod=P61), 1000)) == list(islice(gen(P61), 1000))

    def ours_fn():
        it = It([1, 1], [0, 1], mod=P61)
        nx = next
        for _ in range(N):
            nx(it)

    def py_fn():
        it = gen(P61)
        nx = next
        for _ in range(N):
            nx(it)

    ours = best_time(ours_fn, repeat=3)
    py = best_time(py_fn, repeat=3)
    row("W6", f"LucasIter {N:.0e} next() mod p", ours, "pure-Python generator", py, 2.5)


def w_anyring(quick: bool) -> None:
    """Issue 14: object arrays of other number types (benchmarks/bench_anyring.py).  Thread CPU
    time, not wall clock: both sides run in this thread, and these rows are short enough for a
    busy machine's descheduling to swamp the wall clock."""
    for wid, name, (ours, _), anchor, (anc, _), target in bench_anyring.rows(10 if quick else 1, 7):
        row(wid, name, ours, anchor, anc, target, note="thread CPU time")


def memory_check(quick: bool) -> None:
    """term_mod over 1e7 n must peak at no more than the output plus 16 MiB."""
    N = 10**6 if quick else 10**7
    code = f"""
import resource, numpy as np, lucas
ns = np.random.default_rng(0).integers(0, 2**62, {N})
c, i = np.array([1, 1, 1]), np.array([0, 0, 1])
lucas.term_mod(c, i, ns[:10], {P61})
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = lucas.term_mod(c, i, ns, {P61})
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((peak - base) * 1024, out.nbytes)
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    extra, out_bytes = (int(x) for x in res.stdout.split())
    over = extra - out_bytes
    ok = over <= 16 * 2**20
    ROWS.append(
        {
            "id": "MEM",
            "workload": f"term_mod over {N:.0e} random n: peak RSS growth",
            "lucas_s": None,
            "anchor": "output size",
            "anchor_s": None,
            "ratio": None,
            "target": None,
            "met": ok,
            "note": f"growth {extra / 2**20:.1f} MiB, output {out_bytes / 2**20:.1f} MiB",
        }
    )
    print(
        f"MEM  peak growth {extra / 2**20:.1f} MiB for an output of {out_bytes / 2**20:.1f} "
        f"MiB: {'MET' if ok else 'MISSED'} (limit output + 16 MiB)"
    )


def scaling(quick: bool, outdir: Path) -> dict:
    """Time per term against k for every method beside FLINT, four moduli: scaling.png, drawn
    by bench_large_k.py (one script, so the plot cannot drift from large_k.md)."""
    import bench_large_k

    return bench_large_k.scaling(quick, outdir)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes")
    ap.add_argument("--out", type=Path, default=HERE / "results")
    ap.add_argument("--skip-scaling", action="store_true")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    print(
        f"lucas {lucas.__version__}, numpy {np.__version__}, python {platform.python_version()},"
        f" {os.cpu_count()} cpus, gmpy2 {getattr(gmpy2, 'version', lambda: None)()},"
        f" flint {getattr(flint, '__version__', None)}"
    )
    print(f"{'id':4} {'workload':52} {'':>23} {'anchor':28} {'anchor time':>11}  {'ratio':>10}")
    w1()
    w2(args.quick)
    w3(args.quick)
    w4(args.quick)
    w4b(args.quick)
    w5(args.quick)
    w6(args.quick)
    w_anyring(args.quick)
    memory_check(args.quick)
    sc = None if args.skip_scaling else scaling(args.quick, args.out)
    (args.out / "results.json").write_text(
        json.dumps({"quick": args.quick, "rows": ROWS, "scaling": sc}, indent=1, default=str)
    )
    lines = [
        "| id | workload | lucas | anchor | anchor time | ratio | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in ROWS:
        lt = "" if r["lucas_s"] is None else f"{r['lucas_s']:.3g} s"
        at = "" if r["anchor_s"] is None else f"{r['anchor_s']:.3g} s"
        ra = "" if r["ratio"] is None else f"{r['ratio']:.1f}x"
        tg = (
            ""
            if r["target"] is None
            else (f"≥ {r['target']:g}x" if r["target"] >= 1 else f"within {1 / r['target']:g}x")
        )
        met = {True: " ✓", False: " ✗", None: ""}[r["met"]]
        lines.append(
            f"| {r['id']} | {r['workload']} | {lt} | {r['anchor']} | {at} | {ra}{met} "
            f"| {tg}{(' — ' + r['note']) if r['note'] else ''} |"
        )
    (args.out / "table.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out / 'table.md'}")
    missed = [r["id"] for r in ROWS if r["met"] is False]
    print("targets missed: " + (", ".join(missed) if missed else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
