"""int64 / uint64 exactness: OverflowError only when the true value does not fit.

When an intermediate overflows, a[n] is decided by the certifier (src/core/rec/lr_certify.c):
it needs a magnitude bound, which comes from the recurrence the sequence actually satisfies
(its minimal polynomial) and is polynomial in n when every root is a root of unity.  These
tests run families where the value fits although the given recurrence grows (or where
intermediates overflow) against exact Python ints, and compare term (every method, scalar
and batches), sequence(start=n) and LucasIter.advance.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import fits_int64, ref_matrix, ref_step

import lucas

I64_MAX, U64_MAX = 2**63 - 1, 2**64 - 1
SETTINGS = settings(
    deadline=None, max_examples=60, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


# ---- polynomials (low degree first) -> seed-order coefficients ----------------------------


def pmul(*polys: list[int]) -> list[int]:
    out = [1]
    for p in polys:
        r = [0] * (len(out) + len(p) - 1)
        for i, a in enumerate(out):
            for j, b in enumerate(p):
                r[i + j] += a * b
        out = r
    return out


def coefs_of(p: list[int]) -> list[int]:
    """c with a[n+k] = sum(c[i] a[n+i]) for the monic characteristic polynomial p."""
    assert p[-1] == 1
    return [-v for v in p[:-1]]


def extend(c: list[int], init: list[int], length: int) -> list[int]:
    a = list(init)
    while len(a) < length:
        a.append(sum(ci * a[len(a) - len(c) + i] for i, ci in enumerate(c)))
    return a[:length]


X1, XP1, X = [-1, 1], [1, 1], [0, 1]  # x - 1, x + 1, x
PHI3, PHI4, PHI6 = [1, 1, 1], [1, 0, 1], [1, -1, 1]


def lin(r: int) -> list[int]:
    return [-r, 1]


def kernel_family(small: list[int], big: list[int], init_small: list[int]):
    """Recurrence small*big whose initial values come from small: big's roots never show."""
    c_small = coefs_of(small)
    c = coefs_of(pmul(small, big))
    init = extend(c_small, init_small, len(c))
    return c, init, (c_small, init_small)


# id -> (c, init, exact generator (c, init) with polynomial growth, runs backwards exactly)
FAMILIES: dict[str, tuple[list[int], list[int], tuple[list[int], list[int]], bool]] = {}


def _family(name: str, c: list[int], init: list[int], gen=None, backwards: bool = False) -> None:
    FAMILIES[name] = (c, init, gen or (c, init), backwards)


_family("linear", [-1, 2], [0, 1], backwards=True)  # a[n] = n
_family("cubic", [-1, 4, -6, 4], [0, 2, 16, 54], backwards=True)  # a[n] = 2 n^3
_family("constant-in-kernel", [1, -1, 1, 0], [1, 1, 1, 1], ([1], [1]))
_family("alternating-linear", coefs_of(pmul(XP1, XP1)), [0, 1], backwards=True)
_family("period-4", coefs_of(PHI4), [3, 5], backwards=True)
_family(
    "cyclotomic-product",
    coefs_of(pmul(PHI3, PHI4, PHI6, X1, X1)),
    [3, -1, 4, 1, -5, 9, 2, 6],
    backwards=True,
)
_family("quadratic-times-period-3", coefs_of(pmul(X1, X1, X1, PHI3)), [1, -2, 3, 5, 8])
_family("transient-zero-roots", [0, 0, -1, 2], [5, 7, 0, 1])  # x^2 (x-1)^2: a[n] = n - 2
_family("zero-root-kernel", [0, -3, 4], [9, 1, 1], ([0, 1], [9, 1]))  # 9, 1, 1, 1, ...
_family("kernel-(x-1)(x-3)", [-3, 4], [1, 1], ([1], [1]))
_family("kernel-big-roots", *kernel_family(pmul(X1, X1), pmul(lin(2), lin(-3)), [0, 1]))
_family(
    "kernel-pell-cubic", *kernel_family(pmul(X1, X1, X1, X1), [-1, -2, 1], [0, 2, 16, 54])
)  # x^2-2x-1: Pell

