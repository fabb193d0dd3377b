"""Differential properties: every face and dtype against the pure-Python references.

hypothesis draws recurrences (order 1-4, coefficients from tiny to near 2**63), indices (from
small to the int64/uint64 limits, negative where defined) and moduli (1 to 2**64-1, and
beyond in object arrays), then compares

- int64 (every method): exact, or OverflowError only when the true value does not fit.
  For indices whose exact value is too large to compute in Python, "fits" is decided like
  the C code cannot: by the residue mod 2**64 (the only int64 candidate) agreeing with the
  residues mod three large primes, which a non-fitting value matches with probability
  about 2**-180.  "could not prove ... fits" is accepted only where the recurrence's
  magnitude bound exceeds 2**7900 (the documented limit of the certificate);
- term_mod (int64, uint64 and object loops, every method) and sequence(mod=...): equal;
- object arrays: exact Python ints, equal;
- float64: with non-negative coefficients and initial values (no cancellation), within a
  relative 1e-12 * (1 + log2(n)) * k of the exact value (the stated tolerance);
- sequence, LucasIter and the classic ufuncs: equal to the same references.

Example counts stay modest so that the whole file runs in a few seconds.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from reference import fits_int64, ref_matrix, ref_step

import lucas

I64_MAX, I64_MIN, U64_MAX = 2**63 - 1, -(2**63), 2**64 - 1
PRIMES = (2**61 - 1, 4611686018427387847, 4611686018427387817)
SETTINGS = settings(deadline=None, max_examples=80, suppress_health_check=[HealthCheck.too_slow])


def obj(v: Any) -> np.ndarray:
    a = np.empty(len(v), dtype=object)
    a[:] = list(v)
    return a


# ---- strategies ---------------------------------------------------------------------------

small_int = st.integers(-9, 9)
any_i64 = st.one_of(
    small_int,
    st.integers(-(2**20), 2**20),
    st.integers(I64_MIN, I64_MAX),
    st.sampled_from([I64_MIN, I64_MAX, -1, 0, 1]),
)


@st.composite
def recurrences(draw: Any, values: Any = None) -> tuple[list[int], list[int]]:
    k = draw(st.integers(1, 4))
    vals = values if values is not None else any_i64
    c = draw(st.lists(vals, min_size=k, max_size=k))
    init = draw(st.lists(vals, min_size=k, max_size=k))
    return c, init


indices = st.one_of(
    st.integers(-200, 200),
    st.integers(0, 3000),
    st.integers(I64_MIN, I64_MAX),
    st.sampled_from([I64_MIN, I64_MIN + 1, I64_MAX, I64_MAX - 1, 92, 93, -93]),
)
moduli = st.one_of(
    st.integers(1, 20),
    st.integers(1, 2**32),
    st.integers(1, I64_MAX),
    st.integers(2**63, U64_MAX),
    st.sampled_from([1, 2, 2**32, 2**61 - 1, 2**63, U64_MAX, U64_MAX - 58]),
)


def can_run_backwards(c: list[int], m: int | None) -> bool:
    if m is None:
        return c[0] in (1, -1)
    return math.gcd(c[0] % m, m) == 1


def log2_bound(c: list[int], init: list[int], n: int) -> float:
    """The C core's majorant bound on log2|a[n]| (lr_i64_log2_bound)."""
    imax = max([1] + [abs(v) for v in init])
    cs = [abs(v) for v in c] if n >= 0 else [1] + [abs(v) for v in c[1:]]
    s = max(1, sum(cs))
    return math.log2(imax) + (abs(n) + 1) * math.log2(s)


def exact_or_none(c: list[int], init: list[int], n: int) -> int | None:
    """a[n] exactly when that is cheap (bound below ~20000 bits), else None."""
    if log2_bound(c, init, n) > 20000:
        return None
    return ref_matrix(c, init, n)


def looks_like_int64(c: list[int], init: list[int], n: int) -> int | None:
    """The int64 value a[n] has if its residues say it fits, else None (see module doc)."""
    cand = ref_matrix(c, init, n, 2**64)
    if cand >= 2**63:
        cand -= 2**64
    if all(ref_matrix(c, init, n, p) == cand % p for p in PRIMES):
        return cand
    return None


# ---- int64: exact or a true OverflowError --------------------------------------------------


