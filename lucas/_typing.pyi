# Stub-only module (no runtime counterpart): typed call signatures of lucas's ufuncs, used by
# lucas/_core.pyi and lucas/__init__.pyi.  At runtime every one is a plain np.ufunc.
from collections.abc import Sequence
from types import EllipsisType
from typing import Any, TypeAlias, overload, type_check_only

import numpy as np
import numpy.typing as npt

_IntScalar: TypeAlias = int | np.integer[Any]
_IntCoefs: TypeAlias = Sequence[int] | npt.NDArray[np.integer[Any]] | npt.NDArray[np.bool_]
_FloatCoefs: TypeAlias = Sequence[float] | npt.NDArray[np.floating[Any]]
# an index argument that is an array (or a sequence NumPy makes one of)
_IndexArray: TypeAlias = npt.NDArray[Any] | Sequence[Any]
_Out: TypeAlias = npt.NDArray[Any] | tuple[npt.NDArray[Any]] | EllipsisType | None

@type_check_only
class _TermUFunc(np.ufunc):  # type: ignore[misc]
    """(k),(k),()->(): term(coefs, init, n)."""

    @overload
    def __call__(
        self,
        coefs: _IntCoefs,
        init: _IntCoefs,
        n: _IntScalar,
        /,
        out: None = ...,
        *,
        dtype: None = ...,
        **kwargs: Any,
    ) -> np.int64: ...
    @overload
    def __call__(
        self,
        coefs: _FloatCoefs,
        init: _FloatCoefs,
        n: _IntScalar,
        /,
        out: None = ...,
        *,
        dtype: None = ...,
        **kwargs: Any,
    ) -> np.float64: ...
    @overload
    def __call__(
        self,
        coefs: npt.ArrayLike,
        init: npt.ArrayLike,
        n: _IndexArray,
        /,
        out: _Out = ...,
        **kwargs: Any,
    ) -> npt.NDArray[Any]: ...
    @overload
    def __call__(
        self,
        coefs: npt.ArrayLike,
        init: npt.ArrayLike,
        n: npt.ArrayLike,
        /,
        out: _Out = ...,
        **kwargs: Any,
    ) -> Any: ...

@type_check_only
class _TermModUFunc(np.ufunc):  # type: ignore[misc]
    """(k),(k),(),()->(): term_mod(coefs, init, n, m)."""

    @overload
    def __call__(
        self,
        coefs: _IntCoefs,
        init: _IntCoefs,
        n: _IntScalar,
        m: np.uint64,
        /,
        out: None = ...,
        *,
        dtype: None = ...,
        **kwargs: Any,
    ) -> np.uint64: ...
    @overload
    def __call__(
        self,
        coefs: _IntCoefs,
        init: _IntCoefs,
        n: _IntScalar,
        m: int | np.int64,
        /,
        out: None = ...,
        *,
        dtype: None = ...,
        **kwargs: Any,
    ) -> np.int64: ...
    @overload
    def __call__(
        self,
        coefs: npt.ArrayLike,
        init: npt.ArrayLike,
        n: _IndexArray,
        m: npt.ArrayLike,
        /,
        out: _Out = ...,
        **kwargs: Any,
    ) -> npt.NDArray[Any]: ...
    @overload
    def __call__(
        self,
        coefs: npt.ArrayLike,
        init: npt.ArrayLike,
        n: npt.ArrayLike,
        m: _IndexArray,
        /,
        out: _Out = ...,
        **kwargs: Any,
    ) -> npt.NDArray[Any]: ...
    @overload
    def __call__(
        self,
        coefs: npt.ArrayLike,
        init: npt.ArrayLike,
        n: npt.ArrayLike,
        m: npt.ArrayLike,
        /,
        out: _Out = ...,
        **kwargs: Any,
    ) -> Any: ...

@type_check_only
class _IntUFunc1(np.ufunc):  # type: ignore[misc]
    """n -> a(n): fibonacci, lucas_number."""

    @overload
    def __call__(
        self, n: _IntScalar, /, out: None = ..., *, dtype: None = ..., **kwargs: Any
    ) -> np.int64: ...
    @overload
    def __call__(self, n: _IndexArray, /, out: _Out = ..., **kwargs: Any) -> npt.NDArray[Any]: ...
    @overload
    def __call__(self, n: npt.ArrayLike, /, out: _Out = ..., **kwargs: Any) -> Any: ...

@type_check_only
class _IntUFunc3(np.ufunc):  # type: ignore[misc]
    """(P, Q, n) -> U_n or V_n: lucas_u, lucas_v."""

    @overload
    def __call__(
        self,
        P: _IntScalar,
        Q: _IntScalar,
        n: _IntScalar,
        /,
        out: None = ...,
        *,
        dtype: None = ...,
        **kwargs: Any,
    ) -> np.int64: ...
    @overload
    def __call__(
        self, P: npt.ArrayLike, Q: npt.ArrayLike, n: _IndexArray, /, out: _Out = ..., **kwargs: Any
    ) -> npt.NDArray[Any]: ...
    @overload
    def __call__(
        self,
        P: npt.ArrayLike,
        Q: npt.ArrayLike,
        n: npt.ArrayLike,
        /,
        out: _Out = ...,
        **kwargs: Any,
    ) -> Any: ...

@type_check_only
class _UVModUFunc(np.ufunc):  # type: ignore[misc]
    """(P, Q, n, m) -> (U_n mod m, V_n mod m)."""

    @overload
    def __call__(
        self,
        P: _IntScalar,
        Q: _IntScalar,
        n: _IntScalar,
        m: int | np.int64,
        /,
        *,
        dtype: None = ...,
        **kwargs: Any,
    ) -> tuple[np.int64, np.int64]: ...
    @overload
    def __call__(
        self,
        P: _IntScalar,
        Q: _IntScalar,
        n: _IntScalar,
        m: np.uint64,
        /,
        *,
        dtype: None = ...,
        **kwargs: Any,
    ) -> tuple[np.uint64, np.uint64]: ...
    @overload
    def __call__(
        self,
        P: npt.ArrayLike,
        Q: npt.ArrayLike,
        n: npt.ArrayLike,
        m: npt.ArrayLike,
        /,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[Any, Any]: ...

@type_check_only
class _PredicateUFunc(np.ufunc):  # type: ignore[misc]
    """n -> bool: is_prime, is_strong_lucas_prp."""

    @overload
    def __call__(self, n: _IntScalar, /, out: None = ..., **kwargs: Any) -> np.bool_: ...
    @overload
    def __call__(
        self, n: _IndexArray, /, out: _Out = ..., **kwargs: Any
    ) -> npt.NDArray[np.bool_]: ...
    @overload
    def __call__(self, n: npt.ArrayLike, /, out: _Out = ..., **kwargs: Any) -> Any: ...

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
