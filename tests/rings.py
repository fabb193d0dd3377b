"""The number types of issue 14 (object arrays over any commutative ring) for the tests:
constructors from rational values, what each is (integers, field, ring with more units,
inexact), sample recurrences, and comparison against the plain-Python reference.

Inexact types are compared within ``tol * s[n]``, where s is the same recurrence run over |c|
and |init| (it bounds every intermediate, so the rounding errors of any evaluation order) and
tol is about 10^4 machine epsilons (2^-52 for float/complex; Decimal's default context has 28
digits, tol 10^-22).  The optional libraries are imported with pytest.importorskip when an
element is made, so a test of a type whose library is missing is skipped.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from reference import ref_ring_seq, unit_div

Fr = Fraction


def _gmpy2() -> Any:
    return pytest.importorskip("gmpy2")


def _flint() -> Any:
    return pytest.importorskip("flint")


def _sympy() -> Any:
    return pytest.importorskip("sympy")


P_NMOD = 10007  # prime
M_NMOD = 10**6  # composite: 3 is a unit, 2 is not
P_FMPZ_MOD = 2**127 - 1


def _fmpz_mod(v: Fraction) -> Any:
    ctx = _flint().fmpz_mod_ctx(P_FMPZ_MOD)
    return ctx(v.numerator) / ctx(v.denominator)


def _int_only(f: Callable[[int], Any]) -> Callable[[Fraction], Any]:
    def make(v: Fraction) -> Any:
        assert v.denominator == 1, v
        return f(int(v))

    return make


@dataclass(frozen=True)
class Ring:
    id: str
    make: Callable[[Fraction], Any]  # a rational value -> the element
    #: "int": an integer ring (backwards needs c[0] = +-1); "field": exact, c[0] invertible;
    #: "units": exact ring with units beyond +-1 (nmod mod a composite); "inexact"
    kind: str
    tol: float = 0.0

    @property
    def exact(self) -> bool:
        return self.kind != "inexact"


RINGS = [
    Ring("int", _int_only(int), "int"),
    Ring("Fraction", lambda v: v, "field"),
    Ring("mpz", _int_only(lambda v: _gmpy2().mpz(v)), "int"),
    Ring("mpq", lambda v: _gmpy2().mpq(v.numerator, v.denominator), "field"),
    Ring("fmpz", _int_only(lambda v: _flint().fmpz(v)), "int"),
    Ring("fmpq", lambda v: _flint().fmpq(v.numerator, v.denominator), "field"),
    Ring(
        "nmod-prime",
        lambda v: _flint().nmod(v.numerator, P_NMOD) / _flint().nmod(v.denominator, P_NMOD),
        "field",
    ),
    Ring("nmod-composite", _int_only(lambda v: _flint().nmod(v, M_NMOD)), "units"),
    Ring("fmpz_mod", _fmpz_mod, "field"),
    Ring("sympy-Integer", _int_only(lambda v: _sympy().Integer(v)), "int"),
    Ring("sympy-Rational", lambda v: _sympy().Rational(v.numerator, v.denominator), "field"),
    Ring("float", float, "inexact", 1e4 * 2.0**-52),
    Ring("complex", lambda v: complex(float(v), float(v) / 3), "inexact", 1e4 * 2.0**-52),
    Ring("Decimal", lambda v: Decimal(v.numerator) / Decimal(v.denominator), "inexact", 1e-22),
]
EXACT = [r for r in RINGS if r.exact]
FIELDS = [r for r in RINGS if r.kind in ("field", "inexact")]
INTEGERS = [r for r in RINGS if r.kind == "int"]
by_ring = pytest.mark.parametrize("ring", RINGS, ids=lambda r: r.id)

#: (coefs, init) with integer values: every ring.  c[0] = +-1 for the first three.
INT_RECS = [
    ([1, 1], [0, 1]),  # Fibonacci
    ([1, 2], [0, 1]),  # Pell
    ([-1, 3, 1], [1, 2, 3]),
    ([2, -1, 0, 3], [1, 0, -2, 5]),
    ([5], [3]),
]
#: rational values: fields only (the first is the issue's example)
RAT_RECS = [
    ([Fr(1, 2), Fr(1, 3)], [Fr(0), Fr(1)]),
    ([Fr(2, 3), Fr(-1, 5), Fr(0), Fr(7, 2)], [Fr(1, 2), Fr(0), Fr(-3), Fr(1, 7)]),
]


def recs(ring: Ring) -> list[tuple[list[Fraction], list[Fraction]]]:
    int_recs = [([Fr(x) for x in c], [Fr(x) for x in i]) for c, i in INT_RECS]
    return int_recs + (RAT_RECS if ring.kind in ("field", "inexact") else [])


def obj(values: Any) -> np.ndarray:
    """An object array of exactly these elements (nested lists give more dimensions)."""
    shape: list[int] = []
    x = values
    while isinstance(x, list):
        shape.append(len(x))
        x = x[0] if x else None
    a = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        y: Any = values
        for j in idx:
            y = y[j]
        a[idx] = y
    return a


def elements(ring: Ring, c: list[Fraction], i: list[Fraction]) -> tuple[list[Any], list[Any]]:
    return [ring.make(x) for x in c], [ring.make(x) for x in i]


def integer_like(values: list[Any]) -> bool:
    """Every element has __index__: the recurrence is over the integers (SymPy's Rational(2)
    is an Integer), so it runs backwards only when c[0] = +-1."""
    return all(hasattr(type(x), "__index__") for x in values)


def backwards(ring: Ring, c: list[Any], i: list[Any]) -> tuple[bool, Any]:
    """(whether the recurrence runs backwards, the reference's division by c[0])."""
    if integer_like(c + i):
        return c[0] in (1, -1), unit_div
    if ring.kind == "units":
        return math.gcd(int(c[0]), M_NMOD) == 1, None
    return c[0] != 0, None


def check(ring: Ring, got: Any, want: Any, scale: Any = None, what: Any = "") -> None:
    """got equals want (exact types: the same value and type) or is within the tolerance."""
    if ring.exact:
        assert got == want, (ring.id, what, got, want)
        assert type(got) is type(want), (ring.id, what, type(got), type(want))
    else:
        assert type(got) is type(want), (ring.id, what, type(got), type(want))
        assert float(abs(got - want)) <= ring.tol * float(scale), (ring.id, what, got, want)


def abs_scale(ring: Ring, c: list[Any], i: list[Any], start: int, count: int) -> list[Any]:
    """Inexact rings: the recurrence over |c|, |init| (forward) or over the absolute values of
    the reversed recurrence (backward), a bound for the size of every intermediate."""
    if ring.exact:
        return [None] * count
    k = len(c)
    fwd = ref_ring_seq([abs(x) for x in c], [abs(x) for x in i], max(start, 0), count)
    if start >= 0:
        return fwd
    inv = 1 / c[0]
    d = [abs(inv)] + [abs(c[k - j] * inv) for j in range(1, k)]
    back = ref_ring_seq(d, [abs(x) for x in i[::-1]], k - 1 - start - count + 1, count)
    return back[::-1]
