"""Object arrays over any number type (issue 14), hostile side: element types whose
operators raise, return NotImplemented, or rewrite the arrays being read; reference counts over
repeated calls (error paths included); Ctrl-C during long runs over C-level and Python-level
elements; and the Python-int path (exact, plain int, size cap) unchanged.

An exception raised by an element's operator must propagate unchanged (the same object);
callbacks that mutate the inputs may give the exact answer for the values read or a clean
exception, never a crash.  Run under ``python -X dev`` too.
"""

from __future__ import annotations

import copy
import gc
import pickle
import signal
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np
import pytest
from reference import ref_matrix, ref_ring_seq, ref_step, unit_div
from rings import P_NMOD, _flint, obj

import lucas

# ---------------------------------------------------------------------------------------------
# hostile and failing element types


class Elem:
    """A ring element written in Python: an integer (optionally mod P) without __index__, so
    lucas takes the generic path, with just +, -, *, unary minus and ==."""

    __slots__ = ("v",)
    P: int | None = None

    def __init__(self, v: int) -> None:
        self.v = v if self.P is None else v % self.P

    @staticmethod
    def _val(o: Any) -> int | None:
        if isinstance(o, Elem):
            return o.v
        return o if type(o) is int else None

    def __add__(self, o: Any) -> Any:
        x = self._val(o)
        return NotImplemented if x is None else type(self)(self.v + x)

    __radd__ = __add__

    def __sub__(self, o: Any) -> Any:
        x = self._val(o)
        return NotImplemented if x is None else type(self)(self.v - x)

    def __rsub__(self, o: Any) -> Any:
        x = self._val(o)
        return NotImplemented if x is None else type(self)(x - self.v)

    def __mul__(self, o: Any) -> Any:
        x = self._val(o)
        return NotImplemented if x is None else type(self)(self.v * x)

    __rmul__ = __mul__

    def __neg__(self) -> Any:
        return type(self)(-self.v)

    def __truediv__(self, o: Any) -> Any:
        """Exact division only, as fmpz's (ArithmeticError otherwise)."""
        x = self._val(o)
        if x is None:
            return NotImplemented
        q, r = divmod(self.v, x)
        if r:
            raise ArithmeticError(f"{self.v} is not divisible by {x}")
        return type(self)(q)

    def __rtruediv__(self, o: Any) -> Any:
        x = self._val(o)
        return NotImplemented if x is None else type(self)(x) / self

    def __eq__(self, o: object) -> bool:
        x = self._val(o)
        return NotImplemented if x is None else self.v == x  # type: ignore[return-value]

    def __hash__(self) -> int:
        return hash(self.v)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.v})"


class Custom(Exception):
    pass


ERR = Custom("raised by an element's __mul__")


class Raising(Elem):
    """__mul__ raises ERR once `budget` products have been computed."""

    __slots__ = ()
    budget: ClassVar[list[int]] = [0]

    def __mul__(self, o: Any) -> Any:
        if self.budget[0] <= 0:
            raise ERR
        self.budget[0] -= 1
        return Elem.__mul__(self, o)

    __rmul__ = __mul__


class NoAdd(Elem):
    __slots__ = ()

    def __add__(self, o: Any) -> Any:
        return NotImplemented

    __radd__ = __add__


def _elems(cls: type, values: list[int]) -> np.ndarray:
    return obj([cls(v) for v in values])


@pytest.mark.parametrize("budget", [0, 1, 7, 40])
def test_operator_exception_propagates_unchanged(budget: int) -> None:
    calls: list[Callable[[], Any]] = [
        lambda: lucas.term(_elems(Raising, [1, 1, 2]), _elems(Raising, [0, 1, 3]), 10**6),
        lambda: lucas.term(
            _elems(Raising, [1, 1]), _elems(Raising, [0, 1]), np.array([500, 3, 10**9])
        ),
        lambda: lucas.term(_elems(Raising, [1, 3]), _elems(Raising, [0, 1]), -50),
        lambda: lucas.sequence(_elems(Raising, [1, 1]), _elems(Raising, [2, 1]), 100, start=50),
        lambda: lucas.LucasIter(_elems(Raising, [1, 1]), _elems(Raising, [0, 1])).advance(10**6),
        lambda: list(zip(range(100), lucas.LucasIter([Raising(1)] * 3, [Raising(1)] * 3))),
    ]
    for call in calls:
        Raising.budget[0] = budget
        with pytest.raises(Custom) as e:
            call()
        assert e.value is ERR


