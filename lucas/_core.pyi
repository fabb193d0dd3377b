# Stubs for the compiled extension lucas._core (src/binding/).  Public names are re-exported,
# and documented, in lucas/__init__.pyi.
#
# The ufuncs are np.ufunc instances at runtime; lucas/_typing.pyi gives each family a typed
# __call__ (a private subclass, as NumPy's own stubs do): scalar integer arguments give NumPy
# scalars, arrays give arrays.
from collections.abc import Iterator
from typing import Any, Final, Self

import numpy as np
import numpy.typing as npt
from typing_extensions import disjoint_base

from ._typing import (
    _IntUFunc1,
    _IntUFunc3,
    _MatPowModUFunc,
    _MatPowUFunc,
    _PredicateUFunc,
    _TermModUFunc,
    _TermUFunc,
    _UVModUFunc,
)

compiler: Final[str]

def blas_info() -> dict[str, Any]: ...
def set_blas_threads(n: int, /) -> None: ...

# (k),(k),()->() and (k),(k),(),()->() gufuncs, one per method
term: _TermUFunc
term_matrix: _TermUFunc
term_poly: _TermUFunc
term_mod: _TermModUFunc
term_mod_matrix: _TermModUFunc
term_mod_poly: _TermModUFunc

# (k,k),()->(k,k) and (k,k),(),()->(k,k) gufuncs: matrix powers
matrix_power: _MatPowUFunc
matrix_power_mod: _MatPowModUFunc

# elementwise ufuncs: classical Lucas sequences and 64-bit primality
fibonacci: _IntUFunc1
lucas_number: _IntUFunc1
lucas_u: _IntUFunc3
lucas_v: _IntUFunc3
lucas_uv_mod: _UVModUFunc
is_prime: _PredicateUFunc
is_strong_lucas_prp: _PredicateUFunc

def _sequence(
    kind: int,
    coefs: tuple[Any, ...],
    init: tuple[Any, ...],
    start: int,
    m: int | None,
    out: npt.NDArray[Any],
    method: int,
    /,
) -> None: ...

# find_recurrence (src/binding/find_binding.c)
def _find_recurrence_mod(
    terms: npt.NDArray[Any], m: int, /
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint64]]: ...
def _find_recurrence_i64(
    terms: npt.NDArray[np.int64], /
) -> tuple[
    npt.NDArray[np.bool_], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]
]: ...
def _find_recurrence_obj(
    terms: tuple[int, ...], term_bits: float, /
) -> tuple[int, tuple[int, ...], int] | None: ...
def _cert_primes() -> tuple[int, ...]: ...

# sequence() and LucasIter kinds (planned by lucas/_sequence.py)
KIND_I64: Final[int]
KIND_F64: Final[int]
KIND_MOD: Final[int]
KIND_OBJ: Final[int]

# The C stepping half of lucas.LucasIter (lucas/_sequence.py subclasses it).
@disjoint_base
class LucasIterBase(Iterator[Any]):
    def __new__(
        cls, coefs: npt.ArrayLike, init: npt.ArrayLike, *, mod: int | None = ...
    ) -> Self: ...
    def __iter__(self) -> Self: ...
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
    def _enter(self) -> None: ...
    def _leave(self) -> None: ...
    def _getstate(self) -> tuple[int | None, int, tuple[Any, ...]]: ...
    def _setup(
        self,
        kind: int,
        cw: tuple[Any, ...],
        iw: tuple[Any, ...],
        m: int | None,
        coefs: tuple[Any, ...] | None,
        init: tuple[Any, ...] | None,
        origin: int,
        /,
    ) -> None: ...
