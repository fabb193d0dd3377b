"""matrix_power over object arrays of any number type (Fraction, float, complex, Decimal,
gmpy2, python-flint): results keep the elements' type, against a plain-Python reference that
multiplies with the elements' own operators (square-and-multiply from the top bit) and inverts
by Gauss-Jordan elimination over Fractions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import lucas


def obj(rows: list) -> np.ndarray:
    a = np.empty((len(rows), len(rows)), dtype=object)
    a[:] = rows
    return a


def ref_mul(a: list, b: list) -> list:
    k = len(a)
    return [
        [sum((a[i][t] * b[t][j] for t in range(1, k)), a[i][0] * b[0][j]) for j in range(k)]
        for i in range(k)
    ]


def ref_power(a: list, n: int) -> list:
    k = len(a)
    zero = sum((x - x for row in a for x in row), a[0][0] - a[0][0])
    r = [[zero + 1 if i == j else zero for j in range(k)] for i in range(k)]
    first = True
    for bit in bin(n)[2:]:
        if not first:
            r = ref_mul(r, r)
        if bit == "1":
            r = [row[:] for row in a] if first else ref_mul(r, a)
            first = False
    return r


def ref_inverse_fraction(a: list) -> list:
    k = len(a)
    w = [
        [Fraction(x) for x in row] + [Fraction(int(i == j)) for j in range(k)]
        for i, row in enumerate(a)
    ]
    for j in range(k):
        p = next(i for i in range(j, k) if w[i][j] != 0)
        w[j], w[p] = w[p], w[j]
        w[j] = [x / w[j][j] for x in w[j]]
        for i in range(k):
            if i != j:
                w[i] = [x - w[i][j] * y for x, y in zip(w[i], w[j])]
    return [row[k:] for row in w]


def as_list(x: np.ndarray) -> list:
    return [list(row) for row in x]


def fraction_matrix(k: int, seed: int) -> list:
    rng = np.random.default_rng(seed)
    return [
        [Fraction(int(rng.integers(-9, 10)), int(rng.integers(1, 7))) for _ in range(k)]
        for _ in range(k)
    ]


EXPONENTS = [0, 1, 2, 3, 7, 20]


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_fraction_powers_and_inverse(k: int) -> None:
    a = fraction_matrix(k, k)
    for n in EXPONENTS:
        got = lucas.matrix_power(obj(a), n)
        assert as_list(got) == ref_power(a, n)
        assert all(type(x) is Fraction for x in got.flat)
    inv = ref_inverse_fraction(a)
    for n in (1, 2, 5):
        assert as_list(lucas.matrix_power(obj(a), -n)) == ref_power(inv, n)


def test_fraction_broadcast_over_exponents() -> None:
    a = fraction_matrix(3, 9)
    ns = np.array([3, -2, 0, 11])
    got = lucas.matrix_power(obj(a), ns)
    inv = ref_inverse_fraction(a)
    for n, g in zip(ns.tolist(), got):
        assert as_list(g) == (ref_power(a, n) if n >= 0 else ref_power(inv, -n))


@pytest.mark.parametrize("make", [float, complex, Decimal])
def test_float_like_types(make) -> None:
    ints = [[2, -1, 0], [1, 3, 1], [0, 1, 1]]
    a = [[make(x) / make(2) for x in row] for row in ints]
    for n in (0, 1, 4, 9):
        got = lucas.matrix_power(obj(a), n)
        assert as_list(got) == ref_power(a, n)
        assert all(type(x) is type(a[0][0]) for x in got.flat)
    want = np.linalg.matrix_power(np.array(ints, dtype=complex) / 2, -3)
    got = lucas.matrix_power(obj(a), -3)
    assert all(type(x) is type(a[0][0]) for x in got.flat)
    assert np.allclose(np.array(got.tolist(), dtype=complex), want, rtol=1e-12, atol=1e-12)


def test_float_partial_pivoting() -> None:
    # a tiny leading entry: the largest pivot keeps the inverse accurate
    a = [[1e-18, 1.0], [1.0, 1.0]]
    got = np.array(lucas.matrix_power(obj(a), -1).tolist(), dtype=float)
    assert np.allclose(got, np.linalg.inv(np.array(a)), rtol=1e-12)


def test_mixed_types_follow_python_rules() -> None:
    a = [[Fraction(1, 2), 1], [0, 2.0]]
    got = lucas.matrix_power(obj(a), 3)
    assert as_list(got) == ref_power(a, 3)
    assert [type(x) for x in got.flat] == [type(x) for row in ref_power(a, 3) for x in row]
    assert type(got[0, 0]) is float  # Fraction + float * 0
    assert type(lucas.matrix_power(obj(a), 0)[0, 0]) is float  # zero: 1/2-1/2 + ... + 0.0


def test_numpy_integer_scalars_stay_exact() -> None:
    a = obj([[np.int64(2**40), np.int64(1)], [np.bool_(True), np.int64(0)]])
    got = lucas.matrix_power(a, 3)
    want = ref_power([[2**40, 1], [1, 0]], 3)
    assert as_list(got) == want and all(type(x) is int for x in got.flat)


def test_gmpy2_types() -> None:
    gmpy2 = pytest.importorskip("gmpy2")
    a = [[gmpy2.mpz(3), gmpy2.mpz(2)], [gmpy2.mpz(1), gmpy2.mpz(1)]]  # det 1
    for n in (0, 1, 5, 40):
        got = lucas.matrix_power(obj(a), n)
        assert as_list(got) == ref_power(a, n) and all(type(x) is type(a[0][0]) for x in got.flat)
    inv = lucas.matrix_power(obj(a), -7)
    assert all(type(x) is type(a[0][0]) for x in inv.flat)
    assert as_list(inv) == ref_power([[1, -2], [-1, 3]], 7)
    with pytest.raises(ValueError, match=r"A\*\*-1 needs the inverse of A, but det\(A\) is not"):
        lucas.matrix_power(obj([[gmpy2.mpz(2), 0], [0, 1]]), -1)
    q = [[gmpy2.mpq(1, 3), gmpy2.mpq(2)], [gmpy2.mpq(-1, 2), gmpy2.mpq(5, 7)]]
    got = lucas.matrix_power(obj(q), -4)
    qf = [[Fraction(int(x.numerator), int(x.denominator)) for x in row] for row in q]
    assert as_list(got) == ref_power(ref_inverse_fraction(qf), 4)
    assert all(type(x) is type(q[0][0]) for x in got.flat)


def test_flint_types() -> None:
    flint = pytest.importorskip("flint")
    a = [[flint.fmpz(3), flint.fmpz(2)], [flint.fmpz(1), flint.fmpz(1)]]
    got = lucas.matrix_power(obj(a), 30)
    assert as_list(got) == ref_power(a, 30) and all(type(x) is flint.fmpz for x in got.flat)
    assert as_list(lucas.matrix_power(obj(a), -3)) == ref_power([[1, -2], [-1, 3]], 3)
    q = [[flint.fmpq(1, 3), flint.fmpq(2)], [flint.fmpq(-1, 2), flint.fmpq(5, 7)]]
    got = lucas.matrix_power(obj(q), -2)
    qf = [[Fraction(int(x.p), int(x.q)) for x in row] for row in q]
    assert all(type(x) is flint.fmpq for x in got.flat)
    got_f = [[Fraction(int(x.p), int(x.q)) for x in row] for row in got]
    assert got_f == ref_power(ref_inverse_fraction(qf), 2)
    p = 10**9 + 7
    m = [[flint.nmod(v, p) for v in row] for row in [[5, 7, 1], [2, 0, 9], [4, 4, 4]]]
    for n in (0, 1, 10**18, 2**70 + 3):
        got = lucas.matrix_power(obj(m), n)
        assert all(type(x) is flint.nmod for x in got.flat)
        assert [[int(x) for x in row] for row in got] == [
            [int(x) for x in row] for row in ref_power(m, n)
        ]
    inv = lucas.matrix_power(obj(m), -5)
    prod = ref_mul(as_list(inv), ref_power(m, 5))
    assert [[int(x) for x in row] for row in prod] == [
        [int(i == j) for j in range(3)] for i in range(3)
    ]


def test_singular_over_a_field() -> None:
    a = [[Fraction(1, 2), 1], [Fraction(1, 4), Fraction(1, 2)]]
    with pytest.raises(ValueError, match=r"A\*\*-2 needs the inverse of A, but A is singular"):
        lucas.matrix_power(obj(a), -2)
    with pytest.raises(ValueError, match="singular"):
        lucas.matrix_power(obj([[1.0, 2.0], [2.0, 4.0]]), -1)


def test_residues_need_integers() -> None:
    with pytest.raises(TypeError, match=r"integers \(residues mod m\), got Fraction"):
        lucas.matrix_power_mod(obj([[Fraction(1, 2), 0], [0, 1]]), 2, 7)
    with pytest.raises(TypeError, match="must be integers or numbers of one ring"):
        lucas.matrix_power(obj([["a", 0], [0, 1]]), 2)
    with pytest.raises(TypeError, match="must be integers or numbers of one ring"):
        lucas.matrix_power(obj([[None, 0], [0, 1]]), 2)


class Boom(Exception):
    pass


class Bad(Fraction):
    """A Fraction whose product raises."""

    def __mul__(self, other):
        raise Boom("from __mul__")

    __rmul__ = __mul__


def test_element_exceptions_propagate() -> None:
    with pytest.raises(Boom, match="from __mul__"):
        lucas.matrix_power(obj([[Bad(1, 2), 1], [1, 0]]), 50)


def test_nmod_composite_pivots_must_be_units() -> None:
    # modulo 6 the pivot is the first unit of its column; with none the ValueError says so,
    # as term's does for a non-invertible c[0]
    nmod = pytest.importorskip("flint").nmod
    a = [[nmod(2, 6), nmod(1, 6)], [nmod(1, 6), nmod(0, 6)]]  # det = -1, first pivot 2
    inv = as_list(lucas.matrix_power(obj(a), -1))
    assert ref_mul(a, inv) == [[1, 0], [0, 1]] and type(inv[0][0]) is nmod
    with pytest.raises(ValueError, match="no pivot is invertible"):
        lucas.matrix_power(obj([[nmod(2, 6), nmod(3, 6)], [nmod(3, 6), nmod(2, 6)]]), -1)


def test_operators_that_mutate_the_array() -> None:
    # the product empties the operand array while the power runs: the loop holds its own
    # references, so the result is that of the values it read
    a = np.empty((2, 2), dtype=object)

    class Clear(Fraction):
        def __mul__(self, other):
            a[:] = None
            return Fraction.__mul__(self, other)

        __rmul__ = __mul__

    vals = [[Clear(1, 2), Fraction(1)], [Fraction(1), Fraction(0)]]
    a[:] = vals
    got = lucas.matrix_power(a, 6)
    assert as_list(got) == ref_power([[Fraction(1, 2), 1], [1, 0]], 6)


def test_int_path_unchanged_for_python_ints() -> None:
    a = [[1, 1], [1, 0]]
    got = lucas.matrix_power(obj(a), 200)
    assert as_list(got) == ref_power(a, 200) and all(type(x) is int for x in got.flat)


class _IndexOnly:
    """An integer only through __index__."""

    def __index__(self) -> int:
        return 3


def _element(kind: str) -> object:
    """One element of each kind that term and matrix_power classify (lucas.term's rules)."""
    lib, _, name = kind.partition(".")
    if lib in ("gmpy2", "flint", "sympy"):
        mod = pytest.importorskip(lib)
        if name == "fmpz_mod":
            return mod.fmpz_mod(3, mod.fmpz_mod_ctx(7))
        return getattr(mod, name)(
            *{"mpq": (3, 2), "fmpq": (3, 2), "Rational": (3, 2)}.get(
                name, (3, 7) if name == "nmod" else (3,)
            )
        )
    return {
        "int": 3,
        "bool": True,
        "np.int64": np.int64(3),
        "np.uint8": np.uint8(3),
        "np.bool_": np.bool_(True),
        "float": 2.0,
        "complex": 2j,
        "Decimal": Decimal(2),
        "Fraction": Fraction(3, 2),
        "str": "3",
        "None": None,
        "bytes": b"3",
        "index-only": _IndexOnly(),
    }[kind]


def _outcome(f):
    """(result type, value) or (exception type, None)."""
    try:
        r = f()
    except (TypeError, ValueError) as e:
        return type(e), None
    return type(r), r


ELEMENT_KINDS = [
    "int", "bool", "np.int64", "np.uint8", "np.bool_", "float", "complex", "Decimal",
    "Fraction", "gmpy2.mpz", "gmpy2.mpq", "flint.fmpz", "flint.fmpq", "flint.nmod",
    "flint.fmpz_mod", "sympy.Integer", "sympy.Rational", "str", "None", "bytes", "index-only",
]  # fmt: skip


@pytest.mark.parametrize("kind", ELEMENT_KINDS)
@pytest.mark.parametrize("n", [3, -2])
def test_term_and_matrix_power_classify_alike(kind: str, n: int) -> None:
    # order 1: term([c], [1], n) = c**n = matrix_power([[c]], n)[0, 0] * 1, so both accept
    # or refuse the element alike and give the same value of the same type
    c = _element(kind)
    t = _outcome(lambda: lucas.term(obj([[c]])[0], obj([[1]])[0], n))
    mp = _outcome(lambda: lucas.matrix_power(obj([[c]]), n)[0, 0] * 1)
    assert t[0] is mp[0] and t[1] == mp[1]
    assert (t[0] is TypeError) == (kind in ("str", "None", "bytes"))


@pytest.mark.parametrize("kind", ELEMENT_KINDS)
def test_term_mod_and_matrix_power_mod_classify_alike(kind: str) -> None:
    # residues: integer-like elements (mpz, fmpz, SymPy Integer, __index__) read as Python ints
    c = _element(kind)
    t = _outcome(lambda: lucas.term_mod(obj([[c]])[0], obj([[1]])[0], 3, 11))
    mp = _outcome(lambda: lucas.matrix_power_mod(obj([[c]]), 3, 11)[0, 0])
    assert t[0] is mp[0] and t[1] == mp[1]
    assert t[0] in (int, TypeError)


class _NoField(Fraction):
    """Exact elements whose division leaves the ring (gives a float): no field."""

    def __truediv__(self, other):
        return float(Fraction(self) / Fraction(other))

    def __rtruediv__(self, other):
        return float(Fraction(other) / Fraction(self))


def test_inverse_leaving_the_ring_is_refused_alike() -> None:
    c = _NoField(3)
    with pytest.raises(ValueError, match="not a field"):
        lucas.term(obj([[c]])[0], obj([[c]])[0], -1)
    with pytest.raises(ValueError, match="not a field"):
        lucas.matrix_power(obj([[c]]), -1)
