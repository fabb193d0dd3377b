"""Benchmarks of issue 14: object arrays over other number types against their anchors.

    python benchmarks/bench_anyring.py            # F(10^6), Fraction recurrence at n = 1000
    python benchmarks/bench_anyring.py --quick    # F(10^5), n = 100

Rows (each ratio from numbers measured in this same run, anchor and lucas alternating):
  * exact F(n) with gmpy2.mpz elements (``lucas.term`` over an object array of mpz) against
    ``gmpy2.fib(n)``.  Target: within 3x (ratio anchor / lucas >= 1/3).
  * the same with python-flint fmpz elements against ``flint.fmpz.fib_ui(n)`` (reported).
  * the Fraction recurrence a[n+2] = a[n+1]/2 + a[n]/3, a[0] = 0, a[1] = 1: one term at n
    and the first n terms (``lucas.sequence``) against the pure-Python loop a user writes
    (reported).

Every result is checked against its anchor before it is timed.  Both sides run in the calling
thread, so each is timed with the thread's CPU clock (a busy machine does not inflate it); the
wall-clock ratio is printed in brackets.  benchmarks/run.py takes its rows A1 and A2 from here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
from _timing import bench_options, best_of, optional, print_versions

import lucas

gmpy2 = optional("gmpy2")
flint = optional("flint")

#: a[n+2] = a[n]/3 + a[n+1]/2 in lucas's seed order (c[0] multiplies the oldest term)
FRAC_C = [Fraction(1, 3), Fraction(1, 2)]
FRAC_I = [Fraction(0), Fraction(1)]

#: (row id in run.py, workload, lucas (cpu, wall) s, anchor name, anchor (cpu, wall) s, target
#: ratio anchor / lucas or None)
Row = tuple[str, str, tuple[float, float], str, tuple[float, float], float | None]


def obj(values: list[Any]) -> np.ndarray:
    a = np.empty(len(values), dtype=object)
    a[:] = values
    return a


def frac_loop_term(n: int) -> Fraction:
    """The pure-Python loop: a[n] of the Fraction recurrence."""
    a, b = FRAC_I
    for _ in range(n):
        a, b = b, b / 2 + a / 3
    return a


def frac_loop_sequence(count: int) -> list[Fraction]:
    a, b = FRAC_I
    out = []
    for _ in range(count):
        out.append(a)
        a, b = b, b / 2 + a / 3
    return out


def fib_ring(n: int, ring: Callable[[int], Any], anchor: Callable[[int], Any], repeat: int):
    """(lucas, anchor) best (cpu, wall) seconds of exact F(n) with `ring` elements."""
    c, i = obj([ring(1), ring(1)]), obj([ring(0), ring(1)])
    got, want = lucas.term(c, i, n), anchor(n)
    assert type(got) is type(ring(0)), type(got)
    assert got == want, "F(n) disagrees with the anchor"
    ours, anc = best_of([lambda: lucas.term(c, i, n), lambda: anchor(n)], repeat)
    return ours, anc


def bench_mpz(n: int, repeat: int) -> Row | None:
    if gmpy2 is None:
        return None
    ours, anc = fib_ring(n, gmpy2.mpz, gmpy2.fib, repeat)
    return ("A1", f"exact F({n:.0e}), mpz elements", ours, "gmpy2.fib", anc, 1 / 3)


def bench_fmpz(n: int, repeat: int) -> Row | None:
    if flint is None:
        return None
    ours, anc = fib_ring(n, flint.fmpz, flint.fmpz.fib_ui, repeat)
    return ("A1f", f"exact F({n:.0e}), fmpz elements", ours, "flint.fmpz.fib_ui", anc, None)


def bench_fraction_term(n: int, repeat: int) -> Row:
    c, i = obj(FRAC_C), obj(FRAC_I)
    got = lucas.term(c, i, n)
    assert type(got) is Fraction and got == frac_loop_term(n)
    ours, anc = best_of([lambda: lucas.term(c, i, n), lambda: frac_loop_term(n)], repeat)
    return ("A2", f"Fraction a[n+2]=a[n+1]/2+a[n]/3, n={n}", ours, "pure-Python loop", anc, None)


def bench_fraction_sequence(count: int, repeat: int) -> Row:
    c, i = obj(FRAC_C), obj(FRAC_I)
    got = lucas.sequence(c, i, count)
    assert got.dtype == object and list(got) == frac_loop_sequence(count)
    ours, anc = best_of(
        [lambda: lucas.sequence(c, i, count), lambda: frac_loop_sequence(count)], repeat
    )
    return ("A2s", f"same, sequence of {count} terms", ours, "pure-Python loop", anc, None)


def rows(scale: int, repeat: int) -> list[Row]:
    """Every row at full size (scale 1) or 10x smaller (scale 10)."""
    n_fib, n_frac = 10**6 // scale, 1000 // scale
    out = [
        bench_mpz(n_fib, repeat),
        bench_fmpz(n_fib, repeat),
        bench_fraction_term(n_frac, repeat),
        bench_fraction_sequence(n_frac, repeat),
    ]
    return [r for r in out if r is not None]


def main(argv: list[str] | None = None) -> int:
    opts, scale = bench_options(__doc__, argv)
    print_versions(
        f"; gmpy2 {getattr(gmpy2, 'version', lambda: 'missing')()}"
        f", python-flint {getattr(flint, '__version__', 'missing')}"
    )
    table = rows(scale, opts.repeat)
    if gmpy2 is None:
        print("gmpy2 not installed: the mpz row is skipped")
    if flint is None:
        print("python-flint not installed: the fmpz row is skipped")
    print("best of rounds, thread CPU time; ratio = anchor / lucas (wall clock in brackets)")
    hdr = (
        f"{'workload':<44} {'lucas':>10}  {'anchor':<20} {'anchor':>10} {'ratio':>7} {'(wall)':>8}"
    )
    print(hdr + "  target")
    print("-" * (len(hdr) + 8))
    for _, name, (c_ours, w_ours), anchor, (c_anc, w_anc), target in table:
        goal = "" if target is None else f"within {1 / target:g}x"
        print(
            f"{name:<44} {c_ours * 1e3:>8.3f}ms  {anchor:<20} {c_anc * 1e3:>8.3f}ms "
            f"{c_anc / c_ours:>6.2f}x {f'({w_anc / w_ours:.2f}x)':>8}  {goal}"
        )
    missed = [r[1] for r in table if r[5] is not None and r[4][0] / r[2][0] < r[5]]
    print("targets missed: " + (", ".join(missed) if missed else "none"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
