# ruff: noqa: PYI047  (the private aliases at the end are imported by the other stubs)
# Stub-only module (no runtime counterpart): typed call signatures of lucas's ufuncs, used by
# lucas/_core.pyi and lucas/__init__.pyi.  At runtime every one is a plain np.ufunc.
#
# Three generic families by arity, each: scalar arguments give a NumPy scalar, an array of
# indices (or of moduli) gives an array, anything else is NumPy's to decide (Any).
from collections.abc import Sequence
from types import EllipsisType
from typing import Any, Generic, Never, TypeAlias, TypedDict, TypeVar, overload, type_check_only

import numpy as np
import numpy.typing as npt
from typing_extensions import Unpack

_IntScalar: TypeAlias = int | np.integer[Any]
_IntCoefs: TypeAlias = Sequence[int] | npt.NDArray[np.integer[Any]] | npt.NDArray[np.bool_]
_FloatCoefs: TypeAlias = Sequence[float] | npt.NDArray[np.floating[Any]]
# an index argument that is an array (or a sequence NumPy makes one of)
_IndexArray: TypeAlias = npt.NDArray[Any] | Sequence[Any]
_Out: TypeAlias = npt.NDArray[Any] | tuple[npt.NDArray[Any]] | EllipsisType | None

@type_check_only
class _ScalarKwargs(TypedDict, total=False):
    """The keywords of a call that gives a NumPy scalar: no out= array, no dtype=."""

    out: None
    dtype: None
    where: Any
    casting: Any
    order: Any
    subok: Any
    signature: Any
    axes: Any
    axis: Any
    keepdims: Any

_S = TypeVar("_S")  # the result of a call with scalar arguments
_T = TypeVar("_T")  # the same for the second kind of scalar arguments
_X = TypeVar("_X")  # the leading arguments of a scalar call (coefficients, or P and Q)
_Y = TypeVar("_Y")  # those of the second kind (Never: there is none)
_A = TypeVar("_A")  # the result of a call with an array of indices or moduli
_F = TypeVar("_F")  # the result of any other call

@type_check_only
class _Unary(np.ufunc, Generic[_S, _A]):  # type: ignore[misc]
    """n -> a(n)."""

    @overload
    def __call__(self, n: _IntScalar, /, **kwargs: Unpack[_ScalarKwargs]) -> _S: ...
    @overload
    def __call__(self, n: _IndexArray, /, out: _Out = ..., **kwargs: Any) -> _A: ...
    @overload
    def __call__(self, n: npt.ArrayLike, /, out: _Out = ..., **kwargs: Any) -> Any: ...

@type_check_only
class _Ternary(np.ufunc, Generic[_X, _S, _Y, _T]):  # type: ignore[misc]
    """(a, b, n): a, b of type _X with a scalar n give _S, of type _Y give _T."""

    @overload
    def __call__(self, a: _X, b: _X, n: _IntScalar, /, **kwargs: Unpack[_ScalarKwargs]) -> _S: ...
    @overload
    def __call__(self, a: _Y, b: _Y, n: _IntScalar, /, **kwargs: Unpack[_ScalarKwargs]) -> _T: ...
    @overload
    def __call__(
        self, a: npt.ArrayLike, b: npt.ArrayLike, n: _IndexArray, /, out: _Out = ..., **kwargs: Any
    ) -> npt.NDArray[Any]: ...
    @overload
    def __call__(
        self, a: npt.ArrayLike, b: npt.ArrayLike, n: npt.ArrayLike, /, *args: Any, **kwargs: Any
    ) -> Any: ...

@type_check_only
class _Quaternary(np.ufunc, Generic[_X, _S, _T, _A, _F]):  # type: ignore[misc]
    """(a, b, n, m): a, b of type _X with a scalar n give _S for an int or int64 m, _T for a
    uint64 m; an array of indices or moduli gives _A, anything else _F."""

    @overload
    def __call__(
        self, a: _X, b: _X, n: _IntScalar, m: int | np.int64, /, **kwargs: Unpack[_ScalarKwargs]
    ) -> _S: ...
    @overload
    def __call__(
        self, a: _X, b: _X, n: _IntScalar, m: np.uint64, /, **kwargs: Unpack[_ScalarKwargs]
    ) -> _T: ...
    @overload
    def __call__(self, *args: Unpack[tuple[Any, Any, _IndexArray, Any]], **kwargs: Any) -> _A: ...
    @overload
    def __call__(self, *args: Unpack[tuple[Any, Any, Any, _IndexArray]], **kwargs: Any) -> _A: ...
    @overload
    def __call__(self, *args: Any, **kwargs: Any) -> _F: ...

# The families, named for lucas/_core.pyi and lucas/__init__.pyi (which import these aliases).
# (k),(k),()->() term(coefs, init, n) and (k),(k),(),()->() term_mod(coefs, init, n, m)
_TermUFunc: TypeAlias = _Ternary[_IntCoefs, np.int64, _FloatCoefs, np.float64]
_TermModUFunc: TypeAlias = _Quaternary[_IntCoefs, np.int64, np.uint64, npt.NDArray[Any], Any]
# n -> F_n, L_n: fibonacci, lucas_number; n -> bool: is_prime, is_strong_lucas_prp
_IntUFunc1: TypeAlias = _Unary[np.int64, npt.NDArray[Any]]
_PredicateUFunc: TypeAlias = _Unary[np.bool_, npt.NDArray[np.bool_]]
# (P, Q, n) -> U_n or V_n: lucas_u, lucas_v
_IntUFunc3: TypeAlias = _Ternary[_IntScalar, np.int64, Never, Never]
# (P, Q, n, m) -> (U_n mod m, V_n mod m): lucas_uv_mod
_UVModUFunc: TypeAlias = _Quaternary[
    _IntScalar,
    tuple[np.int64, np.int64],
    tuple[np.uint64, np.uint64],
    tuple[npt.NDArray[Any], npt.NDArray[Any]],
    tuple[Any, Any],
]

@type_check_only
class _MatPowUFunc(np.ufunc):  # type: ignore[misc]
    """(k,k),()->(k,k): matrix_power(A, n); always an array of matrices."""

    def __call__(
        self, A: npt.ArrayLike, n: npt.ArrayLike, /, out: _Out = ..., **kwargs: Any
    ) -> npt.NDArray[Any]: ...

@type_check_only
class _MatPowModUFunc(np.ufunc):  # type: ignore[misc]
    """(k,k),(),()->(k,k): matrix_power_mod(A, n, m)."""

    def __call__(
        self,
        A: npt.ArrayLike,
        n: npt.ArrayLike,
        m: npt.ArrayLike,
        /,
        out: _Out = ...,
        **kwargs: Any,
    ) -> npt.NDArray[Any]: ...