NS = [0, 1, 5, 63, 64, 93, 1000, 10**5, 10**9, 10**12, 10**18, 2**62, 2**63 - 1]
METHODS = list(lucas.METHODS)


def exact(name: str, n: int) -> int:
    """a[n] over Python ints, from the generator that grows polynomially (backwards: the
    family's own recurrence, used only where it has polynomial growth too)."""
    c, init, (cg, ig), _ = FAMILIES[name]
    return ref_matrix(c, init, n) if n < 0 else ref_matrix(cg, ig, n)


def run(f: Any, *args: Any, **kw: Any) -> tuple[str, Any]:
    try:
        return "ok", f(*args, **kw)
    except OverflowError as e:
        return "overflow", str(e)


@pytest.mark.parametrize("name", sorted(FAMILIES))
@pytest.mark.parametrize("method", METHODS)
def test_family_scalar(name: str, method: str) -> None:
    c, init, _, _ = FAMILIES[name]
    term = lucas.term_ufunc(method)
    for n in NS:
        want = exact(name, n)
        kind, got = run(term, c, init, n)
        if kind == "ok":
            assert int(got) == want, (name, n)
            assert got.dtype == np.int64
        else:
            assert not fits_int64(want), (name, n, got)
            assert "does not fit" in got


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_family_uint64_index_near_the_top(name: str) -> None:
    c, init, _, _ = FAMILIES[name]
    for n in (2**63, 2**63 + 12345, U64_MAX):
        want = exact(name, n)
        kind, got = run(lucas.term, c, init, np.uint64(n))
        assert (kind == "ok" and int(got) == want) or (kind == "overflow" and not fits_int64(want))


@pytest.mark.parametrize("name", sorted(n for n in FAMILIES if FAMILIES[n][3]))
@pytest.mark.parametrize("method", METHODS)
def test_family_backwards(name: str, method: str) -> None:
    c, init, _, _ = FAMILIES[name]
    for n in (-1, -7, -100, -(10**6), -(10**18), -(2**63)):
        want = ref_matrix(c, init, n)
        kind, got = run(lucas.term_ufunc(method), c, init, n)
        assert (kind == "ok" and int(got) == want) or (kind == "overflow" and not fits_int64(want))


@pytest.mark.parametrize("name", sorted(FAMILIES))
@pytest.mark.parametrize("n0", [0, 10**6, 10**15, 2**62])
def test_family_batches(name: str, n0: int) -> None:
    c, init, _, _ = FAMILIES[name]
    ns = np.arange(n0, n0 + 70, dtype=np.int64)
    shuffled = ns[::-1].copy()
    wants = [exact(name, int(n)) for n in ns]
    for method in METHODS:
        term = lucas.term_ufunc(method)
        for idx, w in ((ns, wants), (shuffled, wants[::-1])):
            kind, got = run(term, c, init, idx)
            if kind == "ok":
                assert [int(v) for v in got] == w
            else:
                assert not all(fits_int64(v) for v in w)


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_term_sequence_iter_agree(name: str) -> None:
    c, init, _, _ = FAMILIES[name]
    for n in (100, 10**6, 10**12, 10**18):
        want = exact(name, n)
        kind, got = run(lucas.term, c, init, n)
        skind, sgot = run(lucas.sequence, c, init, 1, start=n)
        if fits_int64(want):
            # beyond int64 LucasIter continues over Python ints with the given recurrence,
            # whose size estimate can refuse what the minimal polynomial would allow
            it = lucas.LucasIter(c, init)
            it.advance(n)
            assert next(it) == want
            assert kind == "ok" and int(got) == want
            assert skind == "ok" and int(sgot[0]) == want
        else:
            assert kind == "overflow" and skind == "overflow"


