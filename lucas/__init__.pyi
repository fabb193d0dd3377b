# Stubs for the public API (lucas/__init__.py).  Keep them in step with __all__ there:
# tests/test_typing.py and `python -m mypy.stubtest lucas` (ci_extra.sh) check it.
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from ._core import LucasIter as LucasIter

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

__version__: Final[str]
METHODS: Final[tuple[str, ...]]

# (k),(k),()->() and (k),(k),(),()->() gufuncs
term: np.ufunc
term_mod: np.ufunc

# (k,k),()->(k,k) and (k,k),(),()->(k,k) gufuncs: matrix powers
matrix_power: np.ufunc
matrix_power_mod: np.ufunc

# elementwise ufuncs: classical Lucas sequences and 64-bit primality
fibonacci: np.ufunc
lucas_number: np.ufunc
lucas_u: np.ufunc
lucas_v: np.ufunc
lucas_uv_mod: np.ufunc
is_prime: np.ufunc
is_strong_lucas_prp: np.ufunc

def term_ufunc(method: str = ...) -> np.ufunc: ...
def term_mod_ufunc(method: str = ...) -> np.ufunc: ...
def get_config() -> dict[str, object]: ...
def show_config() -> None: ...
def sequence(
    coefs: npt.ArrayLike,
    init: npt.ArrayLike,
    count: int,
    *,
    start: int = ...,
    mod: int | None = ...,
    dtype: npt.DTypeLike | None = ...,
    out: np.ndarray[Any, Any] | None = ...,
) -> np.ndarray[Any, Any]: ...
