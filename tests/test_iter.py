"""lucas.LucasIter: exact iteration, jumps, state, pickling and copies, against the references."""

from __future__ import annotations

import copy
import itertools
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oeis_data import chunk_id, load_oeis, record_chunks
from reference import fits_int64, ref_matrix, ref_step

import lucas

RECORDS = load_oeis()
FIB = ([1, 1], [0, 1])
MODS = [1, 2, 10, 998244353, 2**61 - 1, 2**63, 2**64 - 1, 2**64 - 2, 2**64, 2**89 - 1]
# one test case per 500 records
per_chunk = pytest.mark.parametrize("chunk", record_chunks(RECORDS, 500), ids=chunk_id)


def take(it, n):
    return list(itertools.islice(it, n))


# ---------------------------------------------------------------------------------------------
# OEIS: every record


@per_chunk
def test_oeis_exact_past_int64(chunk) -> None:
    """Exact Python ints all the way, through the switch from int64 to big integers."""
    for r in chunk:
        c, init, seq = r["coefs"], r["init"], r["seq"]
        got = take(lucas.LucasIter(c, init), len(seq))
        assert got == seq, r["id"]
        assert all(type(v) is int for v in got)
        # and it agrees with sequence on the prefix that fits int64
        n = next((j for j, v in enumerate(seq) if not fits_int64(v)), len(seq))
        if all(fits_int64(x) for x in c + init):
            assert got[:n] == lucas.sequence(c, init, n).tolist()


@per_chunk
def test_oeis_mod(chunk) -> None:
    for j, r in enumerate(chunk):
        c, init, seq = r["coefs"], r["init"], r["seq"]
        m = MODS[j % len(MODS)]
        it = lucas.LucasIter(c, init, mod=m)
        assert take(it, len(seq)) == [v % m for v in seq], (r["id"], m)


@per_chunk
def test_oeis_advance_state_pickle(chunk) -> None:
    """Random jumps, the state window, and pickle/copy round trips at random points."""
    rng = np.random.default_rng(sum(map(ord, chunk[0]["id"])))
    for r in chunk:
        c, init, seq = r["coefs"], r["init"], r["seq"]
        k = len(c)
        mod = None if rng.integers(0, 2) else int(rng.choice([7, 2**61 - 1, 2**64 + 13]))
        want = seq if mod is None else [v % mod for v in seq]
        it = lucas.LucasIter(c, init, mod=mod)
        pos = 0
        while pos < len(seq) - k:
            step = int(rng.integers(0, 12))
            it.advance(step)
            pos += step
            if pos >= len(seq) - k:
                break
            assert it.position == pos, r["id"]
            assert it.state == tuple(want[pos : pos + k]), (r["id"], pos)
            action = int(rng.integers(0, 3))
            if action == 0:
                it = pickle.loads(pickle.dumps(it))
            elif action == 1:
                twin = copy.copy(it)
                ahead = want[pos : pos + 3]
                assert take(twin, len(ahead)) == ahead  # the copy runs on its own
            assert next(it) == want[pos], (r["id"], pos, action)
            pos += 1


@per_chunk
def test_oeis_far_advance_mod(chunk) -> None:
    """advance to ~10**15 agrees with term_mod and sequence."""
    rng = np.random.default_rng(len(chunk))
    for r in chunk:
        c, init = r["coefs"], r["init"]
        if not all(fits_int64(x) for x in c + init):
            continue
        m = 2**61 - 1
        n = 10**15 + int(rng.integers(0, 10**6))
        it = lucas.LucasIter(c, init, mod=m)
        it.advance(n)
        got = take(it, 3)
        assert got == lucas.sequence(c, init, 3, start=n, mod=m).tolist(), r["id"]
        assert got[0] == int(lucas.term_mod(c, init, np.uint64(n), np.uint64(m))), r["id"]


# ---------------------------------------------------------------------------------------------
# behaviour


def test_fibonacci_past_f92() -> None:
    it = lucas.LucasIter(*FIB)
    got = take(it, 300)
    assert got == [ref_step(*FIB, n) for n in range(300)]
    assert got[92] == 7540113804746346429 and got[93] == 12200160415121876738
    # and a jump into big integers
    it = lucas.LucasIter(*FIB)
    it.advance(1000)
    assert next(it) == ref_matrix(*FIB, 1000)
    assert it.state == (ref_matrix(*FIB, 1001), ref_matrix(*FIB, 1002))
    it.advance(10)
    assert next(it) == ref_matrix(*FIB, 1011)


def test_for_zip_islice() -> None:
    pell = lucas.LucasIter([1, 2], [0, 1])
    fib = lucas.LucasIter(*FIB)
    pairs = list(zip(fib, pell, range(5)))
    assert pairs == [(0, 0, 0), (1, 1, 1), (1, 2, 2), (2, 5, 3), (3, 12, 4)]
    assert iter(fib) is fib
    out = []
    for v in lucas.LucasIter([2], [1]):
        if v > 1000:
            break
        out.append(v)
    assert out == [2**j for j in range(10)]