@SETTINGS
@given(rec=recurrences(), n=indices, method=st.sampled_from(lucas.METHODS))
def test_int64_exact_or_true_overflow(
    rec: tuple[list[int], list[int]], n: int, method: str
) -> None:
    c, init = rec
    term = lucas.term_ufunc(method)
    if n < 0 and not can_run_backwards(c, None):
        with pytest.raises(ValueError, match="cannot run backwards"):
            term(c, init, n)
        return
    exact = exact_or_none(c, init, n)
    truth = (
        (exact if fits_int64(exact) else None)
        if exact is not None
        else looks_like_int64(c, init, n)
    )
    try:
        got = term(np.array(c, np.int64), np.array(init, np.int64), n)
    except OverflowError as e:
        if "could not prove" in str(e):
            assert log2_bound(c, init, n) > 7900, (c, init, n)
        else:
            assert truth is None, f"false overflow: a[{n}] = {truth} fits int64"
        return
    assert truth is not None and int(got) == truth


@SETTINGS
@given(rec=recurrences(st.integers(-3, 3)), start=st.integers(0, 95), count=st.integers(1, 40))
def test_int64_batch_equals_single(
    rec: tuple[list[int], list[int]], start: int, count: int
) -> None:
    # a broadcast batch (the O(k) stepping and table paths) against one index at a time
    c, init = rec
    ns = np.arange(start, start + count)
    singles = []
    for n in ns:
        try:
            singles.append(int(lucas.term(c, init, int(n))))
        except OverflowError:
            singles.append(None)
    if None in singles:
        with pytest.raises(OverflowError):
            lucas.term(c, init, ns)
    else:
        assert lucas.term(c, init, ns).tolist() == singles


# ---- modular: every dtype and method ---------------------------------------------------------


@SETTINGS
@given(rec=recurrences(), n=indices, m=moduli, method=st.sampled_from(lucas.METHODS))
def test_term_mod_every_dtype(
    rec: tuple[list[int], list[int]], n: int, m: int, method: str
) -> None:
    c, init = rec
    term_mod = lucas.term_mod_ufunc(method)
    calls = [lambda: term_mod(obj(c), obj(init), n, m)]
    calls.append(lambda: term_mod(np.array(c, np.int64), np.array(init, np.int64), n, np.uint64(m)))
    if m <= I64_MAX:
        calls.append(lambda: term_mod(np.array(c, np.int64), np.array(init, np.int64), n, m))
    if n >= 0:
        calls.append(
            lambda: term_mod(
                np.array(c, np.int64), np.array(init, np.int64), np.uint64(n), np.uint64(m)
            )
        )
    if all(v >= 0 for v in c + init):
        calls.append(
            lambda: term_mod(np.array(c, np.uint64), np.array(init, np.uint64), n, np.uint64(m))
        )
    if n < 0 and not can_run_backwards(c, m):
        for call in calls:
            with pytest.raises(ValueError, match="backwards|invertible"):
                call()
        return
    expected = ref_matrix(c, init, n, m)
    for call in calls:
        assert int(call()) == expected


@SETTINGS
@given(rec=recurrences(), m=st.integers(2**64, 2**130), n=st.integers(-(10**30), 10**30))
def test_term_mod_object_big_moduli(rec: tuple[list[int], list[int]], m: int, n: int) -> None:
    c, init = rec
    if n < 0 and not can_run_backwards(c, m):
        with pytest.raises(ValueError):
            lucas.term_mod(obj(c), obj(init), n, m)
        return
    assert lucas.term_mod(obj(c), obj(init), n, m) == ref_matrix(c, init, n, m)


# ---- object: exact big integers --------------------------------------------------------------


@SETTINGS
@given(
    rec=recurrences(st.integers(-(10**30), 10**30)),
    n=st.integers(-60, 400),
    method=st.sampled_from(lucas.METHODS),
)
def test_object_exact(rec: tuple[list[int], list[int]], n: int, method: str) -> None:
    c, init = rec
    assume(n >= 0 or can_run_backwards(c, None) or c[0] != 0)
    term = lucas.term_ufunc(method)
    if n < 0 and not can_run_backwards(c, None):
        with pytest.raises(ValueError, match="backwards"):
            term(obj(c), obj(init), n)
        return
    got = term(obj(c), obj(init), n)
    assert type(got) is int and got == ref_step(c, init, n)


# ---- float64: within the stated tolerance ----------------------------------------------------


