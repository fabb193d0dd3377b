"""The ufuncs' typed call signatures (lucas/_core.pyi): ``mypy --strict`` must accept every
``assert_type`` here (tests/test_newcomer.py runs it); also run as a plain script there."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from typing_extensions import assert_type

import lucas

assert_type(lucas.term([1, 1], [0, 1], 90), np.int64)
assert_type(lucas.term([1.0, 1.0], [0.0, 1.0], 90), np.float64)
assert_type(lucas.term(np.array([1, 1]), np.array([0, 1]), np.arange(5)), npt.NDArray[Any])
assert_type(lucas.term_ufunc("poly")([1, 2], [0, 1], 10), np.int64)
assert_type(lucas.term_mod([1, 1], [0, 1], 10**18, 2**61 - 1), np.int64)
assert_type(lucas.term_mod([1, 1], [0, 1], 10**18, np.uint64(2**64 - 59)), np.uint64)
assert_type(lucas.term_mod([1, 1], [0, 1], np.arange(3), 7), npt.NDArray[Any])
assert_type(lucas.term_mod([1, 1], [0, 1], 10, [7, 11]), npt.NDArray[Any])
assert_type(lucas.fibonacci(10), np.int64)
assert_type(lucas.fibonacci(np.arange(3)), npt.NDArray[Any])
assert_type(lucas.lucas_u(1, -1, 10), np.int64)
assert_type(lucas.lucas_uv_mod(1, -1, 10, 7), tuple[np.int64, np.int64])
assert_type(lucas.is_prime(97), np.bool_)
assert_type(lucas.is_prime(np.arange(10)), npt.NDArray[np.bool_])
assert_type(lucas.from_signature([2, 1]), npt.NDArray[Any])
assert_type(lucas.matrix_power([[1, 1], [1, 0]], 10), npt.NDArray[Any])
assert_type(lucas.matrix_power_mod([[1, 1], [1, 0]], 10**18, 2**64 - 1), npt.NDArray[Any])

f90: int = int(lucas.term([1, 1], [0, 1], 90))
assert f90 == 2880067194370816120
assert lucas.term.signature == "(k),(k),()->()"
assert int(lucas.term_mod([1, 1], [0, 1], 10**18, np.uint64(2**64 - 59))) >= 0
assert lucas.matrix_power_mod([[1, 1], [1, 0]], 10, 2**64 - 1).dtype == np.uint64
