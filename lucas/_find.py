"""``lucas.find_recurrence``: the minimal linear recurrence of given terms (Berlekamp-Massey).

Argument checking and the rare general path live here; the work is done in C
(``src/binding/find_binding.c`` over ``src/core/lr_findrec.c``): Berlekamp-Massey modulo
word-size primes, Chinese remaindering and rational reconstruction, and an exact check.
"""

from __future__ import annotations

import math
import operator
import warnings
from fractions import Fraction
from typing import Any

import numpy as np

from . import _core

__all__ = ["UnderdeterminedWarning", "find_recurrence"]

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_UINT64_MAX = 2**64 - 1


class UnderdeterminedWarning(UserWarning):
    """``find_recurrence`` found order k from fewer than 2k terms: the recurrence reproduces
    the terms, but other recurrences of the same order do too (it is a guess).

    Examples
    --------
    >>> import warnings, lucas
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     coefs, init = lucas.find_recurrence([1, 2, 3])
    >>> caught[0].category.__name__, coefs.tolist()
    ('UnderdeterminedWarning', [-1, 2])
    """


Result = tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]


def _int_array(values: list[int]) -> np.ndarray[Any, Any]:
    """int64 where every value fits, else an object array of Python ints."""
    if all(_INT64_MIN <= v <= _INT64_MAX for v in values):
        return np.array(values, dtype=np.int64)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _rows(terms: Any) -> tuple[np.ndarray[Any, Any], bool]:
    """The terms as a 2-D array (int64, uint64 or object of Python ints) and whether the
    input was 1-D."""
    if isinstance(terms, (str, bytes)) or np.isscalar(terms):
        raise TypeError(
            f"lucas.find_recurrence: terms must be a sequence of integers, got "
            f"{type(terms).__name__}"
        )
    if not isinstance(terms, np.ndarray):
        return _list_rows(terms)
    a = terms
    if a.ndim == 0:
        raise TypeError("lucas.find_recurrence: terms must be a sequence of integers")
    if a.ndim > 2:
        raise ValueError(f"lucas.find_recurrence: terms must be 1-D or 2-D, got shape {a.shape}")
    one = a.ndim == 1
    if one:
        a = a.reshape(1, -1)
    kind = a.dtype.kind
    if a.size == 0 and kind in "fO":
        return np.zeros(a.shape, dtype=np.int64), one  # [] and [[]] come out as float64
    if kind == "f" or kind == "c":
        raise TypeError(_FLOAT_MSG)
    if kind == "b" or kind == "i" or (kind == "u" and a.dtype.itemsize < 8):
        return np.ascontiguousarray(a, dtype=np.int64), one
    if kind == "u":
        return np.ascontiguousarray(a, dtype=np.uint64), one
    if kind == "O":
        for v in a.flat:
            if not isinstance(v, (int, np.integer)):
                raise TypeError(
                    f"lucas.find_recurrence: terms must be integers, got {type(v).__name__}"
                )
        return a, one
    raise TypeError(f"lucas.find_recurrence: terms must be integers, got dtype {a.dtype}")


_FLOAT_MSG = (
    "lucas.find_recurrence: float terms are not supported (finding a recurrence from "
    "rounded values is numerically ill-posed); pass integers"
)


def _checked_ints(items: Any) -> list[int]:
    """The Python ints of a 1-D sequence of integers (TypeError for anything else)."""
    out = []
    for v in items:
        if isinstance(v, (int, np.integer)):
            out.append(int(v))
        elif isinstance(v, (float, np.floating, complex)):
            raise TypeError(_FLOAT_MSG)
        else:
            raise TypeError(
                f"lucas.find_recurrence: terms must be integers, got {type(v).__name__}"
            )
    return out


