"""lucas: terms of linear recurrences with constant coefficients as NumPy ufuncs.

Seed convention: ``a[n+k] = sum(c[i] * a[n+i] for i < k)`` with ``a[0..k-1] = init``, so
``c[0]`` multiplies the oldest value (Pell: ``c = [1, 2]``).  OEIS signatures list the
coefficients newest first: reverse them.

Examples
--------
>>> import lucas
>>> int(lucas.term([1, 1], [0, 1], 90))
2880067194370816120
"""

from __future__ import annotations

import os as _os
import sys as _sys


def _installed_build_dir() -> str | None:
    """Another ``lucas`` package folder on sys.path that has the compiled extension."""
    import importlib.machinery

    here = _os.path.dirname(_os.path.abspath(__file__))
    for entry in _sys.path:
        folder = _os.path.join(_os.path.abspath(entry or _os.getcwd()), "lucas")
        if folder == here or not _os.path.isdir(folder):
            continue
        names = _os.listdir(folder)
        if any("_core" + suffix in names for suffix in importlib.machinery.EXTENSION_SUFFIXES):
            return folder
    return None


# OpenBLAS: a source build links the library of the scipy-openblas32 wheel (the extension's
# RUNPATH finds it in site-packages; importing the package loads it for builds run from a
# build directory).  Wheels repaired by auditwheel/delocate carry their own copy: there the
# package is not needed and may be absent.
try:  # pragma: no cover - depends on how lucas was built
    import scipy_openblas32 as _scipy_openblas32  # noqa: F401
except ImportError:  # pragma: no cover
    pass

import importlib as _importlib

try:
    _core = _importlib.import_module("._core", __name__)
except ModuleNotFoundError as _exc:  # pragma: no cover - a source checkout on sys.path
    if _exc.name != __name__ + "._core":
        raise
    # ``python -m pytest`` or ``python -m lucas`` run from the repository root put the checkout
    # first on sys.path, and its lucas/ folder has no compiled extension.  Take the compiled
    # modules from the installed build instead (same package object, no sys.path change).
    _built = _installed_build_dir()
    if _built is None:
        raise ImportError(
            f"lucas is not built: {_os.path.dirname(_os.path.abspath(__file__))} is the source "
            "folder and no installed build was found; install it with 'pip install .' or, "
            "for development, 'pip install --no-build-isolation -e .' (see README.md)"
        ) from None
    __path__[:] = [_built]
    _core = _importlib.import_module("._core", __name__)
except ImportError as _exc:  # pragma: no cover - the OpenBLAS library cannot be loaded
    if "openblas" not in str(_exc).lower():
        raise
    raise ImportError(
        f"lucas cannot load its OpenBLAS library ({_exc}); fix: pip install scipy-openblas32 "
        "(or reinstall lucas-recurrence)"
    ) from None

from typing import Any as _Any

import numpy as _np
import numpy.typing as _npt

from ._config import get_config, show_config
from ._find import UnderdeterminedWarning, find_recurrence
from ._sequence import LucasIter, sequence

__version__ = "0.1.0"

# One thread inside each dgemm of the matrix method: lucas loops already run in parallel
# threads (dask), and OpenBLAS's spinning workers crawl on an oversubscribed machine.
# LUCAS_BLAS_THREADS=n overrides it.
_core.set_blas_threads(int(_os.environ.get("LUCAS_BLAS_THREADS", "1") or "1"))

term = _core.term
term_mod = _core.term_mod

# Matrix powers A**n, exact (int64 / object) or mod m, as gufuncs over stacks of matrices.
matrix_power = _core.matrix_power
matrix_power_mod = _core.matrix_power_mod

# Classical Lucas sequences and 64-bit primality (elementwise ufuncs).
fibonacci = _core.fibonacci
lucas_number = _core.lucas_number
lucas_u = _core.lucas_u
lucas_v = _core.lucas_v
lucas_uv_mod = _core.lucas_uv_mod
is_prime = _core.is_prime
is_strong_lucas_prp = _core.is_strong_lucas_prp

#: The same gufuncs with the algorithm fixed, for comparisons and benchmarks.
METHODS = ("auto", "matrix", "poly")
_TERM_BY_METHOD = {"auto": _core.term, "matrix": _core.term_matrix, "poly": _core.term_poly}
_TERM_MOD_BY_METHOD = {
    "auto": _core.term_mod,
    "matrix": _core.term_mod_matrix,
    "poly": _core.term_mod_poly,
}


def term_ufunc(method: str = "auto") -> _np.ufunc:
    """Return the ``term`` gufunc that uses one algorithm.

    Parameters
    ----------
    method : {"auto", "matrix", "poly"}
        ``"matrix"``: companion-matrix power, O(k^3 log n), float64 squares through BLAS
        dgemm from k = 64.  ``"poly"``: x^n mod the characteristic polynomial, O(k^2 log n).
        ``"auto"`` (what :data:`term` is) picks the fastest exact one.

    Examples
    --------
    >>> import lucas
    >>> int(lucas.term_ufunc("matrix")([1, 1], [0, 1], 50))
    12586269025
    """
    try:
        return _TERM_BY_METHOD[method]
    except KeyError:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}") from None


def term_mod_ufunc(method: str = "auto") -> _np.ufunc:
    """Return the ``term_mod`` gufunc that uses one algorithm (see :func:`term_ufunc`).

    Examples
    --------
    >>> import lucas
    >>> int(lucas.term_mod_ufunc("poly")([1, 1], [0, 1], 10**18, 10**9 + 7))
    209783453
    """
    try:
        return _TERM_MOD_BY_METHOD[method]
    except KeyError:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}") from None


def from_signature(signature: _npt.ArrayLike) -> _npt.NDArray[_Any]:
    """Seed-order coefficients from an OEIS signature (or SymPy ``linrec`` coefficients).

    OEIS signatures and SymPy's ``linrec(coeffs, init, n)`` list the coefficients newest
    first (``a(n) = s[0]*a(n-1) + s[1]*a(n-2) + ...``); lucas takes them oldest first.  This
    reverses the last axis, so a stack of signatures (2-d) works too.

    Parameters
    ----------
    signature : array_like
        Coefficients, newest first.  Python ints of any size are kept exactly.

    Returns
    -------
    ndarray
        The same coefficients oldest first, ready for :data:`term`, :func:`sequence` and
        :class:`LucasIter`.

    Examples
    --------
    >>> import lucas
    >>> coefs = lucas.from_signature([2, 1])         # OEIS A000129, Pell: a(n) = 2a(n-1) + a(n-2)
    >>> coefs.tolist()
    [1, 2]
    >>> int(lucas.term(coefs, [0, 1], 20))            # SymPy: linrec([2, 1], [0, 1], 20)
    15994428
    """
    arr = _np.asarray(signature)
    if arr.ndim == 0:
        raise ValueError("from_signature: expected a sequence of coefficients, got a scalar")
    return _np.flip(arr, axis=-1).copy()


# By topic (lucas/__init__.pyi lists the same names; tests/test_typing.py compares them).
__all__ = ["METHODS", "from_signature", "term", "term_mod", "term_mod_ufunc", "term_ufunc"]
__all__ += ["LucasIter", "UnderdeterminedWarning", "find_recurrence", "sequence"]
__all__ += ["is_prime", "is_strong_lucas_prp", "matrix_power", "matrix_power_mod"]
__all__ += ["fibonacci", "lucas_number", "lucas_u", "lucas_uv_mod", "lucas_v"]
__all__ += ["__version__", "get_config", "show_config"]
