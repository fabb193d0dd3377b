"""Large orders at any modulus: one term a[n] mod m (n = 10^18) against python-flint.

    python benchmarks/bench_large_k.py               # the table, the crossovers, the plot
    python benchmarks/bench_large_k.py --quick       # k <= 4096, fewer rounds
    python benchmarks/bench_large_k.py --crossover   # only the auto crossovers
    python benchmarks/bench_large_k.py --scaling     # only scaling.png (a few minutes)

Anchor (measured in this same run): FLINT's ``nmod_poly`` ``pow_mod`` (x^n mod the
characteristic polynomial f = x^k - sum c[i] x^i) followed by the dot product of its
coefficients with the initial values -- the standard O(M(k) log n) route.  Every lucas result
is checked equal to FLINT's before anything is timed.  Targets: 2x faster than FLINT at
k = 1024, 4096, 16384 and no slower at k = 256, for m in {998244353, 10^9+7, 2^61-1,
2^64-59}.

Crossovers: auto switches from Fiduccia (lazy O(k^2) products, ``term_mod_ufunc("poly")``)
to Bostan-Mori at an order that depends on how many transforms a product needs (m itself an
NTT prime; one, two or three 62-bit CRT primes).  --crossover times both sides of it, Bostan-
Mori forced through the measurement hook LUCAS_BM_FORCE=1 (read by the C core at each call).

Both sides compute in the calling thread: each number is the best thread-CPU time
(time.thread_time, not inflated by a busy machine descheduling us) of several alternating
rounds; wall-clock times are in the JSON.  Writes benchmarks/results/{large_k.md,
large_k.json, scaling.png}: the plot shows time against k = 2 .. 16384 (and 2^17) for auto,
each method (matrix, Fiduccia, Bostan-Mori by NTT or CRT) and FLINT, for the four moduli.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from pathlib import Path

import numpy as np
from _timing import best_of, optional

import lucas

flint = optional("flint")
N_INDEX = 10**18
MODULI = {"998244353": 998244353, "10^9+7": 10**9 + 7, "2^61-1": 2**61 - 1, "2^64-59": 2**64 - 59}
AUTO = lucas.term_mod_ufunc("auto")
POLY = lucas.term_mod_ufunc("poly")


def problem(k: int, m: int, seed: int):
    rng = np.random.default_rng(seed)
    c = rng.integers(0, 2**64, k, dtype=np.uint64, endpoint=False) % np.uint64(m)
    i = rng.integers(0, 2**64, k, dtype=np.uint64, endpoint=False) % np.uint64(m)
    return c, i


def flint_term(c, i, m: int):
    """a[n] mod m by FLINT: r = x^n mod f, then sum r_j init_j."""
    k = len(c)
    f = flint.nmod_poly([(-int(v)) % m for v in c] + [1], m)
    r = flint.nmod_poly([0, 1], m).pow_mod(N_INDEX, f)
    co = [int(v) for v in r.coeffs()]
    return sum(a * int(b) for a, b in zip(co, i[:k].tolist())) % m


def lucas_term(fn, c, i, m: int, force: str | None = None):
    def run():
        if force is None:
            os.environ.pop("LUCAS_BM_FORCE", None)
        else:
            os.environ["LUCAS_BM_FORCE"] = force
        try:
            return int(fn(c, i, np.uint64(N_INDEX), np.uint64(m)))
        finally:
            os.environ.pop("LUCAS_BM_FORCE", None)

    return run


def rounds(k: int, quick: bool) -> int:
    return (2 if quick else 3) if k >= 4096 else (3 if quick else 5)


def table(ks: list[int], quick: bool) -> list[dict]:
    rows = []
    for k in ks:
        for name, m in MODULI.items():
            c, i = problem(k, m, k)
            ours = lucas_term(AUTO, c, i, m)
            want = flint_term(c, i, m) if flint else None
            got = ours()
            if want is not None and got != want:
                raise SystemExit(f"k={k} m={name}: lucas {got} != FLINT {want}")
            fns = [ours] + ([lambda c=c, i=i, m=m: flint_term(c, i, m)] if flint else [])
            res = best_of(fns, rounds(k, quick))
            row = {"k": k, "modulus": name, "lucas_cpu": res[0][0], "lucas_wall": res[0][1]}
            if flint:
                row.update(flint_cpu=res[1][0], flint_wall=res[1][1], speedup=res[1][0] / res[0][0])
            rows.append(row)
            print(
                f"k={k:6} m={name:10} lucas {res[0][0] * 1e3:9.2f} ms"
                + (f"  FLINT {res[1][0] * 1e3:9.2f} ms  x{row['speedup']:.2f}" if flint else ""),
                flush=True,
            )
    return rows


def crossover(quick: bool) -> dict:
    """Fiduccia against forced Bostan-Mori around the switch, per transform count."""
    classes = {
        "direct (998244353)": 998244353,
        "1 prime (m = 1009)": 1009,
        "2 primes (10^9+7)": 10**9 + 7,
        "3 primes (2^64-59)": 2**64 - 59,
    }
    ks = [40, 48, 56, 64, 96, 128, 160, 192, 224, 256, 320, 384, 448, 512]
    out: dict = {}
    for name, m in classes.items():
        out[name] = []
        for k in ks:
            c, i = problem(k, m, 7 * k)
            fid = lucas_term(POLY, c, i, m)
            bm = lucas_term(AUTO, c, i, m, force="1")
            assert fid() == bm()
            (tf, _), (tb, _) = best_of([fid, bm], 3 if quick else 7)
            out[name].append((k, tf, tb))
            print(
                f"{name:20} k={k:4}  Fiduccia {tf * 1e3:7.3f} ms  Bostan-Mori {tb * 1e3:7.3f} ms"
                f"  ratio {tf / tb:5.2f}",
                flush=True,
            )
    return out


# The Bostan-Mori variant each modulus gets (lr_bm_prime_count): transforms modulo m itself,
# or one to three 62-bit CRT primes.
BM_VARIANT = {
    "998244353": "NTT mod m",
    "10^9+7": "2-prime CRT",
    "2^61-1": "3-prime CRT",
    "2^64-59": "3-prime CRT",
}
MATRIX = lucas.term_mod_ufunc("matrix")
BIG_K = 2**17


def per_call(fn, reps: int):
    """fn run reps times (one timed unit): tiny orders take microseconds, below the timer's
    resolution and the round-to-round noise."""

    def run():
        for _ in range(reps):
            fn()

    return run


def scaling(quick: bool, out: Path | None = None, big: bool = True) -> dict:
    """Time per term against k (log-log) for every method and FLINT, per modulus.

    k = 2, 4, ..., 16384 (4096 with --quick) and k = 2^17 for auto and FLINT only (unless
    quick or big=False).  The companion matrix stops at k = 256 and Fiduccia at 4096, where
    they take seconds; Bostan-Mori is forced (LUCAS_BM_FORCE=1) from k = 64, below its
    minimum order.  Every method's result is checked equal to FLINT's; each point is the best
    thread-CPU time of alternating rounds, lucas and FLINT back to back.  Draws scaling.png.
    """
    top = 4096 if quick else 16384
    ks = [2**j for j in range(1, top.bit_length())]
    res: dict = {}
    for name, m in MODULI.items():
        cur: dict = {"auto": [], "matrix": [], "poly": [], "bostan-mori": [], "flint": []}
        for k in ks + ([BIG_K] if big and not quick else []):
            c, i = problem(k, m, 11 * k)
            fns = {"auto": lucas_term(AUTO, c, i, m)}
            if k <= 256:
                fns["matrix"] = lucas_term(MATRIX, c, i, m)
            if k <= 4096:
                fns["poly"] = lucas_term(POLY, c, i, m)
            if 64 <= k <= top:
                fns["bostan-mori"] = lucas_term(AUTO, c, i, m, force="1")
            if flint:
                fns["flint"] = lambda c=c, i=i, m=m: flint_term(c, i, m)
            want = fns["flint"]() if flint else fns["auto"]()
            for key, fn in fns.items():
                if fn() != want:
                    raise SystemExit(f"k={k} m={name}: {key} disagrees with FLINT")
            reps = max(1, 256 // k)
            rounds_k = 1 if k > top else 2 if k >= 4096 else 3 if k >= 512 else 5
            times = best_of([per_call(fn, reps) for fn in fns.values()], rounds_k)
            for key, (cpu, _) in zip(fns, times):
                cur[key].append((k, cpu / reps))
            print(
                f"m={name:10} k={k:6} "
                + "  ".join(
                    f"{key} {cpu / reps * 1e3:.4g} ms" for key, (cpu, _) in zip(fns, times)
                ),
                flush=True,
            )
        res[name] = cur
    if out is not None:
        plot(res, out / "scaling.png")
    return res


def plot(res: dict, path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: no plot")
        return
    fig, axes = plt.subplots(2, 2, figsize=(12, 9), sharex=True)
    style = {"auto": "s-", "matrix": "d-.", "poly": "o:", "bostan-mori": "^--", "flint": "kx-"}
    for ax, (name, cur) in zip(axes.flat, res.items()):
        label = {
            "auto": "lucas auto",
            "matrix": "lucas matrix (companion power)",
            "poly": "lucas poly (Fiduccia)",
            "bostan-mori": f"lucas Bostan-Mori, {BM_VARIANT[name]} (forced)",
            "flint": "FLINT nmod_poly pow_mod + dot",
        }
        for key, pts in cur.items():
            if pts:
                xs, ys = zip(*pts)
                ax.loglog(xs, ys, style[key], label=label[key], ms=4)
        ax.set_title(f"one term mod {name}, n = 1e18")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("order k")
        ax.set_ylabel("CPU seconds per term")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("lucas against FLINT: time per term against the order k (one core)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    print(f"wrote {path}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--crossover", action="store_true", help="only the crossovers")
    ap.add_argument("--scaling", action="store_true", help="only the scaling plot")
    ap.add_argument("--no-big", action="store_true", help="no k = 2^17 point in the plot")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = ap.parse_args()
    if flint is None:
        print("python-flint not installed: no anchor, no result check")
    if args.crossover:
        crossover(args.quick)
        return
    args.out.mkdir(exist_ok=True)
    if args.scaling:
        scaling(args.quick, args.out, not args.no_big)
        return
    ks = [256, 1024, 4096] + ([] if args.quick else [16384])
    rows = table(ks, args.quick)
    cross = crossover(args.quick)
    sc = scaling(args.quick, args.out, not args.no_big)
    meta = {
        "machine": platform.machine(),
        "python": platform.python_version(),
        "flint": getattr(flint, "__version__", None),
        "n": N_INDEX,
        "quick": args.quick,
    }
    (args.out / "large_k.json").write_text(
        json.dumps({"meta": meta, "rows": rows, "crossover": cross, "scaling": sc}, indent=1)
    )
    lines = ["| k | modulus | lucas auto (ms) | FLINT (ms) | speed-up |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['k']} | {r['modulus']} | {r['lucas_cpu'] * 1e3:.2f} | "
            f"{r.get('flint_cpu', float('nan')) * 1e3:.2f} | "
            f"{r.get('speedup', float('nan')):.2f}x |"
        )
    lines += [
        "",
        "Crossover (Fiduccia ms / Bostan-Mori ms, ratio > 1: Bostan-Mori faster):",
        "",
        "| class | " + " | ".join(str(k) for k, _, _ in next(iter(cross.values()))) + " |",
        "|---|" + "---|" * len(next(iter(cross.values()))),
    ]
    for name, pts in cross.items():
        lines.append(f"| {name} | " + " | ".join(f"{tf / tb:.2f}" for _, tf, tb in pts) + " |")
    (args.out / "large_k.md").write_text(
        f"One term mod m at n = 10^18, best thread-CPU time of several rounds ({meta}).\n\n"
        + "\n".join(lines)
        + "\n"
    )


if __name__ == "__main__":
    main()
