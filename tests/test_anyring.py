"""Object arrays over any number type (issue 14): term, term_mod, sequence and LucasIter with
elements of any commutative ring, against the plain-Python reference ``ref_ring_seq`` (which
uses nothing but the elements' own operators).

Types (tests/rings.py): Python int, Fraction, gmpy2 mpz/mpq, python-flint fmpz/fmpq/nmod
(prime and composite modulus)/fmpz_mod, SymPy Integer/Rational, and the inexact float, complex
and Decimal.  Exact types must equal the reference and keep their type (mpz in, mpz out);
inexact ones agree within a relative tolerance (see rings.py).  Negative n: fields whenever
c[0] is invertible, the integers when c[0] = +-1, otherwise ValueError.  Mixed element types
follow Python's operator rules.  Design choices of the implementation relied on here:
term_mod reads integer-like elements (mpz, fmpz, SymPy Integer) as Python ints and refuses the
others; a recurrence whose elements all have __index__ is over the integers.

Failing and re-entrant element types, reference counts and Ctrl-C: test_anyring_hostile.py.
"""

from __future__ import annotations

import copy
import pickle
import warnings
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import ref_matrix, ref_ring, ref_ring_seq, ref_step, unit_div
from rings import (
    FIELDS,
    INT_RECS,
    INTEGERS,
    M_NMOD,
    P_FMPZ_MOD,
    P_NMOD,
    RINGS,
    Fr,
    Ring,
    _gmpy2,
    abs_scale,
    backwards,
    by_ring,
    check,
    elements,
    obj,
    recs,
)

import lucas

# ---------------------------------------------------------------------------------------------
# term: forward, broadcasting, types

FORWARD_N = [*range(12), 31, 100, 257]


@by_ring
def test_term_forward(ring: Ring) -> None:
    for cv, iv in recs(ring):
        c, i = elements(ring, cv, iv)
        ns = FORWARD_N + ([1000] if ring.exact else [])
        want = ref_ring_seq(c, i, 0, max(ns) + 1)
        scale = abs_scale(ring, c, i, 0, max(ns) + 1)
        co, io = obj(c), obj(i)
        for n in ns:
            check(ring, lucas.term(co, io, n), want[n], scale[n], (cv, n))
        # an array of n, in one call
        got = lucas.term(co, io, np.array(ns))
        assert got.dtype == object and got.shape == (len(ns),)
        for n, g in zip(ns, got):
            check(ring, g, want[n], scale[n], (cv, n, "array"))


@by_ring
def test_term_broadcasts_over_stacks(ring: Ring) -> None:
    """A stack of recurrences (3, k) against a column of n (6, 1): a (6, 3) result."""
    vals = [([1, 1], [0, 1]), ([1, 2], [0, 1]), ([-1, 3], [2, 1])]
    cs = [[ring.make(Fr(x)) for x in c] for c, _ in vals]
    inits = [[ring.make(Fr(x)) for x in i] for _, i in vals]
    ns = np.arange(6)[:, None] * 7
    got = lucas.term(obj(cs), obj(inits), ns)
    assert got.shape == (6, 3) and got.dtype == object
    for r in range(3):
        want = ref_ring_seq(cs[r], inits[r], 0, 36)
        scale = abs_scale(ring, cs[r], inits[r], 0, 36)
        for j in range(6):
            n = int(ns[j, 0])
            check(ring, got[j, r], want[n], scale[n], (r, n))
    # out= and a non-contiguous coefficient view
    out = np.empty((6, 3), dtype=object)
    res = lucas.term(obj(cs)[:, ::1], obj(inits), ns, out=out)
    assert res is out and all(out[j, r] == got[j, r] for j in range(6) for r in range(3))