def test_the_reported_false_overflows() -> None:
    for method in METHODS:
        term = lucas.term_ufunc(method)
        assert term([-1, 4, -6, 4], [0, 2, 16, 54], 100000) == 2000000000000000
        assert term([-1, 2], [0, 1], 2**62) == 2**62
        assert term([-1, 2], [0, 1], np.uint64(I64_MAX)) == I64_MAX
        assert term([1, -1, 1, 0], [1, 1, 1, 1], 10**18) == 1
        batch = term([-1, 4, -6, 4], [0, 2, 16, 54], np.arange(100000, 100064))
        assert [int(v) for v in batch] == [2 * n**3 for n in range(100000, 100064)]


def test_int64_boundary_both_sides() -> None:
    # a[n] = n + 1 - 1: the top value fits, one more does not
    assert lucas.term([-1, 2], [0, 1], np.uint64(I64_MAX)) == I64_MAX
    with pytest.raises(OverflowError, match=r"a\[9223372036854775808\] does not fit in int64"):
        lucas.term([-1, 2], [0, 1], np.uint64(2**63))
    assert lucas.term([-1, 2], [1, 2], np.uint64(I64_MAX - 1)) == I64_MAX
    with pytest.raises(OverflowError, match=r"does not fit in int64"):
        lucas.term([-1, 2], [1, 2], np.uint64(I64_MAX))
    # a[n] = -n: -2**63 fits, one below does not
    assert lucas.term([-1, 2], [0, -1], np.uint64(2**63)) == -(2**63)
    with pytest.raises(OverflowError, match=r"does not fit in int64"):
        lucas.term([-1, 2], [0, -1], np.uint64(2**63 + 1))
    # backwards: a[n] = n reaches -2**63 at n = -2**63
    assert lucas.term([-1, 2], [0, 1], -(2**63)) == -(2**63)
    # F(92) fits, F(93) does not; F(-92) fits, F(-93) does not
    assert lucas.term([1, 1], [0, 1], 92) == 7540113804746346429
    assert lucas.term([1, 1], [0, 1], -92) == -7540113804746346429
    for n in (93, -93):
        with pytest.raises(OverflowError, match=r"does not fit in int64"):
            lucas.term([1, 1], [0, 1], n)


def test_degenerate_zero_class() -> None:
    # Re((1+i)^n): 0 for n = 2 mod 4 although the roots have modulus sqrt(2)
    c, init = [-2, 2], [1, 1]
    for n in (2, 6, 1002, 4002):
        assert lucas.term(c, init, n) == 0 == ref_matrix(c, init, n)
    assert lucas.term(c, init, 121) == ref_matrix(c, init, 121)
    with pytest.raises(OverflowError, match=r"a\[1000\] does not fit in int64"):
        lucas.term(c, init, 1000)
    # far out, the class n = 2 mod 4 is proven to vanish as a whole
    assert lucas.term(c, init, 10**18 + 2) == 0
    assert lucas.term(c, init, np.uint64(2**64 - 2)) == 0
    with pytest.raises(OverflowError, match=r"a\[1000000000000000001\] does not fit"):
        lucas.term(c, init, 10**18 + 1)
    # Im((1+i)^n) vanishes on n = 0 mod 4
    assert lucas.term([-2, 2], [0, 1], 10**18) == 0
    # the limitation that remains: a zero that is no whole residue class.  a[n] = 2^n (n - N)
    # is 0 at n = N only; its bound there (about N bits) is beyond the primes for N = 10^6
    N = 10**6
    c2, i2 = [-4, 4], [-N, 2 - 2 * N]
    assert lucas.term([-4, 4], [-1000, 2 - 2000], 1000) == 0
    with pytest.raises(OverflowError, match=r"could not prove that a\[1000000\] fits"):
        lucas.term(c2, i2, N)
    # sequence(start=) asks the same certifier, so it refuses the same index
    with pytest.raises(OverflowError, match=r"could not prove that a\[1000000\] fits"):
        lucas.sequence(c2, i2, 1, start=N)


# ---- uint64 ------------------------------------------------------------------------------


def u64(v: list[int]) -> np.ndarray:
    return np.array(v, dtype=np.uint64)