def _failing(op: str) -> type:
    """An Elem whose operator `op` (and its reflection) raises ERR."""

    def fail(self: Any, *args: Any) -> Any:
        raise ERR

    names = {op, op.replace("__", "__r", 1)} if op not in ("__neg__", "__eq__") else {op}
    return type(f"Failing{op}", (Elem,), {"__slots__": (), **dict.fromkeys(names, fail)})


FAILING_CALLS: dict[str, Callable[[type], Any]] = {
    "term-order2": lambda t: [lucas.term(_elems(t, [1, 1]), _elems(t, [0, 1]), 40)],
    "term-order3": lambda t: [lucas.term(_elems(t, [1, 2, 1]), _elems(t, [0, 1, 1]), 40)],
    "term-back2": lambda t: [lucas.term(_elems(t, [-1, 3]), _elems(t, [0, 1]), -40)],
    "term-back3": lambda t: [lucas.term(_elems(t, [1, 2, 1]), _elems(t, [0, 1, 1]), -40)],
    "sequence": lambda t: list(lucas.sequence(_elems(t, [1, 2, 1]), _elems(t, [0, 1, 1]), 20)),
    "iter": lambda t: list(zip(range(20), lucas.LucasIter([t(1), t(1)], [t(0), t(1)]))),
}


@pytest.mark.parametrize("call", list(FAILING_CALLS))
@pytest.mark.parametrize(
    "op", ["__add__", "__sub__", "__mul__", "__neg__", "__eq__", "__truediv__"]
)
def test_each_failing_operator(op: str, call: str) -> None:
    """Whichever operator lucas uses raises: that very exception comes out (an operator lucas
    does not need changes nothing)."""
    fn = FAILING_CALLS[call]
    want = fn(Elem)
    try:
        got = fn(_failing(op))
    except Custom as e:
        assert e is ERR
    else:
        assert repr(got).replace(f"Failing{op}", "Elem") == repr(want)


def test_not_implemented_gives_typeerror() -> None:
    c, i = _elems(NoAdd, [1, 1]), _elems(NoAdd, [0, 1])
    for call in (
        lambda: lucas.term(c, i, 10),
        lambda: lucas.term(c, i, np.arange(20)),
        lambda: lucas.sequence(c, i, 10),
        lambda: lucas.LucasIter(c, i).advance(10),
        lambda: list(zip(range(10), lucas.LucasIter(c, i))),
    ):
        with pytest.raises(TypeError):
            call()


def test_python_ring_element_against_the_reference() -> None:
    c, i = [Elem(2), Elem(-1), Elem(3)], [Elem(1), Elem(0), Elem(5)]
    want = ref_ring_seq(c, i, 0, 300)
    got = lucas.term(obj(c), obj(i), np.arange(0, 300, 7))
    assert [type(g) for g in got] == [Elem] * len(got)
    assert list(got) == want[::7]
    assert list(lucas.sequence(obj(c), obj(i), 50, start=100)) == want[100:150]


#: arrays of the call under test, which Mutating's __mul__ rewrites
ARRAYS: list[np.ndarray] = []


def _replace() -> None:
    for a in ARRAYS:
        for idx in np.ndindex(a.shape):
            x = a[idx]
            if isinstance(x, Elem):
                a[idx] = Elem(x.v)  # a new object of the same value: the old one may die
    [bytearray(48) for _ in range(500)]  # reuse freed memory