@pytest.mark.parametrize("method", lucas.METHODS)
@pytest.mark.parametrize("ring_id", ["Fraction", "mpz", "nmod-prime", "sympy-Rational"])
def test_every_method(method: str, ring_id: str) -> None:
    """term_ufunc(method) for each method computes over the ring too (forward and back)."""
    ring = next(r for r in RINGS if r.id == ring_id)
    for cv, iv in recs(ring)[2:]:
        c, i = elements(ring, cv, iv)
        ok, div = backwards(ring, c, i)
        ns = [0, 1, 7, 64, 301] + ([-1, -9, -40] if ok else [])
        want = ref_ring_seq(c, i, min(ns), max(ns) - min(ns) + 1, div)
        got = lucas.term_ufunc(method)(obj(c), obj(i), np.array(ns))
        for n, g in zip(ns, got):
            check(ring, g, want[n - min(ns)], None, (method, cv, n))


@pytest.mark.parametrize("ring_id", ["Fraction", "mpz", "nmod-prime"])
def test_large_order(ring_id: str) -> None:
    """k = 40: the general (not order-2) path, scattered and consecutive n, and backwards."""
    ring = next(r for r in RINGS if r.id == ring_id)
    rng = np.random.default_rng(40)
    cv = [Fr(1)] + [Fr(int(x)) for x in rng.integers(-3, 4, 39)]
    iv = [Fr(int(x)) for x in rng.integers(-9, 10, 40)]
    c, i = elements(ring, cv, iv)
    ns = [-45, -1, 0, 39, 40, 41, 150, *range(60, 70)]
    want = ref_ring_seq(c, i, -45, 196, backwards(ring, c, i)[1])
    got = lucas.term(obj(c), obj(i), np.array(ns))
    for n, g in zip(ns, got):
        check(ring, g, want[n + 45], None, n)
    seq = lucas.sequence(obj(c), obj(i), 20, start=-10)
    assert list(seq) == want[35:55]


@pytest.mark.parametrize("ring_id", ["nmod-prime", "nmod-composite", "fmpz_mod"])
def test_huge_n_over_residue_rings(ring_id: str) -> None:
    """Residue-ring elements stay small, so any n works (n beyond int64 in an object array):
    the same residues as term_mod over Python ints."""
    ring = next(r for r in RINGS if r.id == ring_id)
    m = {"nmod-prime": P_NMOD, "nmod-composite": M_NMOD, "fmpz_mod": P_FMPZ_MOD}[ring_id]
    ns = [2**63 + 5, 2**200 + 1, 10**30, -(2**70)]
    for cv, iv in INT_RECS:
        c, i = elements(ring, [Fr(x) for x in cv], [Fr(x) for x in iv])
        use = [n for n in ns if n >= 0 or backwards(ring, c, i)[0]]
        got = lucas.term(obj(c), obj(i), np.array(use, dtype=object))
        want = lucas.term_mod(obj(cv), obj(iv), np.array(use, dtype=object), m)
        assert [int(g) for g in got] == list(want), (cv, ring_id)
        assert all(type(g) is type(c[0]) for g in got)


def test_issue_example_fraction() -> None:
    c = obj([Fr(1, 2), Fr(1, 3)])
    i = obj([Fr(0), Fr(1)])
    got = lucas.term(c, i, 10)
    assert type(got) is Fraction
    assert got == ref_ring(list(c), list(i), 10)
    # lists of Fractions become object arrays (NumPy) and take the same path
    assert lucas.term([Fr(1, 2), Fr(1, 3)], [Fr(0), Fr(1)], 10) == got


fractions = st.fractions(min_value=-5, max_value=5, max_denominator=7)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 4).flatmap(lambda k: st.tuples(*[st.tuples(fractions, fractions)] * k)),
    st.lists(st.integers(-25, 80), min_size=1, max_size=6),
)
def test_random_fraction_recurrences(
    pairs: tuple[tuple[Fraction, Fraction], ...], ns: list[int]
) -> None:
    c, i = [p[0] for p in pairs], [p[1] for p in pairs]
    lo = min(min(ns), 0)
    if lo < 0 and c[0] == 0:
        with pytest.raises(ValueError, match=r"backwards"):
            lucas.term(obj(c), obj(i), np.array(ns))
        return
    got = lucas.term(obj(c), obj(i), np.array(ns))
    want = ref_ring_seq(c, i, lo, max(ns) - lo + 1)
    assert list(got) == [want[n - lo] for n in ns]
    assert all(type(g) is Fraction for g in got)


