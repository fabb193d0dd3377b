"""Re-entrant element types: callbacks that mutate the very arrays lucas is reading.

Every public function that takes object arrays (or Python objects) calls back into Python
(``__index__``, ``__int__``, finalizers run by gc).  Those callbacks may replace elements of
the arrays being read, drop the last reference to an object lucas still uses, collect
garbage, or raise.  Whatever they do, lucas must give the exact answer for the values it
read, or a clean exception, never a crash or garbage; an exception raised by a callback
propagates unchanged.  (Run this file under ``python -X dev`` too: debug hooks on the
allocators turn a use-after-free into a crash.)

Also here: the first failing element is the one reported (NumPy calls a loop again for the
remaining chunks after an error), and one LucasIter shared by threads.
"""

from __future__ import annotations

import copy
import gc
import itertools
import os
import pickle
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import ref_step
from threadutil import run_workers

import lucas

# ---------------------------------------------------------------------------------------------
# hostile elements

#: Arrays of the call under test: the callbacks mutate these.
ARRAYS: list[np.ndarray] = []


class Boom(Exception):
    pass


BOOM = Boom("raised by a callback")


def _value(x: Any) -> Any:
    """The integer value of an element, without running any of its hooks."""
    if isinstance(x, (Hostile, Plain)):
        return x.value
    return int.__int__(x) if isinstance(x, int) else x


def churn() -> None:
    """Reuse freed memory: a dangling pointer then points at something else."""
    junk = [bytearray(40) for _ in range(2000)]
    del junk


def replace_all() -> None:
    """Give every element of every array under test a new plain int of the same value (the
    old object is freed unless lucas holds a reference)."""
    for a in ARRAYS:
        for idx in np.ndindex(a.shape):
            a[idx] = int(str(_value(a[idx])))
    churn()


def clear_all() -> None:
    """Destroy the operands: every element becomes None."""
    for a in ARRAYS:
        for idx in np.ndindex(a.shape):
            a[idx] = None
    churn()


class _Cycle:
    """Garbage in a reference cycle whose finalizer mutates the arrays under test."""

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        replace_all()


def collect() -> None:
    _Cycle()
    gc.collect()
    churn()


def boom() -> None:
    raise BOOM


ACTIONS: dict[str, Callable[[], None]] = {
    "replace": replace_all,
    "gc": collect,
    "clear": clear_all,
    "raise": boom,
}


class Operator(Exception):
    """An element operator other than __index__ was called."""


