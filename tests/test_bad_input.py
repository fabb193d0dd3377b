"""Hostile and degenerate inputs for every public entry point: the table of docs/bad-input.md.

Every row is one ``Case``: an input and either the exception (type and a regular expression on
its message) or the documented result.  ``test_docs_table_lists_every_case`` keeps the table
in docs/bad-input.md and this list in step: each case id appears there once.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided
from reference import ref_matrix, ref_step

import lucas

DOCS = Path(__file__).resolve().parent.parent / "docs" / "bad-input.md"
I64_MAX, I64_MIN, U64_MAX = 2**63 - 1, -(2**63), 2**64 - 1
FIB = ([1, 1], [0, 1])
T, TM = lucas.term, lucas.term_mod


def obj(*v: Any) -> np.ndarray:
    a = np.empty(len(v), dtype=object)
    a[:] = list(v)
    return a


def huge_k(n: int, dtype: Any) -> np.ndarray:
    """A read-only view of length n over one element: k far beyond any memory."""
    return as_strided(np.zeros(1, dtype=dtype), (n,), (0,), writeable=False)


def readonly(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


@dataclass
class Case:
    id: str
    call: Callable[[], Any]
    raises: type[BaseException] | None = None
    match: str | None = None
    check: Callable[[Any], bool] | None = None
    warns: type[Warning] | None = None


NOLOOP = r"not supported for the input types"

CASES: list[Case] = [
    # ---- term / term_mod: shapes -------------------------------------------------------------
    Case("term-empty", lambda: T([], [], 5), ValueError, r"must not be empty"),
    Case("term-empty-int", lambda: T(np.zeros(0, np.int64), np.zeros(0, np.int64), 5),
         ValueError, r"lucas\.term: coefs and init must not be empty"),
    Case("term-empty-object", lambda: T(obj(), obj(), 5), ValueError, r"must not be empty"),
    Case("term_mod-empty", lambda: TM(np.zeros(0, np.int64), np.zeros(0, np.int64), 5, 7),
         ValueError, r"lucas\.term_mod: coefs and init must not be empty"),
    Case("term_mod-empty-list", lambda: TM([], [], 5, 7), TypeError, NOLOOP),
    Case("term-mismatch", lambda: T([1, 1], [0, 1, 2], 5), ValueError,
         r"mismatch in its core dimension"),
    Case("term_mod-mismatch", lambda: TM([1, 1], [0], 5, 7), ValueError,
         r"mismatch in its core dimension"),
    Case("term-scalar-coefs", lambda: T(1, 1, 5), ValueError, r"does not have enough dimensions"),
    Case("term-too-few-args", lambda: T([1, 1], [0, 1]), TypeError, r"positional arguments"),
    Case("term-reduce", lambda: T.reduce([1, 2, 3]), RuntimeError, r"Reduction not defined"),
    Case("term-outer", lambda: T.outer([1, 2], [1, 2], [1]), TypeError, r"not allowed"),
    Case("term-zero-size-n", lambda: T(*FIB, np.zeros(0, np.int64)), check=lambda r: (
        r.shape == (0,) and r.dtype == np.int64)),
    Case("term-zero-size-batch", lambda: T(np.zeros((0, 2), np.int64), [0, 1], 5),
         check=lambda r: r.shape == (0,) and r.dtype == np.int64),
    Case("term-zero-size-object", lambda: T(np.zeros((0, 2), object), np.zeros((0, 2), object),
                                            5), check=lambda r: r.shape == (0,)),
    Case("term_mod-zero-size-m", lambda: TM(*FIB, 5, np.zeros(0, np.int64)),
         check=lambda r: r.shape == (0,)),
    # ---- order k far too large for memory (zero-stride views) --------------------------------
    Case("term-k-huge", lambda: T(huge_k(2**40, np.int64), huge_k(2**40, np.int64), 5),
         MemoryError, r"cannot allocate the workspace for order k=1099511627776"),
    Case("term-k-huge-float", lambda: T(huge_k(2**40, float), huge_k(2**40, float), 5),
         MemoryError, r"cannot allocate the workspace"),
    Case("term-k-huge-matrix",
         lambda: lucas.term_ufunc("matrix")(huge_k(2**31, np.int64), huge_k(2**31, np.int64), 5),
         ValueError, r"order k=2147483648 is not supported"),
    Case("term-k-limit", lambda: T(huge_k(2**59, np.int64), huge_k(2**59, np.int64), 5),
         ValueError, r"order k=576460752303423488 is not supported"),
    Case("term_mod-k-huge",
         lambda: TM(huge_k(2**40, np.int64), huge_k(2**40, np.int64), 5, 7),
         MemoryError, r"lucas\.term_mod: cannot allocate"),
    Case("term-k-huge-object", lambda: T(huge_k(2**40, object), huge_k(2**40, object), 5),
         MemoryError),
    Case("term-k-limit-object", lambda: T(huge_k(2**59, object), huge_k(2**59, object), 5),
         MemoryError),
    # ---- n at the limits ---------------------------------------------------------------------
    Case("term-n-int64-max", lambda: T(*FIB, I64_MAX), OverflowError,
         r"a\[9223372036854775807\] does not fit in int64"),
    Case("term-n-int64-min", lambda: T(*FIB, I64_MIN), OverflowError,
         r"a\[-9223372036854775808\] does not fit in int64"),
    Case("term-n-uint64-max", lambda: T(*FIB, np.uint64(U64_MAX)), OverflowError,
         r"a\[18446744073709551615\] does not fit in int64"),
    Case("term-n-uint64-max-pyint", lambda: T(*FIB, U64_MAX), OverflowError,
         r"too large to convert"),
    Case("term-n-2**64", lambda: T(*FIB, 2**64), OverflowError, r"too large to convert"),
    Case("term-n-int64-max-periodic", lambda: T([-1, 1], [1, 1], I64_MAX),
         check=lambda r: r == ref_step([-1, 1], [1, 1], I64_MAX % 6)),
    Case("term-n-int64-max-zero", lambda: T([1, 1], [0, 0], I64_MAX), OverflowError,
         r"could not prove that a\[9223372036854775807\] fits in int64"),
    Case("term-n-int64-max-k1", lambda: T([1], [7], I64_MAX), check=lambda r: r == 7),
    Case("term-n-int64-min-k1", lambda: T([-1], [7], I64_MIN), check=lambda r: r == 7),
    Case("term-n-float-max", lambda: T([1.0, 1.0], [0.0, 1.0], I64_MAX),
         check=lambda r: r == np.inf, warns=RuntimeWarning),
    Case("term_mod-n-int64-max", lambda: TM(*FIB, I64_MAX, 10**9 + 7),
         check=lambda r: r == ref_matrix(*FIB, I64_MAX, 10**9 + 7)),
    Case("term_mod-n-int64-min", lambda: TM(*FIB, I64_MIN, 10**9 + 7),
         check=lambda r: r == ref_matrix(*FIB, I64_MIN, 10**9 + 7)),
    Case("term_mod-n-uint64-max", lambda: TM(*FIB, np.uint64(U64_MAX), 10**9 + 7),
         check=lambda r: r == ref_matrix(*FIB, U64_MAX, 10**9 + 7)),
    Case("term-object-n-huge-mod", lambda: TM(obj(1, 1), obj(0, 1), 10**30, 10**40 + 7),
         check=lambda r: r == ref_matrix(*FIB, 10**30, 10**40 + 7)),
    # ---- negative n where the recurrence cannot run backwards --------------------------------
    Case("term-backwards-c0", lambda: T([2, 1], [0, 1], -1), ValueError,
         r"a\[-1\] is undefined: the recurrence cannot run backwards"),
    Case("term-backwards-c0-zero", lambda: T([0, 1], [0, 1], -5), ValueError,
         r"cannot run backwards"),
    Case("term-backwards-float", lambda: T([0.0, 1.0], [0.0, 1.0], -1), ValueError,
         r"cannot run backwards"),
    Case("term-backwards-object", lambda: T(obj(2, 1), obj(0, 1), -1), ValueError,
         r"runs backwards over the integers only when c\[0\] is 1 or -1 \(got 2\)"),
    Case("term_mod-backwards", lambda: TM([2, 1], [0, 1], -1, 4), ValueError,
         r"lucas\.term_mod: a\[-1\] is undefined"),
    Case("term_mod-backwards-object", lambda: TM(obj(2, 1), obj(0, 1), -1, 4), ValueError,
         r"c\[0\] = 2 is not invertible mod 4"),
    Case("term_mod-backwards-invertible", lambda: TM([3, 1], [0, 1], -1, 4),
         check=lambda r: r == ref_step([3, 1], [0, 1], -1, 4)),
    Case("term-backwards-float-ok", lambda: T([0.5, 1.0], [0.0, 1.0], -3),
         check=lambda r: r == 12.0),
    # ---- the modulus -------------------------------------------------------------------------
    Case("term_mod-m-zero", lambda: TM(*FIB, 5, 0), ValueError,
         r"lucas\.term_mod: modulus m must be positive, got 0"),
    Case("term_mod-m-negative", lambda: TM(*FIB, 5, -7), ValueError,
         r"modulus m must be positive, got -7"),
    Case("term_mod-m-zero-uint64", lambda: TM(*FIB, 5, np.uint64(0)), ValueError,
         r"modulus m must be positive"),
    Case("term_mod-m-zero-in-array", lambda: TM(*FIB, 5, [7, 0, 11]), ValueError,
         r"modulus m must be positive, got 0"),
    Case("term_mod-m-zero-object", lambda: TM(obj(1, 1), obj(0, 1), 5, 0), ValueError,
         r"modulus m must be positive, got 0"),
    Case("term_mod-m-negative-object", lambda: TM(obj(1, 1), obj(0, 1), 5, -3), ValueError,
         r"got -3"),
    Case("term_mod-m-one", lambda: TM(*FIB, [0, 5, I64_MAX], 1),
         check=lambda r: r.tolist() == [0, 0, 0]),
    Case("term_mod-m-one-backwards", lambda: TM([2, 1], [0, 1], -5, 1), check=lambda r: r == 0),
    Case("term_mod-m-uint64-max", lambda: TM(*FIB, 10**18, np.uint64(U64_MAX)),
         check=lambda r: r.dtype == np.uint64 and int(r) == ref_matrix(*FIB, 10**18, U64_MAX)),
    Case("term_mod-m-uint64-max-pyint", lambda: TM(*FIB, 5, U64_MAX), OverflowError,
         r"too large to convert"),
    Case("term_mod-m-2**64-object", lambda: TM(obj(1, 1), obj(0, 1), 10**6, 2**64),
         check=lambda r: r == ref_matrix(*FIB, 10**6, 2**64)),
    Case("term_mod-m-float", lambda: TM(*FIB, 5, 7.0), TypeError, NOLOOP),
    Case("term_mod-m-nan", lambda: TM(*FIB, 5, float("nan")), TypeError, NOLOOP),
    Case("term_mod-m-none-object", lambda: TM(obj(1, 1), obj(0, 1), 5, None), TypeError,
         r"moduli m must be integers in object arrays, got NoneType"),
    # ---- NaN, inf and non-integer indices ----------------------------------------------------
    Case("term-n-nan", lambda: T(*FIB, float("nan")), TypeError, NOLOOP),
    Case("term-n-inf", lambda: T(*FIB, float("inf")), TypeError, NOLOOP),
    Case("term-n-float", lambda: T(*FIB, 2.0), TypeError, NOLOOP),
    Case("term-coef-nan", lambda: T([float("nan"), 1.0], [0.0, 1.0], 5),
         check=lambda r: np.isnan(r), warns=RuntimeWarning),
    Case("term-coef-inf", lambda: T([float("inf"), 1.0], [0.0, 1.0], 5),
         check=lambda r: np.isnan(r) or np.isinf(r), warns=RuntimeWarning),
    Case("term-init-inf", lambda: T([1.0, 1.0], [0.0, float("inf")], 5),
         check=lambda r: r == np.inf),
    Case("term-init-nan-small-n", lambda: T([1.0, 1.0], [float("nan"), 1.0], 1),
         check=lambda r: r == 1.0),
    Case("term_mod-coef-float", lambda: TM([1.5, 1.0], [0, 1], 5, 7), TypeError, NOLOOP),
    # ---- object arrays -----------------------------------------------------------------------
    Case("term-object-float", lambda: T(obj(1.5, 1), obj(0, 1), 5), TypeError,
         r"coefficients must be integers in object arrays, got float"),
    Case("term-object-str", lambda: T(obj("1", 1), obj(0, 1), 5), TypeError, r"got str"),
    Case("term-object-none", lambda: T(obj(1, 1), obj(None, 1), 5), TypeError,
         r"initial values must be integers in object arrays, got NoneType"),
    Case("term-object-n-float", lambda: T(obj(1, 1), obj(0, 1), obj(5.0)), TypeError,
         r"indices n must be integers in object arrays, got float"),
    Case("term-object-nan", lambda: T(obj(float("nan"), 1), obj(0, 1), 5), TypeError,
         r"got float"),
    Case("term-object-index-raises", lambda: T(obj(_BadIndex(), 1), obj(0, 1), 5),
         ZeroDivisionError, r"bad __index__"),
    Case("term-object-index-ok", lambda: T(obj(_GoodIndex(), 1), obj(0, 1), 5),
         check=lambda r: r == ref_step([3, 1], [0, 1], 5)),
    Case("term-object-huge", lambda: T(obj(10**100, 1), obj(0, 10**50), 7),
         check=lambda r: r == ref_step([10**100, 1], [0, 10**50], 7)),
    Case("term-list-huge", lambda: T([10**30, 1], [0, 1], 5),
         check=lambda r: r == ref_step([10**30, 1], [0, 1], 5)),
    Case("term-object-numpy-ints", lambda: T(obj(np.int8(1), np.uint64(1)), obj(0, 1), 10),
         check=lambda r: r == 55 and type(r) is int),
    # ---- out= --------------------------------------------------------------------------------
    Case("term-out-readonly", lambda: T(*FIB, np.arange(5), out=readonly(np.zeros(5, np.int64))),
         ValueError, r"read-only"),
    Case("term-out-noncontiguous", lambda: _noncontig_out(),
         check=lambda r: r.tolist() == [ref_step(*FIB, n) for n in range(5)]),
    Case("term-out-wrong-shape", lambda: T(*FIB, np.arange(5), out=np.zeros(4, np.int64)),
         ValueError, r"could not be broadcast"),
    Case("term-out-aliases-n", lambda: _aliased_out(),
         check=lambda r: r.tolist() == [ref_step(*FIB, n) for n in range(10)]),
    Case("term-out-int32", lambda: T(*FIB, [10, 50], out=np.zeros(2, np.int32)),
         check=lambda r: r.tolist() == [55, np.int64(12586269025).astype(np.int32)]),
    # ---- dtypes ------------------------------------------------------------------------------
    Case("term-dtype-str", lambda: T(["1", "1"], [0, 1], 5), TypeError, NOLOOP),
    Case("term-dtype-datetime", lambda: T(np.array(["2020-01-01"] * 2, "M8[D]"), [0, 1], 5),
         TypeError, NOLOOP),
    Case("term-dtype-timedelta", lambda: T(np.array([1, 1], "m8[D]"), np.array([0, 1], "m8[D]"),
                                           5), TypeError, NOLOOP),
    Case("term-dtype-complex", lambda: T(np.array([1, 1], complex), [0, 1], 5), TypeError,
         NOLOOP),
    Case("term-dtype-longdouble", lambda: T(np.ones(2, np.longdouble), [0, 1], 5), TypeError,
         NOLOOP),
    Case("term-dtype-bool", lambda: T(np.array([True, True]), [0, 1], 5),
         check=lambda r: r == 5 and r.dtype == np.int64),
    Case("term-dtype-int8", lambda: T(np.array([1, 1], np.int8), np.array([0, 1], np.int8), 5),
         check=lambda r: r == 5 and r.dtype == np.int64),
    Case("term-dtype-uint64", lambda: T(np.array([1, 1], np.uint64), [0, 1], 5),
         check=lambda r: r == 5.0 and r.dtype == np.float64),
    Case("term-dtype-float32", lambda: T(np.ones(2, np.float32), [0, 1], 5),
         check=lambda r: r == 5.0 and r.dtype == np.float64),
    Case("term-dtype-int32-requested", lambda: T(*FIB, 10, dtype=np.int32), TypeError,
         r"No loop matching"),
    Case("term_mod-dtype-uint64-coefs-int-m", lambda: TM(np.array([1, 1], np.uint64), [0, 1], 5,
                                                         7), TypeError, NOLOOP),
    Case("term-unknown-method", lambda: lucas.term_ufunc("fast"), ValueError,
         r"method must be one of"),
    Case("term_mod-unknown-method", lambda: lucas.term_mod_ufunc(None), ValueError,
         r"method must be one of"),
    Case("term-keyword-method", lambda: T(*FIB, 5, method="poly"), TypeError,
         r"unexpected keyword argument 'method'"),
]


class _BadIndex:
    def __index__(self) -> int:
        raise ZeroDivisionError("bad __index__")


class _GoodIndex:
    def __index__(self) -> int:
        return 3


def _noncontig_out() -> np.ndarray:
    buf = np.full(10, -1, np.int64)
    view = buf[::2]
    r = T(*FIB, np.arange(5), out=view)
    assert r is view and buf[1::2].tolist() == [-1] * 5
    return view


def _aliased_out() -> np.ndarray:
    n = np.arange(10, dtype=np.int64)
    r = T(*FIB, n, out=n)
    assert r is n
    return n


def _run(case: Case) -> Any:
    if case.warns is not None:
        with pytest.warns(case.warns):
            return case.call()
    return case.call()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case) -> None:
    if case.raises is not None:
        with pytest.raises(case.raises, match=case.match):
            _run(case)
    else:
        assert case.check is not None
        result = _run(case)
        assert case.check(result), result


@pytest.mark.parametrize("method", lucas.METHODS)
def test_every_method_rejects_the_same(method: str) -> None:
    term, term_mod = lucas.term_ufunc(method), lucas.term_mod_ufunc(method)
    with pytest.raises(ValueError, match=r"must not be empty"):
        term(np.zeros(0, np.int64), np.zeros(0, np.int64), 3)
    with pytest.raises(ValueError, match=r"cannot run backwards"):
        term([2, 1], [0, 1], -1)
    with pytest.raises(ValueError, match=r"modulus m must be positive"):
        term_mod(*FIB, 3, 0)
    with pytest.raises(OverflowError, match=r"does not fit in int64"):
        term(*FIB, 93)
    with pytest.raises((MemoryError, ValueError), match=r"order k|workspace"):
        term(huge_k(2**40, np.int64), huge_k(2**40, np.int64), 5)
    with pytest.raises(TypeError, match=r"must be integers in object arrays"):
        term(obj(1, 1), obj(0.5, 1), 3)


def test_failure_in_a_batch_names_the_index() -> None:
    # a failure in the middle of a broadcast call names the element; earlier results do not leak
    with pytest.raises(OverflowError, match=r"a\[93\]"):
        T(*FIB, [5, 50, 93, 10])
    with pytest.raises(ValueError, match=r"got 0"):
        TM(*FIB, np.arange(5), [3, 5, 0, 7, 9])


def test_object_error_after_partial_results() -> None:
    # the first element succeeds, the second fails: the exception wins, nothing half-written
    with pytest.raises(TypeError, match=r"got float"):
        T(obj(1, 1), np.array([obj(0, 1), obj(0.5, 1)]), 5)


def test_docs_table_lists_every_case() -> None:
    text = DOCS.read_text(encoding="utf-8")
    documented = re.findall(r"^\|\s*`([^`]+)`\s*\|", text, flags=re.M)
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    missing = sorted(set(ids) - set(documented))
    extra = sorted(set(documented) - set(ids) - set(EXTRA_DOC_IDS))
    assert not missing, f"cases missing from docs/bad-input.md: {missing}"
    assert not extra, f"docs/bad-input.md rows without a test: {extra}"


#: Rows of docs/bad-input.md that are tested by dedicated functions below, not by CASES.
EXTRA_DOC_IDS = {"term-object-n-int64-max"}


# ---- object arrays: an index whose exact answer is astronomically large -----------------------

_OBJ_HUGE_N = """
import numpy as np, lucas
c = np.array([1, 1], dtype=object); i = np.array([0, 1], dtype=object)
try:
    lucas.term(c, i, 2**63 - 1)
except OverflowError as e:
    print("OverflowError", e)
"""


@pytest.mark.xfail(
    strict=True,
    reason="objalgo.c refuses only once intermediates pass 2**32 bits, which takes hours; "
    "reported to the lead",
)
def test_object_huge_n_is_refused_quickly() -> None:
    # term-object-n-int64-max: must raise OverflowError (exact result far too large) promptly
    try:
        out = subprocess.run(
            [sys.executable, "-c", _OBJ_HUGE_N], capture_output=True, text=True, timeout=15
        )
    except subprocess.TimeoutExpired:
        pytest.fail("object term with n = 2**63-1 still running after 15 s")
    assert "OverflowError" in out.stdout, out.stderr
