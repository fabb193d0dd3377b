"""float64 accuracy: every method and sequence against exact rational arithmetic.

The contract (README, "dtypes"): with non-negative inputs, a float64 result whose exact value
is a normal double is within REL(k, n) = 2 k log2(|n| + k + 2) eps of it (sequence terms
stepped j times from the jump add 2 k j eps); inf only when the exact value overflows; no
warning for a finite result.  Signed inputs: no worse than numpy.linalg.matrix_power on the
companion matrix, and polynomial growth (a multiple root at +-1) keeps its digits.
"""

from __future__ import annotations

import math
import random
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lucas

EPS = 2.0**-52
METHODS = ["auto", "matrix", "poly"]
MAX = Fraction(np.finfo(float).max)
TINY = Fraction(2) ** -1022


def rel_bound(k: int, n: int) -> float:
    """The stated bound for one term."""
    return 2 * k * math.log2(abs(n) + k + 2) * EPS


def seq_bound(k: int, j: int) -> float:
    """The stated bound for term j of sequence(c, init, count) (stepped from the window)."""
    return rel_bound(k, j) + 2 * k * j * EPS


def exact(c: list[float], init: list[float], n: int) -> Fraction:
    """a[n] exactly for n >= 0: the doubles are dyadic, so with S, T making 2^S c[i] and
    2^T init[j] integers, B[j] = a[j] 2^(S j + T) is an integer recurrence, powered as
    x^n mod its characteristic polynomial on Python ints."""
    k = len(c)
    fc = [Fraction(x) for x in c]
    fi = [Fraction(x) for x in init]
    if n < k:
        return fi[n]
    s = max([0] + [x.denominator.bit_length() - 1 for x in fc])
    t = max([0] + [x.denominator.bit_length() - 1 for x in fi])
    cc = [int(x * 2**s) << (s * (k - 1 - i)) for i, x in enumerate(fc)]
    bb = [int(x * 2**t) << (s * j) for j, x in enumerate(fi)]

    def mulmod(a: list[int], b: list[int]) -> list[int]:
        prod = [0] * (2 * k - 1)
        for i, ai in enumerate(a):
            if ai:
                for j, bj in enumerate(b):
                    prod[i + j] += ai * bj
        for d in range(2 * k - 2, k - 1, -1):
            q = prod[d]
            if q:
                for i in range(k):
                    prod[d - k + i] += q * cc[i]
        return prod[:k]

    r = [1] + [0] * (k - 1)
    base = [cc[0]] if k == 1 else [0, 1] + [0] * (k - 2)
    e = n
    while e:
        if e & 1:
            r = mulmod(r, base)
        e >>= 1
        if e:
            base = mulmod(base, base)
    return Fraction(sum(ri * bi for ri, bi in zip(r, bb)), 2 ** (s * n + t))


def exact_steps(c: list[float], init: list[float], n: int) -> list[Fraction]:
    """a[0..n] exactly by stepping (negative n: the reversed recurrence, c[0] != 0)."""
    k = len(c)
    fc = [Fraction(x) for x in c]
    a = [Fraction(x) for x in init]
    if n < 0:
        d = [1 / fc[0]] + [-fc[k - j] / fc[0] for j in range(1, k)]
        return exact_steps([*d], [*a[::-1]], k - 1 - n)
    while len(a) <= n:
        a.append(sum(ci * a[len(a) - k + i] for i, ci in enumerate(fc)))
    return a


def rel_err(got: float, want: Fraction) -> float:
    if want == 0:
        return 0.0 if got == 0 else math.inf
    if not math.isfinite(got):
        return math.inf
    return float(abs(Fraction(got) - want) / abs(want))


def is_normal_or_zero(v: Fraction) -> bool:
    return v == 0 or TINY <= abs(v) <= MAX


def call(method: str, c, init, n) -> float:
    return float(lucas.term_ufunc(method)(c, init, n))


def check(method: str, c: list[float], init: list[float], n: int, want: Fraction) -> None:
    """Normal exact value: within the bound and no warning (warnings are errors here);
    beyond the double range: inf of the right sign."""
    if abs(want) > MAX:
        with np.errstate(over="ignore"):
            got = call(method, c, init, n)
        assert got == (math.inf if want > 0 else -math.inf), (method, c, init, n, got)
        return
    got = call(method, c, init, n)
    err = rel_err(got, want)
    assert err <= rel_bound(len(c), n), (method, c, init, n, got, float(want), err)


def wide(rng: random.Random, lo: int = -700, hi: int = 700) -> float:
    """A non-negative double of magnitude 2^lo .. 2^hi, sometimes 0."""
    return 0.0 if rng.random() < 0.05 else rng.uniform(0.5, 1.0) * 2.0 ** rng.randint(lo, hi)


# ---------------------------------------------------------------------------------------------
# the reviewer's examples