def test_uint64_exact() -> None:
    r = lucas.term(u64([1, 1]), u64([0, 1]), 80)
    assert r.dtype == np.uint64 and int(r) == 23416728348467685
    assert int(lucas.term(u64([1, 1]), u64([0, 1]), 93)) == ref_step([1, 1], [0, 1], 93)
    with pytest.raises(OverflowError, match=r"a\[94\] does not fit in uint64"):
        lucas.term(u64([1, 1]), u64([0, 1]), 94)
    batch = lucas.term(u64([1, 1]), u64([0, 1]), np.arange(80, 94))
    assert batch.dtype == np.uint64
    assert [int(v) for v in batch] == [ref_step([1, 1], [0, 1], n) for n in range(80, 94)]
    with pytest.raises(OverflowError, match=r"a\[94\] does not fit in uint64"):
        lucas.term(u64([1, 1]), u64([0, 1]), np.arange(80, 100))
    # backwards: a[-1] = 1 fits, a[-2] = -1 does not
    assert lucas.term(u64([1, 1]), u64([0, 1]), -1) == 1
    with pytest.raises(OverflowError, match=r"a\[-2\] does not fit in uint64"):
        lucas.term(u64([1, 1]), u64([0, 1]), -2)


@pytest.mark.parametrize("method", METHODS)
def test_uint64_inputs_beyond_int64(method: str) -> None:
    term = lucas.term_ufunc(method)
    c = [2**63 + 5, 1]
    for n in range(6):
        want = ref_step(c, [0, 1], n)
        kind, got = run(term, u64(c), u64([0, 1]), n)
        if 0 <= want <= U64_MAX:
            assert kind == "ok" and int(got) == want and got.dtype == np.uint64
        else:
            assert kind == "overflow" and "does not fit in uint64" in got
    # a huge init that stays: a[n] = a[n-1]
    assert int(term(u64([1]), u64([U64_MAX]), 10**18)) == U64_MAX


def test_mixed_signed_unsigned_is_int64() -> None:
    r = lucas.term(u64([1, 1]), np.array([0, 1]), 80)
    assert r.dtype == np.int64 and int(r) == 23416728348467685
    r = lucas.term(np.array([1, 1]), u64([0, 1]), np.uint64(80))
    assert r.dtype == np.int64 and int(r) == 23416728348467685
    with pytest.raises(OverflowError, match=r"coefs value 9223372036854775808 does not fit"):
        lucas.term(u64([2**63, 1]), np.array([0, 1]), 5)
    with pytest.raises(OverflowError, match=r"init value 18446744073709551615 .*dtype=object"):
        lucas.term(np.array([1, 1]), u64([0, U64_MAX]), 5)


# ---- every integer dtype lands on an integer loop ------------------------------------------

INT_DTYPES = [
    np.bool_,
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.uint8,
    np.uint16,
    np.uint32,
    np.uint64,
]


@pytest.mark.parametrize("dt", INT_DTYPES)
@pytest.mark.parametrize("ndt", INT_DTYPES[1:])
def test_term_integer_dtypes(dt: Any, ndt: Any) -> None:
    c, init = np.array([1, 1], dt), np.array([0, 1] if dt is not np.bool_ else [False, True], dt)
    n = np.array(40, ndt) if np.iinfo(ndt).max >= 40 else np.array(20, ndt)
    r = lucas.term(c, init, n)
    assert r.dtype.kind in "iu"
    assert int(r) == ref_step([1, 1], [0, 1], int(n))
    rm = lucas.term_mod(c, init, n, np.array(97, ndt))
    assert rm.dtype.kind in "iu"
    assert int(rm) == ref_step([1, 1], [0, 1], int(n)) % 97