class Plain:
    """A harmless integer-like object (what the callbacks put into the arrays)."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


class _Hooks:
    """The hooks of Hostile and HostileInt: each runs self.action() first.  The arithmetic and
    comparison operators also raise Operator: lucas converts with __index__ and must never
    need them."""

    action: Callable[[], None]

    def _int_value(self) -> int:
        raise NotImplementedError

    def __index__(self) -> int:
        self.action()
        return self._int_value()

    def __int__(self) -> int:
        self.action()
        return self._int_value()

    def _op(self, *args: Any) -> Any:
        self.action()
        raise Operator(f"operator called on {self._int_value()}")

    __mul__ = __rmul__ = __add__ = __radd__ = __sub__ = __mod__ = __pow__ = _op
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _op  # type: ignore[assignment]
    __bool__ = __neg__ = __abs__ = __hash__ = _op  # type: ignore[assignment]


class Hostile(_Hooks):
    """Integer-like through __index__, with the hostile hooks of _Hooks."""

    def __init__(self, value: int, action: Callable[[], None]) -> None:
        self.value = value
        self.action = action

    def _int_value(self) -> int:
        return self.value


class HostileInt(_Hooks, int):
    """An int subclass whose hooks mutate the arrays (PyNumber_Index must copy its value
    without calling any of them)."""

    action: Callable[[], None] = staticmethod(replace_all)

    def _int_value(self) -> int:
        return int.__int__(self)


def objarray(values: Any, make: Callable[[int], Any]) -> np.ndarray:
    """Object array of the given nested int values, each element made by make(value)."""
    vals = np.array(values, dtype=object)
    a = np.empty(vals.shape, dtype=object)
    for idx in np.ndindex(vals.shape):
        a[idx] = make(vals[idx])
    return a


# ---------------------------------------------------------------------------------------------
# the functions under test: operand values and a pure-Python reference per output element


def _u(P: int, Q: int, n: int) -> int:
    return ref_step([-Q, P], [0, 1], n)


def _v(P: int, Q: int, n: int) -> int:
    return ref_step([-Q, P], [2, P], n)


TERM_OPS = ([[1, 1], [1, 2], [-1, 3]], [[0, 1], [2, 1], [5, -4]], [90, 130, -7])
MODS = [1000, 97, 2**70 + 1]


def _ref_term(c, i, n):
    return [ref_step(c[t], i[t], n[t]) for t in range(len(n))]


def _ref_term_mod(c, i, n, m):
    return [ref_step(c[t], i[t], n[t], m[t]) for t in range(len(n))]


def _elementwise(f):
    return lambda *cols: [f(*row) for row in zip(*cols)]


UV = ([1, 3, -2], [-1, 2, 1], [100, 70, -9])
PRIMES = [97, 2**89 - 1, 91, 2**64 + 1]  # 2**64 + 1 = 274177 * 67280421310721
KNOWN_PRIMES = {97, 2**89 - 1}

# name -> (function, operand values, reference giving the list of expected outputs)
FUNCS: dict[str, tuple[Callable[..., Any], tuple[Any, ...], Callable[..., Any]]] = {
    "term": (lucas.term, TERM_OPS, _ref_term),
    "term_matrix": (lucas.term_ufunc("matrix"), TERM_OPS, _ref_term),
    "term_poly": (lucas.term_ufunc("poly"), TERM_OPS, _ref_term),
    "term_mod": (lucas.term_mod, (*TERM_OPS, MODS), _ref_term_mod),
    "term_mod_matrix": (lucas.term_mod_ufunc("matrix"), (*TERM_OPS, MODS), _ref_term_mod),
    "term_mod_poly": (lucas.term_mod_ufunc("poly"), (*TERM_OPS, MODS), _ref_term_mod),
    "lucas_u": (lucas.lucas_u, UV, _elementwise(_u)),
    "lucas_v": (lucas.lucas_v, UV, _elementwise(_v)),
    "lucas_uv_mod": (
        lucas.lucas_uv_mod,
        (*UV[:2], [100, 70, 9], MODS),
        _elementwise(lambda P, Q, n, m: (_u(P, Q, n) % m, _v(P, Q, n) % m)),
    ),
    "fibonacci": (lucas.fibonacci, ([100, 7, -95],), _elementwise(lambda n: _u(1, -1, n))),
    "lucas_number": (lucas.lucas_number, ([100, 7, -95],), _elementwise(lambda n: _v(1, -1, n))),
    "is_prime": (lucas.is_prime, (PRIMES,), _elementwise(lambda n: n in KNOWN_PRIMES)),
    "is_strong_lucas_prp": (
        lucas.is_strong_lucas_prp,
        (PRIMES,),
        _elementwise(lambda n: n in KNOWN_PRIMES),  # no strong Lucas pseudoprime among them
    ),
}


def _expected(name: str) -> list[Any]:
    _, ops, ref = FUNCS[name]
    return ref(*ops)


def _as_list(res: Any) -> list[Any]:
    if isinstance(res, tuple):  # lucas_uv_mod: (U, V)
        return list(zip(res[0].tolist(), res[1].tolist()))
    return res.tolist()


def _call(name: str, make: Callable[[int], Any]) -> list[Any]:
    f, ops, _ = FUNCS[name]
    arrays = [objarray(v, make) for v in ops]
    ARRAYS[:] = arrays
    try:
        return _as_list(f(*arrays))
    finally:
        ARRAYS.clear()


@pytest.mark.parametrize("name", FUNCS)
@pytest.mark.parametrize("action", ["replace", "gc"])
@pytest.mark.parametrize("cls", [Hostile, HostileInt])
def test_callbacks_that_replace_operands(name: str, action: str, cls: type) -> None:
    """Every element's hook frees every operand (value kept): results stay exact."""

    def make(v: int) -> Any:
        return Hostile(v, ACTIONS[action]) if cls is Hostile else _hint(v, ACTIONS[action])

    assert _call(name, make) == _expected(name)


@pytest.mark.parametrize("name", FUNCS)
def test_callback_that_destroys_operands(name: str) -> None:
    """The first hook sets every element to None: the first output is exact (its operands
    were all held), the next one is a clean TypeError."""
    first = [True]

    def once() -> None:
        if first[0]:
            first[0] = False
            clear_all()

    with pytest.raises(TypeError, match="NoneType|integer"):
        _call(name, lambda v: Hostile(v, once))


