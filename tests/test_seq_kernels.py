"""The stepping kernels of lucas.sequence mod m (issue 13), against plain Python stepping.

The kernel is chosen from m and the coefficients: Montgomery or Barrett over 128-bit sums,
64-bit sums when the coefficients are small signed numbers (Fibonacci, c = [-1, 2], ...) or m
is small, and a blocked kernel (blocks of LR_SEQ_BLOCK = 64 independent terms) for odd
m < 2^31 with k m < 2^32 and at least LR_SEQ_BLOCK_MIN = 4096 terms.  Long outputs of the
other kernels are stepped as four interleaved segments (from 2^15 terms and 1024 k^2).  Every
case is checked at counts around those thresholds and block boundaries, from index 0 and
from a far start (a jump first).
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from reference import ref_matrix

import lucas

BLOCK = 64  # LR_SEQ_BLOCK
BLOCK_MIN = 4096  # LR_SEQ_BLOCK_MIN
SPLIT_MIN = 2**15  # LR_SEQ_SPLIT_MIN
CHUNK = 2**22  # LR_SEQ_CHUNK, multiply-adds between two signal checks

MODS = [
    1,
    2,
    3,
    2**64 - 1,
    2**64 - 59,  # prime near 2^64
    2**63,
    10**18,  # even composite
    6 * 10**8,  # even composite below 2^31
    999999999,  # odd composite below 2^31: 3^4 37 333667
    111546435,  # odd composite: 3 5 7 11 13 17 19 23
    998244353,
    10**9 + 7,
    2147483629,  # primes near 2^31: below, at, above (k m < 2^32 only for small k)
    2**31 - 1,
    2**31 + 11,
    2**32 - 5,  # primes near 2^32
    2**32 + 15,
    2**61 - 1,
    2**62 - 57,  # primes near 2^62 and 2^63
    2**63 - 25,
]

_rng = random.Random(13)
COEFS = [
    [3],
    [1, 1],
    [1, 1, 1],
    [-1, 2],  # a[n] = n: one negative coefficient
    [1, -1, 1],
    [-1, 0, -1],  # every coefficient negative: the small sum reaches its bound
    [2, 3, -2],  # |c| sums to 7: 64-bit sums with a Barrett reduction
    [_rng.randrange(-(2**40), 2**40) for _ in range(4)],
    [_rng.randrange(1, 2**64) for _ in range(3)],
    [_rng.randrange(-9, 10) for _ in range(16)],
    [_rng.randrange(0, 2**64) for _ in range(17)],  # above the blocked kernel's order
]


def ref_run(c, init, start, count, m):
    """a[start .. start+count-1] mod m: the window by matrix power, then plain stepping."""
    k = len(c)
    win = [ref_matrix(c, init, start + j, m) for j in range(min(k, count))]
    while len(win) < count:
        win.append(sum(ci * win[len(win) - k + i] for i, ci in enumerate(c)) % m)
    return win


def as_ints(a: np.ndarray) -> list[int]:
    return [int(x) for x in a]


def counts_around(k: int) -> list[int]:
    """Counts at every threshold of the driver, with the block boundaries of the last one."""
    edge = BLOCK_MIN + 3 * BLOCK + k  # a whole number of blocks after the window
    return [k - 1, k, k + BLOCK, BLOCK_MIN - 1, BLOCK_MIN, edge - 1, edge, edge + 1]


def init_for(k: int, m: int) -> list[int]:
    return [(7 * j + 1) % m for j in range(k)]


@pytest.mark.parametrize("m", MODS)
@pytest.mark.parametrize("case", range(len(COEFS)))
def test_counts_around_thresholds(m, case) -> None:
    c = COEFS[case]
    start = 10**15 if case % 2 else 0  # a far start (a jump first) for every other set
    k = len(c)
    init = init_for(k, m)
    cm = [x % m for x in c]
    counts = [n for n in counts_around(k) if n > 0]
    want = ref_run(cm, init, start, max(counts), m)
    for n in counts:
        got = lucas.sequence(cm, init, n, start=start, mod=m)
        assert as_ints(got) == want[:n], (m, c, start, n)


@pytest.mark.parametrize("m", MODS)
@pytest.mark.parametrize("c", [[1, 1], [-1, 0, -1], COEFS[8], COEFS[9]], ids=lambda c: f"k{len(c)}")
def test_interleaved_segments(m, c) -> None:
    """Long enough for four segments (or the blocked kernel): every term, every boundary."""
    k = len(c)
    n = max(SPLIT_MIN, 1024 * k * k) + 5
    init = init_for(k, m)
    cm = [x % m for x in c]
    got = lucas.sequence(cm, init, n, mod=m)
    assert as_ints(got) == ref_run(cm, init, 0, n, m), (m, c)


@pytest.mark.parametrize("m", [10**9 + 7, 2**31 - 1, 2**61 - 1, 2**64 - 59])
@pytest.mark.parametrize("c", [[1, 1, 1], [5, -3, 11, 2]], ids=lambda c: f"k{len(c)}")
def test_across_chunks(m, c) -> None:
    """Several driver chunks (the blocks restart at an arbitrary offset in each): the
    recurrence holds over the whole output, and sampled terms match term_mod."""
    k = len(c)
    n = 2 * CHUNK // k + 3 * BLOCK + 5
    cm = [x % m for x in c]
    init = init_for(k, m)
    got = lucas.sequence(cm, init, n, start=12345, mod=m).astype(np.uint64)
    assert as_ints(got[: 3 * k]) == ref_run(cm, init, 12345, 3 * k, m)
    # a[j + k] == sum c[i] a[j + i] mod m, exactly (object arithmetic over a sample)
    idx = np.unique(np.linspace(0, n - k - 1, 4000).astype(np.int64))
    acc = np.zeros(len(idx), dtype=object)
    for i, ci in enumerate(cm):
        acc = acc + ci * got[idx + i].astype(object)
    assert (acc % m == got[idx + k].astype(object)).all()
    far = np.array([n - 1, n // 2, CHUNK // k, CHUNK // k + 1], dtype=np.uint64)
    assert as_ints(got[far.astype(np.int64)]) == as_ints(
        lucas.term_mod(
            np.array(cm, np.uint64), np.array(init, np.uint64), far + np.uint64(12345), np.uint64(m)
        )
    )


@pytest.mark.parametrize("m", [10**9 + 7, 999999999, 2**31 - 1, 2**61 - 1])
@pytest.mark.parametrize("c", [[1, 1], [1, 1, 1], [3, -1, 4, 1, -5]], ids=lambda c: f"k{len(c)}")
def test_term_over_arange_matches_sequence(m, c) -> None:
    """term_mod over consecutive indices runs the same kernels."""
    k = len(c)
    cm = [x % m for x in c]
    init = init_for(k, m)
    n = BLOCK_MIN + 2 * BLOCK + k + 1
    start = 10**12
    got = lucas.term_mod(cm, init, np.arange(start, start + n, dtype=np.uint64), m)
    assert as_ints(got) == as_ints(lucas.sequence(cm, init, n, start=start, mod=m))
    assert as_ints(got[:BLOCK]) == ref_run(cm, init, start, BLOCK, m)


INT64_MAX = 2**63 - 1


@pytest.mark.parametrize("n", [50, SPLIT_MIN + 7])
@pytest.mark.parametrize("step", [1, -1, 3])
def test_int64_unchecked_sums_hand_over(n, step) -> None:
    """int64 sums go unchecked while every window term is at most (2^63-1) / sum |c|; a term
    beyond that bound hands over to the checked loop, which still names the first term that
    does not fit.  a[j] = x0 + j step with c = [-1, 2] (bound (2^63-1) / 3), crossing the
    bound near the end and overflowing (or not) right after."""
    c = [-1, 2]
    bound = INT64_MAX // 3
    for last in (bound - 1, bound, bound + 1, INT64_MAX, INT64_MAX + 1):
        x0 = last - step * (n - 1) if step > 0 else -(last + 1) - step * (n - 1)
        want = [x0 + j * step for j in range(n)]
        bad = next((j for j, v in enumerate(want) if not -(2**63) <= v <= INT64_MAX), None)
        if bad is None:
            got = lucas.sequence(c, want[:2], n)
            assert got.dtype == np.int64 and got.tolist() == want, (last, step)
        else:
            with pytest.raises(OverflowError, match=rf"a\[{bad}\] does not fit"):
                lucas.sequence(c, want[:2], n)
            assert lucas.sequence(c, want[:2], bad).tolist() == want[:bad]


@pytest.mark.parametrize("c", [[1, 1], [1, -1, 1], [2, -3, 2], [-1, 1, 1]])
def test_int64_matches_stepping(c) -> None:
    """Bounded, periodic and growing int64 recurrences, long enough for four segments."""
    k = len(c)
    n = max(SPLIT_MIN, 1024 * k * k) + 3
    init = list(range(1, k + 1))
    want = list(init)
    while len(want) < n and -(2**63) <= want[-1] <= INT64_MAX:
        want.append(sum(ci * want[len(want) - k + i] for i, ci in enumerate(c)))
    bad = next((j for j, v in enumerate(want) if not -(2**63) <= v <= INT64_MAX), None)
    if bad is None:
        assert lucas.sequence(c, init, n).tolist() == want
    else:
        with pytest.raises(OverflowError, match=rf"a\[{bad}\] does not fit"):
            lucas.sequence(c, init, n)


@pytest.mark.parametrize(
    ("c", "init"),
    [
        ([-(2**63)], [-1]),  # a[1] = 2^63: the sum of |c| alone passes int64 (fuzz find)
        ([-(2**63), 0], [1, 0]),
        ([2**62, 2**62], [0, 1]),
        ([-(2**63), 1], [0, 0]),  # all zero: fits forever
    ],
)
def test_int64_coefficients_too_large_for_the_unchecked_window(c, init) -> None:
    k, count = len(c), 40
    a = list(init)
    while len(a) < count:
        a.append(sum(ci * ai for ci, ai in zip(c, a[-k:])))
    first_bad = next((j for j, v in enumerate(a) if not -(2**63) <= v < 2**63), None)
    if first_bad is None:
        assert lucas.sequence(c, init, count).tolist() == a
    else:
        with pytest.raises(OverflowError, match=rf"\b{first_bad}\b"):
            lucas.sequence(c, init, count)
        assert lucas.sequence(c, init, first_bad).tolist() == a[:first_bad]
