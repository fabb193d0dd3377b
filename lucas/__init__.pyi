# Stubs for the public API (lucas/__init__.py).  Keep them in step with __all__ there:
# tests/test_typing.py and `python -m mypy.stubtest lucas` (ci_extra.sh) check it.
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from ._sequence import LucasIter as LucasIter
from ._find import UnderdeterminedWarning as UnderdeterminedWarning
from ._find import find_recurrence as find_recurrence
from ._typing import (
    _IntUFunc1,
    _IntUFunc3,
    _PredicateUFunc,
    _TermModUFunc,
    _TermUFunc,
    _UVModUFunc,
)

__all__ = [
    "METHODS",
    "LucasIter",
    "UnderdeterminedWarning",
    "__version__",
    "fibonacci",
    "find_recurrence",
    "from_signature",
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
# (typed call signatures: see lucas/_core.pyi)
term: _TermUFunc
term_mod: _TermModUFunc

# (k,k),()->(k,k) and (k,k),(),()->(k,k) gufuncs: matrix powers
matrix_power: np.ufunc
matrix_power_mod: np.ufunc

# elementwise ufuncs: classical Lucas sequences and 64-bit primality
fibonacci: _IntUFunc1
lucas_number: _IntUFunc1
lucas_u: _IntUFunc3
lucas_v: _IntUFunc3
lucas_uv_mod: _UVModUFunc
is_prime: _PredicateUFunc
is_strong_lucas_prp: _PredicateUFunc

def term_ufunc(method: Literal["auto", "matrix", "poly"] = ...) -> _TermUFunc: ...
def term_mod_ufunc(method: Literal["auto", "matrix", "poly"] = ...) -> _TermModUFunc: ...
def from_signature(signature: npt.ArrayLike) -> npt.NDArray[Any]: ...
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
