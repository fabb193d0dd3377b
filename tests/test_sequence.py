"""lucas.sequence: consecutive terms, against the pure-Python references, term, and OEIS data."""

from __future__ import annotations

import _thread
import threading
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oeis_data import load_oeis
from reference import INT64_MAX, INT64_MIN, fits_int64, ref_matrix, ref_step

import lucas

RECORDS = load_oeis()
# odd primes (lazy and per-product Montgomery), powers of two, other even moduli, 1
MODS = [
    1,
    2,
    3,
    1000,
    2**32,
    998244353,
    2**61 - 1,
    2**63 - 25,
    2**63,
    2**64 - 59,
    2**64 - 1,
    2**64 - 2,
    10**18,
]
FIB = ([1, 1], [0, 1])


def ref_run(c, init, start, count, m=None):
    """a[start .. start+count-1]: the window by matrix power, then plain stepping."""
    k = len(c)
    win = [ref_matrix(c, init, start + j, m) for j in range(min(k, count))]
    while len(win) < count:
        v = sum(ci * win[len(win) - k + i] for i, ci in enumerate(c))
        win.append(v % m if m is not None else v)
    return win


def first_bad(values):
    return next((j for j, v in enumerate(values) if not fits_int64(v)), None)


def _chunks(seq, size):
    return [seq[i : i + size] for i in range(0, len(seq), size)]


def _int64_ok(r) -> bool:
    return all(fits_int64(x) for x in r["coefs"] + r["init"])


# ---------------------------------------------------------------------------------------------
# OEIS: every record, exact int64 (or the first index that does not fit), residues, objects