@pytest.mark.parametrize("name", FUNCS)
def test_single_element_with_destroyed_operands(name: str) -> None:
    """One output element: all its operands are read before any hook runs, so destroying
    them all (and churning the freed memory) cannot change the answer."""
    f, ops, ref = FUNCS[name]
    one = tuple([v[0]] for v in ops)
    want = ref(*one)
    arrays = [objarray(v, lambda x: Hostile(x, clear_all)) for v in one]
    ARRAYS[:] = arrays
    try:
        assert _as_list(f(*arrays)) == want
    finally:
        ARRAYS.clear()


@pytest.mark.parametrize("name", FUNCS)
def test_exception_from_callback_propagates_unchanged(name: str) -> None:
    with pytest.raises(Boom) as info:
        _call(name, lambda v: Hostile(v, boom))
    assert info.value is BOOM


@st.composite
def _hostile_terms(draw: Any) -> tuple[Any, ...]:
    k = draw(st.integers(1, 4))
    ints = st.integers(-(2**70), 2**70)
    c = draw(st.lists(st.integers(-3, 3), min_size=k, max_size=k))
    init = draw(st.lists(ints, min_size=k, max_size=k))
    ns = draw(st.lists(st.integers(0, 60), min_size=1, max_size=4))
    m = draw(st.one_of(st.none(), st.integers(1, 2**80)))
    # which elements are hostile, and what their hook does
    kinds = st.sampled_from(["plain", "replace", "gc", "int"])
    hk = draw(st.lists(kinds, min_size=2 * k + len(ns) + 1, max_size=2 * k + len(ns) + 1))
    return c, init, ns, m, hk


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(_hostile_terms(), st.sampled_from(["auto", "matrix", "poly"]))
def test_property_hostile_operands_give_exact_terms(case: tuple[Any, ...], method: str) -> None:
    """Any mix of plain ints and hooks that free the operands: the reference's answer."""
    c, init, ns, m, hk = case
    hooks = iter(hk)

    def make(v: int) -> Any:
        kind = next(hooks)
        if kind == "plain":
            return v
        if kind == "int":
            return _hint(v, replace_all)
        return Hostile(v, ACTIONS[kind])

    arrays = [objarray(c, make), objarray(init, make), objarray(ns, make)]
    if m is not None:
        arrays.append(objarray(m, make))
    ARRAYS[:] = arrays
    try:
        if m is None:
            got = lucas.term_ufunc(method)(*arrays).tolist()
        else:
            got = lucas.term_mod_ufunc(method)(*arrays).tolist()
    finally:
        ARRAYS.clear()
    assert got == [ref_step(c, init, n, m) for n in ns]


def test_the_reported_crash() -> None:
    """The original report: __index__ of a coefficient replaces the index n."""

    class E:
        def __index__(self) -> int:
            n[()] = 0
            churn()
            return 1

    n = np.empty((), object)
    n[()] = type("V", (), {"__index__": lambda s: 10})()
    assert lucas.term(np.array([E(), 1], object), np.array([0, 1], object), n) in (0, 55)


