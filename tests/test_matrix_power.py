"""matrix_power and matrix_power_mod against exact Python-int matrix powers.

The reference multiplies Python-int matrices naively (square-and-multiply from the top bit,
unlike the C code's bottom-up table) and inverts through the adjugate (cofactors from
Bareiss determinants), an algorithm lucas does not use.
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bad_input import _interrupt_after_start

import lucas

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
SETTINGS = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])

Matrix = list[list[int]]


def ref_mul(a: Matrix, b: Matrix, m: int | None) -> Matrix:
    k = len(a)
    c = [[sum(a[i][t] * b[t][j] for t in range(k)) for j in range(k)] for i in range(k)]
    return [[x % m for x in row] for row in c] if m is not None else c


def ref_det(a: Matrix) -> int:
    """Exact determinant by Bareiss's fraction-free elimination."""
    k = len(a)
    w = [row[:] for row in a]
    sign, prev = 1, 1
    for j in range(k - 1):
        if w[j][j] == 0:
            sw = next((i for i in range(j + 1, k) if w[i][j] != 0), None)
            if sw is None:
                return 0
            w[j], w[sw] = w[sw], w[j]
            sign = -sign
        for i in range(j + 1, k):
            for c in range(j + 1, k):
                w[i][c] = (w[i][c] * w[j][j] - w[i][j] * w[j][c]) // prev
        prev = w[j][j]
    return sign * w[k - 1][k - 1]


def ref_inverse(a: Matrix, m: int | None) -> Matrix:
    """adj(A) / det(A): exact for det = +-1, or modulo m when det is a unit."""
    k = len(a)
    d = ref_det(a)
    if k == 1:
        adj = [[1]]
    else:
        adj = [
            [
                (-1) ** (i + j) * ref_det([r[:i] + r[i + 1 :] for t, r in enumerate(a) if t != j])
                for j in range(k)
            ]
            for i in range(k)
        ]
    if m is None:
        assert d in (1, -1)
        return [[d * x for x in row] for row in adj]
    dinv = pow(d, -1, m)
    return [[x * dinv % m for x in row] for row in adj]


def ref_power(a: Matrix, n: int, m: int | None = None) -> Matrix:
    k = len(a)
    if m is not None:
        a = [[x % m for x in row] for row in a]
    if n < 0:
        a = ref_inverse(a, m) if m != 1 else [[0] * k for _ in range(k)]
        n = -n
    r = [[int(i == j) if m is None else int(i == j) % m for j in range(k)] for i in range(k)]
    for bit in bin(n)[2:] if n else "":
        r = ref_mul(r, r, m)
        if bit == "1":
            r = ref_mul(r, a, m)
    return r


def fits(a: Matrix) -> bool:
    return all(INT64_MIN <= x <= INT64_MAX for row in a for x in row)


def as_list(x: np.ndarray) -> Matrix:
    return [[int(v) for v in row] for row in x]


def check_int64(a: Matrix, n: int) -> None:
    """Exact, or OverflowError exactly when the true power does not fit."""
    want = ref_power(a, n)
    arr = np.array(a, dtype=np.int64)
    if fits(want):
        assert as_list(lucas.matrix_power(arr, n)) == want
    else:
        with pytest.raises(OverflowError, match="does not fit in int64"):
            lucas.matrix_power(arr, n)


def unimodular(k: int, rng: random.Random, steps: int = 6) -> Matrix:
    """A random integer matrix with det +-1: a product of elementary row operations."""
    a = [[int(i == j) for j in range(k)] for i in range(k)]
    for _ in range(steps):
        i, j = rng.sample(range(k), 2) if k > 1 else (0, 0)
        if i != j:
            f = rng.randint(-2, 2)
            a[i] = [x + f * y for x, y in zip(a[i], a[j])]
    if rng.random() < 0.5:
        a[0] = [-x for x in a[0]]
    return a


FIB = [[0, 1], [1, 1]]


# ---- int64: exactness and the overflow boundary -------------------------------------------