@pytest.mark.parametrize("cdt", [np.int64, np.uint64])
@pytest.mark.parametrize("idt", [np.int64, np.uint64])
@pytest.mark.parametrize("ndt", [np.int64, np.uint64])
@pytest.mark.parametrize("mdt", [np.int64, np.uint64])
def test_term_mod_every_combination(cdt: Any, idt: Any, ndt: Any, mdt: Any) -> None:
    m = 2**63 - 25 if mdt is np.int64 else 2**64 - 59
    c = [2**63 + 7, 3] if cdt is np.uint64 else [-5, 3]
    init = [U64_MAX, 2] if idt is np.uint64 else [-7, 2]
    n = 10**18 + 3
    r = lucas.term_mod(np.array(c, cdt), np.array(init, idt), np.array(n, ndt), np.array(m, mdt))
    assert r.dtype == np.dtype(mdt)
    assert int(r) == ref_matrix(c, init, n, m)


@pytest.mark.parametrize("dt", INT_DTYPES)
def test_sequence_and_iter_integer_dtypes(dt: Any) -> None:
    init = [False, True] if dt is np.bool_ else [0, 1]
    s = lucas.sequence(np.array([1, 1], dt), np.array(init, dt), 30)
    assert s.dtype.kind in "iuO"
    assert [int(v) for v in s] == extend([1, 1], [0, 1], 30)
    it = lucas.LucasIter(np.array([1, 1], dt), np.array(init, dt))
    it.advance(100)
    assert next(it) == ref_step([1, 1], [0, 1], 100)


def test_sequence_uint64_beyond_int64_is_exact() -> None:
    s = lucas.sequence(u64([1, 1]), u64([0, 2**63 + 1]), 5)
    assert s.dtype.kind in "uO"
    assert [int(v) for v in s] == extend([1, 1], [0, 2**63 + 1], 5)


# ---- properties --------------------------------------------------------------------------


@st.composite
def small_recurrences(draw: Any) -> tuple[list[int], list[int]]:
    k = draw(st.integers(1, 4))
    c = draw(st.lists(st.integers(-3, 3), min_size=k, max_size=k))
    init = draw(st.lists(st.integers(-5, 5), min_size=k, max_size=k))
    return c, init


@SETTINGS
@given(small_recurrences(), st.integers(0, 400), st.sampled_from(METHODS))
def test_property_exact_or_true_overflow(rec: Any, n: int, method: str) -> None:
    c, init = rec
    want = ref_step(c, init, n)
    kind, got = run(lucas.term_ufunc(method), c, init, n)
    if kind == "ok":
        assert int(got) == want
    else:
        assert not fits_int64(want), (c, init, n, got)


SMALL_FACTORS = [X1, XP1, PHI3, PHI4, PHI6, X]
BIG_FACTORS = [lin(2), lin(-2), lin(3), [-1, -1, 1], [1, -3, 1]]


@SETTINGS
@given(
    st.lists(st.sampled_from(SMALL_FACTORS), min_size=1, max_size=3),
    st.lists(st.sampled_from(BIG_FACTORS), min_size=1, max_size=2),
    st.lists(st.integers(-6, 6), min_size=6, max_size=6),
    st.one_of(st.integers(0, 2000), st.integers(0, I64_MAX)),
)
def test_property_big_roots_avoided(small: Any, big: Any, seed: Any, n: int) -> None:
    g = pmul(*small)
    cg = coefs_of(g)
    ig = seed[: len(cg)]
    c, init, _ = kernel_family(g, pmul(*big), ig)
    want = ref_matrix(cg, ig, n) if len(cg) else 0
    kind, got = run(lucas.term, c, init, n)
    if kind == "ok":
        assert int(got) == want
    else:
        assert not fits_int64(want), (c, init, n, got)


# ---- order 0: the zero sequence -------------------------------------------------------------