def _clear() -> None:
    for a in ARRAYS:
        a[...] = None
    [bytearray(48) for _ in range(500)]


class Mutating(Elem):
    __slots__ = ()
    action: Callable[[], None] = staticmethod(_replace)

    def __mul__(self, o: Any) -> Any:
        type(self).action()
        return Elem(self.v) * o

    __rmul__ = __mul__


def _iter_at(c: np.ndarray, i: np.ndarray, n: int) -> list[Any]:
    it = lucas.LucasIter(c, i)
    it.advance(n)
    return [next(it)]


#: call -> (the call, the indices of its results)
REENTRANT_CALLS: dict[str, tuple[Callable[[np.ndarray, np.ndarray], list[Any]], list[int]]] = {
    "term": (lambda c, i: [lucas.term(c, i, 100)], [100]),
    "term-array": (lambda c, i: list(lucas.term(c, i, np.array([5, 60, 61, -3]))), [5, 60, 61, -3]),
    "sequence": (lambda c, i: list(lucas.sequence(c, i, 30, start=10)), list(range(10, 40))),
    "iter": (lambda c, i: _iter_at(c, i, 500), [500]),
}
#: order 2 (the ladder) and order 3 (the general path); c[0] = 1 for the negative n
REENTRANT_RECS = {"order2": ([1, 1], [0, 1]), "order3": ([1, 2, 1], [0, 1, 1])}


@pytest.mark.parametrize("action", [_replace, _clear], ids=["replace", "clear"])
@pytest.mark.parametrize("rec", list(REENTRANT_RECS))
@pytest.mark.parametrize("call", list(REENTRANT_CALLS))
def test_reentrant_elements_mutating_the_inputs(
    action: Callable[[], None], rec: str, call: str
) -> None:
    """An element's __mul__ rewrites the very arrays lucas reads: the exact answer for the
    values read, or a clean exception, never a crash."""
    fn, ns = REENTRANT_CALLS[call]
    cv, iv = REENTRANT_RECS[rec]
    want = [ref_step(cv, iv, n) for n in ns]
    Mutating.action = staticmethod(action)
    c, i = _elems(Mutating, cv), _elems(Mutating, iv)
    ARRAYS[:] = [c, i]
    try:
        got = fn(c, i)
    except TypeError:
        if action is _replace:
            raise  # the same values again: nothing may fail
        return
    finally:
        ARRAYS.clear()
    assert got == want
    assert all(isinstance(g, Elem) for g in got)


#: the iterator that Reentering's __mul__ calls back into, and what those calls raised
ITERS: list[Any] = []
NESTED: list[type] = []


class Reentering(Elem):
    """__mul__ calls every method of the iterator being stepped or advanced."""

    __slots__ = ()

    def __mul__(self, o: Any) -> Any:
        for it in ITERS:
            calls: list[Callable[[Any], Any]] = [
                lambda x: x.advance(1),
                next,
                lambda x: x.state,
                lambda x: x.__setstate__((None, 0, (Elem(0), Elem(1)))),
                pickle.dumps,
                copy.copy,
            ]
            for f in calls:
                try:
                    f(it)
                except RuntimeError:
                    NESTED.append(RuntimeError)
        return Elem(self.v) * o

    __rmul__ = __mul__


@pytest.mark.parametrize("cv, iv", [([1, 1], [0, 1]), ([1, 1, 2], [0, 1, 1])])
def test_iterator_called_back_from_its_own_elements(cv: list[int], iv: list[int]) -> None:
    """The nested calls find the iterator busy (RuntimeError); the outer call is exact."""
    it = lucas.LucasIter([Reentering(v) for v in cv], [Reentering(v) for v in iv])
    ITERS[:] = [it]
    NESTED.clear()
    try:
        it.advance(100)
        got = [next(it) for _ in range(5)]
    finally:
        ITERS.clear()
    assert it.position == 105
    assert got == [ref_step(cv, iv, n) for n in range(100, 105)]
    assert NESTED, "no nested call was refused: were they run at all?"


