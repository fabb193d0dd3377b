"""term / term_mod on real pandas objects: Series keep their index, DataFrame columns work as n
and m, nullable (Int64) columns work, and a missing value never turns into a number.

What pandas does with a gufunc (checked here so a pandas change shows up as a failure):
* a plain Series in, a Series out with the same index and name (Series.__array_ufunc__);
* nullable (masked) columns are computed by pandas on their data with the mask put back, so a
  missing n gives <NA> in the result.  pandas' masked arrays only accept ndarrays and scalars
  as the *other* operands, so coefs/init must be NumPy arrays there: with lists pandas
  answers NotImplemented and NumPy raises TypeError;
* a plain integer column with a missing value is float64 with NaN, and term has no float
  loop for n: TypeError;
* object columns holding None / pd.NA reach lucas's object loop, which names the type.
"""

from __future__ import annotations

import numpy as np
import pytest
from reference import ref_matrix, ref_step

import lucas

pd = pytest.importorskip("pandas")

FIB = (np.array([1, 1]), np.array([0, 1]))
PELL = (np.array([1, 2]), np.array([0, 1]))
TRIB = (np.array([1, 1, 1]), np.array([0, 0, 1]))
RECS = {"fib": FIB, "pell": PELL, "trib": TRIB}


def ref(rec: tuple[np.ndarray, np.ndarray], n: int, m: int | None = None) -> int:
    c, i = rec
    return ref_matrix(c.tolist(), i.tolist(), int(n), m)


@pytest.mark.parametrize("name", sorted(RECS))
@pytest.mark.parametrize("dtype", ["int64", "int32", "uint64", "int8"])
def test_series_keeps_index_and_name(name: str, dtype: str) -> None:
    rec = RECS[name]
    n = pd.Series([0, 1, 7, 40, 3], index=["a", "b", "c", "d", "e"], name="n", dtype=dtype)
    for coefs, init in [rec, (rec[0].tolist(), rec[1].tolist())]:  # arrays and plain lists
        out = lucas.term(coefs, init, n)
        assert isinstance(out, pd.Series)
        assert out.index.equals(n.index)
        assert out.name == "n"
        assert out.dtype == np.int64
        assert out.tolist() == [ref(rec, v) for v in n]


def test_series_result_keeps_non_default_index_order() -> None:
    idx = pd.Index([30, 10, 20], name="id")
    n = pd.Series([5, 6, 7], index=idx)
    out = lucas.term([1, 1], [0, 1], n)
    assert out.index.equals(idx)
    assert out.loc[10] == ref_step([1, 1], [0, 1], 6)


def test_dataframe_columns_as_n_and_m() -> None:
    df = pd.DataFrame(
        {
            "n": [0, 10, 10**18, 2**62, 123456789],
            "m": [7, 10**9 + 7, 2**61 - 1, 998244353, 2],
        },
        index=pd.date_range("2024-01-01", periods=5, name="day"),
    )
    out = lucas.term_mod([1, 1], [0, 1], df.n, df.m)
    assert isinstance(out, pd.Series)
    assert out.index.equals(df.index)
    assert out.tolist() == [ref(FIB, n, m) for n, m in zip(df.n, df.m, strict=True)]
    # assigning back as a column lines up by index
    df["f"] = out
    assert (df.f < df.m).all()


def test_dataframe_in_dataframe_out() -> None:
    df = pd.DataFrame({"x": [1, 2, 3], "y": [10, 20, 30]}, index=[7, 8, 9])
    out = lucas.term([1, 2], [0, 1], df)
    assert isinstance(out, pd.DataFrame)
    assert out.index.equals(df.index) and list(out.columns) == ["x", "y"]
    assert out["y"].tolist() == [ref(PELL, v) for v in df["y"]]


def test_dataframe_rows_as_recurrences() -> None:
    # one recurrence per row: coefs and init from columns, n broadcast
    df = pd.DataFrame({"c0": [1, 1, 1], "c1": [1, 2, 1], "a0": [0, 0, 2], "a1": [1, 1, 1]})
    out = lucas.term(df[["c0", "c1"]].to_numpy(), df[["a0", "a1"]].to_numpy(), 30)
    expected = [ref_step([r.c0, r.c1], [r.a0, r.a1], 30) for r in df.itertuples()]
    assert out.tolist() == expected


def test_index_input_gives_index() -> None:
    out = lucas.term([1, 1], [0, 1], pd.Index([5, 6, 90]))
    assert isinstance(out, pd.Index)
    assert out.tolist() == [ref(FIB, v) for v in (5, 6, 90)]


def test_overflow_still_raises_through_pandas() -> None:
    with pytest.raises(OverflowError, match=r"a\[93\]"):
        lucas.term([1, 1], [0, 1], pd.Series([1, 93]))


