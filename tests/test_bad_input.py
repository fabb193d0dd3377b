"""Hostile and degenerate inputs for every public entry point: the table of docs/bad-input.md.

Every row is one ``Case``: an input and either the exception (type and a regular expression on
its message) or the documented result.  ``test_docs_table_lists_every_case`` keeps the table
in docs/bad-input.md and this list in step: each case id appears there once.
"""

from __future__ import annotations

import math
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
    # order 0 is the zero sequence (SymPy's linrec([], [], n) is 0), for every dtype and n
    Case("term-empty", lambda: T([], [], 5), check=lambda r: r == 0),
    Case(
        "term-empty-int",
        lambda: T(np.zeros(0, np.int64), np.zeros(0, np.int64), -5),
        check=lambda r: r == 0 and r.dtype == np.int64,
    ),
    Case(
        "term-empty-uint",
        lambda: T(np.zeros(0, np.uint64), np.zeros(0, np.uint64), np.uint64(2**64 - 1)),
        check=lambda r: r == 0 and r.dtype == np.uint64,
    ),
    Case("term-empty-object", lambda: T(obj(), obj(), -(10**30)), check=lambda r: r == 0),
    Case(
        "term_mod-empty",
        lambda: TM(np.zeros(0, np.int64), np.zeros(0, np.int64), 5, 7),
        check=lambda r: r == 0 and r.dtype == np.int64,
    ),
    Case(
        "term_mod-empty-bad-modulus",
        lambda: TM(np.zeros(0, np.int64), np.zeros(0, np.int64), 5, 0),
        ValueError,
        r"modulus m must be positive",
    ),
    Case("term_mod-empty-list", lambda: TM([], [], 5, 7), check=lambda r: r == 0),
    Case(
        "term-mismatch",
        lambda: T([1, 1], [0, 1, 2], 5),
        ValueError,
        r"mismatch in its core dimension",
    ),
    Case(
        "term_mod-mismatch",
        lambda: TM([1, 1], [0], 5, 7),
        ValueError,
        r"mismatch in its core dimension",
    ),
    Case("term-scalar-coefs", lambda: T(1, 1, 5), ValueError, r"does not have enough dimensions"),
    Case("term-too-few-args", lambda: T([1, 1], [0, 1]), TypeError, r"positional arguments"),
    Case("term-reduce", lambda: T.reduce([1, 2, 3]), RuntimeError, r"Reduction not defined"),
    Case("term-outer", lambda: T.outer([1, 2], [1, 2], [1]), TypeError, r"not allowed"),
    Case(
        "term-zero-size-n",
        lambda: T(*FIB, np.zeros(0, np.int64)),
        check=lambda r: r.shape == (0,) and r.dtype == np.int64,
    ),
    Case(
        "term-zero-size-batch",
        lambda: T(np.zeros((0, 2), np.int64), [0, 1], 5),
        check=lambda r: r.shape == (0,) and r.dtype == np.int64,
    ),
    Case(
        "term-zero-size-object",
        lambda: T(np.zeros((0, 2), object), np.zeros((0, 2), object), 5),
        check=lambda r: r.shape == (0,),
    ),
    Case(
        "term_mod-zero-size-m",
        lambda: TM(*FIB, 5, np.zeros(0, np.int64)),
        check=lambda r: r.shape == (0,),
    ),
    # ---- order k far too large for memory (zero-stride views) --------------------------------
    Case(
        "term-k-huge",
        lambda: T(huge_k(2**40, np.int64), huge_k(2**40, np.int64), 5),
        MemoryError,
        r"cannot allocate the workspace for order k=1099511627776",
    ),
    Case(
        "term-k-huge-float",
        lambda: T(huge_k(2**40, float), huge_k(2**40, float), 5),
        MemoryError,
        r"cannot allocate the workspace",
    ),
    Case(
        "term-k-huge-matrix",
        lambda: lucas.term_ufunc("matrix")(huge_k(2**31, np.int64), huge_k(2**31, np.int64), 5),
        ValueError,
        r"order k=2147483648 is not supported",
    ),
    Case(
        "term-k-limit",
        lambda: T(huge_k(2**59, np.int64), huge_k(2**59, np.int64), 5),
        ValueError,
        r"order k=576460752303423488 is not supported",
    ),
    Case(
        "term_mod-k-huge",
        lambda: TM(huge_k(2**40, np.int64), huge_k(2**40, np.int64), 5, 7),
        MemoryError,
        r"lucas\.term_mod: cannot allocate",
    ),
    Case(
        "term-k-huge-object",
        lambda: T(huge_k(2**40, object), huge_k(2**40, object), 5),
        MemoryError,
        r"lucas\.term: cannot allocate the workspace for order k=1099511627776",
    ),
    Case(
        "term-k-limit-object",
        lambda: T(huge_k(2**59, object), huge_k(2**59, object), 5),
        MemoryError,
        r"order k=576460752303423488",
    ),
    # ---- n at the limits ---------------------------------------------------------------------
    Case(
        "term-n-int64-max",
        lambda: T(*FIB, I64_MAX),
        OverflowError,
        r"a\[9223372036854775807\] does not fit in int64",
    ),
    Case(
        "term-n-int64-min",
        lambda: T(*FIB, I64_MIN),
        OverflowError,
        r"a\[-9223372036854775808\] does not fit in int64",
    ),
    Case(
        "term-n-uint64-max",
        lambda: T(*FIB, np.uint64(U64_MAX)),
        OverflowError,
        r"a\[18446744073709551615\] does not fit in int64",
    ),
    Case(
        "term-n-uint64-max-pyint", lambda: T(*FIB, U64_MAX), OverflowError, r"too large to convert"
    ),
    Case("term-n-2**64", lambda: T(*FIB, 2**64), OverflowError, r"too large to convert"),
    Case(
        "term-n-int64-max-periodic",
        lambda: T([-1, 1], [1, 1], I64_MAX),
        check=lambda r: r == ref_step([-1, 1], [1, 1], I64_MAX % 6),
    ),
    Case("term-n-int64-max-zero", lambda: T([1, 1], [0, 0], I64_MAX), check=lambda r: r == 0),
    Case("term-n-int64-max-k1", lambda: T([1], [7], I64_MAX), check=lambda r: r == 7),
    Case("term-n-int64-min-k1", lambda: T([-1], [7], I64_MIN), check=lambda r: r == 7),
    Case(
        "term-n-float-max",
        lambda: T([1.0, 1.0], [0.0, 1.0], I64_MAX),
        check=lambda r: r == np.inf,
        warns=RuntimeWarning,
    ),
    Case(
        "term_mod-n-int64-max",
        lambda: TM(*FIB, I64_MAX, 10**9 + 7),
        check=lambda r: r == ref_matrix(*FIB, I64_MAX, 10**9 + 7),
    ),
    Case(
        "term_mod-n-int64-min",
        lambda: TM(*FIB, I64_MIN, 10**9 + 7),
        check=lambda r: r == ref_matrix(*FIB, I64_MIN, 10**9 + 7),
    ),
    Case(
        "term_mod-n-uint64-max",
        lambda: TM(*FIB, np.uint64(U64_MAX), 10**9 + 7),
        check=lambda r: r == ref_matrix(*FIB, U64_MAX, 10**9 + 7),
    ),
    Case(
        "term-object-n-huge-mod",
        lambda: TM(obj(1, 1), obj(0, 1), 10**30, 10**40 + 7),
        check=lambda r: r == ref_matrix(*FIB, 10**30, 10**40 + 7),
    ),
    # ---- negative n where the recurrence cannot run backwards --------------------------------
    Case(
        "term-backwards-c0",
        lambda: T([2, 1], [0, 1], -1),
        ValueError,
        r"a\[-1\] is undefined: the recurrence cannot run backwards",
    ),
    Case(
        "term-backwards-c0-zero", lambda: T([0, 1], [0, 1], -5), ValueError, r"cannot run backwards"
    ),
    Case(
        "term-backwards-float",
        lambda: T([0.0, 1.0], [0.0, 1.0], -1),
        ValueError,
        r"cannot run backwards",
    ),
    Case(
        "term-backwards-object",
        lambda: T(obj(2, 1), obj(0, 1), -1),
        ValueError,
        r"runs backwards over the integers only when c\[0\] is 1 or -1 \(got 2\)",
    ),
    Case(
        "term_mod-backwards",
        lambda: TM([2, 1], [0, 1], -1, 4),
        ValueError,
        r"lucas\.term_mod: a\[-1\] is undefined",
    ),
    Case(
        "term_mod-backwards-object",
        lambda: TM(obj(2, 1), obj(0, 1), -1, 4),
        ValueError,
        r"c\[0\] = 2 is not invertible mod 4",
    ),
    Case(
        "term_mod-backwards-invertible",
        lambda: TM([3, 1], [0, 1], -1, 4),
        check=lambda r: r == ref_step([3, 1], [0, 1], -1, 4),
    ),
    Case(
        "term-backwards-float-ok", lambda: T([0.5, 1.0], [0.0, 1.0], -3), check=lambda r: r == 12.0
    ),
    # ---- the modulus -------------------------------------------------------------------------
    Case(
        "term_mod-m-zero",
        lambda: TM(*FIB, 5, 0),
        ValueError,
        r"lucas\.term_mod: modulus m must be positive, got 0",
    ),
    Case(
        "term_mod-m-negative",
        lambda: TM(*FIB, 5, -7),
        ValueError,
        r"modulus m must be positive, got -7",
    ),
    Case(
        "term_mod-m-zero-uint64",
        lambda: TM(*FIB, 5, np.uint64(0)),
        ValueError,
        r"modulus m must be positive",
    ),
    Case(
        "term_mod-m-zero-in-array",
        lambda: TM(*FIB, 5, [7, 0, 11]),
        ValueError,
        r"modulus m must be positive, got 0",
    ),
    Case(
        "term_mod-m-zero-object",
        lambda: TM(obj(1, 1), obj(0, 1), 5, 0),
        ValueError,
        r"modulus m must be positive, got 0",
    ),
    Case(
        "term_mod-m-negative-object", lambda: TM(obj(1, 1), obj(0, 1), 5, -3), ValueError, r"got -3"
    ),
    Case(
        "term_mod-m-one",
        lambda: TM(*FIB, [0, 5, I64_MAX], 1),
        check=lambda r: r.tolist() == [0, 0, 0],
    ),
    Case("term_mod-m-one-backwards", lambda: TM([2, 1], [0, 1], -5, 1), check=lambda r: r == 0),
    Case(
        "term_mod-m-uint64-max",
        lambda: TM(*FIB, 10**18, np.uint64(U64_MAX)),
        check=lambda r: r.dtype == np.uint64 and int(r) == ref_matrix(*FIB, 10**18, U64_MAX),
    ),
    Case(
        "term_mod-m-uint64-max-pyint",
        lambda: TM(*FIB, 5, U64_MAX),
        OverflowError,
        r"too large to convert",
    ),
    Case(
        "term_mod-m-2**64-object",
        lambda: TM(obj(1, 1), obj(0, 1), 10**6, 2**64),
        check=lambda r: r == ref_matrix(*FIB, 10**6, 2**64),
    ),
    Case("term_mod-m-float", lambda: TM(*FIB, 5, 7.0), TypeError, NOLOOP),
    Case("term_mod-m-nan", lambda: TM(*FIB, 5, float("nan")), TypeError, NOLOOP),
    Case(
        "term_mod-m-none-object",
        lambda: TM(obj(1, 1), obj(0, 1), 5, None),
        TypeError,
        r"moduli m must be integers in object arrays, got NoneType",
    ),
    # ---- NaN, inf and non-integer indices ----------------------------------------------------
    Case("term-n-nan", lambda: T(*FIB, float("nan")), TypeError, NOLOOP),
    Case("term-n-inf", lambda: T(*FIB, float("inf")), TypeError, NOLOOP),
    Case("term-n-float", lambda: T(*FIB, 2.0), TypeError, NOLOOP),
    Case(
        "term-coef-nan",
        lambda: T([float("nan"), 1.0], [0.0, 1.0], 5),
        check=lambda r: np.isnan(r),
        warns=RuntimeWarning,
    ),
    Case(
        "term-coef-inf",
        lambda: T([float("inf"), 1.0], [0.0, 1.0], 5),
        check=lambda r: np.isnan(r) or np.isinf(r),
        warns=RuntimeWarning,
    ),
    Case(
        "term-init-inf", lambda: T([1.0, 1.0], [0.0, float("inf")], 5), check=lambda r: r == np.inf
    ),
    Case(
        "term-init-nan-small-n",
        lambda: T([1.0, 1.0], [float("nan"), 1.0], 1),
        check=lambda r: r == 1.0,
    ),
    Case("term_mod-coef-float", lambda: TM([1.5, 1.0], [0, 1], 5, 7), TypeError, NOLOOP),
    # ---- object arrays -----------------------------------------------------------------------
    Case(
        # floats in object arrays are ring elements (issue 14): Python floats, as float64 gives
        "term-object-float",
        lambda: T(obj(1.5, 1), obj(0, 1), 5),
        check=lambda r: type(r) is float and r == T([1.5, 1.0], [0.0, 1.0], 5),
    ),
    Case("term-object-str", lambda: T(obj("1", 1), obj(0, 1), 5), TypeError, r"got str"),
    Case(
        "term-object-none",
        lambda: T(obj(1, 1), obj(None, 1), 5),
        TypeError,
        r"initial values must be integers in object arrays, got NoneType",
    ),
    Case(
        "term-object-n-float",
        lambda: T(obj(1, 1), obj(0, 1), obj(5.0)),
        TypeError,
        r"indices n must be integers in object arrays, got float",
    ),
    Case(
        "term-object-nan",
        lambda: T(obj(float("nan"), 1), obj(0, 1), 5),
        check=lambda r: type(r) is float and math.isnan(r),
    ),
    Case(
        "term-object-index-raises",
        lambda: T(obj(_BadIndex(), 1), obj(0, 1), 5),
        ZeroDivisionError,
        r"bad __index__",
    ),
    Case(
        "term-object-index-ok",
        lambda: T(obj(_GoodIndex(), 1), obj(0, 1), 5),
        check=lambda r: r == ref_step([3, 1], [0, 1], 5),
    ),
    Case(
        "term-object-huge",
        lambda: T(obj(10**100, 1), obj(0, 10**50), 7),
        check=lambda r: r == ref_step([10**100, 1], [0, 10**50], 7),
    ),
    Case(
        "term-list-huge",
        lambda: T([10**30, 1], [0, 1], 5),
        check=lambda r: r == ref_step([10**30, 1], [0, 1], 5),
    ),
    Case(
        "term-object-numpy-ints",
        lambda: T(obj(np.int8(1), np.uint64(1)), obj(0, 1), 10),
        check=lambda r: r == 55 and type(r) is int,
    ),
    # ---- out= --------------------------------------------------------------------------------
    Case(
        "term-out-readonly",
        lambda: T(*FIB, np.arange(5), out=readonly(np.zeros(5, np.int64))),
        ValueError,
        r"read-only",
    ),
    Case(
        "term-out-noncontiguous",
        lambda: _noncontig_out(),
        check=lambda r: r.tolist() == [ref_step(*FIB, n) for n in range(5)],
    ),
    Case(
        "term-out-wrong-shape",
        lambda: T(*FIB, np.arange(5), out=np.zeros(4, np.int64)),
        ValueError,
        r"could not be broadcast",
    ),
    Case(
        "term-out-aliases-n",
        lambda: _aliased_out(),
        check=lambda r: r.tolist() == [ref_step(*FIB, n) for n in range(10)],
    ),
    Case(
        "term-out-int32",
        lambda: T(*FIB, [10, 50], out=np.zeros(2, np.int32)),
        check=lambda r: r.tolist() == [55, np.int64(12586269025).astype(np.int32)],
    ),
    # ---- dtypes ------------------------------------------------------------------------------
    Case("term-dtype-str", lambda: T(["1", "1"], [0, 1], 5), TypeError, NOLOOP),
    Case(
        "term-dtype-datetime",
        lambda: T(np.array(["2020-01-01"] * 2, "M8[D]"), [0, 1], 5),
        TypeError,
        NOLOOP,
    ),
    Case(
        "term-dtype-timedelta",
        lambda: T(np.array([1, 1], "m8[D]"), np.array([0, 1], "m8[D]"), 5),
        TypeError,
        NOLOOP,
    ),
    Case("term-dtype-complex", lambda: T(np.array([1, 1], complex), [0, 1], 5), TypeError, NOLOOP),
    Case(
        "term-dtype-longdouble", lambda: T(np.ones(2, np.longdouble), [0, 1], 5), TypeError, NOLOOP
    ),
    Case(
        "term-dtype-bool",
        lambda: T(np.array([True, True]), [0, 1], 5),
        check=lambda r: r == 5 and r.dtype == np.int64,
    ),
    Case(
        "term-dtype-int8",
        lambda: T(np.array([1, 1], np.int8), np.array([0, 1], np.int8), 5),
        check=lambda r: r == 5 and r.dtype == np.int64,
    ),
    Case(
        "term-dtype-uint64",
        lambda: T(np.array([1, 1], np.uint64), [0, 1], 5),
        check=lambda r: r == 5 and r.dtype == np.int64,
    ),
    Case(
        "term-dtype-float32",
        lambda: T(np.ones(2, np.float32), [0, 1], 5),
        check=lambda r: r == 5.0 and r.dtype == np.float64,
    ),
    Case(
        "term-dtype-int32-requested",
        lambda: T(*FIB, 10, dtype=np.int32),
        TypeError,
        r"No loop matching",
    ),
    Case(
        "term_mod-dtype-uint64-coefs-int-m",
        # unsigned coefs take an unsigned modulus first: a bare Python int m is uint64 here
        lambda: TM(np.array([1, 1], np.uint64), [0, 1], 5, 7),
        check=lambda r: r == 5 and r.dtype == np.uint64,
    ),
    Case(
        "term-unknown-method",
        lambda: lucas.term_ufunc("fast"),
        ValueError,
        r"method must be one of",
    ),
    Case(
        "term_mod-unknown-method",
        lambda: lucas.term_mod_ufunc(None),
        ValueError,
        r"method must be one of",
    ),
    Case(
        "term-keyword-method",
        lambda: T(*FIB, 5, method="poly"),
        TypeError,
        r"unexpected keyword argument 'method'",
    ),
]

