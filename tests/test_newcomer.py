"""What a newcomer trips over: OEIS/SymPy coefficient order, float indices, big Python ints,
lists that NumPy turns into float64.  Each error must say what to do instead."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from reference import ref_matrix, ref_step
from subproc import run_python

import lucas


def test_from_signature_matches_sympy_linrec() -> None:
    sympy = pytest.importorskip("sympy")
    from sympy.discrete.recurrences import linrec

    for signature, init, n in [
        ([2, 1], [0, 1], 20),
        ([1, 0, 2], [1, 2, 3], 30),
        ([3, -1], [0, 1], 15),
    ]:
        coefs = lucas.from_signature(signature)
        assert coefs.tolist() == signature[::-1]
        assert int(lucas.term(coefs, init, n)) == int(linrec(signature, init, n))
    assert sympy is not None
    # the mistake it prevents: SymPy's order passed straight in is another sequence
    assert int(lucas.term([2, 1], [0, 1], 20)) != int(linrec([2, 1], [0, 1], 20))


def test_from_signature_shapes_and_big_ints() -> None:
    stack = lucas.from_signature(np.array([[2, 1], [1, 1]]))
    assert stack.tolist() == [[1, 2], [1, 1]]
    big = lucas.from_signature([2**70, 1])
    assert big.dtype == object and big.tolist() == [1, 2**70]
    with pytest.raises(ValueError, match="scalar"):
        lucas.from_signature(5)
    assert lucas.sequence(lucas.from_signature([1, 1, 1]), [0, 0, 1], 6).tolist() == [
        ref_step([1, 1, 1], [0, 0, 1], j) for j in range(6)
    ]


@pytest.mark.parametrize(
    ("call", "arg"),
    [
        (lambda: lucas.term([1, 1], [0, 1], 1e6), "n"),
        (lambda: lucas.term([1, 1], [0, 1], np.array([1.0, 2.0])), "n"),
        (lambda: lucas.term_ufunc("poly")([1, 1], [0, 1], 5.0), "n"),
        (lambda: lucas.term_mod([1, 1], [0, 1], 10, 7.0), "m"),
        (lambda: lucas.term_mod([1, 1], [0, 1], 2.5, 7), "n"),
        (lambda: lucas.fibonacci(np.float32(3)), "n"),
        (lambda: lucas.lucas_u(1, -1, 3.0), "n"),
    ],
)
def test_float_index_says_integer_and_how_to_convert(call: object, arg: str) -> None:
    with pytest.raises(TypeError) as info:
        call()  # type: ignore[operator]
    text = str(info.value)
    assert "not supported for the input types" in text  # NumPy's own words stay
    assert f"{arg} must be an integer array" in text
    assert "astype(np.int64)" in text


def test_float_coefficients_still_compute() -> None:
    assert float(lucas.term([1.0, 1.0], [0.0, 1.0], 10)) == 55.0


FIB = ([1, 1], [0, 1])
LUC = ([1, 1], [2, 1])
FIBM = [[1, 1], [1, 0]]
U64_MAX = 2**64 - 1


def _fib_matrix_power(n: int, m: int) -> list[list[int]]:
    # [[F(n+1), F(n)], [F(n), F(n-1)]] mod m, F(-1) = 1
    f = [ref_matrix(*FIB, j, m) for j in (n + 1, n)]
    return [[f[0], f[1]], [f[1], (f[0] - f[1]) % m]]


@pytest.mark.parametrize(
    ("call", "dtype", "expect"),
    [
        # a modulus or an index in [2**63, 2**64): the uint64 loop
        (
            lambda: lucas.term_mod(*FIB, 10, U64_MAX),
            np.uint64,
            lambda: ref_matrix(*FIB, 10, U64_MAX),
        ),
        (
            lambda: lucas.term_mod(*FIB, U64_MAX, 1000),
            np.int64,
            lambda: ref_matrix(*FIB, U64_MAX, 1000),
        ),
        (lambda: lucas.term([0, 1], [5, 5], U64_MAX), np.int64, lambda: 5),
        (
            lambda: lucas.matrix_power_mod(FIBM, U64_MAX, 1000),
            np.int64,
            lambda: _fib_matrix_power(U64_MAX, 1000),
        ),
        (
            lambda: lucas.matrix_power_mod(FIBM, 10, U64_MAX),
            np.uint64,
            lambda: _fib_matrix_power(10, U64_MAX),
        ),
        (
            lambda: np.stack(lucas.lucas_uv_mod(1, -1, U64_MAX, 1000)),
            np.int64,
            lambda: [ref_matrix(*FIB, U64_MAX, 1000), ref_matrix(*LUC, U64_MAX, 1000)],
        ),
        (
            lambda: np.stack(lucas.lucas_uv_mod(1, -1, 10, U64_MAX)),
            np.uint64,
            lambda: [ref_matrix(*FIB, 10, U64_MAX), ref_matrix(*LUC, 10, U64_MAX)],
        ),
        # 2**64 and beyond, or below -2**63: the exact object loop
        (lambda: lucas.term_mod(*FIB, 2**70, 1000), object, lambda: ref_matrix(*FIB, 2**70, 1000)),
        (
            lambda: lucas.term_mod(*FIB, 100, 2**64 + 1),
            object,
            lambda: ref_matrix(*FIB, 100, 2**64 + 1),
        ),
        # small ones keep the int64 loop
        (lambda: lucas.term_mod(*FIB, 10, 2**63 - 1), np.int64, lambda: 55),
    ],
)
def test_python_ints_beyond_int64_reach_a_loop_that_takes_them(call, dtype, expect) -> None:
    r = call()
    # a 0-d object result comes back as the Python int itself
    assert (r.dtype if isinstance(r, np.ndarray | np.generic) else np.dtype(object)) == dtype
    assert np.asarray(r).tolist() == expect()


def test_python_ints_beyond_int64_still_report_a_result_that_does_not_fit() -> None:
    # converted to uint64, n reaches the loop: the error is about the value, not the conversion
    with pytest.raises(OverflowError, match=r"a\[18446744073709551615\] does not fit in int64"):
        lucas.term(*FIB, U64_MAX)


def test_is_prime_takes_lists_of_big_ints() -> None:
    sympy = pytest.importorskip("sympy")
    values = [2**61 - 1, 2**64 - 59, 2**64 - 57]
    # NumPy alone makes this list float64 (int64 and uint64 values), which no loop takes
    assert np.asarray(values).dtype == np.float64
    assert lucas.is_prime(values).tolist() == [sympy.isprime(v) for v in values]
    mixed = [-7, 2**64 - 59, 2**89 - 1]
    assert lucas.is_prime(mixed).tolist() == [sympy.isprime(v) for v in mixed]
    assert bool(lucas.is_prime(2**89 - 1)) == sympy.isprime(2**89 - 1)


def test_real_float_arrays_to_is_prime_say_integer() -> None:
    with pytest.raises(TypeError, match=r"n must be an integer array"):
        lucas.is_prime(np.array([7.0, 11.0]))


def test_string_inputs_keep_numpys_message() -> None:
    with pytest.raises(TypeError, match="not supported for the input types") as info:
        lucas.term([1, 1], [0, 1], np.array(["5"]))
    assert "must be an integer array" not in str(info.value)


def test_ufunc_call_signatures_are_typed(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    pytest.importorskip("typing_extensions")
    script = Path(__file__).resolve().parent / "typed_ufuncs.py"
    run = run_python(str(script), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    cache = str(tmp_path / "cache")
    mypy = ("-m", "mypy", "--strict", "--no-incremental", "--cache-dir", cache, str(script))
    proc = run_python(*mypy, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("call", "fix"),
    [
        (lambda da: lucas.term([1, 1], [0, 1], da.arange(10, chunks=5)), "lucas.dask.term("),
        (
            lambda da: lucas.term_mod(
                np.array([1, 1]), np.array([0, 1]), da.arange(10, chunks=5), da.arange(1, 11)
            ),
            "lucas.dask.term_mod(",
        ),
        (
            lambda da: lucas.lucas_uv_mod(1, -1, da.arange(10, chunks=5), 7),
            "lucas.dask.apply(lucas.lucas_uv_mod, ",
        ),
    ],
)
def test_dask_failures_name_the_fix(call, fix) -> None:
    da = pytest.importorskip("dask.array")
    with pytest.raises((ValueError, TypeError)) as info:
        call(da).compute()
    assert str(info.value).startswith("lucas.") and fix in str(info.value)


def test_dask_apply_takes_any_lucas_ufunc() -> None:
    da = pytest.importorskip("dask.array")
    import lucas.dask

    n_np, m_np = np.arange(12), np.arange(1, 13)
    n, m = da.from_array(n_np, chunks=5), da.from_array(m_np, chunks=4)
    u, v = lucas.dask.apply(lucas.lucas_uv_mod, 1, -1, n, m)
    want_u, want_v = lucas.lucas_uv_mod(1, -1, n_np, m_np)
    assert u.compute().tolist() == want_u.tolist() and v.compute().tolist() == want_v.tolist()
    fibm = [[1, 1], [1, 0]]
    got = lucas.dask.apply(lucas.matrix_power_mod, fibm, n, m).compute()
    assert got.tolist() == lucas.matrix_power_mod(fibm, n_np, m_np).tolist()
    assert lucas.dask.apply(lucas.is_prime, n).compute().tolist() == lucas.is_prime(n_np).tolist()
    with pytest.raises(TypeError, match="takes 4 inputs"):
        lucas.dask.apply(lucas.term_mod, [1, 1], [0, 1], n)


@pytest.mark.parametrize(
    "name", [n for n in lucas.__all__ if isinstance(getattr(lucas, n), np.ufunc)]
)
def test_help_of_every_ufunc_has_parameters_and_returns(name: str) -> None:
    doc = getattr(lucas, name).__doc__ or ""
    assert "\nParameters\n----------\n" in doc and "\nReturns\n-------\n" in doc, name


def test_big_python_ints_with_fixed_types_are_left_to_numpy() -> None:
    # an int64 out would take a uint64 residue by NumPy's same_kind casting: no conversion
    # when the caller fixes the types, NumPy's own refusal instead of a wrapped value
    with pytest.raises(OverflowError):
        lucas.term_mod(*FIB, 2**64 - 2, U64_MAX, out=np.empty((), np.int64))
    with pytest.raises(OverflowError):
        lucas.term_mod(*FIB, 2**64 - 2, U64_MAX, np.empty((), np.int64))
    with pytest.raises(OverflowError):
        lucas.term_mod(*FIB, 2**64 - 2, U64_MAX, signature="llll->l")
    out = np.empty((), np.uint64)
    lucas.term_mod(*FIB, np.uint64(2**64 - 2), np.uint64(U64_MAX), out=out)
    assert int(out) == ref_matrix(*FIB, 2**64 - 2, U64_MAX)