def test_object_column_exact_big_integers() -> None:
    n = pd.Series([1000, 2000, -7], dtype=object, index=list("xyz"))
    c = np.array([1, 1], dtype=object)
    i = np.array([0, 1], dtype=object)
    out = lucas.term(c, i, n)
    assert isinstance(out, pd.Series) and out.index.equals(n.index)
    assert out.tolist() == [ref_step([1, 1], [0, 1], v) for v in n]
    assert all(type(v) is int for v in out)


def test_float_coefficients_with_integer_column() -> None:
    n = pd.Series([0, 10, 50])
    out = lucas.term([1.0, 1.0], [0.0, 1.0], n)
    assert out.dtype == np.float64
    assert out.tolist() == [float(ref(FIB, v)) for v in n]


# ---------------------------------------------------------------------------------------------
# nullable integer columns and missing values


@pytest.mark.parametrize("dtype", ["Int64", "Int32", "UInt64", "Int8"])
def test_nullable_column_without_missing_values(dtype: str) -> None:
    n = pd.Series([0, 1, 7, 40], index=list("abcd"), dtype=dtype)
    out = lucas.term(*PELL, n)  # coefs/init as NumPy arrays
    assert isinstance(out, pd.Series)
    assert out.index.equals(n.index)
    assert str(out.dtype) == "Int64"
    assert not out.isna().any()
    assert out.tolist() == [ref(PELL, v) for v in n]


@pytest.mark.parametrize("name", sorted(RECS))
def test_nullable_missing_n_gives_na_never_a_number(name: str) -> None:
    rec = RECS[name]
    values = [3, None, 0, 50, None, 1, 22]
    n = pd.Series(values, dtype="Int64", index=range(100, 107))
    out = lucas.term(*rec, n)
    assert out.index.equals(n.index)
    assert out.isna().tolist() == [v is None for v in values]
    for v, r in zip(values, out, strict=True):
        if v is not None:
            assert r == ref(rec, v)


def test_nullable_columns_as_n_and_m_with_missing_values() -> None:
    df = pd.DataFrame(
        {
            "n": pd.array([10, None, 10**18, 5, 7], dtype="Int64"),
            "m": pd.array([7, 11, None, 13, 2**61 - 1], dtype="Int64"),
        }
    )
    out = lucas.term_mod(*FIB, df.n, df.m)
    missing = (df.n.isna() | df.m.isna()).tolist()
    assert out.isna().tolist() == missing
    for (n, m), r, gone in zip(zip(df.n, df.m, strict=True), out, missing, strict=True):
        if not gone:
            assert r == ref(FIB, n, m)


def test_nullable_column_with_list_coefficients_is_a_type_error() -> None:
    # pandas' masked arrays return NotImplemented for list operands: NumPy raises.
    n = pd.Series([1, 2, 3], dtype="Int64")
    with pytest.raises(TypeError, match="term"):
        lucas.term([1, 1], [0, 1], n)


def test_missing_value_in_plain_integer_column_is_a_type_error() -> None:
    # A plain int64 column with a missing value is float64 holding NaN.
    n = pd.Series([1, None, 3])
    assert n.dtype == np.float64
    with pytest.raises(TypeError, match="not supported for the input types"):
        lucas.term([1, 1], [0, 1], n)
    with pytest.raises(TypeError, match="not supported for the input types"):
        lucas.term_mod([1, 1], [0, 1], pd.Series([1, 2]), pd.Series([7.0, np.nan]))


@pytest.mark.parametrize("missing", [None, pd.NA])
def test_missing_value_in_object_column_names_its_type(missing: object) -> None:
    n = pd.Series([1, missing, 3], dtype=object)
    name = type(missing).__name__
    c = np.array([1, 1], dtype=object)
    with pytest.raises(TypeError, match=rf"indices n must be integers.*{name}"):
        lucas.term(c, c, n)
    with pytest.raises(TypeError, match=rf"must be integers.*{name}"):
        lucas.term_mod(c, c, pd.Series([1, 2], dtype=object), pd.Series([7, missing], dtype=object))


def test_to_numpy_int64_refuses_missing_values() -> None:
    # The documented way to *insist* on no missing values before calling lucas.
    n = pd.Series([1, None], dtype="Int64")
    with pytest.raises(ValueError, match="missing values"):
        n.to_numpy(dtype="int64")


def test_misaligned_series_are_aligned_by_pandas_not_mixed_up() -> None:
    # Different indices: pandas aligns on the union, the holes are NaN, and NaN has no loop.
    n = pd.Series([10, 20, 30], index=[0, 1, 2])
    m = pd.Series([7, 11, 13], index=[1, 2, 3])
    with pytest.raises(TypeError, match="not supported for the input types"):
        lucas.term_mod([1, 1], [0, 1], n, m)
    # Same labels in another order: values are matched by label.
    m2 = pd.Series([13, 11, 7], index=[2, 1, 0])
    out = lucas.term_mod([1, 1], [0, 1], n, m2)
    assert out.tolist() == [ref(FIB, 10, 7), ref(FIB, 20, 11), ref(FIB, 30, 13)]
