"""lucas.find_recurrence: against a plain-Python Berlekamp-Massey over Fraction and modulo
primes, round trips through lucas.sequence, the OEIS data set, big integers, 2-D input,
underdetermined input and errors."""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oeis_data import load_oeis
from reference import ref_step

import lucas
from lucas.__main__ import main

SETTINGS = settings(
    deadline=None,
    max_examples=150,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
PRIMES = [2, 3, 5, 998244353, 2**61 - 1, 2**64 - 59]


# ---- slow references ----------------------------------------------------------------------


def ref_bm(s, p=None):
    """Berlekamp-Massey over Q (Fractions) or Z/pZ: the seed-order coefficients of the
    shortest recurrence, as in the textbook (Massey 1969)."""

    def inv(x):
        return Fraction(1) / x if p is None else pow(x, -1, p)

    def red(x):
        return x if p is None else x % p

    s = [Fraction(v) if p is None else v % p for v in s]
    C, B = [Fraction(1) if p is None else 1], [Fraction(1) if p is None else 1]
    L, m, b = 0, 1, (Fraction(1) if p is None else 1)
    for i in range(len(s)):
        d = red(s[i] + sum(C[j] * s[i - j] for j in range(1, L + 1)))
        if d == 0:
            m += 1
            continue
        coef = red(d * inv(b))
        T = list(C)
        C = C + [0] * max(0, len(B) + m - len(C))
        for j, bj in enumerate(B):
            C[j + m] = red(C[j + m] - coef * bj)
        if 2 * L <= i:
            L, B, b, m = i + 1 - L, T, d, 1
        else:
            m += 1
    C = C + [0] * (L + 1 - len(C))
    return [red(-C[L - t]) for t in range(L)]  # c[t] multiplies the oldest-but-t term


def generate(coefs, init, count, p=None):
    """count terms by plain stepping with Python numbers (Fractions allowed)."""
    a = list(init)
    k = len(coefs)
    while len(a) < count:
        v = sum(c * a[len(a) - k + i] for i, c in enumerate(coefs)) if k else 0
        a.append(v % p if p is not None else v)
    return a[:count]


def find(terms, **kw):
    """find_recurrence with UnderdeterminedWarning allowed (and reported)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = lucas.find_recurrence(terms, **kw)
    kinds = {w.category for w in caught}
    assert kinds <= {lucas.UnderdeterminedWarning}, kinds
    return got, bool(caught)


def as_python(values):
    return [v if isinstance(v, Fraction) else int(v) for v in values.tolist()]


def test_ref_bm_sanity() -> None:
    assert ref_bm([0, 1, 1, 2, 3, 5, 8]) == [1, 1]
    assert ref_bm([1, 2, 5, 12, 29]) == [1, 2]
    assert ref_bm([1, 3, 7, 15, 31], 5) == [3, 3]  # a[n+2] = 3 a[n+1] - 2 a[n]


# ---- basic behaviour --------------------------------------------------------------------


def test_fibonacci_pell_and_types() -> None:
    c, i = lucas.find_recurrence([0, 1, 1, 2, 3, 5, 8, 13])
    assert c.dtype == np.int64 and c.tolist() == [1, 1] and i.tolist() == [0, 1]
    c, i = lucas.find_recurrence(np.array([0, 1, 2, 5, 12, 29, 70], dtype=np.int32))
    assert c.tolist() == [1, 2] and i.tolist() == [0, 1]
    # an OEIS signature is the reverse: A000073 tribonacci (1, 1, 1); A001590 ...
    c, _ = lucas.find_recurrence([1, 3, 7, 15, 31, 63, 127])
    assert c.tolist() == [-2, 3]


def test_zero_and_empty() -> None:
    for terms in ([], [0], [0, 0, 0], np.zeros(9, dtype=np.int64), np.zeros(0, dtype=np.uint64)):
        c, i = lucas.find_recurrence(terms)
        assert c.size == 0 and i.size == 0
    c, i = lucas.find_recurrence([0, 0, 0], mod=7)
    assert c.size == 0 and i.size == 0


def test_fractions_where_the_prefix_determines_them() -> None:
    c, i = lucas.find_recurrence([8, 4, 2, 1])
    assert c.dtype == object and c.tolist() == [Fraction(1, 2)] and i.tolist() == [8]
    (c, i), warned = find([4, 2, 1, 0])
    assert warned and len(c) == 3
    assert generate(as_python(c), i.tolist(), 4) == [4, 2, 1, 0]


def test_big_integers_and_big_coefficients() -> None:
    big = 2**70 + 3
    seq = generate([big, -1], [1, 5], 12)
    c, i = lucas.find_recurrence(seq)
    assert c.dtype == object and c.tolist() == [big, -1] and i.tolist() == [1, 5]
    seq = [3**j * 2**300 for j in range(8)]
    c, i = lucas.find_recurrence(np.array(seq, dtype=object))
    assert c.tolist() == [3] and i.tolist() == [2**300]
    # huge terms from a small recurrence: the C path certifies them
    seq = generate([1, 1], [2**500, 1], 30)
    assert lucas.find_recurrence(seq)[0].tolist() == [1, 1]
    # int64 terms whose recurrence needs coefficients far beyond int64
    c0 = 2**100 + 7
    seq = generate([c0], [1], 3)
    c, _ = lucas.find_recurrence(seq)
    assert c.tolist() == [c0]


def test_values_at_the_int64_edges() -> None:
    seq = [-(2**63), 2**63 - 1, -(2**63), 2**63 - 1, -(2**63)]
    (c, i), _ = find(seq)
    assert generate(as_python(c), as_python(i), 5) == seq
    u = np.array([2**64 - 1, 1, 2**64 - 1, 1], dtype=np.uint64)
    (c, i), _ = find(u)
    assert generate(as_python(c), as_python(i), 4) == [2**64 - 1, 1, 2**64 - 1, 1]
    mixed = [-1, 2**63, -1, 2**63, -1, 2**63]  # NumPy alone would make these floats
    (c, i), _ = find(mixed)
    assert generate(as_python(c), as_python(i), 6) == mixed


# ---- properties -------------------------------------------------------------------------

small_ints = st.integers(-(2**20), 2**20)
recurrences = st.integers(1, 6).flatmap(
    lambda k: st.tuples(
        st.lists(small_ints, min_size=k, max_size=k), st.lists(small_ints, min_size=k, max_size=k)
    )
)


@SETTINGS
@given(recurrences, st.integers(0, 6))
def test_round_trip_with_sequence(rec, extra) -> None:
    coefs, init = rec
    k = len(coefs)
    n = 2 * k + extra
    terms = [ref_step(coefs, init, j) for j in range(n)]
    (c, i), warned = find(terms)
    assert len(c) <= k and not warned
    assert c.tolist() == ref_bm(terms)
    if len(c):
        got = lucas.sequence(c, i, n, dtype=object).tolist()
        assert got == terms
    else:
        assert all(v == 0 for v in terms)


@SETTINGS
@given(st.lists(st.integers(-50, 50), max_size=14))
def test_against_fraction_bm(terms) -> None:
    (c, i), warned = find(terms)
    want = ref_bm(terms)
    assert len(c) == len(want)
    if not warned:  # determined: the recurrence is unique
        assert as_python(c) == want
    assert i.tolist() == terms[: len(want)]
    assert warned == (2 * len(want) > len(terms))
    assert generate(as_python(c), terms[: len(c)], len(terms)) == terms


@SETTINGS
@given(st.lists(st.integers(-(2**200), 2**200), max_size=10))
def test_against_fraction_bm_big(terms) -> None:
    (c, i), warned = find(terms)
    want = ref_bm(terms)
    assert len(c) == len(want)
    if not warned:
        assert as_python(c) == want
    assert generate(as_python(c), as_python(i), len(terms)) == terms


@SETTINGS
@given(st.sampled_from(PRIMES), st.lists(st.integers(0, 2**64 - 1), max_size=24))
def test_against_bm_mod_p(p, terms) -> None:
    (c, i), warned = find(terms, mod=p)
    want = ref_bm(terms, p)
    assert [int(v) for v in c.tolist()] == want
    assert [int(v) for v in i.tolist()] == [v % p for v in terms[: len(want)]]
    assert warned == (2 * len(want) > len(terms))
    assert c.dtype == (np.int64 if p < 2**63 else np.uint64)


@SETTINGS
@given(st.sampled_from([2, 998244353, 2**64 - 59]), recurrences, st.integers(0, 8))
def test_mod_round_trip(p, rec, extra) -> None:
    coefs, init = rec
    n = 2 * len(coefs) + extra
    terms = [ref_step(coefs, init, j, p) for j in range(n)]
    (c, i), warned = find(terms, mod=p)
    assert len(c) <= len(coefs) and not warned
    if len(c):
        got = lucas.sequence(c, i, n, mod=p, dtype=object).tolist()
        assert got == terms


# ---- 2-D input --------------------------------------------------------------------------


def test_rows_match_single_calls() -> None:
    rng = np.random.default_rng(7)
    rows = []
    for r in range(40):
        k = 1 + r % 5
        c = rng.integers(-9, 10, k).tolist()
        init = rng.integers(-9, 10, k).tolist()
        rows.append(generate(c, init, 12))
    arr = np.array(rows, dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lucas.UnderdeterminedWarning)
        got = lucas.find_recurrence(arr)
        objgot = lucas.find_recurrence(np.array(rows, dtype=object))
        for p in (2, 998244353, 2**64 - 59):
            modgot = lucas.find_recurrence(arr, mod=p)
            assert len(modgot) == 40
            for row, (c, i) in zip(rows, modgot):
                assert [int(v) for v in c.tolist()] == ref_bm(row, p)
                assert [int(v) for v in i.tolist()] == [v % p for v in row[: len(c)]]
    assert len(got) == len(objgot) == 40
    for row, (c, i), (oc, oi) in zip(rows, got, objgot):
        assert as_python(c) == ref_bm(row) == as_python(oc)
        assert i.tolist() == oi.tolist() == row[: len(c)]


def test_rows_warning_counts_rows() -> None:
    rows = np.array([[0, 1, 1, 2, 3, 5], [1, 0, 0, 0, 0, 7]])
    with pytest.warns(lucas.UnderdeterminedWarning, match="1 of 2 rows"):
        lucas.find_recurrence(rows)


# ---- underdetermined input and errors -----------------------------------------------------


def test_underdetermined() -> None:
    with pytest.warns(lucas.UnderdeterminedWarning, match="order 2 found from 3 terms"):
        c, i = lucas.find_recurrence([1, 2, 3])
    assert generate(c.tolist(), i.tolist(), 3) == [1, 2, 3]
    with pytest.raises(ValueError, match="4 terms are needed"):
        lucas.find_recurrence([1, 2, 3], require_certain=True)
    # no recurrence of order <= len/2: order len with any coefficients, flagged
    with pytest.warns(lucas.UnderdeterminedWarning, match="order 6 found from 6 terms"):
        lucas.find_recurrence([0, 0, 0, 0, 0, 1])
    with pytest.raises(ValueError):
        lucas.find_recurrence([0, 0, 0, 0, 0, 1], mod=3, require_certain=True)
    # exactly 2k terms is enough
    lucas.find_recurrence([0, 1, 1, 2], require_certain=True)


@pytest.mark.parametrize(
    ("terms", "exc", "match"),
    [
        ([1.0, 2.0], TypeError, "float"),
        (np.array([1.5, 2.0]), TypeError, "float"),
        ([1, 2.5], TypeError, "float"),
        (np.array([Fraction(1, 2)], dtype=object), TypeError, "Fraction"),
        (["1", "2"], TypeError, "str"),
        ("0112", TypeError, "str"),
        (5, TypeError, "int"),
        (np.zeros((2, 2, 2), dtype=np.int64), ValueError, "1-D or 2-D"),
        ([[1, 2], [3]], ValueError, "equal length"),
        (np.array(["a"]), TypeError, "dtype"),
    ],
)
def test_bad_terms(terms, exc, match) -> None:
    with pytest.raises(exc, match=match):
        lucas.find_recurrence(terms)


@pytest.mark.parametrize(
    ("mod", "exc"),
    [
        (4, ValueError),
        (1, ValueError),
        (0, ValueError),
        (-7, ValueError),
        (2**64 + 13, ValueError),
        (2**64 - 1, ValueError),
        (561, ValueError),
        (7.0, TypeError),
        ("7", TypeError),
    ],
)
def test_bad_mod(mod, exc) -> None:
    with pytest.raises(exc, match="prime|integer"):
        lucas.find_recurrence([1, 2, 3, 4], mod=mod)


# ---- OEIS sweep -------------------------------------------------------------------------

RECORDS = load_oeis()


def test_oeis_every_record() -> None:
    """Order at most the signature's length, every listed term reproduced exactly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lucas.UnderdeterminedWarning)
        for r in RECORDS:
            seq, k = r["seq"], len(r["coefs"])
            c, i = lucas.find_recurrence(seq)
            assert len(c) <= k, r["id"]
            coefs = as_python(c)
            assert generate(coefs, as_python(i), len(seq)) == seq, r["id"]
            if 2 * k <= len(seq):
                assert coefs == r["coefs"][len(r["coefs"]) - len(coefs) :] or len(c) < k, r["id"]
                assert all(isinstance(v, int) for v in coefs), r["id"]


def test_oeis_int64_rows_in_one_call() -> None:
    recs = [
        r
        for r in RECORDS
        if len(r["seq"]) >= 40 and all(-(2**63) <= v < 2**63 for v in r["seq"][:40])
    ][:300]
    arr = np.array([r["seq"][:40] for r in recs], dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lucas.UnderdeterminedWarning)
        got = lucas.find_recurrence(arr)
    for r, (c, i) in zip(recs, got):
        assert generate(as_python(c), as_python(i), 40) == r["seq"][:40], r["id"]


# ---- command line -----------------------------------------------------------------------


def test_cli_guess(capsys) -> None:
    assert main(["guess", "0,1,1,2,3,5,8,13"]) == 0
    out = capsys.readouterr().out
    assert "order 2" in out and "1,1" in out and "21,34,55" in out
    assert main(["guess", "1,3,7,15,31,63", "--next", "3"]) == 0
    out = capsys.readouterr().out
    assert "-2,3" in out and "3,-2" in out and "127,255,511" in out
    assert main(["guess", "1,3,7,15,31", "--mod", "5"]) == 0
    assert "mod 5" in capsys.readouterr().out
    assert main(["guess", "1,2,3"]) == 0
    assert "needed" in capsys.readouterr().err
    assert main(["guess", "1,2,3", "--mod", "6"]) == 2
    assert "prime" in capsys.readouterr().err