def _list_rows(terms: Any) -> tuple[np.ndarray[Any, Any], bool]:
    """Lists (or other iterables) of Python ints, or of rows of them: NumPy's own conversion
    would turn [-1, 2**63] into floats."""
    try:
        items = list(terms)
    except TypeError:
        raise TypeError(
            f"lucas.find_recurrence: terms must be a sequence of integers, got "
            f"{type(terms).__name__}"
        ) from None
    kinds = set(map(type, items))
    if kinds <= {int}:  # the common case, checked at C speed
        try:
            return np.array(items, dtype=np.int64).reshape(1, -1), True
        except OverflowError:
            out = np.empty((1, len(items)), dtype=object)
            out[0, :] = items
            return out, True
    one = not (items and all(isinstance(v, (list, tuple, np.ndarray)) for v in items))
    rows = [_checked_ints(items)] if one else [_checked_ints(v) for v in items]
    if len({len(r) for r in rows}) > 1:
        raise ValueError("lucas.find_recurrence: 2-D terms need rows of equal length")
    try:
        return np.array(rows, dtype=np.int64).reshape(len(rows), -1), one
    except OverflowError:
        out = np.empty((len(rows), len(rows[0])), dtype=object)
        for r, row in enumerate(rows):
            out[r, :] = row
        return out, one


def _prime_modulus(mod: Any) -> int:
    if isinstance(mod, (float, complex, str, bytes, bool)):
        raise TypeError(f"lucas.find_recurrence: mod must be an integer, got {type(mod).__name__}")
    try:
        m = operator.index(mod)
    except TypeError:
        raise TypeError(
            f"lucas.find_recurrence: mod must be an integer, got {type(mod).__name__}"
        ) from None
    if m < 2 or m > _UINT64_MAX or not bool(_core.is_prime(np.uint64(m))):
        raise ValueError(
            f"lucas.find_recurrence: only prime moduli below 2**64 are supported, got {m} "
            "(Berlekamp-Massey needs a field)"
        )
    return m


# ---- the general exact path: any size of terms and coefficients ----------------------------


def _primes() -> Any:
    """The certification primes, then more primes below them (BPSW, lucas.is_prime)."""
    cert = _core._cert_primes()
    yield from cert
    p = min(cert) - 2
    while p > 2**40:
        if _core.is_prime(np.uint64(p)):
            yield p
        p -= 2