def test_floats() -> None:
    it = lucas.LucasIter([0.5, 0.5], [0, 1])
    got = take(it, 50)
    assert all(type(v) is float for v in got)
    want = [0.0, 1.0]
    while len(want) < 50:
        want.append(0.5 * want[-2] + 0.5 * want[-1])
    np.testing.assert_allclose(got, want, rtol=1e-14)
    it = lucas.LucasIter([1, 1.0], [0, 1])
    it.advance(100)
    assert next(it) == pytest.approx(float(ref_step(*FIB, 100)), rel=1e-12)
    assert type(it.state[0]) is float
    it2 = pickle.loads(pickle.dumps(it))
    assert take(it2, 5) == take(it, 5)


def test_mod_values_and_big_modulus() -> None:
    m = 2**127 - 1
    it = lucas.LucasIter([3, 2**100], [2**130, 5], mod=m)
    assert take(it, 20) == [ref_step([3, 2**100], [2**130, 5], n, m) for n in range(20)]
    it.advance(10**30)
    assert next(it) == ref_matrix([3, 2**100], [2**130, 5], 10**30 + 20, m)
    it = lucas.LucasIter([-1, -1], [-5, 7], mod=10)  # negative inputs are reduced
    assert take(it, 6) == [ref_step([-1, -1], [-5, 7], n, 10) for n in range(6)]
    it = lucas.LucasIter(*FIB, mod=np.uint64(2**64 - 1))
    it.advance(2**64 + 5)  # beyond the core's index range
    assert next(it) == ref_matrix(*FIB, 2**64 + 5, 2**64 - 1)
    assert it.mod == 2**64 - 1 and it.position == 2**64 + 6


def test_big_init_and_numpy_inputs() -> None:
    it = lucas.LucasIter([1, 1], [2**70, 1])
    assert take(it, 5) == [ref_step([1, 1], [2**70, 1], n) for n in range(5)]
    it = lucas.LucasIter(np.array([1, 1], np.int8), np.array([0, 1], np.uint64))
    assert take(it, 5) == [0, 1, 1, 2, 3]
    assert type(next(it)) is int
    it = lucas.LucasIter(np.array([1, 1], object), (0, 1))
    assert take(it, 100)[-1] == ref_step(*FIB, 99)


def test_advance_edges() -> None:
    it = lucas.LucasIter(*FIB)
    it.advance(0)
    assert next(it) == 0
    it.advance(np.int64(5))
    assert it.position == 6 and next(it) == 8
    # within the precomputed block, then beyond it, then past int64
    for n in (1, 3, 200, 1000, 5):
        pos = it.position
        it.advance(n)
        assert next(it) == ref_step(*FIB, pos + n)
    with pytest.raises(ValueError, match="n must be >= 0"):
        it.advance(-1)
    with pytest.raises(TypeError):
        it.advance(2.5)
    with pytest.raises(TypeError):
        it.advance("3")
    # slowly growing recurrences stay exact and cheap at astronomically far positions
    nat = lucas.LucasIter([-1, 2], [0, 1])
    nat.advance(10**30)
    assert take(nat, 3) == [10**30, 10**30 + 1, 10**30 + 2]
    per = lucas.LucasIter([-1, 1], [1, 2])  # period 6
    per.advance(2**64 * 6 + 2)
    assert take(per, 6) == take(lucas.LucasIter([-1, 1], [1, 2]), 8)[2:]


def test_position_state_repr() -> None:
    it = lucas.LucasIter([1, 1, 1], [0, 0, 1])
    assert it.position == 0 and it.state == (0, 0, 1)
    take(it, 10)
    assert it.position == 10 and it.state == tuple(
        ref_step([1, 1, 1], [0, 0, 1], n) for n in range(10, 13)
    )
    assert repr(it) == "LucasIter([1, 1, 1], [0, 0, 1]) at n=10"
    assert it.coefs == (1, 1, 1) and it.init == (0, 0, 1) and it.mod is None
    m = lucas.LucasIter(*FIB, mod=7)
    m.advance(10**20)
    assert repr(m) == f"LucasIter([1, 1], [0, 1], mod=7) at n={10**20}"
    big = lucas.LucasIter([1] * 12, [2**400] * 12)
    text = repr(big)
    assert "401-bit int" in text and "..." in text and len(text) < 200


def test_pickle_and_copy_independence() -> None:
    for mod in (None, 1000, 2**64 - 59, 2**80 + 1):
        it = lucas.LucasIter([1, 1, 1], [0, 0, 1], mod=mod)
        take(it, 87)  # int64 Tribonacci ends at 88 or so
        clone = copy.copy(it)
        deep = copy.deepcopy(it)
        again = pickle.loads(pickle.dumps(it, protocol=pickle.HIGHEST_PROTOCOL))
        want = take(it, 20)
        assert take(clone, 20) == want and take(deep, 20) == want and take(again, 20) == want
        assert again.position == it.position and repr(again) == repr(it)
        # advancing a copy does not move the original
        c2 = copy.copy(it)
        c2.advance(1000)
        assert it.position + 1000 == c2.position
        assert next(it) == (ref_step([1, 1, 1], [0, 0, 1], 107, mod))