S = getattr(lucas, "sequence", None)
It = getattr(lucas, "LucasIter", None)

SEQUENCE_CASES: list[Case] = [
    Case(
        "sequence-empty-mismatch",
        lambda: S([], [0], 5),
        ValueError,
        r"must have the same length \(the order k\), got 0 and 1",
    ),
    Case(
        "sequence-mismatch",
        lambda: S([1, 1], [0], 5),
        ValueError,
        r"must have the same length \(the order k\), got 2 and 1",
    ),
    Case(
        "sequence-2d",
        lambda: S(np.ones((2, 2)), [0, 1], 3),
        ValueError,
        r"coefs must be 1-D, got shape \(2, 2\)",
    ),
    Case("sequence-scalar", lambda: S(1, 1, 3), TypeError, r"1-D sequence of numbers, got int"),
    Case("sequence-count-negative", lambda: S(*FIB, -1), ValueError, r"count must be >= 0, got -1"),
    Case(
        "sequence-count-zero",
        lambda: S(*FIB, 0),
        check=lambda r: r.shape == (0,) and r.dtype == np.int64,
    ),
    Case(
        "sequence-count-float",
        lambda: S(*FIB, 5.0),
        TypeError,
        r"count must be an integer, got float",
    ),
    Case("sequence-count-huge", lambda: S(*FIB, 10**15), MemoryError, r"Unable to allocate"),
    Case("sequence-count-2**63", lambda: S(*FIB, 2**63), ValueError, r"dimension"),
    Case(
        "sequence-k-huge",
        lambda: S(huge_k(2**40, np.int64), huge_k(2**40, np.int64), 3),
        MemoryError,
    ),
    Case(
        "sequence-overflow",
        lambda: S(*FIB, 100),
        OverflowError,
        r"lucas\.sequence: a\[93\] does not fit in int64",
    ),
    Case(
        "sequence-start-int64-max",
        lambda: S(*FIB, 3, start=I64_MAX),
        OverflowError,
        r"a\[9223372036854775807\]",
    ),
    Case(
        "sequence-start-huge-mod",
        lambda: S(*FIB, 3, start=2**100, mod=10**9 + 7),
        check=lambda r: r.tolist() == [ref_matrix(*FIB, 2**100 + j, 10**9 + 7) for j in range(3)],
    ),
    Case(
        "sequence-start-very-negative-mod",
        lambda: S(*FIB, 3, start=-(2**70), mod=10**9 + 7),
        check=lambda r: r.tolist() == [ref_matrix(*FIB, -(2**70) + j, 10**9 + 7) for j in range(3)],
    ),
    Case(
        "sequence-backwards",
        lambda: S([2, 1], [0, 1], 3, start=-2),
        ValueError,
        r"a\[-2\] is undefined: the recurrence cannot run backwards",
    ),
    Case(
        "sequence-backwards-mod",
        lambda: S([2, 1], [0, 1], 3, start=-2, mod=4),
        ValueError,
        r"cannot run backwards",
    ),
    Case(
        "sequence-m-zero",
        lambda: S(*FIB, 3, mod=0),
        ValueError,
        r"lucas\.sequence: modulus m must be positive, got 0",
    ),
    Case("sequence-m-negative", lambda: S(*FIB, 3, mod=-1), ValueError, r"got -1"),
    Case("sequence-m-one", lambda: S(*FIB, 3, mod=1), check=lambda r: r.tolist() == [0, 0, 0]),
    Case(
        "sequence-m-uint64-max",
        lambda: S(*FIB, 3, start=100, mod=U64_MAX),
        check=lambda r: (
            r.dtype == np.uint64
            and r.tolist() == [ref_matrix(*FIB, 100 + j, U64_MAX) for j in range(3)]
        ),
    ),
    Case(
        "sequence-m-2**64",
        lambda: S(*FIB, 3, start=100, mod=2**64),
        check=lambda r: (
            r.dtype == object and r.tolist() == [ref_matrix(*FIB, 100 + j, 2**64) for j in range(3)]
        ),
    ),
    Case(
        "sequence-m-float",
        lambda: S(*FIB, 3, mod=7.0),
        TypeError,
        r"mod must be an integer, got float",
    ),
    Case("sequence-m-nan", lambda: S(*FIB, 3, mod=float("nan")), TypeError, r"got float"),
    Case(
        "sequence-float-with-mod",
        lambda: S([1.0, 1], [0, 1], 3, mod=7),
        TypeError,
        r"mod= needs integer coefs and init",
    ),
    Case(
        "sequence-nan",
        lambda: S([float("nan"), 1.0], [0, 1], 3),
        check=lambda r: r[:2].tolist() == [0.0, 1.0] and np.isnan(r[2]),
    ),
    Case(
        "sequence-inf",
        lambda: S([1.0, 1], [0, float("inf")], 4),
        check=lambda r: r.tolist() == [0.0, np.inf, np.inf, np.inf],
    ),
    Case(
        "sequence-object-float",
        lambda: S(obj(1.5, 1), [0, 1], 3),
        check=lambda r: r.dtype == object and r.tolist() == S([1.5, 1.0], [0.0, 1.0], 3).tolist(),
    ),
    Case(
        "sequence-list-huge",
        lambda: S([10**30, 1], [0, 1], 4),
        check=lambda r: (
            r.dtype == object and r.tolist() == [ref_step([10**30, 1], [0, 1], j) for j in range(4)]
        ),
    ),
    Case(
        "sequence-str",
        lambda: S(["1", "1"], [0, 1], 3),
        TypeError,
        r"must hold integers or floats, got str",
    ),
    Case(
        "sequence-dtype-str-array",
        lambda: S(np.array(["1", "1"]), [0, 1], 3),
        TypeError,
        r"must be integers or floats, got dtype <U1",
    ),
    Case(
        "sequence-datetime",
        lambda: S(np.array(["2020-01-01"] * 2, "M8[D]"), [0, 1], 3),
        TypeError,
        r"got dtype datetime64",
    ),
    Case(
        "sequence-complex",
        lambda: S(np.array([1, 1], complex), [0, 1], 3),
        TypeError,
        r"got dtype complex128",
    ),
    Case(
        "sequence-dtype-int32",
        lambda: S(*FIB, 3, dtype=np.int32),
        TypeError,
        r"dtype must be int64, float64 or object, got int32",
    ),
    Case("sequence-dtype-complex", lambda: S(*FIB, 3, dtype=complex), TypeError, r"dtype must be"),
    Case(
        "sequence-out-readonly",
        lambda: S(*FIB, 3, out=readonly(np.zeros(3, np.int64))),
        ValueError,
        r"out is read-only",
    ),
    Case(
        "sequence-out-noncontiguous",
        lambda: S(*FIB, 3, out=np.zeros(6, np.int64)[::2]),
        check=lambda r: r.tolist() == [0, 1, 1],
    ),
    Case(
        "sequence-out-dtype",
        lambda: S(*FIB, 3, out=np.zeros(3, np.int32)),
        TypeError,
        r"out must have dtype int64, got int32",
    ),
    Case(
        "sequence-out-shape",
        lambda: S(*FIB, 3, out=np.zeros(4, np.int64)),
        ValueError,
        r"out must have shape \(3,\), got \(4,\)",
    ),
    Case(
        "sequence-out-list",
        lambda: S(*FIB, 3, out=[0, 0, 0]),
        TypeError,
        r"out must be a NumPy array",
    ),
    # ---- LucasIter ---------------------------------------------------------------------------
    Case("iter-empty-mismatch", lambda: It([], [1]), ValueError, r"got 0 and 1"),
    Case("iter-empty-m-zero", lambda: It([], [], mod=0), ValueError, r"positive, got 0"),
    Case("iter-mismatch", lambda: It([1, 1], [0]), ValueError, r"got 2 and 1"),
    Case("iter-m-zero", lambda: It(*FIB, mod=0), ValueError, r"modulus m must be positive, got 0"),
    Case("iter-m-negative", lambda: It(*FIB, mod=-5), ValueError, r"got -5"),
    Case("iter-m-float", lambda: It(*FIB, mod=5.0), TypeError, r"mod must be an integer"),
    Case("iter-str", lambda: It(["a"], [0]), TypeError, r"must hold integers or floats, got str"),
    Case(
        "iter-float-with-mod",
        lambda: It([1.5], [0], mod=7),
        TypeError,
        r"mod= needs integer coefs and init",
    ),
    Case(
        "iter-object-float",
        lambda: It(obj(1.5), [1]),
        check=lambda r: [next(r) for _ in range(3)] == S([1.5], [1.0], 3).tolist(),
    ),
    Case("iter-k-huge", lambda: It(huge_k(2**40, np.int64), huge_k(2**40, np.int64)), MemoryError),
    Case(
        "iter-advance-negative", lambda: It(*FIB).advance(-1), ValueError, r"n must be >= 0, got -1"
    ),
    Case(
        "iter-advance-float",
        lambda: It(*FIB).advance(1.0),
        TypeError,
        r"cannot be interpreted as an integer",
    ),
    Case(
        "iter-advance-huge-exact",
        lambda: It(*FIB).advance(2**63),
        OverflowError,
        r"exact result would have about",
    ),
    Case(
        "iter-advance-huge-mod",
        lambda: _advance_then_next(It(*FIB, mod=10**9 + 7), 2**200),
        check=lambda r: r == ref_matrix(*FIB, 2**200, 10**9 + 7),
    ),
    Case(
        "iter-past-int64",
        lambda: _advance_then_next(It(*FIB), 100),
        check=lambda r: type(r) is int and r == ref_step(*FIB, 100),
    ),
    Case("iter-nan", lambda: next(It([float("nan")], [1.0])), check=lambda r: r == 1.0),
    Case("iter-no-args", lambda: It(), TypeError, r"missing required argument"),
    Case("iter-subclass", lambda: type("X", (It,), {}), TypeError, r"not an acceptable base type"),
]

