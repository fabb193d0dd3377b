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


def _use_installed_build() -> None:
    """In a source checkout (``python -m lucas`` or ``import lucas`` from the repository root),
    this folder has no compiled extension: hand the name over to the installed build."""
    here = _os.path.dirname(_os.path.abspath(__file__))
    if any(f.startswith("_core.") and not f.endswith(".pyi") for f in _os.listdir(here)):
        return
    root = _os.path.dirname(here)
    _sys.path[:] = [p for p in _sys.path if _os.path.abspath(p or _os.getcwd()) != root]
    del _sys.modules[__name__]
    import importlib

    try:
        installed = importlib.import_module(__name__)
    except ImportError as exc:
        raise ImportError(
            f"lucas is not built: {here} is a source folder; install it with 'pip install .'"
        ) from exc
    # the import system returns sys.modules[__name__]: the installed package from here on
    _sys.modules[__name__] = installed


_use_installed_build()

# OpenBLAS comes from the scipy-openblas32 wheel: importing it loads the library globally, so
# the dynamic loader reuses it for our extension (whose build-time RUNPATH may be gone).
try:  # pragma: no cover - depends on the build option
    import scipy_openblas32 as _scipy_openblas32  # noqa: F401
except ImportError:  # pragma: no cover - built against the system OpenBLAS
    pass

import numpy as _np

from . import _core
from ._config import get_config, show_config
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


__all__ = [
    "METHODS",
    "LucasIter",
    "__version__",
    "fibonacci",
    "get_config",
    "is_prime",
    "is_strong_lucas_prp",
    "lucas_number",
    "lucas_u",
    "lucas_uv_mod",
    "lucas_v",
    "matrix_power",
    "matrix_power_mod",
    "sequence",
    "show_config",
    "term",
    "term_mod",
    "term_mod_ufunc",
    "term_ufunc",
]
