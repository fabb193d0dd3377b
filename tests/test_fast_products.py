"""Bostan-Mori with multi-prime NTT products (src/core/lr_ntt.c) at every modulus.

The transform products are checked through term_mod against the O(k^2) polynomial method
(Fiduccia with schoolbook products, method="poly") and against a Python reference, at orders
around every transform-length boundary (k = 2^j - 1, 2^j, 2^j + 1: N = 2k exactly, with the
wrapped top coefficient, and N = 4k - 4), around the crossovers of auto, around the
power-series finish (n = 255, 256, 257) and around the moduli where a product switches from
one to two to three CRT primes.  LUCAS_BM_FORCE=1 (the C core's measurement hook) makes auto
take Bostan-Mori below its crossover too (from k = 33, where the method starts), so small
orders exercise the same code.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import lucas

AUTO = lucas.term_mod_ufunc("auto")
POLY = lucas.term_mod_ufunc("poly")

# the CRT primes of lr_ntt.c, largest first
P0, P1, P2 = 4611685941117976577, 4611685692009873409, 4611685606110527489

MODULI = [
    1,
    2,
    3,
    4,
    6,
    1000,
    1009,
    2**32 - 1,
    2**32,
    998244353,
    12289,
    65537,
    10**9 + 7,
    6 * (10**9 + 7),
    2**61 - 1,
    2**62 - 57,
    P0,
    2**63,
    2**63 + 29,
    2**64 - 59,
    2**64 - 1,
]


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LUCAS_BM_FORCE", "1")


def ref_term(c: list[int], init: list[int], n: int, m: int) -> int:
    """a[n] mod m by stepping the recurrence (n small)."""
    k = len(c)
    a = [v % m for v in init]
    while len(a) <= n:
        a.append(sum(x * y for x, y in zip(c, a[-k:])) % m)
    return a[n]


def problem(k: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    c = rng.integers(0, 2**64, k, dtype=np.uint64, endpoint=False) % np.uint64(m)
    i = rng.integers(0, 2**64, k, dtype=np.uint64, endpoint=False) % np.uint64(m)
    return c, i


def boundary_orders(top: int) -> list[int]:
    ks = {33}  # Bostan-Mori never runs below k = 33 (LR_BM_MIN_K), not even forced
    j = 5
    while 2**j <= top:
        ks |= {2**j - 1, 2**j, 2**j + 1}
        j += 1
    return sorted(k for k in ks if 33 <= k <= top)


@pytest.mark.parametrize("m", MODULI)
def test_forced_small_orders_match_reference(forced: None, m: int) -> None:
    for k in boundary_orders(65):
        c, i = problem(k, m, k * 31 + m % 1000)
        cl, il = [int(v) for v in c], [int(v) for v in i]
        for n in sorted({k, k + 1, 2 * k + 1, 255, 256, 257, 600}):
            if n < k:
                continue
            got = int(AUTO(c, i, np.uint64(n), np.uint64(m)))
            assert got == ref_term(cl, il, n, m), (k, m, n)


@pytest.mark.parametrize("m", MODULI)
def test_forced_matches_poly_at_large_index(forced: None, m: int) -> None:
    for k in boundary_orders(129) + [200, 255, 256, 257]:
        c, i = problem(k, m, 7 * k + 1)
        for n in (10**18 + 7, 2**64 - 1, 2**40):
            got = AUTO(c, i, np.uint64(n), np.uint64(m))
            assert got == POLY(c, i, np.uint64(n), np.uint64(m)), (k, m, n)


@pytest.mark.parametrize("m", [998244353, 10**9 + 7, 2**61 - 1, 2**64 - 59, 2**64 - 1, 2**63])
@pytest.mark.parametrize("k", [511, 512, 513, 1024])
def test_auto_large_orders_match_poly(m: int, k: int) -> None:
    c, i = problem(k, m, k + m % 997)
    n = np.uint64(10**18 + 3)
    assert AUTO(c, i, n, np.uint64(m)) == POLY(c, i, n, np.uint64(m))


def crt_switch_moduli(k: int) -> list[int]:
    """Moduli on both sides of the one/two and two/three prime switches for order k."""
    terms = k + 1
    one = math.isqrt((P0 - 1) // 2 // terms) + 1  # largest m - 1 with terms (m-1)^2 <= ..
    two = math.isqrt((P1 - 1) // 2 * P0 // terms) + 1
    return [one - 1, one, one + 1, one + 2, two - 1, two, two + 1, two + 2]


@pytest.mark.parametrize("k", [40, 64, 300])
def test_prime_count_switches(forced: None, k: int) -> None:
    for m in crt_switch_moduli(k):
        if m >= 2**64:
            continue
        c, i = problem(k, m, m % 10007)
        # the largest values stress the bound: all coefficients m - 1 as well
        for cc, ii in ((c, i), (np.full(k, m - 1, np.uint64), np.full(k, m - 1, np.uint64))):
            for n in (k + 5, 10**18):
                got = AUTO(cc, ii, np.uint64(n), np.uint64(m))
                assert got == POLY(cc, ii, np.uint64(n), np.uint64(m)), (k, m, n)


@pytest.mark.parametrize("m", [998244353, 10**9 + 7, 2**64 - 59, 2**64 - 1])
def test_extreme_values(forced: None, m: int) -> None:
    # every coefficient m - 1 (the largest products), and the sparse x^k - 1
    for k in (33, 64, 256):
        full = np.full(k, m - 1, np.uint64)
        sparse = np.zeros(k, np.uint64)
        sparse[0] = 1
        ones = np.ones(k, np.uint64)
        for c, i in ((full, full), (sparse, ones), (full, ones)):
            for n in (k, 1000, 10**18):
                assert AUTO(c, i, np.uint64(n), np.uint64(m)) == POLY(
                    c, i, np.uint64(n), np.uint64(m)
                ), (k, m, n)


def test_order_2_17_any_modulus() -> None:
    # k = 2^17: the transforms are 2^18 long; a few halvings, then the series
    k = 2**17
    for m in (2**64 - 59, 10**9 + 7):
        c, i = problem(k, m, 5)
        cl, il = [int(v) for v in c], [int(v) for v in i]
        n = k + 300
        assert int(lucas.term_mod(c, i, n, m)) == ref_term(cl, il, n, m)


def test_unforced_auto_unchanged_for_small_orders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LUCAS_BM_FORCE", "0")
    c, i = problem(300, 10**9 + 7, 3)
    n = np.uint64(10**15)
    want = POLY(c, i, n, np.uint64(10**9 + 7))
    assert AUTO(c, i, n, np.uint64(10**9 + 7)) == want
    monkeypatch.delenv("LUCAS_BM_FORCE")
    assert AUTO(c, i, n, np.uint64(10**9 + 7)) == want