CLASSIC_CASES: list[Case] = [
    Case(
        "fibonacci-overflow",
        lambda: lucas.fibonacci(93),
        OverflowError,
        r"n=93 does not fit in int64",
    ),
    Case(
        "fibonacci-int64-min",
        lambda: lucas.fibonacci(I64_MIN),
        OverflowError,
        r"n=-9223372036854775808",
    ),
    Case(
        "fibonacci-uint64-max",
        lambda: lucas.fibonacci(np.uint64(U64_MAX)),
        OverflowError,
        r"n=18446744073709551615",
    ),
    Case("fibonacci-float", lambda: lucas.fibonacci(5.0), TypeError, NOLOOP),
    Case(
        "fibonacci-object-float",
        lambda: lucas.fibonacci(obj(5.0)),
        TypeError,
        r"'float' object cannot be interpreted as an integer",
    ),
    Case(
        "fibonacci-object-huge",
        lambda: lucas.fibonacci(obj(10**30)),
        OverflowError,
        r"exact value would exceed",
    ),
    Case(
        "lucas_u-backwards",
        lambda: lucas.lucas_u(1, 2, -3),
        ValueError,
        r"negative n needs Q = 1 or Q = -1",
    ),
    Case(
        "lucas_u-overflow",
        lambda: lucas.lucas_u(2**62, 1, 5),
        OverflowError,
        r"does not fit in int64",
    ),
    Case("lucas_v-str", lambda: lucas.lucas_v("a", 1, 1), TypeError, NOLOOP),
    Case(
        "lucas_uv_mod-m-zero",
        lambda: lucas.lucas_uv_mod(1, -1, 5, 0),
        ValueError,
        r"modulus m must be positive, got 0",
    ),
    Case(
        "lucas_uv_mod-m-one",
        lambda: lucas.lucas_uv_mod(1, -1, 5, 1),
        check=lambda r: (int(r[0]), int(r[1])) == (0, 0),
    ),
    Case(
        "lucas_uv_mod-m-uint64-max",
        lambda: lucas.lucas_uv_mod(1, -1, 10**18, np.uint64(U64_MAX)),
        check=lambda r: int(r[0]) == ref_matrix([1, 1], [0, 1], 10**18, U64_MAX),
    ),
    Case(
        "lucas_uv_mod-backwards",
        lambda: lucas.lucas_uv_mod(1, 2, -5, 4),
        ValueError,
        r"negative n needs Q invertible modulo m",
    ),
    Case(
        "is_prime-negative",
        lambda: lucas.is_prime([-7, 0, 1, 2]),
        check=lambda r: r.tolist() == [False, False, False, True],
    ),
    Case("is_prime-float", lambda: lucas.is_prime(7.0), TypeError, NOLOOP),
    Case(
        "is_prime-object-float",
        lambda: lucas.is_prime(obj(7.0)),
        TypeError,
        r"cannot be interpreted as an integer",
    ),
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


def _advance_then_next(it: Any, n: int) -> Any:
    it.advance(n)
    return next(it)


# ---- matrix_power / matrix_power_mod ---------------------------------------------------------
MP, MPM = lucas.matrix_power, lucas.matrix_power_mod
FIBM = np.array([[0, 1], [1, 1]], dtype=np.int64)


def _objm(rows: list[list[Any]]) -> np.ndarray:
    a = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
    for i, r in enumerate(rows):
        a[i, :] = r
    return a


MATPOW_CASES: list[Case] = [
    Case(
        "matpow-nonsquare",
        lambda: MP(np.ones((2, 3), np.int64), 2),
        ValueError,
        r"mismatch in its core dimension",
    ),
    Case(
        "matpow-1d", lambda: MP(np.array([1, 2]), 2), ValueError, r"does not have enough dimensions"
    ),
    Case(
        "matpow-empty",
        lambda: MP(np.zeros((0, 0), np.int64), 2),
        ValueError,
        r"lucas\.matrix_power: A must be a non-empty square matrix",
    ),
    Case(
        "matpow-empty-object",
        lambda: MP(np.zeros((0, 0), object), 2),
        ValueError,
        r"non-empty square matrix",
    ),
    Case(
        "matpow_mod-empty",
        lambda: MPM(np.zeros((3, 0, 0), np.int64), 2, 7),
        ValueError,
        r"lucas\.matrix_power_mod: A must be a non-empty square matrix",
    ),
    Case(
        "matpow-empty-stack",
        lambda: MP(np.zeros((0, 2, 2), np.int64), 2),
        check=lambda r: r.shape == (0, 2, 2),
    ),
    Case("matpow-float-n", lambda: MP(FIBM, 2.5), TypeError, NOLOOP),
    Case(
        "matpow-float-n-object",
        lambda: MP(FIBM.astype(object), 2.5),
        TypeError,
        r"the exponent n must be integers, got float",
    ),
    Case(
        "matpow-float-entry-object",
        lambda: MP(_objm([[1.5, 0], [0, 1]]), 2),
        TypeError,
        r"matrix entries must be integers, got float",
    ),
    Case("matpow-string", lambda: MP(np.array([["a", "b"], ["c", "d"]]), 2), TypeError, NOLOOP),
    Case("matpow-overflow", lambda: MP(FIBM, 92), OverflowError, r"A\*\*92 does not fit in int64"),
    Case(
        "matpow-fits-boundary",
        lambda: MP(FIBM, 91),
        check=lambda r: int(r[1, 1]) == 7540113804746346429,
    ),
    Case(
        "matpow-n-uint64-max",
        lambda: MP(FIBM, np.uint64(U64_MAX)),
        OverflowError,
        r"A\*\*18446744073709551615 does not fit",
    ),
    Case(
        "matpow-n-int64-min",
        lambda: MP(np.array([[1, 1], [0, 1]]), np.int64(I64_MIN)),
        check=lambda r: int(r[0, 1]) == I64_MIN,
    ),
    Case(
        "matpow-n-python-int-huge", lambda: MP(FIBM, 2**64), OverflowError, r"Python int too large"
    ),
    Case(
        "matpow-det-not-unit",
        lambda: MP(np.array([[2, 0], [0, 1]]), -1),
        ValueError,
        r"det\(A\) is not \+1 or -1",
    ),
    Case(
        "matpow-det-not-unit-object",
        lambda: MP(_objm([[2, 0], [0, 1]]), -1),
        ValueError,
        r"det\(A\) is not \+1 or -1",
    ),
    Case(
        "matpow-singular-float",
        lambda: MP(np.array([[1.0, 2.0], [2.0, 4.0]]), -1),
        warns=RuntimeWarning,
        check=lambda r: bool(np.isnan(r).all()),
    ),
    Case(
        "matpow-object-huge",
        lambda: MP(FIBM.astype(object), 10**18),
        OverflowError,
        r"more than the 2\*\*28",
    ),
    Case(
        "matpow_mod-zero", lambda: MPM(FIBM, 2, 0), ValueError, r"modulus m must be positive, got 0"
    ),
    Case("matpow_mod-negative", lambda: MPM(FIBM, 2, -5), ValueError, r"got -5"),
    Case("matpow_mod-zero-uint64", lambda: MPM(FIBM, 2, np.uint64(0)), ValueError, r"got 0"),
    Case(
        "matpow_mod-negative-object", lambda: MPM(FIBM.astype(object), 2, -5), ValueError, r"got -5"
    ),
    Case("matpow_mod-float-m", lambda: MPM(FIBM, 2, 7.0), TypeError, NOLOOP),
    Case("matpow_mod-float-matrix", lambda: MPM(FIBM.astype(float), 2, 7), TypeError, NOLOOP),
    Case(
        "matpow_mod-singular",
        lambda: MPM(np.array([[2, 0], [0, 1]]), -1, 6),
        ValueError,
        r"singular modulo m=6",
    ),
    Case("matpow_mod-one", lambda: MPM(FIBM, -5, 1), check=lambda r: not r.any()),
    Case(
        "matpow_mod-u64max",
        lambda: MPM(FIBM, 100, np.uint64(U64_MAX)),
        check=lambda r: int(r[0, 1]) == 354224848179261915075 % U64_MAX,
    ),
]

ALL_CASES = CASES + SEQUENCE_CASES + CLASSIC_CASES + MATPOW_CASES


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.id for c in ALL_CASES])
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
    assert term(np.zeros(0, np.int64), np.zeros(0, np.int64), 3) == 0
    with pytest.raises(ValueError, match=r"cannot run backwards"):
        term([2, 1], [0, 1], -1)
    with pytest.raises(ValueError, match=r"modulus m must be positive"):
        term_mod(*FIB, 3, 0)
    with pytest.raises(OverflowError, match=r"does not fit in int64"):
        term(*FIB, 93)
    with pytest.raises((MemoryError, ValueError), match=r"order k|workspace"):
        term(huge_k(2**40, np.int64), huge_k(2**40, np.int64), 5)
    with pytest.raises(TypeError, match=r"must be integers in object arrays"):
        term(obj(1, 1), obj("0.5", 1), 3)