def dyadic(top: float) -> Any:
    """Floats j / 2**10 in [0, top]: exact rational references stay small and fast."""
    return st.integers(0, int(top * 1024)).map(lambda j: j / 1024)


@SETTINGS
@given(
    c=st.lists(dyadic(1.5), min_size=1, max_size=4),
    data=st.data(),
    n=st.integers(0, 600),
    method=st.sampled_from(lucas.METHODS),
)
def test_float_within_tolerance(c: list[float], data: Any, n: int, method: str) -> None:
    k = len(c)
    init = data.draw(st.lists(dyadic(1e3), min_size=k, max_size=k))
    # the exact value of the same recurrence over the rationals, from the float inputs
    from fractions import Fraction

    cq = [Fraction(v) for v in c]
    win = [Fraction(v) for v in init]
    for _ in range(k, n + 1):
        win = win[1:] + [sum(cq[i] * win[i] for i in range(k))]
    exact = float(win[-1] if n >= k else win[n])
    assume(math.isfinite(exact) and (exact == 0 or abs(exact) > 1e-290))
    with np.errstate(over="ignore"):
        got = float(lucas.term_ufunc(method)(c, init, n))
    tol = 1e-12 * (1 + math.log2(n + 1)) * k
    assert got == pytest.approx(exact, rel=tol, abs=1e-300), (c, init, n)


# ---- sequence, LucasIter, classic ufuncs --------------------------------------------------


@st.composite
def stepped(draw: Any) -> tuple[list[int], list[int], int | None]:
    """What sequence and LucasIter step: a recurrence with coefficients in [-5, 5], and a
    modulus or None."""
    c, init = draw(recurrences(st.integers(-5, 5)))
    return c, init, draw(st.one_of(st.none(), moduli))


@SETTINGS
@given(rec=stepped(), start=st.integers(-50, 10**6), count=st.integers(0, 60))
def test_sequence_matches_reference(
    rec: tuple[list[int], list[int], int | None], start: int, count: int
) -> None:
    c, init, m = rec
    if start < 0 and not can_run_backwards(c, m):
        if count:
            with pytest.raises(ValueError):
                lucas.sequence(c, init, count, start=start, mod=m)
        return
    if m is None and start > 2000:
        start = start % 2000
    expected = [ref_matrix(c, init, start + j, m) for j in range(count)]
    if m is None and not all(fits_int64(v) for v in expected):
        first = next(j for j, v in enumerate(expected) if not fits_int64(v))
        with pytest.raises(OverflowError, match=rf"a\[{start + first}\]"):
            lucas.sequence(c, init, count, start=start)
        got = lucas.sequence(c, init, count, start=start, dtype=object)
    else:
        got = lucas.sequence(c, init, count, start=start, mod=m)
    assert [int(v) for v in got] == expected


@SETTINGS
@given(rec=stepped(), skip=st.integers(0, 10**12), count=st.integers(0, 120))
def test_lucas_iter_matches_reference(
    rec: tuple[list[int], list[int], int | None], skip: int, count: int
) -> None:
    c, init, m = rec
    if m is None:
        skip = skip % 300
    it = lucas.LucasIter(c, init, mod=m)
    it.advance(skip)
    got = list(itertools.islice(it, count))
    assert got == [ref_matrix(c, init, skip + j, m) for j in range(count)]
    assert all(type(v) is int for v in got)


@SETTINGS
@given(
    P=st.integers(-50, 50),
    Q=st.integers(-50, 50),
    n=st.integers(0, 10**18),
    m=st.integers(1, I64_MAX),
)
def test_lucas_uv_mod_matches_reference(P: int, Q: int, n: int, m: int) -> None:
    u, v = lucas.lucas_uv_mod(P, Q, n, m)
    assert int(u) == ref_matrix([-Q, P], [0, 1], n, m)
    assert int(v) == ref_matrix([-Q, P], [2, P], n, m)


@SETTINGS
@given(n=st.integers(-200, 200))
def test_fibonacci_exact_or_overflow(n: int) -> None:
    exact = ref_step([1, 1], [0, 1], n)
    if fits_int64(exact):
        assert int(lucas.fibonacci(n)) == exact
    else:
        with pytest.raises(OverflowError):
            lucas.fibonacci(n)
    assert lucas.fibonacci(obj([n]))[0] == exact