@pytest.mark.parametrize("inf", [float("inf"), Decimal("Infinity")], ids=["float", "Decimal"])
def test_inexact_infinities(inf: Any) -> None:
    """An infinite initial value is a value like any other: a[n] = init[n] for n < k, and the
    recurrence's own value (IEEE: inf) beyond, as stepping gives; no nan from 0 * inf, no
    InvalidOperation from Decimal's."""
    one, zero = type(inf)(1), type(inf)(0)
    for c, i in (([one, one], [zero, inf]), ([one, one, one], [zero, one, inf])):
        want = ref_ring_seq(c, i, 0, 12)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's check of the FP flags
            got = lucas.term(obj(c), obj(i), np.arange(12))
            seq = lucas.sequence(obj(c), obj(i), 12)
        assert list(got) == want, (c, i)
        assert list(seq) == want, (c, i)


# ---------------------------------------------------------------------------------------------
# classical Lucas sequences over rings: U_0 = 0, U_1 = 1, V_0 = 2, V_1 = P,
# X[n+2] = P X[n+1] - Q X[n]

LUCAS_RINGS = [r for r in RINGS if r.id in ("Fraction", "mpz", "fmpq", "nmod-prime", "float")]


@pytest.mark.parametrize("ring", LUCAS_RINGS, ids=lambda r: r.id)
def test_lucas_u_v(ring: Ring) -> None:
    pq = [(Fr(1), Fr(-1)), (Fr(3), Fr(2))]
    if ring.kind != "int":
        pq += [(Fr(1, 2), Fr(-1, 3)), (Fr(-2, 5), Fr(7))]
    for pv, qv in pq:
        P, Q = ring.make(pv), ring.make(qv)
        c = [-Q, P]
        ok, div = backwards(ring, [c[0]], [P])
        lo = -12 if ok else 0
        ns = np.arange(lo, 60)
        one = P * 0 + 1  # the ring's 0 and 1 (an int 0 * P is the ring's zero too)
        for func, init in ((lucas.lucas_u, [one - one, one]), (lucas.lucas_v, [one + one, P])):
            want = ref_ring_seq(c, init, lo, 60 - lo, div)
            scale = abs_scale(ring, c, init, 0, 60)
            got = func(obj([P]), obj([Q]), ns)
            for n, g in zip(ns.tolist(), got):
                s = None if ring.exact else scale[max(n, 0)] if n >= 0 else abs(want[n - lo])
                check(ring, g, want[n - lo], s, (func.__name__, pv, qv, n))
        if not ok:
            with pytest.raises(ValueError, match=r"backwards|Q"):
                lucas.lucas_u(obj([P]), obj([Q]), -1)


# ---------------------------------------------------------------------------------------------
# negative n

NEG_N = [-1, -2, -3, -5, -17, -60]


@pytest.mark.parametrize("ring", FIELDS, ids=lambda r: r.id)
def test_negative_n_fields(ring: Ring) -> None:
    for cv, iv in recs(ring):
        c, i = elements(ring, cv, iv)
        ok, div = backwards(ring, c, i)
        if not ok:  # SymPy: integer values are Integers, a ring
            with pytest.raises(ValueError, match=r"backwards.*c\[0\]"):
                lucas.term(obj(c), obj(i), -1)
            continue
        want = ref_ring_seq(c, i, min(NEG_N), -min(NEG_N), div)
        scale = abs_scale(ring, c, i, min(NEG_N), -min(NEG_N))
        got = lucas.term(obj(c), obj(i), np.array(NEG_N))
        for n, g in zip(NEG_N, got):
            check(ring, g, want[n - min(NEG_N)], scale[n - min(NEG_N)], (cv, n))