@pytest.mark.parametrize("dt", [np.int64, np.uint64, np.float64, np.int8, object])
@pytest.mark.parametrize("method", METHODS)
def test_order_zero_is_the_zero_sequence(dt: Any, method: str) -> None:
    empty = np.zeros(0, dtype=dt)
    ns = [0, 1, 10**18] + ([-5, -(2**63)] if dt is not np.uint64 else [2**64 - 1])
    nsa = np.array(ns, dtype=object if dt is object else (np.uint64 if dt is np.uint64 else None))
    r = lucas.term_ufunc(method)(empty, empty, nsa)
    assert r.shape == (len(ns),) and all(v == 0 for v in r)
    if dt is not np.float64:
        assert r.dtype == (
            np.dtype(object)
            if dt is object
            else np.dtype(np.uint64 if dt is np.uint64 else np.int64)
        )
    rm = lucas.term_mod_ufunc(method)(empty, empty, nsa, 7)
    assert all(v == 0 for v in rm)
    with pytest.raises(ValueError, match="modulus m must be positive"):
        lucas.term_mod_ufunc(method)(empty, empty, 3, 0)


def test_order_zero_lists() -> None:
    assert lucas.term([], [], 5) == 0
    assert lucas.term_mod([], [], -5, 7) == 0
    with pytest.raises(TypeError, match="not supported for the input types"):
        lucas.term_mod([1.5, 1.0], [0, 1], 5, 7)


# ---- classic ufuncs: every integer dtype gives an exact integer (or bool) result -----------


def ref_u(P: int, Q: int, n: int) -> int:
    return ref_step([-Q, P], [0, 1], n)


def ref_v(P: int, Q: int, n: int) -> int:
    return ref_step([-Q, P], [2, P], n)


@pytest.mark.parametrize("dt", INT_DTYPES)
def test_classic_integer_dtypes(dt: Any) -> None:
    n = np.array(True if dt is np.bool_ else 20, dt)
    nv = int(n)
    for f, want in ((lucas.fibonacci, ref_u(1, -1, nv)), (lucas.lucas_number, ref_v(1, -1, nv))):
        r = f(n)
        assert r.dtype.kind in "iu" and int(r) == want
    P, Q = np.array(True if dt is np.bool_ else 3, dt), np.array(True if dt is np.bool_ else 2, dt)
    p, q = int(P), int(Q)
    for f, ref in ((lucas.lucas_u, ref_u), (lucas.lucas_v, ref_v)):
        r = f(P, Q, n)
        assert r.dtype.kind in "iu" and int(r) == ref(p, q, nv)
    m = np.array(True if dt is np.bool_ else 101, dt)
    u, v = lucas.lucas_uv_mod(P, Q, n, m)
    assert u.dtype.kind in "iu" and v.dtype.kind in "iu"
    assert (int(u), int(v)) == (ref_u(p, q, nv) % int(m), ref_v(p, q, nv) % int(m))
    x = np.array(True if dt is np.bool_ else 97, dt)
    assert lucas.is_prime(x) == (int(x) == 97)
    assert lucas.is_strong_lucas_prp(x) == (int(x) == 97)


def test_classic_uint64_parameters() -> None:
    r = lucas.lucas_u(np.uint64(3), np.uint64(2), 40)
    assert r.dtype == np.int64 and int(r) == ref_u(3, 2, 40) == 2**40 - 1
    r = lucas.lucas_v(np.uint64(3), np.int64(-2), np.uint64(30))
    assert r.dtype == np.int64 and int(r) == ref_v(3, -2, 30)
    with pytest.raises(OverflowError, match=r"lucas_u: P value 9223372036854775808 does not fit"):
        lucas.lucas_u(np.uint64(2**63), 1, 5)
    # residues: uint64 P and Q of any size are exact
    P, Q, n, m = 2**64 - 3, 2**63 + 11, 10**18 + 7, 2**64 - 59
    for pt, qt in ((np.uint64, np.uint64), (np.uint64, np.int64), (np.int64, np.uint64)):
        p = P if pt is np.uint64 else -5
        q = Q if qt is np.uint64 else 7
        u, v = lucas.lucas_uv_mod(pt(p), qt(q), np.uint64(n), np.uint64(m))
        assert u.dtype == np.uint64
        assert int(u) == ref_matrix([-q, p], [0, 1], n, m)
        assert int(v) == ref_matrix([-q, p], [2, p], n, m)