def _rational(x: int, m: int) -> tuple[int, int] | None:
    """n/d == x (mod m) with |n|, d <= sqrt(m/2), gcd(d, m) == 1, or None."""
    bound = math.isqrt(m // 2)
    r0, r1, t0, t1 = m, x % m, 0, 1
    while r1 > bound:
        q = r0 // r1
        r0, r1 = r1, r0 - q * r1
        t0, t1 = t1, t0 - q * t1
    if t1 < 0:
        r1, t1 = -r1, -t1
    if t1 == 0 or t1 > bound or math.gcd(r1, t1) != 1 or math.gcd(t1, m) != 1:
        return None
    return r1, t1


def _on_schedule(count: int) -> bool:
    """Reconstruct at 1, 2, 3, 4, 6, 8, 11, 16, 23, 32, ... primes: a geometric schedule
    keeps the (Python) rational reconstructions few when the coefficients need many primes."""
    return count <= 4 or round(2 ** (round(math.log2(count) * 2) / 2)) == count


def _exact_general(s: list[int]) -> tuple[int, list[int], int]:
    """(L, nums, den) of the minimal recurrence of s, by Berlekamp-Massey modulo as many
    primes as it takes, Chinese remaindering, rational reconstruction and an exact check."""
    n = len(s)
    bits = max((abs(v).bit_length() for v in s), default=0)
    # Coefficients are ratios of Hankel minors: Hadamard's bound with room to spare.
    cap = 4 * (n * (bits + 1) + n * math.log2(n + 1)) + 256
    groups: dict[int, tuple[int, list[int]]] = {}
    counts: dict[int, int] = {}
    for p in _primes():
        res = np.array([[v % p for v in s]], dtype=np.uint64)
        orders, coefs = _core._find_recurrence_mod(res, p)
        L = int(orders[0])
        c = [int(v) for v in coefs[0, :L]]
        if L in groups:
            m, xs = groups[L]
            inv = pow(m, -1, p)
            xs = [x + m * ((ci - x) * inv % p) for x, ci in zip(xs, c)]
            m *= p
        else:
            m, xs = p, c
        groups[L] = (m, xs)
        counts[L] = counts.get(L, 0) + 1
        past_cap = m.bit_length() > cap
        if not past_cap and not _on_schedule(counts[L]):
            continue
        fracs = []
        for x in xs:  # stop at the first failure: M is still too small
            f = _rational(x, m)
            if f is None:
                break
            fracs.append(f)
        if len(fracs) == L:
            den = 1
            for _, d in fracs:
                den = den * d // math.gcd(den, d)
            nums = [a * (den // d) for a, d in fracs]
            if all(
                den * s[i + L] == sum(a * b for a, b in zip(nums, s[i : i + L]))
                for i in range(n - L)
            ):
                return L, nums, den
        if past_cap:
            break
    raise ValueError(  # pragma: no cover - beyond Hadamard's bound: would be a bug
        "lucas.find_recurrence: could not reconstruct the recurrence"
    )


def _exact_result(L: int, nums: list[int], den: int, row: list[int]) -> Result:
    if den == 1:
        coefs = _int_array(nums)
    else:
        vals = [Fraction(a, den) for a in nums]
        coefs = np.empty(L, dtype=object)
        coefs[:] = [int(v) if v.denominator == 1 else v for v in vals]
    return coefs, _int_array(row[:L])


def _exact_rows(rows: np.ndarray[Any, Any]) -> tuple[list[int], list[Result]]:
    out: list[tuple[int, Result] | None] = [None] * rows.shape[0]
    if rows.dtype == np.uint64 and rows.size and int(rows.max()) <= _INT64_MAX:
        rows = rows.view(np.int64)
    if rows.dtype == np.int64:
        ok, orders, nums, dens = _core._find_recurrence_i64(rows)
        for r in range(rows.shape[0]):
            if ok[r]:
                L = int(orders[r])
                den = int(dens[r])
                init = rows[r, :L].copy()
                if den == 1:
                    out[r] = (L, (nums[r, :L].copy(), init))
                else:
                    out[r] = (L, _exact_result(L, nums[r, :L].tolist(), den, init.tolist()))
    for r in range(rows.shape[0]):
        if out[r] is not None:
            continue
        row = [int(v) for v in rows[r].tolist()]
        bits = max((abs(v).bit_length() for v in row), default=0)
        got = _core._find_recurrence_obj(tuple(row), float(bits))
        if got is None:
            L, nums_r, den = _exact_general(row)
        else:
            L, nums_t, den = got
            nums_r = list(nums_t)
        out[r] = (L, _exact_result(L, nums_r, den, row))
    done = [o for o in out if o is not None]
    return [L for L, _ in done], [res for _, res in done]


def _mod_rows(rows: np.ndarray[Any, Any], m: int) -> tuple[list[int], list[Result]]:
    if rows.dtype == object:
        rows = np.array(
            [[int(v) % m for v in row] for row in rows.tolist()], dtype=np.uint64
        ).reshape(rows.shape)
    orders, coefs = _core._find_recurrence_mod(rows, m)
    ks = orders.tolist()
    # the initial values are the first k terms of each row: only that many columns matter
    rows = rows[:, : max(ks, default=0)]
    reduced = rows.size == 0 or (int(rows.max()) < m and int(rows.min()) >= 0)
    if reduced:
        inits = rows.copy()  # a copy: results never alias the caller's array
    elif rows.dtype == np.uint64:
        inits = rows % np.uint64(m)
    elif m <= _INT64_MAX:
        inits = np.mod(rows, m)
    else:  # int64 terms, m > 2**63: Python ints avoid a float promotion
        inits = np.array(
            [[int(v) % m for v in row] for row in rows.tolist()], dtype=np.uint64
        ).reshape(rows.shape)
    if m <= _INT64_MAX:  # residues below 2**63: the same bits as int64
        coefs = coefs.view(np.int64)
        inits = inits.view(np.int64)
    # one row each: views into the two result blocks (no per-row copies for big batches)
    if ks and ks.count(ks[0]) == len(ks):  # one order for every row: slice the blocks once
        return ks, list(zip(coefs[:, : ks[0]], inits[:, : ks[0]]))
    return ks, [(coefs[r, :L], inits[r, :L]) for r, L in enumerate(ks)]


def find_recurrence(terms: Any, *, mod: int | None = None, require_certain: bool = False) -> Any:
    """The minimal linear recurrence that generates the given terms (Berlekamp-Massey).

    Returns ``(coefs, init)`` in lucas's seed order, ``a[n+k] = sum(coefs[i] * a[n+i])``
    with ``a[:k] == init``, for the smallest order k such that
    ``lucas.sequence(coefs, init, len(terms), mod=mod)`` gives back ``terms``.

    Parameters
    ----------
    terms : 1-D or 2-D array_like of integers
        int64/uint64 arrays, lists of Python ints of any size, or object arrays.  A 2-D input
        ``(N, L)`` is N independent sequences (rows computed in C without the GIL).  Floats
        raise TypeError.
    mod : int, optional
        Find the recurrence over Z/mZ; m must be a prime below 2**64 (checked with BPSW).
    require_certain : bool, optional
        Raise ValueError instead of warning when the order k found needs more than the
        given number of terms (fewer than 2k terms) to be unique.

    Returns
    -------
    (coefs, init) or list of them (2-D input)
        Exact: int64 arrays where every value fits, object arrays of Python ints otherwise,
        and object arrays holding ``Fraction`` where the terms given determine a recurrence
        with non-integer coefficients.  With ``mod``: residues as int64 (m < 2**63) or
        uint64.  All-zero (or empty) terms give order 0: two empty arrays.

    Warns
    -----
    UnderdeterminedWarning
        Fewer than 2k terms for the order k found: the recurrence reproduces the terms but
        is not determined by them (a sequence with no recurrence of order at most
        ``len(terms) / 2`` always lands here).  The warning lists how many terms it needs.

    Raises
    ------
    TypeError
        Non-integer terms (floats, strings, Fractions) or modulus.
    ValueError
        Composite or out-of-range ``mod``, terms of more than 2 dimensions, or an
        underdetermined result with ``require_certain=True``.

    Notes
    -----
    Exact: Berlekamp-Massey modulo word-size primes, Chinese remaindering and rational
    reconstruction, then an exact check of every term (multi-modular with a proven bound, or
    Python ints), so the result always reproduces the terms.  When at least 2k terms are
    given the order k is proven minimal and the recurrence is the only one of that order.

    Examples
    --------
    >>> import lucas
    >>> coefs, init = lucas.find_recurrence([0, 1, 1, 2, 3, 5, 8, 13])
    >>> coefs, init
    (array([1, 1]), array([0, 1]))
    >>> int(lucas.term(coefs, init, 90))
    2880067194370816120
    >>> lucas.find_recurrence([1, 3, 7, 15, 31, 63], mod=5)
    (array([3, 3]), array([1, 3]))
    >>> lucas.find_recurrence([0, 0, 0])
    (array([], dtype=int64), array([], dtype=int64))
    """
    rows, one = _rows(terms)
    if mod is None:
        found = _exact_rows(rows)
    else:
        found = _mod_rows(rows, _prime_modulus(mod))
    orders, results = found
    n = rows.shape[1]
    short = [r for r, L in enumerate(orders) if 2 * L > n]
    if short:
        r, L = short[0], orders[short[0]]
        where = "" if one else f" in {len(short)} of {len(orders)} rows (first: row {r})"
        msg = (
            f"lucas.find_recurrence: order {L} found from {n} terms{where}; {2 * L} terms "
            "are needed to determine it: other recurrences of that order fit too"
        )
        if require_certain:
            raise ValueError(msg)
        warnings.warn(msg, UnderdeterminedWarning, stacklevel=2)
    return results[0] if one else results