def test_failure_in_a_batch_names_the_index() -> None:
    # a failure in the middle of a broadcast call names the element; earlier results do not leak
    with pytest.raises(OverflowError, match=r"a\[93\]"):
        T(*FIB, [5, 50, 93, 10])
    with pytest.raises(ValueError, match=r"got 0"):
        TM(*FIB, np.arange(5), [3, 5, 0, 7, 9])


def test_object_error_after_partial_results() -> None:
    # the first element succeeds, the second fails: the exception wins, nothing half-written
    with pytest.raises(TypeError, match=r"got NoneType"):
        T(obj(1, 1), np.array([obj(0, 1), obj(None, 1)]), 5)


def test_docs_table_lists_every_case() -> None:
    text = DOCS.read_text(encoding="utf-8")
    documented = re.findall(r"^\|\s*`([^`]+)`\s*\|", text, flags=re.MULTILINE)
    ids = [c.id for c in ALL_CASES] + [c.id for c in CLI_CASES]
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


def test_object_huge_n_is_refused_quickly() -> None:
    # term-object-n-int64-max: OverflowError (the exact result is far too large) at once, not
    # after hours of squaring ever larger Python ints; a subprocess so a hang cannot stall us
    try:
        out = subprocess.run(
            [sys.executable, "-c", _OBJ_HUGE_N],
            capture_output=True,
            text=True,
            timeout=15,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("object term with n = 2**63-1 still running after 15 s")
    assert "OverflowError exact result would" in out.stdout, out.stderr


# ---- the command line ------------------------------------------------------------------------


@dataclass
class CliCase:
    id: str
    args: list[str]
    rc: int
    stderr: str | None = None  # regular expression the error message must match
    stdout: str | None = None  # exact output (stripped)


CLI_CASES: list[CliCase] = [
    CliCase("cli-no-command", [], 2, r"required: \{term,seq,bench\}"),
    CliCase("cli-unknown-command", ["bogus"], 2, r"invalid choice: 'bogus'"),
    CliCase("cli-empty-coefs", ["term", "", "", "5"], 2, r"expected comma-separated integers"),
    CliCase(
        "cli-float-coefs",
        ["term", "1.5,1", "0,1", "5"],
        2,
        r"expected comma-separated integers .*got '1\.5,1'",
    ),
    CliCase("cli-inf-coefs", ["term", "inf,1", "0,1", "5"], 2, r"got 'inf,1'"),
    CliCase(
        "cli-mismatch", ["term", "1,1", "0", "5"], 2, r"COEFS and INIT must have the same length"
    ),
    CliCase("cli-n-not-integer", ["term", "1,1", "0,1", "abc"], 2, r"expected an integer"),
    CliCase("cli-n-nan", ["term", "1,1", "0,1", "nan"], 2, r"got 'nan'"),
    CliCase("cli-n-float", ["term", "1,1", "0,1", "1.5"], 2, r"got '1\.5'"),
    CliCase("cli-backwards", ["term", "2,1", "0,1", "--", "-5"], 2, r"a\[-5\] is undefined"),
    CliCase("cli-negative-ok", ["term", "1,1", "0,1", "--", "-5"], 0, stdout="5"),
    CliCase(
        "cli-mod-zero",
        ["term", "1,1", "0,1", "5", "--mod", "0"],
        2,
        r"the modulus must be positive, got '0'",
    ),
    CliCase("cli-mod-negative", ["term", "1,1", "0,1", "5", "--mod", "-3"], 2, r"got '-3'"),
    CliCase("cli-mod-one", ["term", "1,1", "0,1", "5", "--mod", "1"], 0, stdout="0"),
    CliCase(
        "cli-mod-uint64-max",
        ["term", "1,1", "0,1", "100", "--mod", str(U64_MAX)],
        0,
        stdout=str(ref_matrix(*FIB, 100, U64_MAX)),
    ),
    CliCase(
        "cli-huge-n-mod",
        ["term", "1,1", "0,1", str(10**22), "--mod", "1000"],
        0,
        stdout=str(ref_matrix(*FIB, 10**22, 1000)),
    ),
    CliCase(
        "cli-n-int64-max-exact",
        ["term", "1,1", "0,1", str(I64_MAX)],
        2,
        r"exact result would have about",
    ),
    CliCase("cli-seq-negative-count", ["seq", "1,1", "0,1", "-5"], 2, r"count must be >= 0"),
    CliCase(
        "cli-seq-bad-out",
        ["seq", "1,1", "0,1", "5", "--out", "/nonexistent/x.npy"],
        1,
        r"No such file or directory",
    ),
    CliCase(
        "cli-seq-backwards-mod",
        ["seq", "1,1", "0,1", "3", "--start", "-3", "--mod", "7"],
        0,
        stdout="\n".join(str(ref_step(*FIB, n, 7)) for n in (-3, -2, -1)),
    ),
]


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.id for c in CLI_CASES])
def test_cli_bad_input(case: CliCase) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "lucas", *case.args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == case.rc, (out.stdout[-500:], out.stderr[-500:])
    if case.stderr is not None:
        assert re.search(case.stderr, out.stderr), out.stderr
        assert "Traceback" not in out.stderr
    if case.stdout is not None:
        assert out.stdout.strip() == case.stdout