@pytest.mark.parametrize("chunk", _chunks(RECORDS, 500), ids=lambda ch: ch[0]["id"])
def test_oeis_int64(chunk) -> None:
    for r in chunk:
        if not _int64_ok(r):
            continue
        c, init, seq = r["coefs"], r["init"], r["seq"]
        bad = first_bad(seq)
        for start in (0, 1, len(c), len(seq) // 2):
            want = seq[start:]
            b = first_bad(want)
            if b is None:
                got = lucas.sequence(c, init, len(want), start=start)
                assert got.dtype == np.int64
                assert got.tolist() == want, (r["id"], start)
            else:
                with pytest.raises(OverflowError, match=rf"a\[{start + b}\] does not fit"):
                    lucas.sequence(c, init, len(want), start=start)
                assert lucas.sequence(c, init, b, start=start).tolist() == want[:b]
        # agrees with term on the same indices
        n = len(seq) if bad is None else bad
        assert lucas.sequence(c, init, n).tolist() == lucas.term(c, init, np.arange(n)).tolist()


@pytest.mark.parametrize("chunk", _chunks(RECORDS, 500), ids=lambda ch: ch[0]["id"])
def test_oeis_mod(chunk) -> None:
    for r in chunk:
        c, init, seq = r["coefs"], r["init"], r["seq"]
        big = not _int64_ok(r)
        for m in MODS:
            got = lucas.sequence(c, init, len(seq), mod=m)
            if big:
                assert got.dtype == object
            else:
                assert got.dtype == (np.int64 if m < 2**63 else np.uint64)
            assert [int(x) for x in got] == [v % m for v in seq], (r["id"], m)


@pytest.mark.parametrize("chunk", _chunks(RECORDS, 500), ids=lambda ch: ch[0]["id"])
def test_oeis_object(chunk) -> None:
    for r in chunk:
        c, init, seq = r["coefs"], r["init"], r["seq"]
        got = lucas.sequence(c, init, len(seq), dtype=object)
        assert got.dtype == object and got.tolist() == seq, r["id"]
        got = lucas.sequence(np.array(c, object), np.array(init, object), 5, start=len(seq) - 5)
        assert got.tolist() == seq[-5:], r["id"]
        assert all(type(v) is int for v in got)


@pytest.mark.parametrize("chunk", _chunks(RECORDS, 500), ids=lambda ch: ch[0]["id"])
def test_oeis_far_start_mod(chunk) -> None:
    """start near 10**15: the window by jumping, the rest by stepping; checked against term."""
    rng = np.random.default_rng(len(chunk[0]["id"]))
    for r in chunk:
        c, init = r["coefs"], r["init"]
        k = len(c)
        start = 10**15 + int(rng.integers(0, 10**6))
        m = [998244353, 2**61 - 1, 2**64 - 59, 2**40][int(rng.integers(0, 4))]
        count = 2 * k + 3
        got = lucas.sequence(c, init, count, start=start, mod=m)
        ns = np.arange(start, start + count, dtype=np.uint64)
        if _int64_ok(r):
            want = lucas.term_mod(c, init, ns, np.uint64(m))
        else:
            oc, oi = np.array(c, object), np.array(init, object)
            want = lucas.term_mod(oc, oi, ns.astype(object), m)
        assert [int(x) for x in got] == [int(x) for x in want], (r["id"], start, m)
        if k <= 3:
            assert int(got[-1]) == ref_matrix(c, init, start + count - 1, m), r["id"]


def test_oeis_backwards_start() -> None:
    for r in RECORDS:
        c, init, seq = r["coefs"], r["init"], r["seq"]
        if not _int64_ok(r):
            continue
        if c[0] in (1, -1):
            want = [ref_step(c, init, n) for n in range(-4, 0)] + seq[:4]
            if all(fits_int64(v) for v in want):
                assert lucas.sequence(c, init, 8, start=-4).tolist() == want, r["id"]
        else:
            with pytest.raises(ValueError, match="backwards"):
                lucas.sequence(c, init, 3, start=-1)


# ---------------------------------------------------------------------------------------------
# long outputs: the interleaved segments, chunking, and the int64 boundary inside them


# every reduction of the modular kernel: one Montgomery step per term, per group, 192-bit
# sums; Barrett likewise for even m; masks for powers of two; registers (k <= 4) and memory
@pytest.mark.parametrize(
    "m", [3, 998244353, 2**61 - 1, 2**64 - 59, 2**62, 10**18, 2**63 - 25, 2**64 - 2, 2**63 + 2]
)
@pytest.mark.parametrize(
    "coefs", [[1, 1], [3, 0, 7], [5, -2, 4, 1], [1], [2, 3, 5, 7, 11], [-1, 2, 0, 0, 0, 0, 0, 0, 9]]
)
def test_long_mod_matches_stepping(coefs, m) -> None:
    k = len(coefs)
    init = list(range(1, k + 1))
    count = 85001
    got = lucas.sequence(coefs, init, count, start=123, mod=m)
    want = ref_run(coefs, init, 123, count, m)
    assert [int(x) for x in got] == want


def test_long_mod_chunks() -> None:
    # more than one driver chunk (2**20 terms), checked against term at scattered points
    p = 2**61 - 1
    count = 3 * 2**20 + 17
    got = lucas.sequence(*FIB, count, start=10**12, mod=p)
    idx = np.array([0, 1, 2**20 - 1, 2**20, 2**21 + 5, count // 4, count // 2, count - 1])
    want = lucas.term_mod(*FIB, (idx + 10**12).astype(np.uint64), np.uint64(p))
    assert got[idx].tolist() == want.tolist()
    # every term follows from the two before it
    a = got.astype(object)
    assert ((a[2:] - a[1:-1] - a[:-2]) % p == 0).all()


def test_int64_long_and_boundary_in_a_later_segment() -> None:
    nat = ([-1, 2], [0, 1])  # a[n] = n
    got = lucas.sequence(*nat, 100000, start=INT64_MAX - 99999)
    assert got[0] == INT64_MAX - 99999 and got[-1] == INT64_MAX
    assert (np.diff(got) == 1).all()
    got = lucas.sequence(*nat, 100000, start=INT64_MIN)
    assert got[0] == INT64_MIN and (np.diff(got) == 1).all()
    # the first term beyond int64 in various places of the 4 interleaved segments, including
    # exactly at a segment start (the later segments then start from wrapped residues)
    for before in (1, 24999, 25000, 30000, 50000, 74999, 75000, 99999):
        with pytest.raises(OverflowError, match=rf"a\[{2**63}\] does not fit"):
            lucas.sequence(*nat, 100000, start=2**63 - before)
    # squares: a[n] = n^2 fits up to n = 3037000499
    sq = ([1, -3, 3], [0, 1, 4])
    top = 3037000499
    got = lucas.sequence(*sq, 60000, start=top - 59999)
    assert got[-1] == top**2 and int(got[0]) == (top - 59999) ** 2
    with pytest.raises(OverflowError, match=rf"a\[{top + 1}\] does not fit"):
        lucas.sequence(*sq, 60000, start=top - 40000)
    # a hill: a[n] = K - (n - C)^2 leaves int64 only for |n - C| <= 1000, so the 2nd segment
    # fails while the windows of the 3rd and 4th fit
    C, K = 3_100_000_000, 2**63 + 10**6
    hill = ([1, -3, 3], [K - C**2, K - (1 - C) ** 2, K - (2 - C) ** 2])
    with pytest.raises(OverflowError, match=rf"a\[{C - 1000}\] does not fit"):
        lucas.sequence(*hill, 100000, start=C - 31000)
    got = lucas.sequence(*hill, 100000, start=C + 1001)
    assert got[0] == K - 1001**2 and got[-1] == K - (100000 + 1000) ** 2


def test_int64_long_periodic_and_bounded() -> None:
    # period 6 (Fibonacci-like with c = [-1, 1]) and zeros of an oscillating sequence
    got = lucas.sequence([-1, 1], [1, 2], 200000, start=10**18)
    want = ref_run([-1, 1], [1, 2], 10**18, 12)
    assert got[:12].tolist() == want and (got[6:] == got[:-6]).all()
    got = lucas.sequence([1, 0, 0], [5, -7, 9], 99999, start=2**62)
    assert got.tolist() == [[5, -7, 9][(2**62 + j) % 3] for j in range(99999)]


def test_float64() -> None:
    c, init = [0.5, 0.25, 0.25], [1.0, -2.0, 4.0]
    got = lucas.sequence(c, init, 5000)
    assert got.dtype == np.float64
    want = list(init)
    while len(want) < 5000:
        want.append(c[0] * want[-3] + c[1] * want[-2] + c[2] * want[-1])
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-300)
    got = lucas.sequence(c, init, 10, start=10**6)
    np.testing.assert_allclose(got, lucas.term(c, init, np.arange(10**6, 10**6 + 10)), rtol=1e-9)
    # ints with one float promote; overflow gives inf, like term
    assert lucas.sequence([1, 1.0], [0, 1], 3).dtype == np.float64
    big = lucas.sequence([1, 1], [0, 1], 2000, dtype=np.float64)
    assert np.isinf(big[-1]) and np.isfinite(big[1476])
    assert big[1476] == pytest.approx(lucas.term([1.0, 1.0], [0.0, 1.0], 1476), rel=1e-12)
    assert np.isnan(lucas.sequence([1.0, 1.0], [np.nan, 1.0], 4)[2:]).all()


# ---------------------------------------------------------------------------------------------
# dtype rules, out=, arguments


def test_dtypes_follow_term() -> None:
    assert lucas.sequence(*FIB, 4).dtype == np.int64
    assert lucas.sequence(np.array([1, 1], np.int8), np.array([0, 1], np.uint16), 4).dtype == (
        np.int64
    )
    assert lucas.sequence([1, 1], [0, 2**63], 4).dtype == object
    assert lucas.sequence([1, 1], [0, 2**63], 4).tolist() == [0, 2**63, 2**63, 2**64]
    assert lucas.sequence(np.array([1, 1], object), [0, 1], 3).dtype == object
    assert lucas.sequence(*FIB, 3, mod=7).dtype == np.int64
    assert lucas.sequence(*FIB, 3, mod=2**63 - 1).dtype == np.int64
    assert lucas.sequence(*FIB, 3, mod=2**63).dtype == np.uint64
    assert lucas.sequence(*FIB, 3, mod=2**64).dtype == object
    assert lucas.sequence([1, 2**70], [0, 1], 3, mod=7).dtype == object
    assert lucas.sequence(*FIB, 3, mod=np.uint64(2**64 - 1)).dtype == np.uint64
    for dt in (np.int64, np.float64, object):
        assert lucas.sequence(*FIB, 3, dtype=dt).dtype == dt
    assert lucas.sequence(*FIB, 3, mod=5, dtype=object).tolist() == [0, 1, 1]
    assert lucas.sequence(*FIB, 3, mod=5, dtype=np.uint64).dtype == np.uint64


def test_object_mod_any_size() -> None:
    m = 2**200 + 235
    got = lucas.sequence([3, 2**90], [2**150, 7], 40, start=10**20, mod=m)
    assert got.dtype == object
    assert got.tolist() == ref_run([3, 2**90], [2**150, 7], 10**20, 40, m)
    got = lucas.sequence(*FIB, 300, start=-150, dtype=object)
    assert got.tolist() == [ref_step(*FIB, n) for n in range(-150, 150)]
    got = lucas.sequence(*FIB, 3, start=10**40, mod=2**64 + 1)
    assert got.tolist() == ref_run(*FIB, 10**40, 3, 2**64 + 1)


def test_object_refuses_what_cannot_fit_in_memory() -> None:
    # 10^7 terms growing by 4000 bits each: far beyond any memory, refused after a few terms
    with pytest.raises(MemoryError, match="exact terms need at least"):
        lucas.sequence([2**4000], [1], 10**7, dtype=object)
    # bounded sequences of the same length are fine
    got = lucas.sequence([-1, 1], [2**70, 3], 10**5, dtype=object)
    assert got[:6].tolist() == ref_run([-1, 1], [2**70, 3], 0, 6) and (got[6:] == got[:-6]).all()


def test_far_start_beyond_uint64() -> None:
    for m in (97, 2**61 - 1, 2**64 - 1):
        got = lucas.sequence([1, 1, 1], [0, 0, 1], 50, start=10**30, mod=m)
        assert [int(x) for x in got] == ref_run([1, 1, 1], [0, 0, 1], 10**30, 50, m)
    start = -(10**25) - 1  # beyond the core's index range: the window over Python ints
    got = lucas.sequence([1, 0], [3, -4], 5, start=start)
    assert got.tolist() == [[3, -4][(start + j) % 2] for j in range(5)]
    with pytest.raises(OverflowError, match=rf"a\[{10**30}\]"):
        lucas.sequence(*FIB, 5, start=10**30)


def test_out() -> None:
    out = np.full(10, -1, dtype=np.int64)
    res = lucas.sequence(*FIB, 10, out=out)
    assert res is out and out.tolist() == [ref_step(*FIB, n) for n in range(10)]
    big = np.zeros(20, dtype=np.int64)
    res = lucas.sequence(*FIB, 10, out=big[::2])
    assert big[::2].tolist() == out.tolist() and (big[1::2] == 0).all()
    o = np.empty(5, dtype=object)
    assert lucas.sequence(*FIB, 5, out=o, start=200, dtype=object).tolist() == ref_run(*FIB, 200, 5)
    u = np.empty(4, dtype=np.uint64)
    lucas.sequence(*FIB, 4, mod=2**64 - 1, out=u)
    assert u.tolist() == [0, 1, 1, 2]
    with pytest.raises(TypeError, match="dtype"):
        lucas.sequence(*FIB, 10, out=np.empty(10, np.float64))
    with pytest.raises(ValueError, match="shape"):
        lucas.sequence(*FIB, 10, out=np.empty(11, np.int64))
    with pytest.raises(ValueError, match="shape"):
        lucas.sequence(*FIB, 10, out=np.empty((10, 1), np.int64))
    ro = np.empty(10, np.int64)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        lucas.sequence(*FIB, 10, out=ro)
    with pytest.raises(TypeError):
        lucas.sequence(*FIB, 10, out=[0] * 10)


def test_count_edge_cases() -> None:
    assert lucas.sequence(*FIB, 0).shape == (0,)
    assert lucas.sequence([1, 1, 1], [4, 5, 6], 2, start=1).tolist() == [5, 6]
    assert lucas.sequence(*FIB, np.int64(3)).tolist() == [0, 1, 1]
    with pytest.raises(ValueError, match="count"):
        lucas.sequence(*FIB, -1)
    for huge in (2**62, 10**19, 2**70):
        with pytest.raises((MemoryError, ValueError)):
            lucas.sequence(*FIB, huge, mod=7)
    with pytest.raises(TypeError, match="count"):
        lucas.sequence(*FIB, 3.0)
    with pytest.raises(TypeError, match="start"):
        lucas.sequence(*FIB, 3, start=1.5)


@pytest.mark.parametrize(
    "args, kwargs, exc, match",
    [
        (([1, 1], [0]), {}, ValueError, "same length"),
        (([], [0]), {}, ValueError, "same length"),
        (([1, 1], [0, 1]), {"mod": 0}, ValueError, "positive"),
        (([1, 1], [0, 1]), {"mod": -5}, ValueError, "positive"),
        (([1, 1], [0, 1]), {"mod": 7.0}, TypeError, "mod"),
        (([1.5, 1], [0, 1]), {"mod": 7}, TypeError, "floats"),
        ((["a", 1], [0, 1]), {}, TypeError, "integers or floats"),
        # complex and floats in object arrays are ring elements now (issue 14); None is not
        (([None, 1], [0, 1]), {}, TypeError, "integers or floats"),
        (("11", [0, 1]), {}, TypeError, "sequence"),
        ((5, [0, 1]), {}, TypeError, "sequence"),
        ((np.ones((2, 2)), [0, 1]), {}, ValueError, "1-D"),
        ((np.array([1 + 1j, 1]), [0, 1]), {}, TypeError, "dtype"),
        ((np.array([None, 1], object), [0, 1]), {}, TypeError, "object"),
        (([1, 1], [0, 1]), {"dtype": np.int32}, TypeError, "dtype"),
        (([1, 1], [0, 1]), {"dtype": "nonsense"}, TypeError, "nonsense"),
        (([1.5, 1], [0, 1]), {"dtype": np.int64}, TypeError, "float"),
        (([1, 2**64], [0, 1]), {"dtype": np.int64}, OverflowError, "int64"),
        (([1, 1], [0, 1]), {"mod": 7, "dtype": np.float64}, TypeError, "dtype"),
        (([1, 1], [0, 1]), {"mod": 2**64 - 1, "dtype": np.int64}, ValueError, "uint64"),
    ],
)
def test_bad_arguments(args, kwargs, exc, match) -> None:
    with pytest.raises(exc, match=match):
        lucas.sequence(*args, 5, **kwargs)


def test_large_order_and_methods() -> None:
    rng = np.random.default_rng(5)
    k = 70
    c = rng.integers(-3, 4, k).tolist()
    init = rng.integers(-9, 10, k).tolist()
    m = 2**61 - 1
    got = lucas.sequence(c, init, 300, start=10**9, mod=m)
    ns = np.arange(10**9, 10**9 + 300, 37)
    assert got[ns - 10**9].tolist() == lucas.term_mod(c, init, ns, m).tolist()
    # every term follows from the k before it
    a = got.astype(object)
    assert all(sum(ci * a[j + i] for i, ci in enumerate(c)) % m == a[j + k] for j in range(230))
    want = lucas.sequence(c, init, 50, start=10**6, mod=m).tolist()
    for method in (1, 2):  # explicit methods through the private entry point
        buf = np.empty(50, np.uint64)
        cm, im = tuple(x % m for x in c), tuple(x % m for x in init)
        lucas._core._sequence(lucas._core.KIND_MOD, cm, im, 10**6, m, buf, method)
        assert buf.tolist() == want


def test_interrupt() -> None:
    # Ctrl-C during a long run (chunks of 2**20 terms check for signals) raises cleanly
    rng = np.random.default_rng(1)
    k = 300
    c = rng.integers(0, 100, k).tolist()
    timer = threading.Timer(0.05, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            lucas.sequence(c, c, 2 * 10**7, mod=998244353)
            # only reached when the run beat the timer: interrupt_main() sets a flag that a
            # blocking wait does not notice, so wait in short sleeps the flag can break into
            for _ in range(500):
                time.sleep(0.01)
    finally:
        timer.cancel()


def test_gil_released() -> None:
    # another thread keeps ticking during one long call (a held GIL would allow 1 or 2 ticks)
    ticks = []
    done = threading.Event()

    def spin() -> None:
        while not done.is_set():
            ticks.append(1)
            done.wait(0.0005)

    c = list(range(1, 41))
    t = threading.Thread(target=spin)
    t.start()
    try:
        done.wait(0.01)
        n0 = len(ticks)
        lucas.sequence(c, c, 10**7, mod=2**61 - 1)
        n1 = len(ticks)
    finally:
        done.set()
        t.join()
    assert n1 - n0 > 5


# ---------------------------------------------------------------------------------------------
# properties


small_ints = st.integers(-6, 6)


@settings(deadline=None, max_examples=150)
@given(
    data=st.data(),
    k=st.integers(1, 5),
    start=st.integers(-3, 10**6),
    count=st.integers(0, 60),
)
def test_hypothesis_exact(data, k, start, count) -> None:
    c = data.draw(st.lists(small_ints, min_size=k, max_size=k))
    init = data.draw(st.lists(st.integers(-(10**6), 10**6), min_size=k, max_size=k))
    if start < 0 and c[0] not in (1, -1):
        start = 0
    want = ref_run(c, init, start, count) if start < 2000 or all(x == 0 for x in c) else None
    if want is None:
        # far starts: residues only (the exact values are astronomically large)
        m = data.draw(st.sampled_from([2, 6, 7, 2**31 - 1, 2**61 - 1, 2**64 - 1, 2**32]))
        got = lucas.sequence(c, init, count, start=start, mod=m)
        assert [int(x) for x in got] == ref_run(c, init, start, count, m)
        return
    b = first_bad(want)
    if b is None:
        assert lucas.sequence(c, init, count, start=start).tolist() == want
    else:
        with pytest.raises(OverflowError, match=rf"a\[{start + b}\]"):
            lucas.sequence(c, init, count, start=start)
    assert lucas.sequence(c, init, count, start=start, dtype=object).tolist() == want
    m = data.draw(st.integers(1, 2**64 - 1))
    got = lucas.sequence(c, init, count, start=start, mod=m)
    assert [int(x) for x in got] == [v % m for v in want]


@settings(deadline=None, max_examples=25)
@given(
    c=st.lists(st.integers(-3, 3), min_size=1, max_size=4),
    count=st.integers(2**15, 2**15 + 3000),
    offset=st.integers(0, 10**12),
    mod=st.sampled_from([None, 5, 2**61 - 1, 2**64 - 1, 2**40]),
)
def test_hypothesis_segments(c, count, offset, mod) -> None:
    # long enough to be split into interleaved segments
    k = len(c)
    init = list(range(k))
    if mod is None:
        c = [1] + [0] * (k - 1)  # a[n+k] = a[n]: bounded, period k
        init = [offset % 1000 - 7 * j for j in range(k)]
    got = lucas.sequence(c, init, count, start=offset, mod=mod)
    want = ref_run(c, init, offset, count, mod)
    assert [int(x) for x in got] == want


def test_matches_term_random_indices() -> None:
    rng = np.random.default_rng(7)
    for _ in range(40):
        k = int(rng.integers(1, 8))
        c = rng.integers(-5, 6, k).tolist()
        init = rng.integers(-100, 100, k).tolist()
        m = int(rng.integers(2, 2**62))
        start = int(rng.integers(0, 2**40))
        got = lucas.sequence(c, init, 40, start=start, mod=m)
        want = lucas.term_mod(c, init, np.arange(start, start + 40), m)
        assert got.tolist() == want.tolist()