def test_backwards_with_a_non_invertible_python_element() -> None:
    """Elem(1) / Elem(2) raises ArithmeticError: a ValueError that says why."""
    c, i = obj([Elem(2), Elem(1)]), obj([Elem(0), Elem(1)])
    with pytest.raises(ValueError, match=r"backwards.*c\[0\].*invertible"):
        lucas.term(c, i, -1)
    got = lucas.term(obj([Elem(-1), Elem(1)]), i, np.arange(-6, 0))
    assert list(got) == ref_ring_seq([Elem(-1), Elem(1)], list(i), -6, 6, unit_div)


# ---------------------------------------------------------------------------------------------
# reference counts


def _sentinels() -> dict[str, Callable[[], Any]]:
    out: dict[str, Callable[[], Any]] = {"Fraction": lambda: Fraction(10**40 + 7, 3)}
    try:
        import gmpy2

        out["mpz"] = lambda: gmpy2.mpz(10**40 + 7)
    except ImportError:
        pass
    return out


def _workload(s: Any) -> Callable[[], None]:
    """Every kind of call over elements that include s, error paths included."""
    c = obj([Fraction(1, 3) if isinstance(s, Fraction) else 1, s])
    i = obj([s, 1])
    bad_c = obj([s, Raising(1)])
    c3, i3 = _elems(Raising, [1, 2, 1]), _elems(Raising, [0, 1, 1])
    ns = np.array([0, 1, 2, 50, -5], dtype=np.int64)
    bad_calls: list[tuple[int, Callable[[], Any]]] = [
        (0, lambda: lucas.term_mod(obj([Fraction(1, 2), s]), i, 5, 7)),
        (0, lambda: lucas.term(bad_c, i, 10)),
        (5, lambda: lucas.term(bad_c, i, 10**4)),  # fails halfway
        (9, lambda: lucas.term(c3, i3, 10**4)),
        (30, lambda: lucas.sequence(c3, i3, 100)),
        (0, lambda: lucas.term(obj([0, s]), i, -1) if isinstance(s, Fraction) else 1 / 0),
    ]

    def run() -> None:
        lucas.term(c, i, ns)
        lucas.term(c, i, 100)
        lucas.sequence(c, i, 20, start=-3)
        it = lucas.LucasIter(c, i)
        next(it)
        it.advance(10)
        _ = it.state, repr(it), copy.copy(it)
        pickle.loads(pickle.dumps(it))
        for budget, bad in bad_calls:
            Raising.budget[0] = budget
            try:
                bad()
            except (TypeError, ValueError, Custom, ZeroDivisionError):
                pass
            ERR.__traceback__ = None  # a re-raised exception keeps growing its traceback

    return run


@pytest.mark.parametrize("make", list(_sentinels().values()), ids=list(_sentinels()))
def test_no_reference_leaks(make: Callable[[], Any]) -> None:
    s = make()  # a fresh object: its refcount is ours alone
    run = _workload(s)
    run()
    gc.collect()
    before = sys.getrefcount(s)
    for _ in range(100):
        run()
    gc.collect()
    assert sys.getrefcount(s) == before


def test_no_memory_growth() -> None:
    """Leaked intermediates (a product never released) do not touch the sentinel's refcount:
    count the interpreter's allocated memory blocks instead.  A leak grows every window of 200
    calls by at least 200 blocks; caches still filling grow some windows, not all."""
    run = _workload(Fraction(10**40 + 7, 3))
    for _ in range(100):
        run()
    growth = []
    for _window in range(3):
        gc.collect()
        before = sys.getallocatedblocks()
        for _ in range(200):
            run()
        gc.collect()
        growth.append(sys.getallocatedblocks() - before)
    assert min(growth) < 200, f"grew {growth} blocks in three windows of 200 calls"


# ---------------------------------------------------------------------------------------------
# Ctrl-C


