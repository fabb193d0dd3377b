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
