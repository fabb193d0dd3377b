# Stubs for the compiled extension lucas._core (src/binding/).  Public names are re-exported,
# and documented, in lucas/__init__.pyi.
from collections.abc import Iterator
from typing import Any, Final, final

import numpy as np
import numpy.typing as npt

compiler: Final[str]

def blas_info() -> dict[str, Any]: ...
def set_blas_threads(n: int, /) -> None: ...

# (k),(k),()->() and (k),(k),(),()->() gufuncs, one per method
term: np.ufunc
term_matrix: np.ufunc
term_poly: np.ufunc
term_mod: np.ufunc
term_mod_matrix: np.ufunc
term_mod_poly: np.ufunc

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

def _sequence(
    kind: str,
    coefs: tuple[Any, ...],
    init: tuple[Any, ...],
    start: int,
    m: int | None,
    out: npt.NDArray[Any],
    method: int,
    /,
) -> None: ...

@final
class LucasIter(Iterator[Any]):
    def __new__(
        cls, coefs: npt.ArrayLike, init: npt.ArrayLike, *, mod: int | None = ...
    ) -> LucasIter: ...
    def __iter__(self) -> LucasIter: ...
    def __next__(self) -> Any: ...
    def advance(self, n: int, /) -> None: ...
    @property
    def state(self) -> tuple[Any, ...]: ...
    @property
    def position(self) -> int: ...
    @property
    def coefs(self) -> tuple[Any, ...]: ...
    @property
    def init(self) -> tuple[Any, ...]: ...
    @property
    def mod(self) -> int | None: ...
    def __copy__(self) -> LucasIter: ...
    def __deepcopy__(self, memo: Any, /) -> LucasIter: ...
