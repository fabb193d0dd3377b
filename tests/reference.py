"""Slow, obviously-correct pure-Python references that the C code is compared against.

Two independent algorithms: plain stepping (small n) and 2x2-free companion-matrix power on
Python ints (large n, optionally mod m).  Seed convention: a[n+k] = sum(c[i] * a[n+i]).
"""

from __future__ import annotations

from collections.abc import Sequence

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def reverse_recurrence(c: Sequence[int], init: Sequence[int], m: int | None = None):
    """Coefficients and initial values of b[t] = a[k-1-t]; needs c[0] invertible."""
    k = len(c)
    if m is None:
        if c[0] not in (1, -1):
            raise ValueError("cannot run backwards")
        inv0 = c[0]
    else:
        inv0 = pow(c[0], -1, m)  # ValueError when not invertible
    d = [inv0] + [-c[k - j] * inv0 for j in range(1, k)]
    if m is not None:
        d = [x % m for x in d]
    return d, list(init[::-1])


def ref_step(c: Sequence[int], init: Sequence[int], n: int, m: int | None = None) -> int:
    """a[n] by plain stepping: O(n k).  Negative n through the reversed recurrence."""
    k = len(c)
    if n < 0:
        d, b = reverse_recurrence(c, init, m)
        return ref_step(d, b, k - 1 - n, m)
    a = list(init)
    if m is not None:
        a = [x % m for x in a]
    while len(a) <= n:
        v = sum(ci * a[len(a) - k + i] for i, ci in enumerate(c))
        a.append(v % m if m is not None else v)
    return a[n] % m if m is not None else a[n]


def _matmul(A, B, m):
    k = len(A)
    out = [[sum(A[i][l] * B[l][j] for l in range(k)) for j in range(k)] for i in range(k)]
    if m is not None:
        out = [[x % m for x in row] for row in out]
    return out


def ref_matrix(c: Sequence[int], init: Sequence[int], n: int, m: int | None = None) -> int:
    """a[n] by companion-matrix power on Python ints: O(k^3 log n)."""
    k = len(c)
    if n < 0:
        d, b = reverse_recurrence(c, init, m)
        return ref_matrix(d, b, k - 1 - n, m)
    if n < k:
        return init[n] % m if m is not None else init[n]
    C = [[1 if j == i + 1 else 0 for j in range(k)] for i in range(k - 1)] + [list(c)]
    R = [[int(i == j) for j in range(k)] for i in range(k)]
    e = n
    while e:
        if e & 1:
            R = _matmul(R, C, m)
        C = _matmul(C, C, m)
        e >>= 1
    v = sum(R[0][j] * init[j] for j in range(k))
    return v % m if m is not None else v


def fits_int64(v: int) -> bool:
    return INT64_MIN <= v <= INT64_MAX


# ---------------------------------------------------------------------------------------------
# any ring: the elements' own operators


def unit_div(x, c0):
    """x / c0 over a ring where c0 is a unit that is its own inverse (c0 = 1 or -1 over the
    integers): multiplies, so the result keeps the ring's type (mpz / mpz would be a float)."""
    assert c0 * c0 == 1, c0
    return x * c0


def ref_ring_seq(c: Sequence, init: Sequence, start: int, count: int, div=None) -> list:
    """a[start .. start+count-1] by plain stepping with the elements' own +, -, * (Python's
    operator rules decide every type): O((|start| + count) k) operations.  Negative indices
    step backwards, a[n] = div(a[n+k] - sum(c[i] a[n+i] for 1 <= i < k), c[0]); div defaults
    to true division (a field) and is ``unit_div`` over the integers.  a[n] = init[n] as given
    for 0 <= n < k."""
    k = len(c)
    assert k >= 1 and len(init) == k
    div = div if div is not None else (lambda x, c0: x / c0)
    lo = min(start, 0)
    back: list = []  # a[-1], a[-2], ..., a[lo]
    window = list(init)  # a[m .. m+k-1], m going down
    for _ in range(-lo):
        x = window[k - 1]
        for i in range(1, k):
            x = x - c[i] * window[i - 1]
        prev = div(x, c[0])
        back.append(prev)
        window = [prev] + window[:-1]
    terms = back[::-1] + list(init)  # a[lo ..]
    while len(terms) < start - lo + count:
        j = len(terms) - k
        v = c[0] * terms[j]
        for i in range(1, k):
            v = v + c[i] * terms[j + i]
        terms.append(v)
    return terms[start - lo : start - lo + count]


def ref_ring(c: Sequence, init: Sequence, n: int, div=None):
    """a[n] over any ring (see ref_ring_seq)."""
    return ref_ring_seq(c, init, n, 1, div)[0]