# ---- long work: Ctrl-C -----------------------------------------------------------------------

# 10^9 terms of an order-16 recurrence: far more than a few seconds of work
_LONG_SEQUENCE = """
import lucas
print("go", flush=True)
lucas.sequence(list(range(1, 17)), list(range(16)), 10**9, mod=10**9 + 7)
print("finished", flush=True)
"""
_LONG_CLI = [
    "-m",
    "lucas",
    "seq",
    ",".join(["1"] * 16),
    ",".join(["0"] * 15 + ["1"]),
    str(10**9),
    "--mod",
    str(10**9 + 7),
]


def _interrupt_after_start(argv: list[str], tmp_path: Path) -> tuple[float, int, str]:
    """Start python argv, wait for its first output line, let it work ~1 s, send SIGINT.
    Returns (seconds from SIGINT to exit, exit code, stderr)."""
    p = subprocess.Popen(
        [sys.executable, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        assert p.stdout is not None
        first = p.stdout.readline()
        assert first, p.stderr.read() if p.stderr else ""
        time.sleep(1.0)
        assert p.poll() is None, "finished before the interrupt: make the run longer"
        t0 = time.monotonic()
        p.send_signal(signal.SIGINT)
        # drain stdout so a full pipe cannot block the child
        _out, err = p.communicate(timeout=60)
        return time.monotonic() - t0, p.returncode, err
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def test_sequence_honours_ctrl_c(tmp_path: Path) -> None:
    if not hasattr(lucas, "sequence"):
        pytest.skip("lucas.sequence not built")
    latency, rc, err = _interrupt_after_start(["-c", _LONG_SEQUENCE], tmp_path)
    assert "KeyboardInterrupt" in err and "finished" not in err
    assert rc != 0
    # the whole run takes tens of seconds; stopping within a few proves the interrupt works
    assert latency < 5.0, f"took {latency:.2f} s to stop"


def test_cli_honours_ctrl_c(tmp_path: Path) -> None:
    latency, rc, err = _interrupt_after_start(_LONG_CLI, tmp_path)
    assert rc == 130 and "interrupted" in err and "Traceback" not in err, err
    assert latency < 5.0, f"took {latency:.2f} s to stop"


def test_cli_out_file_honours_ctrl_c(tmp_path: Path) -> None:
    # --out writes through a temporary .lucas-*.npy beside the target (2*10^8 terms: 1.6 GB of
    # disk at most, about ten seconds of work): wait for it, interrupt, and nothing is left
    target = tmp_path / "x.npy"
    argv = [*_LONG_CLI, "--out", str(target)]
    argv[argv.index(str(10**9))] = str(2 * 10**8)
    p = subprocess.Popen(
        [sys.executable, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while (
            not list(tmp_path.glob(".lucas-*")) and p.poll() is None and time.monotonic() < deadline
        ):
            time.sleep(0.05)
        time.sleep(1.0)
        assert p.poll() is None, "finished before the interrupt: make the run longer"
        t0 = time.monotonic()
        p.send_signal(signal.SIGINT)
        _out, err = p.communicate(timeout=60)
        latency = time.monotonic() - t0
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 130 and "interrupted" in err, err
    assert latency < 5.0
    assert list(tmp_path.iterdir()) == [], "a partial or temporary file was left behind"
