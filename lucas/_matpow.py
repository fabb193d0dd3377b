"""Exact Python-int matrix powers behind the object (and uint64) loops of ``matrix_power`` and
``matrix_power_mod``.  The C loop holds a reference to every element (in ``rows``) before it
calls :func:`_object_power`."""

from __future__ import annotations

import operator
from fractions import Fraction

Matrix = list[list[int]]


def _as_int(func: str, what: str, v: object) -> int:
    try:
        return operator.index(v)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            f"lucas.{func}: {what} must be integers, got {type(v).__name__}"
        ) from None


def _mul(a: Matrix, b: Matrix, m: int | None) -> Matrix:
    bt = list(zip(*b))
    if m is None:
        return [[sum(x * y for x, y in zip(row, col)) for col in bt] for row in a]
    return [[sum(x * y for x, y in zip(row, col)) % m for col in bt] for row in a]


# Exact results are limited to 2**28 bits, as in the other object loops: beyond that
# CPython's multiplication takes minutes and the memory of the machine.  The refusal comes
# early, from the growth of the squares: once their size doubles with every squaring (growth
# exponential in n, not polynomial), the result has about bits(A^(2^j)) * n / 2^j bits.
_MAX_BITS = 1 << 28


def _bits(a: Matrix) -> int:
    return max(abs(x).bit_length() for row in a for x in row)


def _power(func: str, a: Matrix, e: int, m: int | None) -> Matrix:
    k = len(a)
    one = 1 if m is None else 1 % m
    r = [[one if i == j else 0 for j in range(k)] for i in range(k)]
    prev, j, e0 = _bits(a), 0, e
    while e:
        if m is None:
            b = _bits(a)
            growing = j > 0 and b > 64 and b >= 2 * prev - 1 - k.bit_length()
            if growing and b * (e0 >> j) > _MAX_BITS:
                raise OverflowError(
                    f"lucas.{func}: the exact power would have about 2**"
                    f"{(b * (e0 >> j)).bit_length() - 1} bits per entry, more than the 2**28 "
                    "lucas computes (use matrix_power_mod for residues)"
                )
            prev = b
        if e & 1:
            r = _mul(r, a, m)
        e >>= 1
        if e:
            a = _mul(a, a, m)
            j += 1
    return r


def _inverse_int(func: str, a: Matrix, n: int) -> Matrix:
    """Exact inverse of an integer matrix with det +-1 (Gauss-Jordan over fractions)."""
    k = len(a)
    w = [[Fraction(x) for x in row] + [Fraction(int(i == j)) for j in range(k)]
         for i, row in enumerate(a)]
    det = Fraction(1)
    for j in range(k):
        piv = next((i for i in range(j, k) if w[i][j] != 0), None)
        if piv is None:
            det = Fraction(0)
            break
        if piv != j:
            w[j], w[piv] = w[piv], w[j]
            det = -det
        p = w[j][j]
        det *= p
        w[j] = [x / p for x in w[j]]
        for i in range(k):
            if i != j and w[i][j] != 0:
                f = w[i][j]
                w[i] = [x - f * y for x, y in zip(w[i], w[j])]
    if det not in (1, -1):
        raise ValueError(
            f"lucas.{func}: A**{n} needs the inverse of A, but det(A) is not +1 or -1, "
            "so A has no integer inverse"
        )
    return [[int(x) for x in row[k:]] for row in w]


def _inverse_mod(func: str, a: Matrix, n: int, m: int) -> Matrix:
    """Inverse mod any m >= 1 by Euclidean row reduction (pivots need not be units until
    their column is reduced to one entry)."""
    k = len(a)
    if m == 1:
        return [[0] * k for _ in range(k)]
    w = [[x % m for x in row] + [int(i == j) for j in range(k)] for i, row in enumerate(a)]
    for j in range(k):
        while True:
            rows = [i for i in range(j, k) if w[i][j] != 0]
            if not rows:
                break
            best = min(rows, key=lambda i: w[i][j])
            w[j], w[best] = w[best], w[j]
            if len(rows) == 1:
                break
            for i in range(j + 1, k):
                q = w[i][j] // w[j][j]
                if q:
                    w[i] = [(x - q * y) % m for x, y in zip(w[i], w[j])]
        p = w[j][j]
        try:
            inv = pow(p, -1, m)
        except ValueError:
            raise ValueError(
                f"lucas.{func}: A**{n} needs the inverse of A, but A is singular modulo "
                f"m={m} (det(A) is not a unit mod m)"
            ) from None
        w[j] = [x * inv % m for x in w[j]]
        for i in range(k):
            if i != j and w[i][j]:
                f = w[i][j]
                w[i] = [(x - f * y) % m for x, y in zip(w[i], w[j])]
    return [row[k:] for row in w]


def _object_power(func: str, rows: list[list[object]], n: object, m: object) -> Matrix:
    """A**n (m is None) or A**n mod m as k lists of k Python ints."""
    a = [[_as_int(func, "matrix entries", v) for v in row] for row in rows]
    e = _as_int(func, "the exponent n", n)
    mod: int | None = None
    if m is not None:
        mod = _as_int(func, "the modulus m", m)
        if mod <= 0:
            raise ValueError(f"lucas.{func}: modulus m must be positive, got {mod}")
        a = [[x % mod for x in row] for row in a]
    if e < 0:
        a = _inverse_int(func, a, e) if mod is None else _inverse_mod(func, a, e, mod)
    return _power(func, a, -e if e < 0 else e, mod)