def test_fibonacci_boundary() -> None:
    # F^n = [[F(n-1), F(n)], [F(n), F(n+1)]]: F(92) fits in int64, F(93) does not
    r = lucas.matrix_power(np.array(FIB), 91)
    assert as_list(r) == ref_power(FIB, 91)
    assert int(r[1, 1]) == 7540113804746346429
    with pytest.raises(OverflowError, match=r"A\*\*92 does not fit in int64"):
        lucas.matrix_power(np.array(FIB), 92)
    # backwards: F^-n has entries +-F(n+1)
    assert as_list(lucas.matrix_power(np.array(FIB), -91)) == ref_power(FIB, -91)
    with pytest.raises(OverflowError):
        lucas.matrix_power(np.array(FIB), -92)


def test_fibonacci_broadcast_boundary() -> None:
    # one broadcast matrix: the shared table of squares stops where a square overflows
    n = np.arange(92)
    r = lucas.matrix_power(np.array(FIB), n)
    assert all(as_list(r[i]) == ref_power(FIB, i) for i in range(92))
    with pytest.raises(OverflowError, match="A\\*\\*92"):
        lucas.matrix_power(np.array(FIB), np.arange(80, 100))


@pytest.mark.parametrize(
    ("a", "n", "want"),
    [
        ([[1, 1], [0, 1]], 10**18, [[1, 10**18], [0, 1]]),
        ([[1, 1], [0, 1]], INT64_MAX, [[1, INT64_MAX], [0, 1]]),
        ([[1, -1], [0, 1]], INT64_MIN + 1, [[1, INT64_MAX], [0, 1]]),
        (
            [[1, 1, 0], [0, 1, 1], [0, 0, 1]],
            4 * 10**9,
            [[1, 4 * 10**9, 4 * 10**9 * (4 * 10**9 - 1) // 2], [0, 1, 4 * 10**9], [0, 0, 1]],
        ),
        ([[-1, 0], [0, 1]], 2**63 + 1, [[-1, 0], [0, 1]]),
    ],
)
def test_polynomial_growth(a: Matrix, n: int, want: Matrix) -> None:
    dt = np.uint64 if n > INT64_MAX else np.int64
    assert as_list(lucas.matrix_power(np.array(a), np.array(n, dtype=dt))) == want


def test_unipotent_overflow_is_proven() -> None:
    with pytest.raises(OverflowError):
        lucas.matrix_power(np.array([[1, 1, 0], [0, 1, 1], [0, 0, 1]]), 5 * 10**9)


@pytest.mark.parametrize("x", [2**31, 2**40, 3**39])
def test_intermediate_overflow_result_fits(x: int) -> None:
    # nilpotent: A^2 = 0 although every product x*x overflows; A^1 itself fits
    a = [[x, x], [-x, -x]]
    for n in (1, 2, 3, 7):
        check_int64(a, n)
    r = lucas.matrix_power(np.array(a), np.array([0, 1, 2, 3, 5]))
    assert [as_list(m) for m in r] == [ref_power(a, n) for n in (0, 1, 2, 3, 5)]
    # B^2 = I with huge cancelling products: B^n fits for every n
    y = min(x, 2**31)
    for n in (2, 5, 6, -3):
        check_int64([[y, 1 - y * y], [1, -y]], n)


def test_certified_candidate_that_wraps_is_rejected() -> None:
    # (2^32 I)^2 = 2^64 I wraps to 0 mod 2^64: the candidate 0 must be refuted by a prime
    a = [[2**32, 0], [0, 2**32]]
    with pytest.raises(OverflowError):
        lucas.matrix_power(np.array(a), 2)


def test_random_int64_against_reference() -> None:
    rng = random.Random(1234)
    for _ in range(40):
        k = rng.choice([1, 2, 3, 4, 5, 8, 13, 21, 40])
        lim = rng.choice([1, 2, 5, 1000])
        a = [[rng.randint(-lim, lim) for _ in range(k)] for _ in range(k)]
        n = rng.choice([0, 1, 2, 3, rng.randint(4, 60)])
        check_int64(a, n)


@SETTINGS
@given(
    k=st.integers(1, 4),
    data=st.data(),
    n=st.integers(0, 130),
)
def test_int64_property(k: int, data: st.DataObject, n: int) -> None:
    big = st.one_of(
        st.integers(-3, 3),
        st.integers(INT64_MIN // 2**20, INT64_MAX // 2**20),
        st.integers(INT64_MIN, INT64_MAX),
    )
    a = [[data.draw(big) for _ in range(k)] for _ in range(k)]
    check_int64(a, n)


def test_negative_int64_unimodular() -> None:
    rng = random.Random(99)
    for _ in range(25):
        k = rng.randint(1, 6)
        a = unimodular(k, rng)
        for n in (-1, -2, -5, -17):
            want = ref_power(a, n)
            if fits(want):
                assert as_list(lucas.matrix_power(np.array(a), n)) == want


def test_negative_int64_near_the_limits() -> None:
    x = 2**62
    a = [[1, x], [0, 1]]
    assert as_list(lucas.matrix_power(np.array(a), -1)) == [[1, -x], [0, 1]]
    assert as_list(lucas.matrix_power(np.array(a), -2)) == [[1, INT64_MIN], [0, 1]]
    with pytest.raises(OverflowError):
        lucas.matrix_power(np.array(a), -3)
    a = [[x + 1, x], [1, 1]]  # det 1, inverse [[1, -x], [-1, x + 1]]
    assert as_list(lucas.matrix_power(np.array(a), -1)) == [[1, -x], [-1, x + 1]]
    # the inverse itself does not fit: its entry is 2^63
    with pytest.raises(OverflowError):
        lucas.matrix_power(np.array([[1, INT64_MIN], [0, 1]]), -1)
    check_int64([[1, INT64_MIN], [0, 1]], 1)


@pytest.mark.parametrize("a", [[[2, 0], [0, 1]], [[1, 2], [2, 4]], [[0]], [[3, 1], [1, 1]]])
def test_negative_int64_det_not_unit(a: Matrix) -> None:
    with pytest.raises(ValueError, match=r"det\(A\) is not \+1 or -1"):
        lucas.matrix_power(np.array(a), -1)
    with pytest.raises(ValueError, match=r"det\(A\) is not \+1 or -1"):
        lucas.matrix_power(np.array(a, dtype=object), -1)
    # n >= 0 is fine
    assert as_list(lucas.matrix_power(np.array(a), 2)) == ref_power(a, 2)


# ---- modular ----------------------------------------------------------------------------

MODULI = [
    1,
    2,
    3,
    12,
    97,
    2**31 - 1,
    10**9 + 7,
    2**32,
    10**18,
    2**62 + 1,
    2**63 - 25,
    2**63 - 1,
    2**64 - 59,
    2**64 - 1,
]


def check_mod(a: Matrix, n: int, m: int) -> None:
    want = ref_power(a, n, m)
    mdt = np.uint64 if m > INT64_MAX else np.int64
    got = lucas.matrix_power_mod(np.array(a, dtype=np.int64), n, np.array(m, dtype=mdt))
    assert as_list(got) == want, (a, n, m)
    assert (got.astype(object) < m).all() and (got.astype(object) >= 0).all()


@pytest.mark.parametrize("m", MODULI)
def test_mod_random_against_reference(m: int) -> None:
    rng = random.Random(m)
    for k in (1, 2, 3, 5, 8, 17, 40):
        a = [[rng.randint(INT64_MIN, INT64_MAX) for _ in range(k)] for _ in range(k)]
        n = rng.choice([0, 1, 2, rng.randint(3, 10**6), rng.randint(0, INT64_MAX)])
        check_mod(a, n, m)


@pytest.mark.parametrize("m", [998244353, 2**64 - 1, 2**63, 10**18 + 9, 6])
def test_mod_blas_sizes(m: int) -> None:
    rng = random.Random(7)
    k = 67
    a = [[rng.randrange(m) for _ in range(k)] for _ in range(k)]
    n = 37
    mdt = np.uint64 if m > INT64_MAX else np.int64
    got = lucas.matrix_power_mod(np.array(a, dtype=np.uint64), n, np.array(m, dtype=mdt))
    assert as_list(got) == ref_power(a, n, m)


def test_mod_uint64_matrix_and_huge_exponent() -> None:
    a = [[2**64 - 1, 2**63], [5, 2**64 - 2]]
    n = 2**64 - 1
    m = 2**64 - 1
    got = lucas.matrix_power_mod(np.array(a, dtype=np.uint64), np.uint64(n), np.uint64(m))
    assert as_list(got) == ref_power(a, n, m)


@pytest.mark.parametrize("m", [7, 12, 6, 2**64 - 1, 10**9 + 7, 1])
def test_mod_negative_units(m: int) -> None:
    rng = random.Random(m + 1)
    for _ in range(10):
        k = rng.randint(1, 5)
        a = [[rng.randrange(m) for _ in range(k)] for _ in range(k)]
        ok = m == 1 or math.gcd(ref_det(a) % m, m) == 1
        mdt = np.uint64 if m > INT64_MAX else np.int64
        arr = np.array(a, dtype=np.uint64)
        if ok:
            got = lucas.matrix_power_mod(arr, -3, np.array(m, dtype=mdt))
            assert as_list(got) == ref_power(a, -3, m)
        else:
            with pytest.raises(ValueError, match="singular modulo m"):
                lucas.matrix_power_mod(arr, -3, np.array(m, dtype=mdt))


def test_mod_inverse_needs_euclid() -> None:
    # det = 1 but no entry of the first column is a unit mod 6
    a = [[2, 3], [3, 5]]
    assert as_list(lucas.matrix_power_mod(np.array(a), -1, 6)) == ref_power(a, -1, 6)
    assert as_list(lucas.matrix_power_mod(np.array(a), -7, 6)) == ref_power(a, -7, 6)
    with pytest.raises(ValueError, match="singular modulo m=6"):
        lucas.matrix_power_mod(np.array([[2, 0], [0, 1]]), -1, 6)


@SETTINGS
@given(
    k=st.integers(1, 5),
    m=st.one_of(st.integers(1, 50), st.integers(1, 2**64 - 1)),
    n=st.integers(-50, 2**64 - 1),
    data=st.data(),
)
def test_mod_property(k: int, m: int, n: int, data: st.DataObject) -> None:
    a = [[data.draw(st.integers(0, 2**64 - 1)) for _ in range(k)] for _ in range(k)]
    arr = np.array(a, dtype=np.uint64)
    ndt = np.uint64 if n > INT64_MAX else np.int64
    mm = np.uint64(m)
    if n < 0 and m > 1 and math.gcd(ref_det(a) % m, m) != 1:
        with pytest.raises(ValueError, match="singular modulo m"):
            lucas.matrix_power_mod(arr, np.array(n, dtype=ndt), mm)
        return
    got = lucas.matrix_power_mod(arr, np.array(n, dtype=ndt), mm)
    assert as_list(got) == ref_power(a, n, m)
    # the object loop agrees
    got_o = lucas.matrix_power_mod(np.array(a, dtype=object), n, m)
    assert as_list(got_o) == ref_power(a, n, m)


# ---- float64 ----------------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 2, 5, 16, 70])
def test_float_against_numpy(k: int) -> None:
    rng = np.random.default_rng(k)
    a = rng.random((k, k))
    a /= a.sum(axis=1, keepdims=True)  # row-stochastic: powers stay bounded
    for n in (0, 1, 2, 7, 1000, 10**6):
        np.testing.assert_allclose(
            lucas.matrix_power(a, n), np.linalg.matrix_power(a, n), rtol=1e-9, atol=1e-12
        )
    b = a + np.eye(k)
    for n in (-1, -3):
        np.testing.assert_allclose(
            lucas.matrix_power(b, n), np.linalg.matrix_power(b, n), rtol=1e-8, atol=1e-12
        )


@pytest.mark.parametrize("k", [3, 64])
def test_float_window_widths_against_numpy(k: int) -> None:
    # the exponents pick every window width (1 to 4 bits, long runs of ones included);
    # k = 64 goes through dgemm
    rng = np.random.default_rng(100 + k)
    a = rng.random((k, k))
    a /= a.sum(axis=1, keepdims=True)
    a -= 0.4 / k  # entries of both signs
    for n in [*range(1, 40), 2**10 - 1, 2**12 + 1, 0b1011_0111_0101_1111]:
        want = np.linalg.matrix_power(a, n)
        np.testing.assert_allclose(lucas.matrix_power(a, n), want, rtol=1e-9, atol=1e-14)
    for n in (1, 2, 3, 7, 22):
        c = a + np.eye(k)
        want = np.linalg.matrix_power(c, -n)
        np.testing.assert_allclose(lucas.matrix_power(c, -n), want, rtol=1e-8, atol=1e-12)
    # a permutation matrix: every power is exact, so huge exponents compare exactly
    p = np.eye(k)[rng.permutation(k)]
    for n in (2**20 - 1, 2**30 + 1, 3 * 2**40 + 7, 2**62 - 1, 2**63 - 1):
        np.testing.assert_array_equal(lucas.matrix_power(p, n), np.linalg.matrix_power(p, n))


def test_float_singular_inverse_warns_nan() -> None:
    with pytest.warns(RuntimeWarning, match="invalid value"):
        r = lucas.matrix_power(np.array([[1.0, 2.0], [2.0, 4.0]]), -1)
    assert np.isnan(r).all()
    with np.errstate(invalid="ignore"):
        r = lucas.matrix_power(np.array([[[1.0, 2.0], [2.0, 4.0]], [[2.0, 0], [0, 4]]]), -1)
    assert np.isnan(r[0]).all()
    np.testing.assert_array_equal(r[1], [[0.5, 0], [0, 0.25]])


def test_integer_inputs_never_use_float_loop() -> None:
    big = 2**63 + 5
    for dt in (np.uint64,):
        r = lucas.matrix_power(np.array([[big, 1], [0, 1]], dtype=dt), 3)
        assert r.dtype == object
        assert as_list(r) == ref_power([[big, 1], [0, 1]], 3)
    for dt in (np.int8, np.int16, np.int32, np.uint8, np.uint16, np.uint32, np.bool_):
        r = lucas.matrix_power(np.array([[1, 1], [0, 1]], dtype=dt), 5)
        assert r.dtype == np.int64
    assert lucas.matrix_power(np.eye(2, dtype=np.float32), 3).dtype == np.float64


# ---- broadcasting and array handling ----------------------------------------------------


def test_broadcast_stack_against_exponents() -> None:
    rng = np.random.default_rng(5)
    a = rng.integers(-3, 4, size=(3, 4, 4))
    n = np.arange(7).reshape(7, 1)
    r = lucas.matrix_power(a, n)
    assert r.shape == (7, 3, 4, 4)
    for i in range(7):
        for j in range(3):
            assert as_list(r[i, j]) == ref_power(as_list(a[j]), i)
    rm = lucas.matrix_power_mod(a, n, np.array([5, 7, 11]))
    assert rm.shape == (7, 3, 4, 4)
    assert as_list(rm[4, 2]) == ref_power(as_list(a[2]), 4, 11)


def test_many_exponents_one_matrix_share_table() -> None:
    rng = random.Random(3)
    a = [[rng.randrange(10**9 + 7) for _ in range(6)] for _ in range(6)]
    ns = [rng.randrange(2**62) for _ in range(50)] + [0, 1, -1, -(2**62)]
    got = lucas.matrix_power_mod(np.array(a), np.array(ns), 10**9 + 7)
    for n, g in zip(ns, got):
        assert as_list(g) == ref_power(a, n, 10**9 + 7)
    f = np.array([[0.5, 0.5], [0.25, 0.75]])
    got_f = lucas.matrix_power(f, np.array([3, -2, 0, 40]))
    for n, g in zip([3, -2, 0, 40], got_f):
        np.testing.assert_allclose(g, np.linalg.matrix_power(f, n), rtol=1e-12)


def test_out_axes_empty_noncontiguous() -> None:
    a = np.array(FIB)
    out = np.zeros((3, 2, 2), dtype=np.int64)
    res = lucas.matrix_power(a, np.array([1, 2, 3]), out=out)
    assert res is out
    assert as_list(out[2]) == ref_power(FIB, 3)
    # axes: matrices stored with the core axes first
    stack = np.stack([np.array(FIB), np.array([[1, 1], [0, 1]])], axis=-1)  # (2, 2, 2)
    r = lucas.matrix_power(stack, 5, axes=[(0, 1), (), (0, 1)])
    assert as_list(r[:, :, 1]) == ref_power([[1, 1], [0, 1]], 5)
    assert as_list(r[:, :, 0]) == ref_power(FIB, 5)
    # empty stacks and empty exponent arrays
    assert lucas.matrix_power(np.zeros((0, 3, 3), dtype=np.int64), 2).shape == (0, 3, 3)
    assert lucas.matrix_power(a, np.zeros(0, dtype=np.int64)).shape == (0, 2, 2)
    assert lucas.matrix_power_mod(a, np.zeros((0, 4), dtype=np.int64), 7).shape == (0, 4, 2, 2)
    # non-contiguous, transposed and Fortran-ordered input
    big = np.arange(64, dtype=np.int64).reshape(4, 4, 4) % 5
    view = big[::2, ::-1, :].transpose(0, 2, 1)
    r = lucas.matrix_power_mod(view, 9, 1000)
    for j in range(2):
        assert as_list(r[j]) == ref_power(as_list(view[j]), 9, 1000)
    fort = np.asfortranarray(np.array([[2, 1], [1, 1]], dtype=np.float64))
    np.testing.assert_allclose(lucas.matrix_power(fort, 4), np.linalg.matrix_power(fort, 4))


# ---- object dtype -----------------------------------------------------------------------


def test_object_exact_big() -> None:
    a = np.array(FIB, dtype=object)
    assert as_list(lucas.matrix_power(a, 300)) == ref_power(FIB, 300)
    assert as_list(lucas.matrix_power(a, -301)) == ref_power(FIB, -301)
    big = [[2**100, 3], [-(2**90), 7]]
    assert as_list(lucas.matrix_power(np.array(big, dtype=object), 5)) == ref_power(big, 5)
    m = 2**127 - 1
    got = lucas.matrix_power_mod(np.array(big, dtype=object), 10**30, m)
    assert as_list(got) == ref_power(big, 10**30, m)


def test_object_holds_references() -> None:
    x = 10**40 + 1
    before = sys.getrefcount(x)
    a = np.array([[x, 1], [0, 1]], dtype=object)
    for _ in range(20):
        lucas.matrix_power(a, 3)
    assert sys.getrefcount(x) == before + 1  # only the array's own reference


def test_object_rejects_non_integers() -> None:
    with pytest.raises(TypeError, match="matrix entries must be integers or numbers of one ring"):
        lucas.matrix_power(np.array([[b"x", 0], [0, 1]], dtype=object), 2)
    with pytest.raises(TypeError, match=r"must be integers \(residues mod m\), got float"):
        lucas.matrix_power_mod(np.array([[1.5, 0], [0, 1]], dtype=object), 2, 7)
    with pytest.raises(TypeError, match="exponent n must be integers"):
        lucas.matrix_power(np.array(FIB, dtype=object), 2.0)
    with pytest.raises(OverflowError, match="more than the 2\\*\\*28"):
        lucas.matrix_power(np.array(FIB, dtype=object), 10**18)
    # polynomial growth is not refused: [[1, 1], [0, 1]]^n = [[1, n], [0, 1]]
    r = lucas.matrix_power(np.array([[1, 1], [0, 1]], dtype=object), 10**40)
    assert as_list(r) == [[1, 10**40], [0, 1]]


@SETTINGS
@given(
    k=st.integers(1, 4),
    n=st.integers(-40, 80),
    m=st.one_of(st.none(), st.integers(1, 60), st.integers(2**64, 2**200)),
    unimodular_a=st.booleans(),
    data=st.data(),
)
def test_object_property(
    k: int, n: int, m: int | None, unimodular_a: bool, data: st.DataObject
) -> None:
    # the object layer (exact Python ints, any modulus) against the reference, inverses too
    if unimodular_a:
        a = unimodular(k, random.Random(data.draw(st.integers(0, 10**6))), steps=8)
    else:
        entry = st.one_of(st.integers(-3, 3), st.integers(-(2**70), 2**70))
        a = [[data.draw(entry) for _ in range(k)] for _ in range(k)]
    arr = np.empty((k, k), dtype=object)
    arr[:] = a
    d = ref_det(a)
    call = (
        (lambda: lucas.matrix_power(arr, n))
        if m is None
        else (lambda: lucas.matrix_power_mod(arr, n, m))
    )
    if n < 0 and m is None and d not in (1, -1):
        with pytest.raises(ValueError, match=rf"A\*\*{n} needs the inverse of A, but det"):
            call()
    elif n < 0 and m is not None and m > 1 and math.gcd(d % m, m) != 1:
        with pytest.raises(ValueError, match=rf"A\*\*{n} .* singular modulo m={m} "):
            call()
    else:
        assert as_list(call()) == ref_power(a, n, m)


def test_object_inverse_larger_unimodular() -> None:
    # fraction-free elimination with row swaps (zero pivots) on bigger unimodular matrices
    rng = random.Random(5)
    for k in (5, 8, 12):
        a = unimodular(k, rng, steps=40)
        a[0], a[1] = a[1], a[0]
        for n in (-1, -3):
            got = lucas.matrix_power(np.array(a, dtype=object), n)
            assert as_list(got) == ref_power(a, n)
        m = 2**89 - 1
        got = lucas.matrix_power_mod(np.array(a, dtype=object), -5, m)
        assert as_list(got) == ref_power(a, -5, m)


def test_object_index_may_mutate_the_array() -> None:
    # __index__ clears the operand arrays: the loop holds its own references, so the power is
    # still that of the values it read
    a = np.empty((2, 2), dtype=object)
    ns = np.empty(1, dtype=object)

    class Clearing:
        def __init__(self, v: int) -> None:
            self.v = v

        def __index__(self) -> int:
            a[...] = None
            ns[...] = None
            return self.v

    a[:] = [[Clearing(0), Clearing(1)], [Clearing(1), Clearing(1)]]
    ns[0] = Clearing(10)
    assert as_list(lucas.matrix_power(a, ns)[0]) == ref_power(FIB, 10)
    assert "lucas._matpow" not in sys.modules  # no Python helper behind the object loop


# ---- failures: the first one in C order is reported ------------------------------------


def test_first_failure_wins_strided_stack() -> None:
    # every other element of a wider array: the rows are not contiguous, so the loops run once
    # per row; the second failure must not replace the first
    stack = np.zeros((3, 8, 2, 2), dtype=np.int64)[:, ::2]
    stack[:] = FIB
    ns = np.zeros((3, 8), dtype=np.int64)[:, ::2]
    ns[:] = 5
    for first, second in ((95, 92), (92, 95)):
        ns[0, 2], ns[2, 1] = first, second
        with pytest.raises(OverflowError, match=rf"an entry of A\*\*{first} does not fit"):
            lucas.matrix_power(stack, ns)
    ms = np.full((3, 8), 7, dtype=np.int64)[:, ::2]
    for first, second in ((-5, 0), (0, -5)):
        ms[1, 3], ms[2, 0] = first, second
        with pytest.raises(ValueError, match=rf"modulus m must be positive, got {first}$"):
            lucas.matrix_power_mod(stack, ns, ms)
    # the object loop: a TypeError before a ValueError, then the other way round
    ostack = np.zeros((3, 8, 2, 2), dtype=object)[:, ::2]
    ostack[:] = FIB
    ostack[2, 1] = ostack[0, 2] = [[2, 0], [0, 1]]
    ons = np.zeros((3, 8), dtype=object)[:, ::2]
    ons[:] = 5
    ons[0, 2], ons[2, 1] = 2.5, -1
    with pytest.raises(TypeError, match="the exponent n must be integers, got float"):
        lucas.matrix_power(ostack, ons)
    ons[0, 2], ons[2, 1] = -1, 2.5
    with pytest.raises(ValueError, match=r"A\*\*-1 needs the inverse of A"):
        lucas.matrix_power(ostack, ons)


_LONG_OBJECT_POWER = """
import numpy as np, lucas
rng = np.random.default_rng(1)
k = 40
a = np.empty((k, k), dtype=object)
a[:] = [[int(x) * (2**3000 + 1) for x in row] for row in rng.integers(1, 2**62, size=(k, k))]
print("start", flush=True)
lucas.matrix_power_mod(a, 10**300, 2**4000 + 1)
print("finished")
"""


def test_object_power_honours_ctrl_c(tmp_path: Path) -> None:
    # minutes of 4000-bit products: SIGINT must stop it within a row of one product
    latency, rc, err = _interrupt_after_start(["-c", _LONG_OBJECT_POWER], tmp_path)
    assert "KeyboardInterrupt" in err and "finished" not in err and rc != 0, err
    assert latency < 5.0, f"took {latency:.2f} s to stop"


# ---- bad input --------------------------------------------------------------------------


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="mismatch in its core dimension"):
        lucas.matrix_power(np.ones((2, 3), dtype=np.int64), 2)
    with pytest.raises(ValueError, match="non-empty square matrix"):
        lucas.matrix_power(np.ones((0, 0), dtype=np.int64), 2)
    with pytest.raises(ValueError, match="non-empty square matrix"):
        lucas.matrix_power_mod(np.ones((4, 0, 0), dtype=np.int64), 2, 5)
    for m in (0, -5):
        with pytest.raises(ValueError, match=f"modulus m must be positive, got {m}"):
            lucas.matrix_power_mod(np.array(FIB), 2, m)
        with pytest.raises(ValueError, match=f"modulus m must be positive, got {m}"):
            lucas.matrix_power_mod(np.array(FIB, dtype=object), 2, m)
    with pytest.raises(ValueError, match="got 0"):
        lucas.matrix_power_mod(np.array(FIB), 2, np.uint64(0))
    with pytest.raises(TypeError):
        lucas.matrix_power(np.array(FIB), 2.5)
    with pytest.raises(TypeError):
        lucas.matrix_power_mod(np.array(FIB), 2, 7.0)
    with pytest.raises(TypeError):
        lucas.matrix_power_mod(np.array(FIB, dtype=float), 2, 7)
    with pytest.raises(TypeError, match="must be integers"):
        lucas.matrix_power_mod(np.array(FIB, dtype=object), 2, 7.5)


def test_mod_large_exponent_paterson_stockmeyer() -> None:
    # k >= 64, odd prime m, many exponent bits: the Cayley-Hamilton + Paterson-Stockmeyer path
    p = 998244353
    k = 66
    rng = np.random.default_rng(8)
    a = rng.integers(0, p, size=(k, k), dtype=np.int64)
    n = 2**40 + 12345
    obj = a.astype(object)
    want = np.identity(k, dtype=np.int64).astype(object)
    base, e = obj, n
    while e:  # reference: object-dtype products reduced mod p
        if e & 1:
            want = want.dot(base) % p
        e >>= 1
        base = base.dot(base) % p
    got = lucas.matrix_power_mod(a, n, p)
    assert as_list(got) == as_list(want)
    inv = lucas.matrix_power_mod(a, -n, p)
    assert as_list(got.astype(object).dot(inv.astype(object)) % p) == as_list(np.identity(k))
    # a composite odd modulus keeps binary powering: same answer through another path
    m = 3**39
    got_c = lucas.matrix_power_mod(a, 2**20 + 3, m)
    assert as_list(got_c) == ref_power(as_list(a), 2**20 + 3, m)


@pytest.mark.parametrize("m", [10**9 + 7, 2**64 - 1, 3**40, 15, 2**61 - 1])
@pytest.mark.parametrize("k", [3, 5, 17, 32])
def test_many_exponents_cayley_hamilton(k: int, m: int) -> None:
    rng = random.Random(k * 1000 + m % 997)
    a = [[rng.randrange(m) for _ in range(k)] for _ in range(k)]
    ns = [1, 2, k - 1, k, k + 1, 3 * k, 1000, 2**63 - 1 if k < 10 else 2**20 + 1]
    ns += [rng.randrange(2**63 if k < 10 else 2**24) for _ in range(8 if k < 10 else 2)]
    mdt = np.uint64 if m > INT64_MAX else np.int64
    got = lucas.matrix_power_mod(np.array(a, dtype=np.uint64), np.array(ns), np.array(m, dtype=mdt))
    for n, g in zip(ns, got):
        assert as_list(g) == ref_power(a, n, m), (k, m, n)


@pytest.mark.parametrize(
    "m", [2, 3, 4, 6, 998244353, 10**9 + 7, 2**31 - 1, 2**32 - 5, 2**32 - 2, 2**32 - 1]
)
@pytest.mark.parametrize("k", [1, 2, 3, 8, 16, 17])
def test_many_exponents_word_modulus(k: int, m: int) -> None:
    # m < 2^32: the lazy 64-bit Cayley-Hamilton path, odd and even m, with and without
    # intermediate reductions (2k - 1 products of (m-1)^2 overflow 64 bits for large m)
    rng = random.Random(k * 7919 + m)
    a = [[rng.randrange(m) for _ in range(k)] for _ in range(k)]
    if k > 1:
        a[0] = [m - 1] * k  # the largest residues
    bits = 62 if k < 10 else 20
    ns = [1, 2, k - 1, k, k + 1, 2 * k - 1, 2 * k, 2**bits - 1, 2**bits]
    ns += [rng.randrange(2**bits) for _ in range(7)]
    got = lucas.matrix_power_mod(np.array(a, dtype=np.int64), np.array(ns), m)
    for n, g in zip(ns, got):
        assert as_list(g) == ref_power(a, n, m), (k, m, n)