def test_callbacks_under_dev_mode() -> None:
    """The callback tests again under ``python -X dev`` (debug hooks on the allocators: freed
    memory is overwritten, so a use-after-free crashes or gives garbage).  The child imports
    the same installed build (tests/conftest.py)."""
    if sys.flags.dev_mode:
        pytest.skip("already in dev mode")
    here = os.path.dirname(os.path.abspath(__file__))
    proc = subprocess.run(
        [
            sys.executable,
            "-X",
            "dev",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-x",
            os.path.join(here, "test_reentrant.py"),
            "-k",
            "replace_operands or destroy or reported_crash or sequence_with or iter_",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=os.path.dirname(here),
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def test_index_returning_an_int_subclass() -> None:
    """__index__ may return an int subclass (deprecated): its hostile operators are not used."""

    class Sneaky:
        def __index__(self) -> int:
            return HostileInt(10)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert (
            lucas.term(
                np.array([1, 1], object), np.array([0, 1], object), np.array(Sneaky(), object)
            )
            == 55
        )
        assert lucas.lucas_u(np.array([Sneaky()], object), -1, 10).tolist() == [_u(10, -1, 10)]


def finalized_out(size: int, action: Callable[[], None]) -> np.ndarray:
    """An object array for out= whose every element runs action when it is released."""

    class Old:
        def __del__(self) -> None:
            action()

    out = np.empty(size, object)
    for j in range(size):
        out[j] = Old()
    return out


def test_finalizers_of_replaced_outputs() -> None:
    """Writing a result releases the old element of out=: its finalizer mutates the inputs."""
    c = objarray([[1, 1]] * 4, lambda v: Hostile(v, replace_all))
    n = objarray([10, 20, 30, 40], lambda v: v)
    out = finalized_out(4, replace_all)
    ARRAYS[:] = [c, n]
    try:
        lucas.term(c, np.array([0, 1], object), n, out=out)
    finally:
        ARRAYS.clear()
    assert out.tolist() == [ref_step([1, 1], [0, 1], v) for v in (10, 20, 30, 40)]


# ---------------------------------------------------------------------------------------------
# sequence and LucasIter


def _hint(v: int, action: Callable[[], None] = replace_all) -> HostileInt:
    return type("H", (HostileInt,), {"action": staticmethod(action)})(v)


@pytest.mark.parametrize("dtype", [None, object])
@pytest.mark.parametrize("mod", [None, 1000, 2**70 + 1])
def test_sequence_with_hostile_arguments(dtype: Any, mod: Any) -> None:
    c = objarray([1, 1], lambda v: _hint(v))
    i = [_hint(0, collect), _hint(1)]
    ARRAYS[:] = [c]
    try:
        m = None if mod is None else Hostile(mod, collect)
        got = lucas.sequence(
            c, i, Hostile(6, replace_all), start=Hostile(90, collect), mod=m, dtype=dtype
        )
    finally:
        ARRAYS.clear()
    want = [ref_step([1, 1], [0, 1], n, mod) for n in range(90, 96)]
    assert got.tolist() == want


def test_sequence_callback_raises() -> None:
    with pytest.raises(Boom) as info:
        lucas.sequence([_hint(1, boom), 1], [0, 1], 5)
    assert info.value is BOOM
    with pytest.raises(Boom):
        lucas.sequence([1, 1], [0, 1], Hostile(5, boom))


def test_sequence_object_out_with_finalizers() -> None:
    """Replacing the elements of out= runs their finalizers, which garbage-collect: the
    terms are stepped from lucas' own references, not from out."""
    out = finalized_out(40, collect)
    lucas.sequence([1, 1], [0, 1], 40, start=80, dtype=object, out=out)
    assert out.tolist() == [ref_step([1, 1], [0, 1], n) for n in range(80, 120)]


def test_iter_construction_with_hostile_arguments() -> None:
    it = lucas.LucasIter(
        [_hint(1), _hint(1, collect)],
        np.array([_hint(0), 1], object),
        mod=Hostile(2**70 + 1, collect),
    )
    assert list(itertools.islice(it, 5)) == [0, 1, 1, 2, 3]
    assert it.coefs == (1, 1) and all(type(v) is int for v in it.coefs + it.init)
    with pytest.raises(Boom):
        lucas.LucasIter([1, 1], [0, 1], mod=Hostile(7, boom))


@pytest.mark.parametrize("mod", [None, 10**9 + 7, 2**70 + 1])
def test_iter_advance_whose_index_uses_the_iterator(mod: Any) -> None:
    """n.__index__ runs before the iterator is taken: it may step it."""
    it = lucas.LucasIter([1, 1], [0, 1], mod=mod)

    def step() -> None:
        next(it)
        collect()

    it.advance(Hostile(100, step))
    assert it.position == 101
    assert next(it) == ref_step([1, 1], [0, 1], 101, mod)
    with pytest.raises(Boom):
        it.advance(Hostile(5, boom))
    assert it.position == 102


def test_iter_setstate_whose_callbacks_use_the_iterator() -> None:
    """Callbacks inside __setstate__ find the iterator busy: RuntimeError, state intact."""
    it = lucas.LucasIter([1, 1], [0, 1])
    it.advance(10)

    def use() -> None:
        next(it)

    with pytest.raises(RuntimeError, match="already in use"):
        it.__setstate__((Hostile(7, use), 3, (2, 3)))
    with pytest.raises(RuntimeError, match="already in use"):
        it.__setstate__((None, 3, (_hint(2, use), 3)))
    assert it.position == 10 and it.state == (55, 89)
    # with harmless callbacks it works, and the values were copied
    it.__setstate__((Hostile(7, collect), 3, (_hint(2, collect), 3)))
    assert it.position == 3 and it.state == (2, 3) and it.mod == 7
    assert type(it.state[0]) is int
    it2 = pickle.loads(pickle.dumps(it))
    assert next(it2) == 2 and next(it) == 2


# ---------------------------------------------------------------------------------------------
# the first failure is the one reported


def _first_failure_cases() -> list[tuple[str, Callable[[Any], Any], str]]:
    """(id, call(n-like array), pattern of the message naming the failing n)."""
    return [
        ("term", lambda n: lucas.term([1, 1], [0, 1], n), r"a\[{}\]"),
        ("term_matrix", lambda n: lucas.term_ufunc("matrix")([1, 1], [0, 1], n), r"a\[{}\]"),
        ("term_poly", lambda n: lucas.term_ufunc("poly")([1, 1], [0, 1], n), r"a\[{}\]"),
        ("fibonacci", lambda n: lucas.fibonacci(n), r"n={}\b"),
        ("lucas_number", lambda n: lucas.lucas_number(n), r"n={}\b"),
        ("lucas_u", lambda n: lucas.lucas_u(3, 1, n), r"n={}\b"),
        ("lucas_v", lambda n: lucas.lucas_v(3, 1, n), r"n={}\b"),
    ]


def _layouts(first: int, later: list[int], good: int, dtype: Any) -> list[np.ndarray]:
    """n-arrays (C order) holding `good` except `first` and then the `later` values."""
    out = []
    # small strided 2-D view (NumPy keeps the GIL): one loop call per row
    small = np.full((4, 60), good, dtype=dtype)[:, ::3]
    small[0, 7] = first
    for j, v in enumerate(later):
        small[1 + j % 3, j] = v
    out.append(small)
    # larger strided view (NumPy releases the GIL)
    base = np.full((4, 300), good, dtype=dtype)
    view = base[:, ::3]
    view[0, 31] = first
    for j, v in enumerate(later):
        view[1 + j % 3, 5 + j] = v
    out.append(view)
    # big enough that NumPy casts (int32 -> int64) in buffered chunks of 8192
    flat = np.full(30000, good, dtype=np.int32)
    flat[9000] = first
    for j, v in enumerate(later):
        flat[17000 + 5000 * j] = v
    out.append(flat)
    out.append(flat.reshape(300, 100))  # many gufunc outer iterations
    # the first failure in the first chunk, later ones in the next chunks
    flat2 = flat.copy()
    flat2[100] = first
    flat2[9000] = later[0]
    out.append(flat2)
    return out


def test_first_failure_reported_examples() -> None:
    with pytest.raises(OverflowError, match=r"a\[93\]"):
        lucas.term([1, 1], [0, 1], np.arange(400).reshape(4, 100)[:, ::3])
    with pytest.raises(ValueError, match=r"got 0\b"):
        lucas.term_mod([1, 1], [0, 1], 5, np.array([[0, 7, 7], [7, 7, -5]])[:, ::2])


@pytest.mark.parametrize("case", _first_failure_cases(), ids=lambda c: c[0])
def test_first_failure_fortran_order(case) -> None:
    """NumPy iterates Fortran-ordered inputs in memory order (the first failure there is
    reported); a C-ordered copy, or order="C", gives C order."""
    _, call, pattern = case
    a = np.asfortranarray(np.full((40, 30), 5))
    a[0, 10] = 95  # first in C order
    a[20, 0] = 300  # first in memory order
    with pytest.raises(OverflowError, match=pattern.format(300)):
        call(a)
    with pytest.raises(OverflowError, match=pattern.format(95)):
        call(np.ascontiguousarray(a))


@pytest.mark.parametrize("case", _first_failure_cases(), ids=lambda c: c[0])
def test_first_failure_is_reported(case) -> None:
    _, call, pattern = case
    for arr in _layouts(95, [300, 200, 150], 5, np.int64):
        with pytest.raises(OverflowError, match=pattern.format(95)):
            call(arr)


def test_first_failure_backwards_and_modulus() -> None:
    # term_mod: a bad modulus, the first in C order
    m = np.array([[0, 7, 7], [7, 7, -5]])[:, ::2]
    with pytest.raises(ValueError, match=r"got 0\b"):
        lucas.term_mod([1, 1], [0, 1], 5, m)
    for arr in _layouts(-3, [-4, -7, 0], 7, np.int64):
        with pytest.raises(ValueError, match=r"got -3\b"):
            lucas.term_mod([1, 1], [0, 1], 5, arr)
        # backwards where c[0] = 2 is not invertible mod 4: the first negative index
        with pytest.raises(ValueError, match=r"a\[-3\] is undefined"):
            lucas.term_mod([2, 1], [0, 1], arr, 4)
        with pytest.raises(ValueError, match=r"P=3, Q=2, n=-3 are undefined"):
            lucas.lucas_uv_mod(3, 2, arr, 4)
        with pytest.raises(ValueError, match=r"got -3\b"):
            lucas.lucas_uv_mod(3, 2, 5, arr)
        with pytest.raises(ValueError, match=r"n=-3 is not an integer"):
            lucas.lucas_u(3, 2, arr)
        with pytest.raises(ValueError, match=r"a\[-3\] is undefined"):
            lucas.term([2, 1], [0, 1], arr)
        with pytest.raises(ValueError, match=r"a\[-3\] is undefined"):
            lucas.term([0.0, 1.0], [0.0, 1.0], arr)


@pytest.mark.parametrize("name", FUNCS)
def test_first_failure_object_loops(name: str) -> None:
    """Object loops: the first bad element (a float) is reported, not a later one (a str)."""
    f, ops, _ = FUNCS[name]
    arrays = []
    for v in ops:
        a = np.array(v, dtype=object)
        big = np.empty((2, 2 * a.shape[0], *a.shape[1:]), object)
        big[:, ::2] = a
        big[:, 1::2] = "skipped"
        arrays.append(big[:, ::2])  # two strided rows of the operand
    arrays[-1][0, 1] = 1.5
    arrays[-1][1, 0] = "late"
    with pytest.raises(TypeError, match="float"):
        f(*arrays)


def test_failure_flag_does_not_leak_into_the_next_call() -> None:
    """After a failed call (with or without the GIL) the next call in the thread works."""
    big = np.full(30000, 5, np.int32)
    big[20000] = 100
    for _ in range(3):
        with pytest.raises(OverflowError, match=r"n=100\b"):
            lucas.fibonacci(big)
        assert lucas.fibonacci(np.full(30000, 10, np.int32)).tolist() == [55] * 30000
        with pytest.raises(OverflowError, match=r"a\[100\]"):
            lucas.term([1, 1], [0, 1], big.reshape(300, 100))
        assert lucas.term([1, 1], [0, 1], np.full((300, 100), 10)).sum() == 55 * 30000


# ---------------------------------------------------------------------------------------------
# one LucasIter shared by threads

NTHREADS = 4
OPS = 250


def _fib_table(n: int, mod: int | None) -> list[int]:
    a = [0, 1]
    while len(a) < n:
        a.append(a[-1] + a[-2])
    return a if mod is None else [v % mod for v in a]


@pytest.mark.parametrize("mod", [None, 2**61 - 1, 2**70 + 1])
def test_shared_iterator_stays_consistent(mod: Any) -> None:
    """Threads hammer one iterator: every operation either fails with the documented
    RuntimeError or sees a consistent (position, state); the final position accounts for
    every successful step."""
    it = lucas.LucasIter([1, 1], [0, 1], mod=mod)
    it.advance(60)  # int64 kinds cross into Python ints during the run
    steps: list[int] = []
    values: list[int] = []
    errors: list[str] = []
    snapshots: list[tuple[int, tuple[int, ...]]] = []
    barrier = threading.Barrier(NTHREADS)

    def worker(tid: int) -> None:
        rng = np.random.default_rng(tid)
        barrier.wait()
        for _ in range(OPS):
            op = int(rng.integers(0, 6))
            try:
                if op == 0:
                    values.append(next(it))
                    steps.append(1)
                elif op == 1:
                    n = int(rng.integers(0, 40))
                    it.advance(n)
                    steps.append(n)
                elif op == 2:
                    win = it.state
                    values.extend([win[0], win[1]])  # consecutive terms
                    snapshots.append((-1, win))
                elif op == 3:
                    cp = copy.copy(it)
                    snapshots.append((cp.position, cp.state))
                elif op == 4:
                    cp = pickle.loads(pickle.dumps(it))
                    snapshots.append((cp.position, cp.state))
                else:
                    it.position  # noqa: B018
            except RuntimeError as e:
                if "already in use" not in str(e):
                    errors.append(f"{type(e).__name__}: {e}")
            except Exception as e:  # noqa: BLE001 - any other exception is a failure
                errors.append(f"{type(e).__name__}: {e}")

    run_workers(worker, NTHREADS)
    assert errors == []
    total = 60 + sum(steps)
    assert it.position == total
    table = _fib_table(total + 3, mod)
    assert it.state == (table[total], table[total + 1])
    index = {v: j for j, v in enumerate(table) if j >= 60}  # Fibonacci from 60 on: distinct
    for pos, win in snapshots:
        if pos >= 0:  # a copy: its position and window agree
            assert win == (table[pos], table[pos + 1]), pos
        elif mod is None:  # the state alone: two consecutive terms
            assert table[index[win[0]] + 1] == win[1]
    assert set(values) <= set(table[60:])
    if mod is None:  # next() never yields a term twice
        yielded = [v for v, s in zip(values, steps) if s == 1]
        assert len(yielded) <= len(set(values))


def test_shared_iterator_long_advance_against_next() -> None:
    """A long advance (no GIL) against next() in another thread: the other caller gets the
    RuntimeError, or runs before/after it; the final position is exact either way."""
    k = 120
    c, init = [1] * k, [0] * (k - 1) + [1]
    it = lucas.LucasIter(c, init, mod=2**61 - 1)
    done = threading.Event()
    nexts: list[int] = []

    def stepper() -> None:
        while not done.is_set():
            try:
                next(it)
                nexts.append(1)
            except RuntimeError as e:
                assert "already in use" in str(e)

    t = threading.Thread(target=stepper)
    t.start()
    jumps = 0
    try:
        for _ in range(5):
            try:
                it.advance(10**15)
                jumps += 1
            except RuntimeError as e:
                assert "already in use" in str(e)
    finally:
        done.set()
        t.join()
    pos = it.position
    assert pos == jumps * 10**15 + len(nexts)
    want = lucas.term_mod(c, init, np.arange(pos, pos + k, dtype=np.uint64), 2**61 - 1)
    assert it.state == tuple(want.tolist())


# ---------------------------------------------------------------------------------------------
# order 0 and bools


def test_order_zero_is_the_zero_sequence() -> None:
    assert lucas.sequence([], [], 5).tolist() == [0] * 5
    assert lucas.sequence([], [], 3, start=-(10**30), mod=7).tolist() == [0] * 3
    assert lucas.sequence([], [], 2, dtype=object).tolist() == [0, 0]
    assert lucas.sequence([], [], 2, dtype=np.float64).tolist() == [0.0, 0.0]
    it = lucas.LucasIter([], [])
    assert list(itertools.islice(it, 3)) == [0, 0, 0]
    it.advance(10**30)
    assert next(it) == 0 and it.position == 10**30 + 4 and it.state == ()
    cp = pickle.loads(pickle.dumps(it))
    assert cp.position == it.position and cp.state == () and next(cp) == 0
    itm = lucas.LucasIter([], [], mod=2**70)
    itm.advance(5)
    assert next(itm) == 0 and itm.mod == 2**70
    with pytest.raises(ValueError, match="positive"):
        lucas.LucasIter([], [], mod=0)


def test_bool_coefficients_like_term() -> None:
    want = lucas.term(np.array([True, True]), [0, 1], np.arange(10)).tolist()
    assert lucas.sequence([np.True_, np.True_], [0, 1], 10).tolist() == want
    assert lucas.sequence(np.array([True, True]), [np.False_, 1], 10).tolist() == want
    assert lucas.sequence(np.array([np.True_, 1], object), [0, 1], 10).tolist() == want
    it = lucas.LucasIter([np.True_, True], [0, np.int8(1)])
    assert list(itertools.islice(it, 10)) == want
    assert lucas.term(np.array([np.True_, 1], object), [0, 1], 10) == 55
    assert lucas.lucas_u(np.array([np.True_], object), -1, 10).tolist() == [55]
