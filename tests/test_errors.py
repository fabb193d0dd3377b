"""Every lr_status maps to one exception type and one message shape (src/binding/errors.c).

Each status of the C core is triggered from Python through every family that can report it
(term, term_mod, sequence, LucasIter and the classic ufuncs), and the exception type and the
whole message are checked.  A status added to the core without a row here fails
test_every_status_has_a_case (when the sources are around).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided

import lucas

FIB = ([1, 1], [0, 1])
I64_2_63 = np.uint64(2**63)


def huge_k(n: int, dtype: Any) -> np.ndarray:
    """A read-only view of length n over one element: k far beyond any memory."""
    return as_strided(np.zeros(1, dtype=dtype), (n,), (0,), writeable=False)


def uncertified() -> Any:
    # a[n] = 2^n (n - N) is 0 at n = N only; its magnitude bound there (about N bits) is
    # beyond what the certificate proves (tests/test_int64_exact.py)
    N = 10**6
    return lucas.term([-4, 4], [-N, 2 - 2 * N], N)


OVER = r"\(use object arrays for exact big integers, or {} for residues\)$"
BACK = (
    r"is undefined: the recurrence cannot run backwards \(c\[0\] must be 1 or -1 over the "
    r"integers, invertible mod m, nonzero for floats\)$"
)

Case = tuple[str, Callable[[], Any], type[BaseException], str]


def case(name: str, call: Callable[[], Any], exc: type[BaseException], *msg: str) -> Case:
    """One trigger: its id, the call, the exception type and the message regex (in parts)."""
    return (name, call, exc, "".join(msg))


BIG = huge_k(2**40, np.int64)
HUGE = huge_k(2**59, np.int64)
MAT = huge_k(2**31, np.int64)
LUC = "lucas_uv_mod"

# status -> the triggers of that status, one per family that reports it
CASES: dict[str, list[Case]] = {
    "LR_ERR_OVERFLOW": [
        case(
            "term",
            lambda: lucas.term(*FIB, 93),
            OverflowError,
            r"^lucas\.term: a\[93\] does not fit in int64 ",
            OVER.format("term_mod"),
        ),
        case(
            "term-uint64",
            lambda: lucas.term(np.uint64([1, 1]), np.uint64([0, 1]), 94),
            OverflowError,
            r"^lucas\.term: a\[94\] does not fit in uint64 ",
            OVER.format("term_mod"),
        ),
        case(
            "sequence",
            lambda: lucas.sequence(*FIB, 100),
            OverflowError,
            r"^lucas\.sequence: a\[93\] does not fit in int64",
        ),
        case(
            "fibonacci",
            lambda: lucas.fibonacci(93),
            OverflowError,
            r"^lucas\.fibonacci: F_n for n=93 does not fit in int64 ",
            OVER.format(LUC),
        ),
        case(
            "lucas_number",
            lambda: lucas.lucas_number(-91),
            OverflowError,
            r"^lucas\.lucas_number: L_n for n=-91 does not fit in int64 ",
            OVER.format(LUC),
        ),
        case(
            "lucas_u",
            lambda: lucas.lucas_u(2**62, 1, 5),
            OverflowError,
            r"^lucas\.lucas_u: U_n for P=4611686018427387904, Q=1, n=5 does not fit in int64 ",
            OVER.format(LUC),
        ),
        case(
            "lucas_v-input",
            lambda: lucas.lucas_v(I64_2_63, np.uint64(1), np.uint64(3)),
            OverflowError,
            r"^lucas\.lucas_v: P value 9223372036854775808 does not fit in int64 \(uint64 ",
            r"inputs compute in int64; pass dtype=object for exact big integers\)$",
        ),
    ],
    "LR_ERR_UNCERTIFIED": [
        case(
            "term",
            uncertified,
            OverflowError,
            r"^lucas\.term: could not prove that a\[1000000\] fits in int64 \(its magnitude ",
            r"bound exceeds 2\*\*\d+\); use object arrays for the exact value, or term_mod ",
            r"for residues$",
        ),
    ],
    "LR_ERR_NOMEM": [
        case(
            "term",
            lambda: lucas.term(BIG, BIG, 5),
            MemoryError,
            r"^lucas\.term: cannot allocate the workspace for order k=1099511627776$",
        ),
        case(
            "term_mod",
            lambda: lucas.term_mod(BIG, BIG, 5, 7),
            MemoryError,
            r"^lucas\.term_mod: cannot allocate the workspace for order k=1099511627776$",
        ),
    ],
    "LR_ERR_BACKWARDS": [
        case(
            "term",
            lambda: lucas.term([2, 1], [0, 1], -1),
            ValueError,
            r"^lucas\.term: a\[-1\] ",
            BACK,
        ),
        case(
            "term_mod",
            lambda: lucas.term_mod([2, 2], [0, 1], -1, 4),
            ValueError,
            r"^lucas\.term_mod: a\[-1\] ",
            BACK,
        ),
        case(
            "sequence",
            lambda: lucas.sequence([2, 1], [0, 1], 3, start=-2),
            ValueError,
            r"^lucas\.sequence: a\[-2\] is undefined: the recurrence cannot run backwards",
        ),
        case(
            "lucas_u",
            lambda: lucas.lucas_u(3, 2, -3),
            ValueError,
            r"^lucas\.lucas_u: U_n for P=3, Q=2, n=-3 is not an integer: negative n needs ",
            r"Q = 1 or Q = -1$",
        ),
        case(
            "lucas_uv_mod",
            lambda: lucas.lucas_uv_mod(3, 2, -3, 4),
            ValueError,
            r"^lucas\.lucas_uv_mod: U_n, V_n for P=3, Q=2, n=-3 are undefined modulo m=4: ",
            r"negative n needs Q invertible modulo m$",
        ),
    ],
    "LR_ERR_MODULUS": [
        case(
            "term_mod",
            lambda: lucas.term_mod(*FIB, 5, 0),
            ValueError,
            r"^lucas\.term_mod: modulus m must be positive, got 0$",
        ),
        case(
            "term_mod-negative",
            lambda: lucas.term_mod(*FIB, 5, -7),
            ValueError,
            r"^lucas\.term_mod: modulus m must be positive, got -7$",
        ),
        case(
            "lucas_uv_mod",
            lambda: lucas.lucas_uv_mod(1, -1, 5, 0),
            ValueError,
            r"^lucas\.lucas_uv_mod: modulus m must be positive, got 0$",
        ),
        case(
            "lucas_uv_mod-negative",
            lambda: lucas.lucas_uv_mod(1, -1, [5, 6], [7, -7]),
            ValueError,
            r"^lucas\.lucas_uv_mod: modulus m must be positive, got -7$",
        ),
    ],
    "LR_ERR_ORDER": [
        case(
            "term",
            lambda: lucas.term(HUGE, HUGE, 5),
            ValueError,
            r"^lucas\.term: order k=576460752303423488 is not supported \(need 1 <= k and a ",
            r"workspace size that fits in memory\)$",
        ),
        case(
            "term_matrix",
            lambda: lucas.term_ufunc("matrix")(MAT, MAT, 5),
            ValueError,
            r"^lucas\.term\w*: order k=2147483648 is not supported",
        ),
    ],
}

# The documented type of each status (lr_binding.h, docs/bad-input.md).
DOCUMENTED = {
    "LR_ERR_OVERFLOW": OverflowError,
    "LR_ERR_UNCERTIFIED": OverflowError,
    "LR_ERR_NOMEM": MemoryError,
    "LR_ERR_BACKWARDS": ValueError,
    "LR_ERR_MODULUS": ValueError,
    "LR_ERR_ORDER": ValueError,
}


def _core_statuses() -> set[str] | None:
    root = Path(__file__).resolve().parent.parent / "src" / "core"
    headers = sorted(root.rglob("lr_core.h")) if root.is_dir() else []
    if not headers:
        return None
    return set(re.findall(r"\b(LR_ERR_\w+)\s*=\s*\d+", headers[0].read_text()))


def test_every_status_has_a_case():
    found = _core_statuses()
    if found is None:
        pytest.skip("the C sources are not next to the tests")
    assert found == set(CASES) == set(DOCUMENTED)


PARAMS = [
    pytest.param(status, call, exc, msg, id=f"{status}-{name}")
    for status, cases in CASES.items()
    for name, call, exc, msg in cases
]


@pytest.mark.parametrize(("status", "call", "exc", "msg"), PARAMS)
def test_status_raises_its_exception(status, call, exc, msg):
    assert exc is DOCUMENTED[status]
    with pytest.raises(BaseException) as info:
        call()
    assert type(info.value) is exc, repr(info.value)
    assert re.search(msg, str(info.value)), str(info.value)


def test_first_failure_wins_across_chunks():
    # the first failing element is named even when NumPy hands the loop several chunks
    n = np.arange(200_000) % 90
    n[150_000] = 95
    n[199_999] = 200
    with pytest.raises(OverflowError, match=r"n=95 does not fit"):
        lucas.fibonacci(n)
    m = np.full(200_000, 7)
    m[123_456] = 0
    m[150_000] = -5
    with pytest.raises(ValueError, match=r"positive, got 0$"):
        lucas.lucas_uv_mod(1, -1, 5, m)


def test_object_failure_then_success():
    # an object loop that failed leaves no stale state behind for the next call
    with pytest.raises(ValueError, match="Q = 1 or Q = -1"):
        lucas.lucas_u(np.array([3], object), 2, -3)
    assert lucas.lucas_u(np.array([3], object), 2, 10)[0] == 2**10 - 1
    with pytest.raises(OverflowError, match=r"2\*\*28 bits"):
        lucas.fibonacci(np.array([10**13], dtype=object))
    assert lucas.fibonacci(np.array([10], dtype=object))[0] == 55