@pytest.mark.parametrize("ring", INTEGERS, ids=lambda r: r.id)
def test_negative_n_integers(ring: Ring) -> None:
    for cv, iv in INT_RECS:
        c, i = elements(ring, [Fr(x) for x in cv], [Fr(x) for x in iv])
        if cv[0] in (1, -1):
            want = ref_ring_seq(c, i, -60, 60, unit_div)
            for n in NEG_N:
                check(ring, lucas.term(obj(c), obj(i), n), want[n + 60], None, (cv, n))
        else:
            with pytest.raises(ValueError, match=r"backwards.*c\[0\] is 1 or -1") as e:
                lucas.term(obj(c), obj(i), -1)
            assert "a[-1]" in str(e.value)


def test_negative_n_units_of_a_composite_modulus() -> None:
    """nmod modulo 10**6: a unit c[0] (3, -1) runs backwards, a zero divisor (2) does not."""
    ring = next(r for r in RINGS if r.id == "nmod-composite")
    for cv in ([3, 1], [-1, 5, 2], [7, 0, 1]):
        c, i = elements(ring, [Fr(x) for x in cv], [Fr(x + 1) for x in range(len(cv))])
        want = ref_ring_seq(c, i, -30, 30)
        got = lucas.term(obj(c), obj(i), np.arange(-30, 0))
        for n, g in zip(range(-30, 0), got):
            check(ring, g, want[n + 30], None, (cv, n))
    c, i = elements(ring, [Fr(2), Fr(1)], [Fr(0), Fr(1)])
    with pytest.raises(ValueError, match=r"backwards.*c\[0\].*invertible"):
        lucas.term(obj(c), obj(i), -1)
    assert lucas.term(obj(c), obj(i), 5) == ref_ring(c, i, 5)  # forward is fine


@pytest.mark.parametrize("ring", FIELDS, ids=lambda r: r.id)
def test_negative_n_zero_c0_in_a_field(ring: Ring) -> None:
    c, i = elements(ring, [Fr(0), Fr(1, 2)], [Fr(1), Fr(2)])
    with pytest.raises(ValueError, match=r"backwards.*c\[0\]"):
        lucas.term(obj(c), obj(i), -1)
    with pytest.raises(ValueError, match=r"backwards"):
        lucas.term(obj(c), obj(i), np.array([3, -4]))
    # forward from a zero c[0] is fine
    assert lucas.term(obj(c), obj(i), 4) == ref_ring(c, i, 4)


# ---------------------------------------------------------------------------------------------
# mixed element types: Python's operator rules


def test_mixed_int_and_fraction_gives_fraction() -> None:
    c, i = [1, 1], [Fr(0), Fr(1, 2)]
    want = ref_ring_seq(c, i, -10, 60)
    for n in [*range(2, 50), -1, -10]:
        got = lucas.term(obj(c), obj(i), n)
        assert got == want[n + 10] and type(got) is Fraction, n
    c, i = [Fr(1, 2), 1], [0, 1]  # Fraction coefs over int init
    got = lucas.term(obj(c), obj(i), 20)
    assert got == ref_ring(c, i, 20) and type(got) is Fraction


def test_mixed_int_and_mpz_gives_mpz() -> None:
    gmpy2 = _gmpy2()
    for c, i in (([1, 1], [gmpy2.mpz(0), gmpy2.mpz(1)]), ([gmpy2.mpz(1), 1], [0, 1])):
        for n in (2, 10, 500, -7):
            got = lucas.term(obj(c), obj(i), n)
            assert got == ref_ring(c, i, n, unit_div), n
            assert type(got) is type(gmpy2.mpz(0)), (n, type(got))


def test_mixed_int_and_float_gives_float() -> None:
    got = lucas.term(obj([1, 1]), obj([0, 1.0]), 50)
    assert type(got) is float and got == ref_ring([1, 1], [0, 1.0], 50)  # exact below 2**53


