"""``lucas.sequence`` and ``lucas.LucasIter``: many consecutive terms of one recurrence.

The argument checking, the dtype rules and LucasIter's construction and repr live here; the
work is done in C (``src/binding/sequence.c`` and ``src/binding/iter.c`` over
``src/core/lr_sequence.c`` and ``src/pyobj/``).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from typing import Any, final

import numpy as np

from . import _core

__all__ = ["LucasIter", "sequence"]

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_UINT64_MAX = 2**64 - 1

#: Kinds understood by _core._sequence and LucasIterBase: exact int64, float64, residues below
#: 2**64, Python ints (optionally modulo a big m).
_KIND_I64, _KIND_F64, _KIND_MOD, _KIND_OBJ = (
    _core.KIND_I64,
    _core.KIND_F64,
    _core.KIND_MOD,
    _core.KIND_OBJ,
)


def _index(func: str, name: str, value: Any) -> int:
    """operator.index with a message that names the argument."""
    if isinstance(value, (float, complex, str, bytes)):
        raise TypeError(f"lucas.{func}: {name} must be an integer, got {type(value).__name__}")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(
            f"lucas.{func}: {name} must be an integer, got {type(value).__name__}"
        ) from None


def _is_ring_element(v: Any) -> bool:
    """A number of some other ring (Fraction, mpz, nmod, Decimal, ...): +, - and * of its own."""
    t = type(v)
    return not isinstance(v, (str, bytes)) and all(
        hasattr(t, op) for op in ("__add__", "__sub__", "__mul__")
    )


def _values(func: str, name: str, x: Any) -> tuple[list[Any], bool]:
    """The numbers of a 1-D sequence, and whether x is an object array.

    Integers become Python ints, floats of float arrays and lists Python floats; other numbers
    (ring elements, floats in object arrays) are kept as they are.
    """
    if isinstance(x, np.ndarray):
        if x.ndim != 1:
            raise ValueError(f"lucas.{func}: {name} must be 1-D, got shape {x.shape}")
        kind = x.dtype.kind
        if kind in "biu":
            return [int(v) for v in x.tolist()], False
        if kind == "f":
            return [float(v) for v in x.tolist()], False
        if kind == "O":
            out: list[Any] = []
            for v in x.tolist():
                if isinstance(v, (bool, int, np.integer, np.bool_)):
                    out.append(int(v))
                elif _is_ring_element(v):
                    out.append(v)
                else:
                    raise TypeError(
                        f"lucas.{func}: {name} must hold integers in object arrays, got "
                        f"{type(v).__name__} (or numbers of one ring supporting +, - and *: "
                        "Fraction, mpz, float, ...)"
                    )
            return out, True
        raise TypeError(f"lucas.{func}: {name} must be integers or floats, got dtype {x.dtype}")
    if isinstance(x, (str, bytes)) or not isinstance(x, Iterable):
        raise TypeError(
            f"lucas.{func}: {name} must be a 1-D sequence of numbers, got {type(x).__name__}"
        )
    vals: list[Any] = []
    for v in x:
        if isinstance(v, (bool, int, np.integer, np.bool_)):  # bools count as 0/1, as in term
            vals.append(int(v))
        elif isinstance(v, (float, np.floating)):
            vals.append(float(v))
        elif _is_ring_element(v):
            vals.append(v)
        else:
            raise TypeError(
                f"lucas.{func}: {name} must hold integers or floats, got {type(v).__name__}"
            )
    return vals, False


def _recurrence(func: str, coefs: Any, init: Any) -> tuple[list[Any], list[Any], bool]:
    c, cobj = _values(func, "coefs", coefs)
    i, iobj = _values(func, "init", init)
    # order 0 (both empty) is the zero sequence, as SymPy's linrec([], [], n) is 0
    if len(c) != len(i):
        raise ValueError(
            f"lucas.{func}: coefs and init must have the same length (the order k), got "
            f"{len(c)} and {len(i)}"
        )
    return c, i, cobj or iobj


def _has_float(vals: list[Any]) -> bool:
    return any(isinstance(v, float) for v in vals)


def _is_ring(vals: list[Any], objarr: bool) -> bool:
    """Computed over the elements' own ring (object path): numbers other than ints and floats,
    or floats given in object arrays (as in term's object loop)."""
    return any(not isinstance(v, (int, float)) for v in vals) or (objarr and _has_float(vals))


def _residue_ints(func: str, vals: list[Any]) -> list[Any]:
    """Ring elements with mod=: integers (mpz, fmpz, ...) as Python ints; residues of other
    elements are not defined."""
    out = []
    for v in vals:
        if isinstance(v, (int, float)):
            out.append(v)
            continue
        try:
            out.append(operator.index(v))
        except TypeError:
            raise TypeError(
                f"lucas.{func}: mod= needs integer coefs and init (residues are defined for "
                f"integer elements only), got {type(v).__name__}"
            ) from None
    return out


def _fits_int64(vals: list[Any]) -> bool:
    return all(_INT64_MIN <= v <= _INT64_MAX for v in vals if isinstance(v, int))


def _modulus(func: str, mod: Any) -> int:
    m = _index(func, "mod", mod)
    if m <= 0:
        raise ValueError(f"lucas.{func}: modulus m must be positive, got {m}")
    return m


def _default_dtype(floats: bool, exact: bool, m: int | None) -> np.dtype[Any]:
    """The result dtype without dtype=: asked of term's (term_mod's) loop tables, not restated.

    exact: integers given as object arrays or beyond int64, kept exact in object arrays.
    """
    if exact or (m is not None and m > _UINT64_MAX):
        return np.dtype(object)
    coef = np.dtype(np.float64 if floats else np.int64)
    index = np.dtype(np.int64)
    if m is None:
        return _core.term.resolve_dtypes((coef, coef, index, None))[-1]
    # NumPy types the modulus int64 below 2**63, uint64 from there; the result follows it
    return _core.term_mod.resolve_dtypes((coef, coef, index, np.asarray(m).dtype, None))[-1]


def _plan(
    func: str, coefs: Any, init: Any, mod: Any, dtype: Any
) -> tuple[int, list[Any], list[Any], int | None, np.dtype[Any]]:
    """(kind, coefs, init, m, result dtype) following the dtype rules of ``term``."""
    c, i, objarr = _recurrence(func, coefs, init)
    return _plan_values(func, c, i, objarr, mod, dtype)


def _plan_values(
    func: str, c: list[Any], i: list[Any], objarr: bool, mod: Any, dtype: Any
) -> tuple[int, list[Any], list[Any], int | None, np.dtype[Any]]:
    """_plan for the checked values c, i (objarr: one was given as an object array)."""
    want = None if dtype is None else np.dtype(dtype)
    if _is_ring(c + i, objarr):
        if mod is not None:
            c, i = _residue_ints(func, c), _residue_ints(func, i)
        elif want is None or want == object:
            # the elements' own ring: results of their type, computed by the object path
            return _KIND_OBJ, c, i, None, np.dtype(object)
        else:
            raise TypeError(
                f"lucas.{func}: coefs and init of other number types (Fraction, mpz, ...) "
                f"give object results; dtype must be object, got {want}"
            )
    vals = c + i
    floats = _has_float(vals)
    small = _fits_int64(vals)
    if mod is None:
        if want is None:
            want = _default_dtype(floats, objarr or not small, None)
        if want == np.int64:
            if floats:
                raise TypeError(f"lucas.{func}: float inputs cannot give int64 results")
            if not small:
                raise OverflowError(f"lucas.{func}: coefs or init do not fit in int64")
            return _KIND_I64, c, i, None, want
        if want == np.float64:
            return _KIND_F64, [float(v) for v in c], [float(v) for v in i], None, want
        if want == object:
            return _KIND_OBJ, c, i, None, want  # floats: Python floats by the object path
        raise TypeError(f"lucas.{func}: dtype must be int64, float64 or object, got {want}")
    m = _modulus(func, mod)
    if floats:
        raise TypeError(f"lucas.{func}: mod= needs integer coefs and init, got floats")
    if want is None:
        want = _default_dtype(False, objarr or not small, m)
    if want == np.int64 and m > 2**63:
        raise ValueError(f"lucas.{func}: residues mod {m} do not all fit int64; use uint64")
    if want == np.uint64 and m > _UINT64_MAX:
        raise ValueError(f"lucas.{func}: residues mod {m} do not all fit uint64; use object")
    if want not in (np.dtype(np.int64), np.dtype(np.uint64), np.dtype(object)):
        raise TypeError(f"lucas.{func}: with mod=, dtype must be int64, uint64 or object")
    c = [v % m for v in c]
    i = [v % m for v in i]
    if m > _UINT64_MAX:
        return _KIND_OBJ, c, i, m, want
    return _KIND_MOD, c, i, m, want


def _check_out(out: Any, count: int, dtype: np.dtype[Any]) -> np.ndarray[Any, Any]:
    if not isinstance(out, np.ndarray):
        raise TypeError(f"lucas.sequence: out must be a NumPy array, got {type(out).__name__}")
    if out.dtype != dtype:
        raise TypeError(f"lucas.sequence: out must have dtype {dtype}, got {out.dtype}")
    if out.shape != (count,):
        raise ValueError(f"lucas.sequence: out must have shape ({count},), got {out.shape}")
    if not out.flags.writeable:
        raise ValueError("lucas.sequence: out is read-only")
    return out


def sequence(
    coefs: Any,
    init: Any,
    count: int,
    *,
    start: int = 0,
    mod: int | None = None,
    dtype: Any = None,
    out: np.ndarray[Any, Any] | None = None,
) -> np.ndarray[Any, Any]:
    """Consecutive terms ``a[start], ..., a[start+count-1]`` of a linear recurrence.

    ``a[n+k] = sum(coefs[i] * a[n+i] for i < k)`` with ``a[0..k-1] = init``.  The first k
    terms are found by jumping (O(k^3 log start) at most), the rest by stepping in a tight C
    loop, O(k) per term, without the GIL and interruptible with Ctrl-C.

    Parameters
    ----------
    coefs, init : 1-D sequences of numbers, same length k >= 0
        ``coefs[0]`` multiplies the oldest value (OEIS signatures are the reverse).  Order
        0 (both empty) is the zero sequence.  Numbers of another commutative ring
        (Fraction, gmpy2.mpz/mpq, flint.fmpz/fmpq/nmod/fmpz_mod, SymPy numbers, Decimal,
        complex, or floats given in object arrays) give an object array of terms in their
        own type, computed with their +, - and * (exact where the type is).
    count : int
        Number of terms, >= 0.
    start : int, optional
        Index of the first term; any Python int (negative where the recurrence runs
        backwards, as for :data:`lucas.term`).
    mod : int, optional
        Return residues in ``[0, mod)``, exact for every modulus (object arrays above
        2**64 - 1).
    dtype : {None, int64, float64, object, uint64}, optional
        Result type.  By default it follows the inputs like ``term``: integers give int64
        (exact, or ``OverflowError`` naming the first index that does not fit), any float
        gives float64, object arrays or integers beyond int64 give object (exact Python
        ints; other number types: their own type).  With ``mod``: int64 for m < 2**63,
        uint64 up to 2**64 - 1, else object; integer types such as mpz are read as ints,
        residues of other types (Fraction, nmod, ...) are not defined (TypeError).
        float64 with non-negative inputs: term ``start + j`` is within a relative
        ``2 k (log2(|start + j| + k + 2) + j) eps`` of the exact value whenever that is a
        normal double (terms beyond the double range in between do not spoil later ones);
        inf only where the exact value overflows.
    out : ndarray, optional
        Array of shape ``(count,)`` and exactly the result dtype to write into.

    Returns
    -------
    ndarray
        The ``count`` terms (``out`` when given).

    Raises
    ------
    OverflowError
        int64 results: a term's true value does not fit (the message names its index).
    ValueError
        Negative count, empty or mismatched coefs/init, mod <= 0, bad ``out`` shape, or a
        negative start where the recurrence cannot run backwards.
    TypeError
        Non-numbers, unsupported dtype, floats with ``mod``.
    MemoryError
        ``count`` too large for memory.

    Examples
    --------
    >>> import lucas
    >>> lucas.sequence([1, 1], [0, 1], 10)
    array([ 0,  1,  1,  2,  3,  5,  8, 13, 21, 34])
    >>> lucas.sequence([1, 1], [0, 1], 3, start=90)
    array([2880067194370816120, 4660046610375530309, 7540113804746346429])
    >>> lucas.sequence([1, 1], [0, 1], 4, start=10**15, mod=10**9 + 7)
    array([648325137, 133295545, 781620682, 914916227])
    >>> lucas.sequence([1, 2], [0, 1], 5, dtype=object)
    array([0, 1, 2, 5, 12], dtype=object)
    """
    count = _index("sequence", "count", count)
    if count < 0:
        raise ValueError(f"lucas.sequence: count must be >= 0, got {count}")
    start = _index("sequence", "start", start)
    kind, c, i, m, dt = _plan("sequence", coefs, init, mod, dtype)
    if out is None:
        res = np.empty(count, dtype=dt)
    else:
        res = _check_out(out, count, dt)
    if not c:
        res[...] = 0  # order 0: the zero sequence
        return res
    if kind == _KIND_MOD and dt == object:
        # residues below 2**64 are computed in C, then boxed
        tmp = np.empty(count, dtype=np.uint64)
        _core._sequence(kind, tuple(c), tuple(i), start, m, tmp, 0)
        res[...] = tmp
        return res
    target = res if res.flags.c_contiguous else np.empty(count, dtype=dt)
    if kind == _KIND_MOD and dt == np.int64:
        buf = target.view(np.uint64)
    else:
        buf = target
    _core._sequence(kind, tuple(c), tuple(i), start, m, buf, 0)
    if target is not res:
        res[...] = target
    return res


def _iter_prepare(
    coefs: Any, init: Any, mod: Any
) -> tuple[int, tuple[Any, ...], tuple[Any, ...], int | None, tuple[Any, ...], tuple[Any, ...]]:
    """(kind, working coefs, working init, m, coefs, init as given) for LucasIterBase._setup."""
    c, i, _ = _recurrence("LucasIter", coefs, init)
    if _is_ring(c + i, False) and mod is None:
        # Fraction, mpz, nmod, ...: stepped over the elements' own ring (floats without other
        # number types keep the float64 mode, wherever they came from)
        return _KIND_OBJ, tuple(c), tuple(i), None, tuple(c), tuple(i)
    if not c:
        # order 0, the zero sequence: stepped in C as a[n+1] = 0 * a[n] from a[0] = 0 (the
        # C type reports the empty window as its state)
        kind, _, _, m, _ = _plan_values("LucasIter", [0], [0], False, mod, None)
        return kind, (0,), (0,), m, (), ()
    # the kinds of sequence(dtype=None), except that object arrays still step in int64 while
    # the values fit: LucasIter yields Python ints whatever the container
    kind, cw, iw, m, _ = _plan_values("LucasIter", c, i, False, mod, None)
    if kind == _KIND_F64:
        return kind, tuple(cw), tuple(iw), None, tuple(cw), tuple(iw)
    return kind, tuple(cw), tuple(iw), m, tuple(c), tuple(i)


def _short(v: float) -> str:
    if isinstance(v, int) and v.bit_length() > 256:
        return f"<{v.bit_length()}-bit int>"
    return repr(v)


@final
class LucasIter(_core.LucasIterBase):
    """Iterator over the terms a[0], a[1], ... of a linear recurrence.

    ``a[n+k] = sum(coefs[i] * a[n+i] for i < k)`` with ``a[0..k-1] = init``.

    Parameters
    ----------
    coefs, init : 1-D sequences of numbers, same length k >= 0 (k = 0: the zero sequence)
        ``coefs[0]`` multiplies the oldest value.
    mod : int, optional
        Yield residues in ``[0, mod)`` (any positive modulus).

    Notes
    -----
    Integer recurrences yield exact Python ints: terms are stepped in int64 blocks in C and
    continue over Python ints once they outgrow int64 (Fibonacci runs past F(92) seamlessly).
    Float coefficients or initial values yield floats.  Numbers of another commutative ring
    (Fraction, gmpy2.mpz, flint.nmod, SymPy numbers, Decimal, ...) step in their own type with
    their +, - and * (``mod`` needs integer types); such iterators pickle when the elements
    do.  ``advance(n)`` jumps n terms ahead in
    O(k^2 log n); ``state`` is the current window; iterators pickle and copy (a copy continues
    independently).  One operation at a time: a call while another thread's call on the same
    iterator runs raises RuntimeError (give each thread its own copy).

    Examples
    --------
    >>> import itertools, lucas
    >>> list(itertools.islice(lucas.LucasIter([1, 1], [0, 1]), 10))
    [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]
    >>> it = lucas.LucasIter([1, 1], [0, 1], mod=10**9 + 7)
    >>> it.advance(10**18)
    >>> next(it), it.position
    (209783453, 1000000000000000001)
    >>> it
    LucasIter([1, 1], [0, 1], mod=1000000007) at n=1000000000000000001
    >>> fib = lucas.LucasIter([1, 1], [0, 1])
    >>> fib.advance(92)
    >>> next(fib), next(fib)
    (7540113804746346429, 12200160415121876738)
    """

    # pickles and the class's repr name the public place, as before the split
    __module__ = "lucas"
    # no __dict__: the state lives in the C base, whose __next__ runs unchanged
    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # as before the split: the C state and the Python set-up are one type
        raise TypeError("type 'lucas.LucasIter' is not an acceptable base type")

    def __init__(self, coefs: Any, init: Any, *, mod: int | None = None) -> None:
        # held while planning: callbacks (__index__, ...) find the iterator busy
        self._enter()
        try:
            kind, cw, iw, m, cshow, ishow = _iter_prepare(coefs, init, mod)
            self._setup(kind, cw, iw, m, cshow, ishow, 0)
        finally:
            self._leave()

    def __repr__(self) -> str:
        def seq(vals: tuple[Any, ...]) -> str:
            items = [_short(v) for v in vals[:8]] + (["..."] if len(vals) > 8 else [])
            return "[" + ", ".join(items) + "]"

        text = f"LucasIter({seq(self.coefs)}, {seq(self.init)}"
        if self.mod is not None:
            text += f", mod={_short(self.mod)}"
        return text + f") at n={_short(self.position)}"

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.coefs, self.init), self._getstate()

    def __setstate__(self, state: Any) -> None:
        if not isinstance(state, tuple) or len(state) != 3:
            raise TypeError("LucasIter.__setstate__: expected a tuple (mod, position, window)")
        mod, pos, win = state
        if not isinstance(pos, int):
            raise TypeError(
                f"LucasIter.__setstate__: position must be int, not {type(pos).__name__}"
            )
        self._enter()
        try:
            # an exact int: the position is added to at every step (no int subclass's __add__)
            origin = operator.index(pos)
            kind, cw, iw, m, _, _ = _iter_prepare(self.coefs, win, mod)
            self._setup(kind, cw, iw, m, None, None, origin)
        finally:
            self._leave()

    def __copy__(self) -> LucasIter:
        state = self._getstate()
        cp = type(self)(self.coefs, self.init)
        cp.__setstate__(state)
        return cp

    def __deepcopy__(self, memo: Any, /) -> LucasIter:
        return self.__copy__()