@pytest.mark.parametrize("method", METHODS)
def test_reported_examples(method: str) -> None:
    f = lucas.term_ufunc(method)
    assert f([-1.0, 2.0], [0.0, 1.0], 2**29) == 536870912.0
    assert f([-1.0, -2.0], [0.0, 1.0], 10**9) == -1e9
    for c, init, n in [([0.0, 1e200], [0.0, 1e-300], 3), ([1e200], [1e-300], 2)]:
        assert rel_err(float(f(c, init, n)), exact(c, init, n)) <= 4 * EPS  # 1e100


def test_overflow_gives_inf_and_numpys_warning() -> None:
    with pytest.warns(RuntimeWarning, match="overflow"):
        assert lucas.term([1e200], [1e200], 2) == math.inf
    with pytest.warns(RuntimeWarning, match="overflow"):
        assert lucas.term_ufunc("matrix")([1e300, 1e300], [1e300, 1e300], 5) == math.inf


# ---------------------------------------------------------------------------------------------
# non-negative inputs of every magnitude


@pytest.mark.parametrize("seed", range(4))
def test_wide_magnitudes_every_method(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(40):
        k = rng.randint(1, 5)
        n = rng.randint(0, 70)
        c = [wide(rng) for _ in range(k)]
        init = [wide(rng) for _ in range(k)]
        want = exact(c, init, n)
        if not (is_normal_or_zero(want) or abs(want) > MAX):
            continue  # a subnormal result: outside the contract
        for method in METHODS:
            check(method, c, init, n, want)


@pytest.mark.parametrize("seed", range(3))
def test_wide_magnitudes_sequence(seed: int) -> None:
    rng = random.Random(100 + seed)
    for _ in range(25):
        k = rng.randint(1, 4)
        count = rng.randint(1, 60)
        c = [wide(rng) for _ in range(k)]
        init = [wide(rng) for _ in range(k)]
        want = exact_steps(c, init, count - 1)
        with np.errstate(over="ignore"):
            got = lucas.sequence(c, init, count, dtype=float)
        for j, (g, w) in enumerate(zip(got.tolist(), want)):
            if abs(w) > MAX:
                assert g == math.inf, (c, init, j)
            elif is_normal_or_zero(w):
                assert rel_err(g, w) <= seq_bound(k, j), (c, init, j, g, float(w))


def test_sequence_start_far_out() -> None:
    c, init = [0.375, 0.5, 0.25], [1e-300, 2e-200, 3e-100]
    start, count = 5000, 50
    got = lucas.sequence(c, init, count, start=start, dtype=float)
    for j in (0, 1, 2, 17, count - 1):
        want = exact(c, init, start + j)
        assert rel_err(float(got[j]), want) <= seq_bound(3, start + j)


def test_large_n() -> None:
    rng = random.Random(7)
    for _ in range(6):
        k = rng.randint(1, 6)
        n = rng.choice([1000, 5000])
        c = [rng.random() for _ in range(k)]
        total = sum(c)
        c = [x / total * rng.uniform(0.95, 1.1) for x in c]
        init = [rng.random() for _ in range(k)]
        want = exact(c, init, n)
        for method in METHODS:
            check(method, c, init, n, want)


def test_order_80_runs_the_blas_path() -> None:
    rng = random.Random(80)
    k, n = 80, 300
    c = [rng.random() for _ in range(k)]
    total = sum(c)
    c = [x / total for x in c]
    init = [rng.random() * 2.0 ** rng.randint(-20, 20) for _ in range(k)]
    want = exact(c, init, n)
    for method in METHODS:
        check(method, c, init, n, want)


def test_subnormal_intermediates_normal_result() -> None:
    # x^2 = c^2 is far below the double range; a[2] = c^2 init is normal
    c, init = [1.3 * 2.0**-700], [1.7 * 2.0**1000]
    for method in METHODS:
        check(method, c, init, 2, exact(c, init, 2))
    # a[2] is subnormal (its digits lost in plain doubles), a[4] = 2 c0 c1 a1 is normal
    c, init = [2.0**1000, 3 * 2.0**-1070], [0.0, 1.2345]
    want = exact_steps(c, init, 6)
    for method in METHODS:
        check(method, c, init, 4, want[4])
    got = lucas.sequence(c, init, 7, dtype=float)
    for j in (4, 6):
        assert rel_err(float(got[j]), want[j]) <= seq_bound(2, j)
    # terms beyond the double range between normal ones (plain stepping: inf, then 0 * inf)
    c, init = [1e-200, 1e200, 0.0], [1.0, 1e150, 1e-300]
    want = exact_steps(c, init, 7)
    assert abs(want[3]) > MAX and abs(want[5]) > MAX and is_normal_or_zero(want[6])
    for method in METHODS:
        check(method, c, init, 6, want[6])
    with np.errstate(over="ignore"):
        got = lucas.sequence(c, init, 8, dtype=float)
    for j, w in enumerate(want):
        if abs(w) > MAX:
            assert got[j] == math.inf
        else:
            assert rel_err(float(got[j]), w) <= seq_bound(3, j)


def test_negative_index() -> None:
    rng = random.Random(3)
    for _ in range(20):
        c = [rng.uniform(0.5, 1.0) * 2.0 ** rng.randint(-600, 600)]
        init = [rng.uniform(0.5, 1.0) * 2.0 ** rng.randint(-600, 600)]
        n = -rng.randint(1, 3)
        want = exact_steps(c, init, n)[-1]
        if is_normal_or_zero(want):
            for method in METHODS:
                check(method, c, init, n, want)


# ---------------------------------------------------------------------------------------------
# signed inputs


@pytest.mark.parametrize("method", METHODS)
def test_polynomial_growth_exact(method: str) -> None:
    f = lucas.term_ufunc(method)
    ns = [5, 2**29, 2**40, 2**53 - 1, 2**53, 2**53 + 1, 2**62, 2**63 - 1, -5, -(2**40)]
    got = f([-1.0, 2.0], [0.0, 1.0], ns)
    assert got.tolist() == [float(n) for n in ns]  # a[n] = n, correctly rounded
    got = f([-1.0, 2.0], [0.0, -1.0], ns)
    assert got.tolist() == [-float(n) for n in ns]
    got = f([-1.0, -2.0], [0.0, 1.0], [10**9, 10**9 + 1, -3])
    assert got.tolist() == [-1e9, 1e9 + 1, -3.0]  # a[n] = (-1)^(n+1) n


@pytest.mark.parametrize("method", METHODS)
def test_polynomial_growth_keeps_digits(method: str) -> None:
    f = lucas.term_ufunc(method)
    # a[n] = 2 n^3: characteristic polynomial (x - 1)^4
    for n in [7, 2**20, 2**21 + 3, 2**25, 2**30, 2**40, -(2**20)]:
        got = float(f([-1.0, 4.0, -6.0, 4.0], [0.0, 2.0, 16.0, 54.0], n))
        assert rel_err(got, Fraction(2 * n**3)) <= 8 * EPS, n
    # a non-integer quadratic, (x - 1)^3: a[n] = 0.5 + 0.75 n + 0.25 n^2
    c, init = [1.0, -3.0, 3.0], [0.5, 1.5, 3.0]
    for n in [10, 2**30, 2**45]:
        want = Fraction(1, 2) + Fraction(3, 4) * n + Fraction(1, 4) * n * n
        assert rel_err(float(f(c, init, n)), want) <= 16 * EPS, n


@pytest.mark.parametrize("seed", range(2))
def test_signed_no_worse_than_matrix_power(seed: int) -> None:
    rng = random.Random(500 + seed)
    for _ in range(40):
        k = rng.randint(1, 6)
        n = rng.choice([10, 50, 200, 700])
        c = [rng.uniform(-1, 1) for _ in range(k)]
        init = [rng.uniform(-1, 1) for _ in range(k)]
        want = exact(c, init, n)
        if not (1e-300 < abs(want) < 1e300):
            continue
        companion = np.zeros((k, k))
        companion[np.arange(k - 1), np.arange(1, k)] = 1.0
        companion[-1] = c
        with np.errstate(all="ignore"):
            ref = float((np.linalg.matrix_power(companion, n) @ np.array(init))[0])
        ref_err = rel_err(ref, want)
        for method in METHODS:
            err = rel_err(call(method, c, init, n), want)
            assert err <= max(2 * ref_err, rel_bound(k, n)), (method, c, init, n, err, ref_err)


# ---------------------------------------------------------------------------------------------
# property: non-negative inputs, every method


def _double(m: float, e: int) -> float:
    return m * 2.0**e


nonneg = st.one_of(
    st.just(0.0),
    st.builds(_double, st.floats(0.5, 1.0, exclude_max=True), st.integers(-700, 700)),
    st.builds(_double, st.floats(0.5, 1.0, exclude_max=True), st.integers(-4, 4)),
)
# (c, init) of order 1..4 with non-negative entries
nonneg_recurrences = st.integers(1, 4).flatmap(
    lambda k: st.tuples(
        st.lists(nonneg, min_size=k, max_size=k), st.lists(nonneg, min_size=k, max_size=k)
    )
)


@settings(max_examples=150, deadline=None)
@given(
    nonneg_recurrences,
    st.integers(0, 120),
    st.sampled_from(METHODS),
)
def test_property_nonnegative(ci, n: int, method: str) -> None:
    c, init = ci
    want = exact_steps(c, init, n)[n]
    if is_normal_or_zero(want) or abs(want) > MAX:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            check(method, c, init, n, want)


@settings(max_examples=60, deadline=None)
@given(
    nonneg_recurrences,
    st.integers(1, 80),
    st.integers(0, 40),
)
def test_property_nonnegative_sequence(ci, count: int, start: int) -> None:
    c, init = ci
    k = len(c)
    want = exact_steps(c, init, start + count - 1)[start:]
    with np.errstate(over="ignore"):
        got = lucas.sequence(c, init, count, start=start, dtype=float).tolist()
    for j, (g, w) in enumerate(zip(got, want)):
        if abs(w) > MAX:
            assert g == math.inf
        elif is_normal_or_zero(w):
            # term start + j: a jump (j < k) or stepped from the window at most j times
            assert rel_err(g, w) <= seq_bound(k, start + j), (c, init, start, j, g, float(w))