def test_setstate_rejects_garbage() -> None:
    it = lucas.LucasIter(*FIB)
    with pytest.raises(TypeError):
        it.__setstate__("nonsense")
    with pytest.raises(ValueError, match="same length"):
        it.__setstate__((None, 0, (1, 2, 3)))
    with pytest.raises(TypeError):
        it.__setstate__((None, "x", (1, 2)))
    assert take(it, 3) == [0, 1, 1]  # still usable


@pytest.mark.parametrize(
    "args, kwargs, exc, match",
    [
        (([1, 1], [0]), {}, ValueError, "same length"),
        (([], [0]), {}, ValueError, "same length"),
        (([1], [1]), {"mod": 0}, ValueError, "positive"),
        (([1], [1]), {"mod": -3}, ValueError, "positive"),
        (([1], [1]), {"mod": "7"}, TypeError, "mod"),
        ((["x"], [1]), {}, TypeError, "integers or floats"),
        (([None], [1]), {}, TypeError, "integers or floats"),
        ((3, [1]), {}, TypeError, "sequence"),
        (([1.0], [1]), {"mod": 5}, TypeError, "floats"),
        (([1], [1], 5), {}, TypeError, ""),
    ],
)
def test_bad_input(args, kwargs, exc, match) -> None:
    with pytest.raises(exc, match=match or None):
        lucas.LucasIter(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# properties


ops = st.lists(
    st.one_of(
        st.tuples(st.just("next"), st.integers(1, 40)),
        st.tuples(st.just("advance"), st.integers(0, 300)),
        st.tuples(st.just("copy"), st.just(0)),
        st.tuples(st.just("pickle"), st.just(0)),
    ),
    max_size=8,
)


@settings(deadline=None, max_examples=120)
@given(
    data=st.data(),
    k=st.integers(1, 5),
    mod=st.one_of(st.none(), st.integers(1, 2**70)),
    script=ops,
)
def test_hypothesis_against_reference(data, k, mod, script) -> None:
    c = data.draw(st.lists(st.integers(-4, 4), min_size=k, max_size=k))
    init = data.draw(st.lists(st.integers(-(2**65), 2**65), min_size=k, max_size=k))
    it = lucas.LucasIter(c, init, mod=mod)
    pos = 0
    for op, n in script:
        if op == "next":
            got = take(it, n)
            assert got == [ref_step(c, init, pos + j, mod) for j in range(n)]
            pos += n
        elif op == "advance":
            it.advance(n)
            pos += n
        elif op == "copy":
            it = copy.copy(it)
        else:
            it = pickle.loads(pickle.dumps(it))
        assert it.position == pos
    assert it.state == tuple(ref_matrix(c, init, pos + j, mod) for j in range(k))


def test_c_stepping_base_is_safe_bare() -> None:
    """The C half alone (lucas._core.LucasIterBase) refuses to step before it is set up."""
    base = lucas._core.LucasIterBase([1, 1], [0, 1])
    for use in (
        lambda: next(base),
        lambda: base.advance(3),
        lambda: base.state,
        lambda: base.position,
        lambda: base.coefs,
        lambda: base._getstate(),
    ):
        with pytest.raises(RuntimeError, match="not initialised"):
            use()
    with pytest.raises(RuntimeError, match="between _enter and _leave"):
        base._setup(lucas._core.KIND_I64, (1, 1), (0, 1), None, (1, 1), (0, 1), 0)
    with pytest.raises(TypeError, match="missing required argument"):
        lucas._core.LucasIterBase()


def test_python_class_keeps_stepping_in_c() -> None:
    """LucasIter adds no per-instance dict and inherits __next__ from the C type."""
    it = lucas.LucasIter([1, 1], [0, 1])
    assert not hasattr(it, "__dict__")
    assert type(it).__next__ is lucas._core.LucasIterBase.__next__
    kinds = {lucas._core.KIND_I64, lucas._core.KIND_F64, lucas._core.KIND_MOD, lucas._core.KIND_OBJ}
    assert len(kinds) == 4


def test_iter_over_fractions() -> None:
    # issue 14: elements of another ring step in their own type; jumps, state and pickles too
    from fractions import Fraction as F

    c, init = [F(1, 3), F(1, 2)], [F(0), F(1)]
    it = lucas.LucasIter(c, init)
    assert list(itertools.islice(it, 6)) == [ref_step(c, init, n) for n in range(6)]
    it.advance(50)
    assert it.position == 56 and it.state == tuple(ref_step(c, init, n) for n in (56, 57))
    for other in (pickle.loads(pickle.dumps(it)), copy.copy(it)):
        assert next(other) == next(copy.copy(it)) == ref_step(c, init, 56)
        assert type(other.state[0]) is F
    assert "Fraction(1, 3)" in repr(it)
    with pytest.raises(TypeError, match=r"residues are defined for integer elements only"):
        lucas.LucasIter(c, init, mod=7)
