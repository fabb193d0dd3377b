"""term / term_mod: values, dtypes, methods, broadcasting and NumPy ufunc features."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import INT64_MAX, INT64_MIN, fits_int64, ref_matrix, ref_step

import lucas

METHODS = lucas.METHODS
FIB = ([1, 1], [0, 1])
PELL = ([1, 2], [0, 1])
TRIB = ([1, 1, 1], [0, 0, 1])


def fib(n: int) -> int:
    return ref_step(*FIB, n)


# ---------------------------------------------------------------------------------------------
# the examples of the issue and README


def test_issue_examples() -> None:
    assert lucas.term([1, 1], [0, 1], 90) == 2880067194370816120
    assert lucas.term([1, 1], [0, 1], 90).dtype == np.int64
    with pytest.raises(OverflowError, match=r"a\[93\]"):
        lucas.term([1, 1], [0, 1], 93)
    big = lucas.term(np.array([1, 1], object), np.array([0, 1], object), 1000)
    assert isinstance(big, int) and big == fib(1000)
    assert lucas.term_mod([1, 1], [0, 1], 10**18, 2**61 - 1) == ref_matrix(
        [1, 1], [0, 1], 10**18, 2**61 - 1
    )
    pell = lucas.term([1, 2], [0, 1], np.arange(10))
    assert pell.dtype == np.int64
    assert pell.tolist() == [ref_step(*PELL, n) for n in range(10)]


def test_ufunc_identity() -> None:
    assert isinstance(lucas.term, np.ufunc)
    assert isinstance(lucas.term_mod, np.ufunc)
    assert lucas.term.signature == "(k),(k),()->()"
    assert lucas.term_mod.signature == "(k),(k),(),()->()"
    assert lucas.term.nin == 3 and lucas.term_mod.nin == 4


# ---------------------------------------------------------------------------------------------
# int64: exact or OverflowError, never a false one


@pytest.mark.parametrize("method", METHODS)
def test_fibonacci_int64_boundary(method: str) -> None:
    term = lucas.term_ufunc(method)
    ns = np.arange(0, 93)
    assert term(*FIB, ns).tolist() == [fib(n) for n in ns]
    for n in (93, 94, 200, 10**6, 2**62, INT64_MAX):
        with pytest.raises(OverflowError, match=rf"a\[{n}\] does not fit in int64"):
            term(*FIB, n)
    # backwards: F(-n) = (-1)^(n+1) F(n); F(-92) fits, F(-93) does not
    neg = np.arange(-92, 0)
    assert term(*FIB, neg).tolist() == [fib(int(n)) for n in neg]
    with pytest.raises(OverflowError, match=r"a\[-93\]"):
        term(*FIB, -93)


@pytest.mark.parametrize("method", METHODS)
def test_no_false_overflow_on_cancellation(method: str) -> None:
    # a[n] = Re((1+i)^n)-like: huge neighbours, exact zeros at n = 2 mod 4
    c, init = [-2, 2], [1, 1]
    term = lucas.term_ufunc(method)
    for n in (202, 406, 1002, 3002, 20002):  # 20002: beyond the 128-prime table
        assert ref_step(c, init, n) == 0
        assert term(c, init, n) == 0
    with pytest.raises(OverflowError):
        term(c, init, 201)


def test_int64_extremes() -> None:
    # values at the int64 limits themselves
    assert lucas.term([1], [INT64_MAX], 5) == INT64_MAX
    assert lucas.term([1], [INT64_MIN], 5) == INT64_MIN
    assert lucas.term([-1], [INT64_MAX], 5) == -INT64_MAX
    with pytest.raises(OverflowError):
        lucas.term([-1], [INT64_MIN], 1)  # -INT64_MIN does not fit
    assert lucas.term([-1], [INT64_MIN], 2) == INT64_MIN  # even though a[1] does not
    assert lucas.term([2], [1], 62) == 2**62
    with pytest.raises(OverflowError):
        lucas.term([2], [1], 63)
    assert lucas.term([-2], [1], 63) == -(2**63)
    # huge coefficients, tiny result: a[2] = c0*a0 + c1*a1 cancels exactly
    c = [INT64_MAX, INT64_MIN + 1]
    assert lucas.term(c, [1, 1], 2) == 0


@settings(max_examples=150, deadline=None)
@given(
    k=st.integers(1, 5),
    data=st.data(),
)
def test_int64_matches_reference(k: int, data: st.DataObject) -> None:
    c = data.draw(st.lists(st.integers(-3, 3), min_size=k, max_size=k))
    init = data.draw(st.lists(st.integers(-(10**6), 10**6), min_size=k, max_size=k))
    n = data.draw(st.integers(0, 160))
    exact = ref_step(c, init, n)
    for method in METHODS:
        term = lucas.term_ufunc(method)
        if fits_int64(exact):
            assert term(c, init, n) == exact
        else:
            with pytest.raises(OverflowError):
                term(c, init, n)


# ---------------------------------------------------------------------------------------------
# float64 and object loops


@pytest.mark.parametrize("method", METHODS)
def test_float64(method: str) -> None:
    term = lucas.term_ufunc(method)
    got = term([1.0, 1.0], [0.0, 1.0], np.arange(80))
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, [float(fib(n)) for n in range(80)], rtol=1e-14)
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isinf(term([1.0, 1.0], [0.0, 1.0], 2000))
        assert np.isnan(term([1.0, 1.0], [np.nan, 1.0], 10))
    # backwards with a non-unit c[0]: a[n+1] = 2 a[n]  ->  a[-3] = a[0]/8
    assert term([2.0], [1.0], -3) == 0.125
    with pytest.raises(ValueError, match="backwards"):
        term([0.0, 1.0], [1.0, 1.0], -1)


def test_float64_large_k_blas_path() -> None:
    # k = 80 >= the BLAS threshold: matrix (dgemm) and poly agree with exact rationals
    k = 80
    rng = np.random.default_rng(7)
    c = rng.random(k)
    c /= c.sum()  # a stochastic averaging recurrence stays bounded
    init = rng.random(k)
    n = 5000
    a = lucas.term_ufunc("matrix")(c, init, n)
    b = lucas.term_ufunc("poly")(c, init, n)
    assert abs(a - b) <= 1e-9 * abs(b)
    # and both equal plain float stepping (which is numerically benign here)
    seq = list(init)
    for _ in range(n - k + 1):
        seq.append(sum(ci * seq[len(seq) - k + i] for i, ci in enumerate(c)))
    assert abs(b - seq[n]) <= 1e-9 * abs(seq[n])


@pytest.mark.parametrize("method", METHODS)
def test_object_exact(method: str) -> None:
    term = lucas.term_ufunc(method)
    c = np.array([1, 1], dtype=object)
    i = np.array([0, 1], dtype=object)
    for n in (0, 1, 93, 500, 2**10 + 3):
        v = term(c, i, n)
        assert type(v) is int and v == fib(n)
    assert term(c, i, -501) == fib(-501)
    big_c = np.array([10**30, -(10**25), 3], dtype=object)
    big_i = np.array([2**100, -5, 7], dtype=object)
    assert term(big_c, big_i, 40) == ref_step(list(big_c), list(big_i), 40)
    # an index array too large for int64 is an object array: it selects the object loop
    # (a bare Python int is "weak" under NEP 50 and must fit the other operands' dtype)
    assert lucas.term_mod([1, 1], [0, 1], np.array(2**80), 10**9 + 7) == ref_matrix(
        [1, 1], [0, 1], 2**80, 10**9 + 7
    )
    assert lucas.term_mod([1, 1], [0, 1], 10**18, np.array(2**64 - 1)) == ref_matrix(
        [1, 1], [0, 1], 10**18, 2**64 - 1
    )


# ---------------------------------------------------------------------------------------------
# term_mod

MODULI = [
    1,
    2,
    3,
    10,
    97,
    1000,
    2**31 - 1,
    10**9 + 7,
    2**32,
    2**61 - 1,
    2**62,
    2**63 - 25,
    2**63 - 1,
]
UMODULI = [2**63, 2**63 + 1, 2**64 - 59, 2**64 - 1, 2**64 - 2]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("m", MODULI)
def test_term_mod_int64(method: str, m: int) -> None:
    tm = lucas.term_mod_ufunc(method)
    c, init = [3, -7, 2], [-5, 11, 2**40]
    for n in (0, 2, 3, 17, 1000, 10**18, INT64_MAX):
        got = tm(c, init, n, m)
        assert got.dtype == np.int64
        assert got == ref_matrix(c, init, n, m)
    assert tm(*FIB, -100, m) == fib(-100) % m


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("m", UMODULI)
def test_term_mod_uint64(method: str, m: int) -> None:
    tm = lucas.term_mod_ufunc(method)
    c, init = [3, -7, 2], [-5, 11, 2**40]
    for n in (0, 5, 10**18, INT64_MAX):
        got = tm(c, init, n, np.uint64(m))
        assert got.dtype == np.uint64
        assert int(got) == ref_matrix(c, init, n, m)
    # uint64 coefficients and indices beyond int64
    cu = np.array([2**64 - 1, 5], dtype=np.uint64)
    iu = np.array([1, 2**63 + 7], dtype=np.uint64)
    n = np.uint64(2**64 - 1)
    assert int(tm(cu, iu, n, np.uint64(m))) == ref_matrix(
        [2**64 - 1, 5], [1, 2**63 + 7], 2**64 - 1, m
    )


@pytest.mark.parametrize("method", METHODS)
def test_term_mod_object_any_size(method: str) -> None:
    tm = lucas.term_mod_ufunc(method)
    m = 2**127 - 1
    c = np.array([1, 1], dtype=object)
    i = np.array([0, 1], dtype=object)
    assert tm(c, i, 10**30, m) == ref_matrix([1, 1], [0, 1], 10**30, m)
    assert tm(c, i, 10**30, 1) == 0
    assert tm(c, i, -(10**20), m) == ref_matrix([1, 1], [0, 1], -(10**20), m)


def test_term_mod_backwards_needs_unit() -> None:
    # c[0] = 2 is invertible mod 7 but not mod 8
    assert lucas.term_mod([2, 1], [0, 1], -5, 7) == ref_step([2, 1], [0, 1], -5, 7)
    with pytest.raises(ValueError, match="backwards"):
        lucas.term_mod([2, 1], [0, 1], -5, 8)
    with pytest.raises(ValueError, match="backwards"):
        lucas.term_mod(np.array([2, 1], object), np.array([0, 1], object), -5, 8)
    with pytest.raises(ValueError, match="backwards"):
        lucas.term([2, 1], [0, 1], -1)


@settings(max_examples=120, deadline=None)
@given(
    k=st.integers(1, 6),
    m=st.integers(1, 2**64 - 1),
    n=st.integers(0, 2**63 - 1),
    data=st.data(),
)
def test_term_mod_matches_exact(k: int, m: int, n: int, data: st.DataObject) -> None:
    c = data.draw(st.lists(st.integers(INT64_MIN, INT64_MAX), min_size=k, max_size=k))
    init = data.draw(st.lists(st.integers(INT64_MIN, INT64_MAX), min_size=k, max_size=k))
    want = ref_matrix(c, init, n, m)
    mm = np.uint64(m) if m > INT64_MAX else m
    for method in METHODS:
        assert int(lucas.term_mod_ufunc(method)(c, init, n, mm)) == want
    assert lucas.term_mod(np.array(c, object), np.array(init, object), n, m) == want


@settings(max_examples=60, deadline=None)
@given(k=st.integers(1, 4), n=st.integers(0, 120), data=st.data())
def test_term_mod_is_exact_mod_m(k: int, n: int, data: st.DataObject) -> None:
    c = data.draw(st.lists(st.integers(-50, 50), min_size=k, max_size=k))
    init = data.draw(st.lists(st.integers(-50, 50), min_size=k, max_size=k))
    m = data.draw(st.integers(1, 10**12))
    exact = lucas.term(np.array(c, object), np.array(init, object), n)
    assert lucas.term_mod(c, init, n, m) == exact % m


# ---------------------------------------------------------------------------------------------
# NumPy ufunc machinery: broadcasting, out=, axes=, strides, empty arrays, dtypes


def test_broadcast_many_recurrences_many_n() -> None:
    coefs = np.array([[1, 1], [1, 2], [2, -1]])
    init = np.array([[0, 1], [0, 1], [2, 3]])
    n = np.arange(12)
    got = lucas.term(coefs, init, n[:, None])
    assert got.shape == (12, 3)
    for j in range(3):
        assert got[:, j].tolist() == [ref_step(coefs[j].tolist(), init[j].tolist(), x) for x in n]
    mods = np.array([7, 11, 13])
    gm = lucas.term_mod(coefs, init, n[:, None], mods)
    assert (gm == got % mods).all()


def test_out_axes_noncontiguous_empty() -> None:
    n = np.arange(20)
    out = np.empty(20, dtype=np.int64)
    res = lucas.term(*FIB, n, out=out)
    assert res is out and out.tolist() == [fib(x) for x in n]
    # coefficients along axis 0 of a 2-D array
    coefs = np.array([[1, 1, 1], [1, 2, 1]])  # column j = recurrence j... along axis 0
    init = np.array([[0, 0, 2], [1, 1, 3]])
    got = lucas.term(coefs, init, 10, axes=[(0,), (0,), ()])
    want = [ref_step(coefs[:, j].tolist(), init[:, j].tolist(), 10) for j in range(3)]
    assert got.tolist() == want
    # non-contiguous core and outer strides
    c = np.array([[1, 99, 1], [1, 99, 2]])[:, ::2]
    i = np.array([[0, 99, 1], [2, 99, 1]])[:, ::2]
    nn = np.arange(40)[::4]
    assert lucas.term(c, i, nn[:, None]).tolist() == [
        [ref_step(c[r].tolist(), i[r].tolist(), x) for r in range(2)] for x in nn
    ]
    # empty outer dimension
    e = lucas.term(*FIB, np.array([], dtype=np.int64))
    assert e.shape == (0,) and e.dtype == np.int64
    # strided out
    o = np.zeros(40, dtype=np.int64)
    lucas.term(*FIB, np.arange(20), out=o[::2])
    assert o[::2].tolist() == [fib(x) for x in range(20)] and not o[1::2].any()


@pytest.mark.parametrize(
    "dt", [np.int8, np.int16, np.int32, np.uint8, np.uint16, np.uint32, np.bool_]
)
def test_small_integer_types_promote_to_int64(dt) -> None:
    c = np.array([1, 1], dtype=dt)
    i = np.array([0, 1], dtype=dt)
    n = np.arange(2, 12).astype(dt) if dt is not np.bool_ else np.array([True, False])
    got = lucas.term(c, i, n)
    assert got.dtype == np.int64
    assert got.tolist() == [
        ref_step(c.astype(int).tolist(), i.astype(int).tolist(), int(x)) for x in n
    ]


def test_out_with_wrong_dtype_follows_casting_rules() -> None:
    out = np.empty(5, dtype=np.int32)
    with pytest.raises(TypeError):  # float64 results do not cast into int32 under same_kind
        lucas.term([1.0, 1.0], [0.0, 1.0], np.arange(5), out=out)
    outf = np.empty(5, dtype=np.float64)
    lucas.term(*FIB, np.arange(5), out=outf)  # int64 results cast safely into float64
    assert outf.tolist() == [0.0, 1.0, 1.0, 2.0, 3.0]


def test_overflow_in_array_names_first_bad_index() -> None:
    with pytest.raises(OverflowError, match=r"a\[93\]"):
        lucas.term(*FIB, np.arange(90, 100))


@settings(max_examples=200, deadline=None)
@given(
    c=st.lists(
        st.integers(-(10**6), 10**6) | st.sampled_from([0, 1, -1, 2, -2]), min_size=2, max_size=2
    ),
    init=st.lists(
        st.integers(-(10**30), 10**30) | st.sampled_from([0, 1, -1]), min_size=2, max_size=2
    ),
    n=st.integers(-40, 400),
)
def test_object_order2_doubling_matches_reference(c, init, n) -> None:
    # order 2 over exact ints uses Lucas-sequence doubling (auto); compare every method
    if n < 0 and c[0] not in (1, -1):
        return
    want = ref_step(c, init, n)
    oc, oi = np.array(c, dtype=object), np.array(init, dtype=object)
    for method in METHODS:
        assert lucas.term_ufunc(method)(oc, oi, n) == want


@pytest.mark.parametrize("c", [[-1, 2], [0, 3], [0, 0], [1, 0], [-4, 4], [-1, 0]])
def test_object_order2_degenerate(c) -> None:
    # double roots (discriminant 0), zero roots and periodic cases
    oc, oi = np.array(c, dtype=object), np.array([5, -3], dtype=object)
    for n in range(70):
        assert lucas.term(oc, oi, n) == ref_step(c, [5, -3], n)


@pytest.mark.parametrize("m", [3, 2**20 + 7, 2**32, 998244353, 2**61 - 1, 2**64 - 59, 2**64 - 2])
def test_large_k_modular_matrix_through_blas(m: int) -> None:
    # k >= 64: method "matrix" squares through dgemm on split operands (exact); all methods agree
    rng = np.random.default_rng(m % 1000)
    k = 70
    c = [int(x) for x in rng.integers(0, 2**62, k)]
    init = [int(x) for x in rng.integers(-(2**62), 2**62, k)]
    want = ref_step(c, init, 300, m)
    mm = np.uint64(m) if m > INT64_MAX else m
    for method in METHODS:
        assert int(lucas.term_mod_ufunc(method)(c, init, 300, mm)) == want


@pytest.mark.parametrize("m", [998244353, 2**61 - 1, 2**63 - 25, 2**64 - 59, 3**40, 2**64 - 1])
@pytest.mark.parametrize("k", [3, 7, 41, 96])
def test_lazy_polynomial_products_are_exact(m: int, k: int) -> None:
    # Fiduccia's products mod an odd m sum up to ~2k 128-bit products per coefficient before
    # one reduction (three-word sums near 2^64): small n against the step-by-step reference,
    # large n against the companion-matrix method (independent code), batches against both
    rng = np.random.default_rng(m % 2**32 + k)
    c = [int(x) for x in rng.integers(-(2**63), 2**63 - 1, k, endpoint=True)]
    init = [int(x) for x in rng.integers(-(2**63), 2**63 - 1, k, endpoint=True)]
    mm = np.uint64(m)
    small = [k, k + 1, 2 * k - 1, 2 * k, 5 * k + 3, 1500]
    assert [int(v) for v in lucas.term_mod(c, init, small, mm)] == [
        ref_step(c, init, n, m) for n in small
    ]
    big = rng.integers(0, 2**63 - 1, 4, endpoint=True)
    poly = lucas.term_mod_ufunc("poly")(c, init, big, mm)
    assert list(poly) == list(lucas.term_mod_ufunc("matrix")(c, init, big, mm))
    assert list(lucas.term_mod(c, init, big, mm)) == list(poly)


@pytest.mark.parametrize("m", [998244353, 7340033, 2**64 - 2**32 + 1, 10**9 + 7, 2**61 - 1])
def test_large_k_bostan_mori_matches_fiduccia(m: int) -> None:
    # k >= 300 modulo a prime with a 2^e | m - 1 large enough for the transforms (the first
    # three): auto runs Bostan-Mori; the others, and method "poly", run Fiduccia
    rng = np.random.default_rng(m % 2**32)
    k = 300
    c = [int(x) for x in rng.integers(-(2**62), 2**62, k)]
    init = [int(x) for x in rng.integers(-(2**62), 2**62, k)]
    mm = np.uint64(m)
    small = [0, k - 1, k, k + 1, 2 * k + 5]
    assert [int(v) for v in lucas.term_mod(c, init, small, mm)] == [
        ref_step(c, init, n, m) for n in small
    ]
    big = np.array([2**64 - 1, 2**63, 10**18 + 7, 12345678901], dtype=np.uint64)
    assert list(lucas.term_mod(c, init, big, mm)) == list(
        lucas.term_mod_ufunc("poly")(c, init, big, mm)
    )
    # negative n: the reversed recurrence (Fiduccia)
    assert int(lucas.term_mod(c, init, -5, mm)) == ref_step(c, init, -5, m)


@pytest.mark.parametrize("start,stop", [(0, 93), (0, 200), (30, 93), (-92, 93), (91, 400)])
def test_long_consecutive_runs_exact_or_first_overflow(start: int, stop: int) -> None:
    # long runs of consecutive n step in O(k); the first index that does not fit is named
    ns = np.arange(start, stop)
    if stop <= 93:
        assert lucas.term(*FIB, ns).tolist() == [fib(int(n)) for n in ns]
    else:
        with pytest.raises(OverflowError, match=r"a\[93\]"):
            lucas.term(*FIB, ns)
    m = 10**9 + 7
    assert lucas.term_mod(*FIB, ns, m).tolist() == [fib(int(n)) % m for n in ns]
    got = lucas.term([1.0, 1.0], [0.0, 1.0], ns)
    np.testing.assert_allclose(got, [float(fib(int(n))) for n in ns], rtol=1e-13)
    # strided output takes the in-place stepping path
    out = np.zeros(2 * len(ns), dtype=np.int64)
    lucas.term_mod(*FIB, ns, m, out=out[::2])
    assert out[::2].tolist() == [fib(int(n)) % m for n in ns]


# ---------------------------------------------------------------------------------------------
# bad input (issue 2): a clear exception each, never a crash or a silent truncation


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: lucas.term([1, 1], [0], 3), ValueError, "mismatch in its core dimension"),
        (
            lambda: lucas.term_mod(np.array([], np.int64), np.array([], np.int64), 3, 0),
            ValueError,
            "must be positive",
        ),
        (lambda: lucas.term([1, 1], [0, 1], 2.5), TypeError, "not supported for the input"),
        (lambda: lucas.term([1, 1], [0, 1], 3.0), TypeError, "not supported for the input"),
        (lambda: lucas.term([1, 1], [0, 1], "7"), TypeError, "not supported for the input"),
        (lambda: lucas.term([1, 1], [0, 1], np.array([1.5, 2.0])), TypeError, "not supported"),
        (lambda: lucas.term_mod([1, 1], [0, 1], 3, 0), ValueError, "modulus m must be positive"),
        (lambda: lucas.term_mod([1, 1], [0, 1], 3, -7), ValueError, "must be positive, got -7"),
        (lambda: lucas.term_mod([1, 1], [0, 1], 3, np.uint64(0)), ValueError, "positive"),
        (lambda: lucas.term_mod([1, 1], [0, 1], 3, 2.0), TypeError, "not supported"),
        (
            # floats in object arrays are ring elements now (issue 14); strings are not
            lambda: lucas.term(np.array([1, "0.5"], object), np.array([0, 1], object), 3),
            TypeError,
            "coefficients must be integers",
        ),
        (
            lambda: lucas.term(np.array([1, 1], object), np.array([0, None], object), 3),
            TypeError,
            "initial values must be integers",
        ),
        (
            lambda: lucas.term(
                np.array([1, 1], object), np.array([0, 1], object), np.array(2.0, object)
            ),
            TypeError,
            "indices n must be integers",
        ),
        (
            lambda: lucas.term_mod(
                np.array([1, 1], object), np.array([0, 1], object), 3, np.array(0, object)
            ),
            ValueError,
            "must be positive",
        ),
        (
            lambda: lucas.term_mod(
                np.array([1, 1], object), np.array([0, 1], object), 3, np.array("9", object)
            ),
            TypeError,
            "moduli m must be integers",
        ),
        (lambda: lucas.term(np.ones((2, 3)), np.ones((3, 3)), 1), ValueError, "broadcast"),
        (
            lambda: lucas.term([1, 1], [0, 1], np.zeros((2, 2), int), out=np.empty(3, np.int64)),
            ValueError,
            "shape",
        ),
        (lambda: lucas.term([3, 1], [0, 1], -1), ValueError, "cannot run backwards"),
    ],
)
def test_bad_input(call, exc, match) -> None:
    with pytest.raises(exc, match=match):
        call()


def test_error_in_one_element_does_not_poison_later_calls() -> None:
    with pytest.raises(OverflowError):
        lucas.term(*FIB, np.array([5, 100, 7]))
    assert lucas.term(*FIB, np.array([5, 6, 7])).tolist() == [5, 8, 13]
    with pytest.raises(TypeError):
        lucas.term(np.array([1, 1], object), np.array([0, "x"], object), np.arange(3))
    assert lucas.term(np.array([1, 1], object), np.array([0, 1], object), 10) == 55


@settings(max_examples=15, deadline=None)
@given(
    k=st.integers(1, 5),
    m=st.sampled_from(
        [
            3,
            97,
            2**31 - 1,
            10**9 + 7,
            2**61 - 1,
            2**62 - 57,
            2**62 + 135,
            2**63 - 25,
            2**64 - 59,
            2**40,
            6 * 10**17,
        ]
    ),
    data=st.data(),
)
def test_batches_of_random_n_use_tables_exactly(k: int, m: int, data: st.DataObject) -> None:
    # many random n for one recurrence: the fixed-base power tables and every special kernel
    c = data.draw(st.lists(st.integers(INT64_MIN, INT64_MAX), min_size=k, max_size=k))
    init = data.draw(st.lists(st.integers(INT64_MIN, INT64_MAX), min_size=k, max_size=k))
    seed = data.draw(st.integers(0, 2**32))
    rng = np.random.default_rng(seed)
    ns = np.concatenate(
        [rng.integers(0, 2**63 - 1, 100), rng.integers(0, 5000, 20), np.arange(7), [2**63 - 1]]
    )
    mm = np.uint64(m) if m > INT64_MAX else m
    got = lucas.term_mod(c, init, ns, mm)
    assert [int(x) for x in got] == [ref_matrix(c, init, int(n), m) for n in ns]
    if k <= 3 and all(abs(x) < 2**20 for x in c + init):
        small = np.concatenate([rng.integers(0, 60, 200), np.arange(40)])
        exact = [ref_step(c, init, int(n)) for n in small]
        if all(fits_int64(v) for v in exact):
            assert lucas.term(c, init, small).tolist() == exact


def test_dtype_keyword_selects_the_loop() -> None:
    # dtype=object: exact big integers from plain lists and Python ints of any size
    assert lucas.term([1, 1], [0, 1], 200, dtype=object) == fib(200)
    got = lucas.term([1, 1], [0, 1], np.arange(95, 98), dtype=object)
    assert got.dtype == object and got.tolist() == [fib(n) for n in range(95, 98)]
    assert lucas.term_mod([1, 1], [0, 1], 10**18, 2**64 - 1, dtype=object) == ref_matrix(
        [1, 1], [0, 1], 10**18, 2**64 - 1
    )
    assert lucas.term_mod([1, 1], [0, 1], 2**100, 10**9 + 7, dtype=object) == ref_matrix(
        [1, 1], [0, 1], 2**100, 10**9 + 7
    )
    f = lucas.term([1, 1], [0, 1], 10, dtype=np.float64)
    assert f.dtype == np.float64 and f == 55.0


def test_zero_sequence_at_any_index() -> None:
    # the intermediates of x^n mod f overflow, but every term of the zero sequence is 0
    for method in METHODS:
        term = lucas.term_ufunc(method)
        assert term([1, 1], [0, 0], INT64_MAX) == 0
        assert term([1, 1], [0, 0], -(2**62)) == 0
        assert term([7, -3, 5], [0, 0, 0], np.array([10**18, 5, 2**40])).tolist() == [0, 0, 0]


def _is_split(c: list[int], p: int) -> bool:
    """x^2 - c1 x - c0 has two distinct nonzero roots mod the odd prime p (Euler's criterion)."""
    disc = (c[1] * c[1] + 4 * c[0]) % p
    return c[0] % p != 0 and disc != 0 and pow(disc, (p - 1) // 2, p) == 1


# odd primes with every shape of p - 1: 2^61 - 1 (p = 3 mod 4), 998244353 = 119 2^23 + 1 and
# the "Goldilocks" prime 2^64 - 2^32 + 1 (long Tonelli-Shanks), primes above 2^63 (no lazy
# reduction), tiny primes (every residue class met); then odd composites below 2^62 (lazy
# polynomial products) and above (plain ones)
ORDER2_MODULI = [
    3,
    5,
    13,
    65537,
    998244353,
    10**9 + 7,
    2**61 - 1,
    2**63 - 25,
    2**64 - 59,
    2**64 - 2**32 + 1,
    9,
    3**39,
    10**18 + 1,
    2**62 - 1,
    2**62 + 1,
    2**64 - 1,
]


def _is_prime(p: int) -> bool:
    return (
        p > 1
        and all(p % d for d in range(2, 100))
        and pow(2, p - 1, p) == 1
        and (p < 10**4 or pow(3, p - 1, p) == 1)
    )


@pytest.mark.parametrize("p", ORDER2_MODULI)
def test_order2_mod_batches(p: int) -> None:
    # order 2 modulo an odd m: batches of scattered n take the roots of x^2 - c1 x - c0 when
    # m is a prime and they are distinct and nonzero in F_m, tables of x^e mod f otherwise;
    # all must be exact, for negative n, uint64 n up to 2^64 - 1, strided input and output
    rng = np.random.default_rng(p % 2**32)
    cases = [[1, 1], [1, 2], [-1, 3], [7, -5], [0, 1], [min(p - 1, 2**62), 2], [2, 2], [-1, 2]]
    cases += [[int(v) for v in rng.integers(-(2**62), 2**62, 2)] for _ in range(3)]
    kinds = set()
    mm = np.uint64(p)
    for c in cases:
        init = [int(v) for v in rng.integers(-(2**62), 2**62, 2)]
        kinds.add(_is_split(c, p))
        ns = np.concatenate(
            [
                rng.integers(-(2**63), 2**63 - 1, 60, endpoint=True),
                rng.integers(-50, 50, 20),
                [0, 1, -1, 2**63 - 1, -(2**63)],
            ]
        )
        backwards_ok = math.gcd(c[0], p) == 1
        for sel in (ns if backwards_ok else ns[ns >= 0]), ns[ns >= 0]:
            got = lucas.term_mod(c, init, sel, mm)
            assert [int(v) for v in got] == [ref_matrix(c, init, int(n), p) for n in sel], c
        # uint64 indices into a strided output
        un = rng.integers(0, 2**64 - 1, 80, dtype=np.uint64, endpoint=True)
        un[:2] = [2**64 - 1, 2**63]
        out = np.zeros((80, 2), dtype=np.uint64)
        lucas.term_mod(c, init, un, mm, out=out[:, 1])
        assert [int(v) for v in out[:, 1]] == [ref_matrix(c, init, int(n), p) for n in un]
        assert not out[:, 0].any()
    if p > 5 and _is_prime(p):
        assert kinds == {True, False}  # both forms were met


# ---- object arrays over other rings (issue 14; the full matrix is tests/test_anyring.py) ------


def _obj(*vals: object) -> np.ndarray:
    a = np.empty(len(vals), dtype=object)
    a[:] = vals
    return a


@pytest.mark.parametrize("method", ["auto", "poly", "matrix"])
@pytest.mark.parametrize("k", [1, 2, 3])
def test_fraction_elements_every_method(method: str, k: int) -> None:
    from fractions import Fraction as F

    c = [F(1, 2), F(-1, 3), F(2)][:k]
    init = [F(0), F(1), F(-5, 7)][:k]
    term = lucas.term_ufunc(method)
    for n in [0, 1, k, 2 * k + 1, 37, 64]:
        got = term(_obj(*c), _obj(*init), n)
        assert type(got) is F
        assert got == ref_step(c, init, n)


def test_int_coefficients_with_other_initial_values() -> None:
    # the coefficients' ring, lifted by the products with the initial values (Python's rules)
    from fractions import Fraction as F

    got = lucas.term(_obj(1, 1), _obj(F(1, 2), 1), 30)
    assert type(got) is F and got == ref_step([1, 1], [F(1, 2), 1], 30)
    assert lucas.term(_obj(3, 1), _obj(F(1, 2), 1), 0) == F(1, 2)  # init[0] itself
    # the polynomial is over Python ints: their size cap applies
    with pytest.raises(OverflowError, match=r"2\*\*28"):
        lucas.term(_obj(3, 1), _obj(F(1, 2), 1), 10**12)


def test_ring_elements_refused_for_residues() -> None:
    from fractions import Fraction as F

    with pytest.raises(TypeError, match=r"residues are defined for integer elements only"):
        lucas.term_mod(_obj(F(1), 1), _obj(0, 1), 10, 7)
    with pytest.raises(TypeError, match=r"must be integers in object arrays, got str"):
        lucas.term(_obj("1", 1), _obj(0, 1), 10)


def test_gmpy2_integers_stay_gmpy2() -> None:
    gmpy2 = pytest.importorskip("gmpy2")
    mz = gmpy2.mpz
    for c, init in [([mz(1), mz(1)], [mz(0), mz(1)]), ([1, 1], [0, mz(1)])]:
        got = lucas.term(_obj(*c), _obj(*init), 1000)
        assert type(got) is type(mz(0)) and got == gmpy2.fib(1000)
    # negative n over an integer type: c[0] must be a unit
    assert lucas.term(_obj(mz(1), mz(1)), _obj(mz(0), mz(1)), -7) == 13
    with pytest.raises(ValueError, match=r"only when c\[0\] is 1 or -1"):
        lucas.term(_obj(mz(2), mz(1)), _obj(mz(0), mz(1)), -7)
    # residues read them as ints
    assert lucas.term_mod(_obj(mz(1), mz(1)), _obj(mz(0), mz(1)), 100, 10**9) == ref_step(
        [1, 1], [0, 1], 100, 10**9
    )


def test_field_inverse_for_negative_n() -> None:
    from fractions import Fraction as F

    c, init = [F(2), F(1, 2)], [F(1), F(3)]
    # a[-j] runs the reversed recurrence; going forwards again gives back init
    back = [lucas.term(_obj(*c), _obj(*init), -j) for j in (2, 1)]
    assert ref_step(c, back, 2) == init[0] and ref_step(c, back, 3) == init[1]
    with pytest.raises(ValueError, match=r"c\[0\] = Fraction\(0, 1\) is not invertible"):
        lucas.term(_obj(F(0), F(1)), _obj(F(1), F(3)), -1)
    # floats are a field (inexact); ints with a float are floats
    assert lucas.term(_obj(2.0, 1.0), _obj(1.0, 3.0), -1) == (3.0 - 1.0) / 2.0