def test_mixed_types_without_an_operator_raise_typeerror() -> None:
    # Decimal + Fraction is a TypeError in Python: so it is here
    with pytest.raises(TypeError):
        lucas.term(obj([Decimal(1), Decimal(1)]), obj([Fr(0), Fr(1)]), 10)


def test_numpy_integers_and_bools_stay_on_the_int_path() -> None:
    c = obj([np.int64(1), np.int64(1)])
    i = obj([np.int64(0), True])
    got = lucas.term(c, i, 200)
    assert type(got) is int and got == ref_step([1, 1], [0, 1], 200)


# ---------------------------------------------------------------------------------------------
# term_mod: integer-like elements are read as Python ints; other rings are refused

INT_LIKE = [r for r in INTEGERS if r.id != "int"]


@pytest.mark.parametrize("ring", INT_LIKE, ids=lambda r: r.id)
def test_term_mod_integer_like_elements(ring: Ring) -> None:
    for cv, iv in INT_RECS:
        c, i = elements(ring, [Fr(x) for x in cv], [Fr(x) for x in iv])
        for m in (7, 10**9 + 7, 2**64 + 13, 2**89 - 1):
            ns = [0, 1, 5, 100, 10**18, -3] if cv[0] in (1, -1) else [0, 5, 100, 10**18]
            got = lucas.term_mod(obj(c), obj(i), np.array(ns, dtype=object), m)
            for n, g in zip(ns, got):
                # residues are Python ints, as from Python-int elements
                assert type(g) is int and g == ref_matrix(cv, iv, n, m), (cv, m, n)
    # a modulus given as the ring's element works too
    c, i = elements(ring, [Fr(1), Fr(1)], [Fr(0), Fr(1)])
    assert lucas.term_mod(obj(c), obj(i), 100, obj([ring.make(Fr(97))])) == ref_step(
        [1, 1], [0, 1], 100, 97
    )


@pytest.mark.parametrize("ring_id", ["Fraction", "nmod-prime", "float", "sympy-Rational"])
def test_term_mod_refuses_other_rings(ring_id: str) -> None:
    ring = next(r for r in RINGS if r.id == ring_id)
    c, i = elements(ring, [Fr(1), Fr(1, 2)], [Fr(0), Fr(1)])
    with pytest.raises(TypeError, match=r"integers in object arrays"):
        lucas.term_mod(obj(c), obj(i), 5, 7)
    with pytest.raises(TypeError):
        lucas.sequence(obj(c), obj(i), 5, mod=7)
    with pytest.raises(TypeError):
        lucas.LucasIter(obj(c), obj(i), mod=7)


def test_sequence_and_iter_mod_with_mpz() -> None:
    gmpy2 = _gmpy2()
    c, i = [gmpy2.mpz(1), gmpy2.mpz(1)], [gmpy2.mpz(0), gmpy2.mpz(1)]
    m = 2**89 - 1
    want = [ref_step([1, 1], [0, 1], n, m) for n in range(40, 60)]
    assert list(lucas.sequence(obj(c), obj(i), 20, start=40, mod=m)) == want
    it = lucas.LucasIter(obj(c), obj(i), mod=m)
    it.advance(40)
    assert [next(it) for _ in range(20)] == want


# ---------------------------------------------------------------------------------------------
# sequence


