"""``lucas.term`` / ``lucas.term_mod`` on dask arrays, with no dtype guessing by dask.

The plain gufuncs already accept dask arrays (NumPy hands them to ``dask.array.apply_gufunc``),
but dask then infers the output type by calling the function on small arrays of zeros: that
fails for Python lists as ``coefs``/``init`` ("must give a single item for output_dtypes") and
for an *array* of moduli (a zero modulus is an error).  These helpers take the output dtype
from NumPy's own type resolution on empty stand-ins (no loop runs on invented values), put the
core axis ``k`` in one chunk, and call ``apply_gufunc`` with it.  dask is imported lazily.

Examples
--------
>>> import numpy as np, lucas.dask                                  # doctest: +SKIP
>>> import dask.array as da                                         # doctest: +SKIP
>>> n = da.arange(10**18, 10**18 + 10**6, chunks=250_000)           # doctest: +SKIP
>>> m = da.full(10**6, 2**61 - 1, chunks=250_000)                   # doctest: +SKIP
>>> lucas.dask.term_mod([1, 1], [0, 1], n, m).dtype                 # doctest: +SKIP
dtype('int64')
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from . import METHODS, term_mod_ufunc, term_ufunc

__all__ = ["apply", "term", "term_mod"]


def _dask_array() -> Any:
    try:
        import dask.array as da
    except ImportError:  # pragma: no cover - dask is optional
        raise ImportError("lucas.dask needs dask: pip install 'dask[array]'") from None
    return da


def _is_dask(x: object) -> bool:
    return hasattr(x, "dask") and hasattr(x, "chunks") and hasattr(x, "compute")


def _operand(x: object) -> Any:
    """A dask array stays lazy; a Python scalar stays a Python scalar (NEP 50: it takes the
    other operands' type); anything else becomes a NumPy array (lists of big ints -> object)."""
    if _is_dask(x) or isinstance(x, (int, float)) and not isinstance(x, bool):
        return x
    return np.asarray(x)


def _stand_in(x: Any, core_dims: int) -> Any:
    """An empty array with the dtype of ``x`` (and its core dimensions), or a Python scalar."""
    if isinstance(x, (int, float)):
        return x
    shape = (0,) + tuple(x.shape[x.ndim - core_dims :]) if core_dims else (0,)
    return np.empty(shape, dtype=x.dtype)


def _apply(ufunc: np.ufunc, args: list[Any], core: list[int]) -> Any:
    da = _dask_array()
    ops = [_operand(a) for a in args]
    # NumPy's type resolution on empty stand-ins: the dtype the gufunc itself would give
    # (and its TypeError/OverflowError for bad input types, raised now, not at compute time).
    probe = ufunc(*[_stand_in(x, c) for x, c in zip(ops, core, strict=True)])
    dtypes = tuple(r.dtype for r in probe) if ufunc.nout > 1 else probe.dtype
    lazy = []
    for x, c in zip(ops, core, strict=True):
        if not _is_dask(x) and isinstance(x, np.ndarray) and x.ndim > c:
            x = da.from_array(x, chunks=-1)  # dask then unifies the loop-dimension chunks
        if _is_dask(x) and c:
            x = x.rechunk({x.ndim - 1: -1})
        lazy.append(x)
    lazy = _align_loop_chunks(lazy, core)
    signature = ufunc.signature or ",".join(["()"] * ufunc.nin) + "->" + ",".join(
        ["()"] * ufunc.nout
    )
    return da.apply_gufunc(ufunc, signature, *lazy, output_dtypes=dtypes)


def _core_dims(ufunc: np.ufunc) -> list[int]:
    """The number of core dimensions of each input: (k),(k),()->() gives [1, 1, 0]."""
    if ufunc.signature is None:
        return [0] * ufunc.nin
    inputs = ufunc.signature.split("->")[0]
    return [len([d for d in p.split(",") if d.strip()]) for p in re.findall(r"\((.*?)\)", inputs)]


def apply(ufunc: np.ufunc, *args: Any) -> Any:
    """Lazy ``ufunc(*args)`` over dask arrays for any lucas ufunc (``lucas.lucas_uv_mod``,
    ``lucas.matrix_power_mod``, ...), as :func:`term` does for ``lucas.term``.

    Parameters
    ----------
    ufunc : numpy.ufunc
        One of lucas's ufuncs.
    *args : array_like or dask array
        Its inputs; lists are fine, core axes are put in one chunk.

    Returns
    -------
    dask.array.Array or tuple of them
        One per output of ``ufunc`` (two for ``lucas_uv_mod``), with the dtypes NumPy's
        type resolution gives for these inputs; computed chunk by chunk.

    Examples
    --------
    >>> import lucas, lucas.dask, dask.array as da                     # doctest: +SKIP
    >>> u, v = lucas.dask.apply(lucas.lucas_uv_mod, 1, -1, da.arange(10, chunks=5), 7)  # doctest: +SKIP
    >>> v.compute()                                                  # doctest: +SKIP
    array([2, 1, 3, 4, 0, 4, 4, 1, 5, 6])
    """
    if not isinstance(ufunc, np.ufunc):
        raise TypeError(f"lucas.dask.apply: expected a ufunc, got {type(ufunc).__name__}")
    if len(args) != ufunc.nin:
        raise TypeError(
            f"lucas.dask.apply: {ufunc.__name__} takes {ufunc.nin} inputs, got {len(args)}"
        )
    return _apply(ufunc, list(args), _core_dims(ufunc))


def _align_loop_chunks(ops: list[Any], core: list[int]) -> list[Any]:
    """Give every dask operand the loop-dimension chunks of the one with the most loop
    dimensions (dask's apply_gufunc refuses equal-sized dimensions chunked differently)."""
    lazy = [(x, c) for x, c in zip(ops, core, strict=True) if _is_dask(x)]
    if len(lazy) < 2:
        return ops
    ref, ref_core = max(lazy, key=lambda t: t[0].ndim - t[1])
    ref_loop = ref.ndim - ref_core
    out = []
    for x, c in zip(ops, core, strict=True):
        if _is_dask(x):
            loop = x.ndim - c
            target = {}
            for d in range(loop):
                rd = ref_loop - loop + d  # loop dimensions align from the right
                if x.shape[d] == ref.shape[rd] and x.shape[d] > 1:
                    target[d] = ref.chunks[rd]
            if target:
                x = x.rechunk(target)
        out.append(x)
    return out


def term(coefs: Any, init: Any, n: Any, *, method: str = "auto") -> Any:
    """Lazy ``lucas.term(coefs, init, n)`` over dask arrays (any argument may be one).

    Parameters
    ----------
    coefs, init : array_like or dask array, shape (..., k)
        Seed-order coefficients and initial values; lists are fine.  The core axis ``k`` is
        put in one chunk.
    n : array_like or dask array
        Indices.
    method : {"auto", "matrix", "poly"}
        As for :func:`lucas.term_ufunc`.

    Returns
    -------
    dask.array.Array
        Same dtype as ``lucas.term`` gives for these input types; computed chunk by chunk.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return _apply(term_ufunc(method), [coefs, init, n], [1, 1, 0])


def term_mod(coefs: Any, init: Any, n: Any, m: Any, *, method: str = "auto") -> Any:
    """Lazy ``lucas.term_mod(coefs, init, n, m)`` over dask arrays; ``m`` may be an array.

    Returns
    -------
    dask.array.Array
        Residues in ``[0, m)``, dtype as ``lucas.term_mod`` gives (int64, uint64 or object).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return _apply(term_mod_ufunc(method), [coefs, init, n, m], [1, 1, 0, 0])
