# Stubs for the public API (lucas/__init__.py).  Keep them in step with __all__ there:
# tests/test_typing.py and `python -m mypy.stubtest lucas` (ci_extra.sh) check it.
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

# term, term_mod ((k),(k),()->() and (k),(k),(),()->() gufuncs), the matrix powers and the
# elementwise ufuncs (classical Lucas sequences, 64-bit primality) are the extension's own
# objects, typed in lucas/_core.pyi
from ._core import fibonacci as fibonacci
from ._core import is_prime as is_prime
from ._core import is_strong_lucas_prp as is_strong_lucas_prp
from ._core import lucas_number as lucas_number
from ._core import lucas_u as lucas_u
from ._core import lucas_uv_mod as lucas_uv_mod
from ._core import lucas_v as lucas_v
from ._core import matrix_power as matrix_power
from ._core import matrix_power_mod as matrix_power_mod
from ._core import term as term
from ._core import term_mod as term_mod
from ._find import UnderdeterminedWarning as UnderdeterminedWarning
from ._find import find_recurrence as find_recurrence
from ._sequence import LucasIter as LucasIter
from ._typing import _TermModUFunc, _TermUFunc

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