@by_ring
def test_sequence(ring: Ring) -> None:
    for cv, iv in recs(ring)[::2]:
        c, i = elements(ring, cv, iv)
        ok, div = backwards(ring, c, i)
        for start in [0, 3, 300, -40]:
            if start < 0 and not ok:
                with pytest.raises(ValueError, match=r"backwards"):
                    lucas.sequence(obj(c), obj(i), 25, start=start, dtype=object)
                continue
            want = ref_ring_seq(c, i, start, 25, div)
            scale = abs_scale(ring, c, i, start, 25)
            got = lucas.sequence(obj(c), obj(i), 25, start=start, dtype=object)
            assert got.dtype == object and got.shape == (25,)
            if start < 0 and not ring.exact:
                # sequence steps forward from a[start]: where the terms shrink forward, the
                # rounding errors of the first terms dominate (as in float64); no bound
                assert all(type(g) is type(w) for g, w in zip(got, want))
                continue
            for j, g in enumerate(got):
                check(ring, g, want[j], scale[j], (cv, start + j))
    # lists work as well, and give object results by default
    c, i = elements(ring, [Fr(1), Fr(1)], [Fr(0), Fr(1)])
    got = lucas.sequence(c, i, 10)
    if ring.id in ("int", "float"):  # plain Python numbers keep their int64/float64 modes
        assert got.dtype != object
    else:
        assert got.dtype == object
        assert list(got) == ref_ring_seq(c, i, 0, 10)


def test_sequence_refuses_numeric_dtypes_for_other_rings() -> None:
    for dtype in (np.int64, np.float64):
        with pytest.raises(TypeError):
            lucas.sequence([Fr(1), Fr(1)], [Fr(0), Fr(1)], 5, dtype=dtype)


def test_sequence_backwards_over_integers_refused() -> None:
    gmpy2 = _gmpy2()
    c, i = obj([gmpy2.mpz(2), gmpy2.mpz(1)]), obj([gmpy2.mpz(0), gmpy2.mpz(1)])
    with pytest.raises(ValueError, match=r"backwards"):
        lucas.sequence(c, i, 5, start=-3, dtype=object)


# ---------------------------------------------------------------------------------------------
# LucasIter

ITER_RINGS = [r for r in RINGS if r.id in ("Fraction", "mpz", "nmod-prime", "fmpq", "Decimal")]


def _picklable(x: Any) -> bool:
    try:
        pickle.dumps(x)
    except (TypeError, pickle.PicklingError):
        return False
    return True


@pytest.mark.parametrize("ring", ITER_RINGS, ids=lambda r: r.id)
def test_lucas_iter(ring: Ring) -> None:
    cv, iv = recs(ring)[-1] if ring.kind != "int" else ([Fr(2), Fr(-1), Fr(3)], [Fr(1)] * 3)
    c, i = elements(ring, cv, iv)
    k = len(c)
    want = ref_ring_seq(c, i, 0, 260)
    scale = abs_scale(ring, c, i, 0, 260)
    it = lucas.LucasIter(c, i)
    for n in range(30):
        check(ring, next(it), want[n], scale[n], n)
    it.advance(100)
    assert it.position == 130
    for j, s in enumerate(it.state):
        check(ring, s, want[130 + j], scale[130 + j], ("state", j))
    assert len(it.state) == k
    text = repr(it)
    assert text.startswith("LucasIter(") and text.endswith("at n=130")
    assert repr(c[0]) in text
    # a copy runs on its own
    twin = copy.copy(it)
    for n in range(130, 140):
        check(ring, next(twin), want[n], scale[n], ("copy", n))
    assert it.position == 130
    # pickles when its elements do (else the elements' own pickling error)
    if _picklable(c[0]):
        back = pickle.loads(pickle.dumps(it))
        assert back.position == 130
        for n in range(130, 140):
            check(ring, next(back), want[n], scale[n], ("pickle", n))
    else:
        with pytest.raises((TypeError, pickle.PicklingError)):
            pickle.dumps(it)
    for n in range(130, 260):
        check(ring, next(it), want[n], scale[n], n)


def test_lucas_iter_object_array_of_mpz_yields_mpz() -> None:
    gmpy2 = _gmpy2()
    c = obj([gmpy2.mpz(1), gmpy2.mpz(1)])
    it = lucas.LucasIter(c, obj([gmpy2.mpz(0), gmpy2.mpz(1)]))
    it.advance(1000)
    got = next(it)
    assert type(got) is type(gmpy2.mpz(0)) and got == ref_step([1, 1], [0, 1], 1000)