class ElemModP(Elem):
    __slots__ = ()
    P = 1000003


def _latency_of_interrupt(call: Callable[[], Any], after: float = 0.3) -> float:
    """Seconds from a simulated Ctrl-C (`after` s into the call) to the KeyboardInterrupt.

    The kernel delivers SIGALRM, whose handler raises KeyboardInterrupt, exactly as Ctrl-C
    trips SIGINT's: lucas sees it when it checks for signals.  (A timer thread would not do:
    it needs the GIL, which the object loop holds while C-level elements compute.)"""

    def on_alarm(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGALRM, on_alarm)
    t0 = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, after)
    try:
        with pytest.raises(KeyboardInterrupt):
            call()
            time.sleep(5)  # only reached when the call beat the timer
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    elapsed = time.monotonic() - t0
    assert elapsed > after, "interrupted before the alarm?"
    return elapsed - after


CTRL_C_CALLS: dict[str, Callable[[np.ndarray, np.ndarray], Any]] = {
    "term": lambda c, i: lucas.term(c, i, 2**62),
    "sequence": lambda c, i: lucas.sequence(c, i, 10**6, start=2**40),
    "iter-advance": lambda c, i: lucas.LucasIter(c, i).advance(2**62),
}


@pytest.mark.parametrize("call", list(CTRL_C_CALLS))
def test_ctrl_c_with_c_level_elements(call: str) -> None:
    """nmod's operators run no Python code: lucas itself must look for signals (each call
    takes seconds; one doubling step at k = 600 about 50 ms)."""
    flint = _flint()
    rng = np.random.default_rng(3)
    k = 600
    c = obj([flint.nmod(int(x), P_NMOD) for x in rng.integers(0, P_NMOD, k)])
    i = obj([flint.nmod(int(x), P_NMOD) for x in rng.integers(0, P_NMOD, k)])
    latency = _latency_of_interrupt(lambda: CTRL_C_CALLS[call](c, i))
    assert latency < 1.0, f"{latency:.2f} s from Ctrl-C to KeyboardInterrupt"


def test_ctrl_c_with_python_level_elements() -> None:
    """Elements whose operators are Python code raise KeyboardInterrupt themselves: it
    propagates like any exception of an operator."""
    k = 200
    c = obj([ElemModP(3 * j + 1) for j in range(k)])
    i = obj([ElemModP(j) for j in range(k)])
    latency = _latency_of_interrupt(lambda: lucas.term(c, i, 2**62))
    assert latency < 1.0, f"{latency:.2f} s from Ctrl-C to KeyboardInterrupt"


# ---------------------------------------------------------------------------------------------
# the Python-int path is unchanged


def test_python_int_path_exact_and_int() -> None:
    c, i = obj([1, 1]), obj([0, 1])
    for n in (93, 1000, 10**5):
        got = lucas.term(c, i, n)
        assert type(got) is int and got == ref_matrix([1, 1], [0, 1], n)
    got = lucas.term(c, i, np.array([-93, 0, 500]))
    assert [type(g) for g in got] == [int] * 3
    assert list(got) == [ref_step([1, 1], [0, 1], n) for n in (-93, 0, 500)]


def test_python_int_size_cap_still_applies() -> None:
    c, i = obj([1, 1]), obj([0, 1])
    t = time.monotonic()
    with pytest.raises(OverflowError, match=r"exact result would"):
        lucas.term(c, i, 2**62)
    with pytest.raises(OverflowError, match=r"exact result would"):
        lucas.term(obj([1, 1]), obj([0, True]), 2**62)  # bools are ints
    # int coefficients: the size of x^n mod the characteristic polynomial is known, whatever
    # the initial values
    for k in (2, 3):
        with pytest.raises(OverflowError, match=r"exact result would"):
            lucas.term(obj([1] * k), obj([Fraction(j, 2) for j in range(k)]), 2**62)
    assert time.monotonic() - t < 5.0  # refused up front, not after squaring
