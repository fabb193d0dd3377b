"""What a newcomer trips over: OEIS/SymPy coefficient order, float indices, big Python ints,
lists that NumPy turns into float64.  Each error must say what to do instead."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from reference import ref_step

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


def test_is_prime_list_of_big_ints_says_why() -> None:
    with pytest.raises(TypeError, match=r"dtype=np\.uint64"):
        lucas.is_prime([2**61 - 1, 2**64 - 59])
    assert lucas.is_prime(np.array([2**61 - 1, 2**64 - 59], dtype=np.uint64)).tolist() == [
        True,
        True,
    ]


def test_string_inputs_keep_numpys_message() -> None:
    with pytest.raises(TypeError, match="not supported for the input types") as info:
        lucas.term([1, 1], [0, 1], np.array(["5"]))
    assert "must be an integer array" not in str(info.value)


def test_ufunc_call_signatures_are_typed(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    pytest.importorskip("typing_extensions")
    script = Path(__file__).resolve().parent / "typed_ufuncs.py"
    run = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(script),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
