"""term / term_mod on dask arrays: lazy dask arrays out (NumPy's __array_ufunc__ protocol sends a
gufunc to dask.array.apply_gufunc), chunk by chunk, equal to the NumPy results; and the same
code on a dask.distributed LocalCluster.

Rules checked here and stated in the README:
* coefs/init are best given as NumPy arrays (or dask arrays with the k axis in one chunk):
  dask infers the output type from the first argument, which it cannot do from a list;
* the core dimension k must not be split over chunks (dask raises ValueError; rechunk);
* object (Python int) arrays need explicit chunks, as always in dask;
* dask infers the output dtype by calling the gufunc on arrays of zeros, and a zero modulus is
  an error, so an *array* of moduli goes through ``da.apply_gufunc(..., output_dtypes=...)``;
  a scalar modulus (Python int or NumPy scalar) works with the plain call.
"""

from __future__ import annotations

import numpy as np
import pytest
from reference import ref_matrix, ref_step

import lucas

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

FIB = (np.array([1, 1]), np.array([0, 1]))
PELL = (np.array([1, 2]), np.array([0, 1]))


def test_term_on_dask_array_is_lazy_and_chunked() -> None:
    n = da.arange(91, chunks=20)
    out = lucas.term(*FIB, n)
    assert isinstance(out, da.Array)
    assert out.dtype == np.int64
    assert out.chunks == n.chunks  # one task per chunk of n, same chunk boundaries
    got = out.compute(scheduler="threads")
    assert isinstance(got, np.ndarray)
    assert got.tolist() == [ref_step([1, 1], [0, 1], v) for v in range(91)]
    np.testing.assert_array_equal(got, lucas.term(*FIB, np.arange(91)))


def test_each_chunk_computed_separately() -> None:
    n = da.arange(-10, 50, chunks=15)
    out = lucas.term(*FIB, n)
    blocks = [out.blocks[i].compute(scheduler="sync") for i in range(out.numblocks[0])]
    assert [b.shape for b in blocks] == [(15,)] * 4
    np.testing.assert_array_equal(np.concatenate(blocks), lucas.term(*FIB, np.arange(-10, 50)))


@pytest.mark.parametrize("m", [10**9 + 7, np.int64(2**61 - 1), np.uint64(2**64 - 59)])
def test_term_mod_huge_n_scalar_modulus(m: int) -> None:
    rng = np.random.default_rng(4)
    n_np = rng.integers(10**17, 10**18, size=40, dtype=np.int64)
    out = lucas.term_mod(*FIB, da.from_array(n_np, chunks=10), m)
    assert isinstance(out, da.Array)
    got = out.compute(scheduler="threads")
    assert got.tolist() == [ref_matrix([1, 1], [0, 1], int(a), int(m)) for a in n_np]


def test_term_mod_array_of_moduli_through_apply_gufunc() -> None:
    rng = np.random.default_rng(5)
    n_np = rng.integers(10**17, 10**18, size=40, dtype=np.int64)
    m_np = rng.integers(2, 2**62, size=40, dtype=np.int64)
    n = da.from_array(n_np, chunks=10)
    m = da.from_array(m_np, chunks=10)
    sig = lucas.term_mod.signature
    out = da.apply_gufunc(lucas.term_mod, sig, *FIB, n, m, output_dtypes=np.int64)
    got = out.compute(scheduler="threads")
    pairs = zip(n_np.tolist(), m_np.tolist(), strict=True)
    assert got.tolist() == [ref_matrix([1, 1], [0, 1], a, b) for a, b in pairs]
    # The plain call cannot infer the dtype (dask tries m = 0): an error, never a number.
    try:
        plain = lucas.term_mod(*FIB, n, m)
    except ValueError as exc:
        assert "modulus m must be positive" in str(exc)
    else:  # a future dask that infers differently
        np.testing.assert_array_equal(plain.compute(), got)


def test_many_recurrences_times_many_n() -> None:
    coefs = np.array([[1, 1], [1, 2], [1, 1], [-1, 3]])
    init = np.array([[0, 1], [0, 1], [2, 1], [0, 1]])
    c = da.from_array(coefs, chunks=(2, 2))  # rows split, the core axis k in one chunk
    i = da.from_array(init, chunks=(2, 2))
    n = da.arange(30, chunks=10)[:, None]
    out = lucas.term(c, i, n)
    assert out.shape == (30, 4)
    assert out.numblocks == (3, 2)
    expected = lucas.term(coefs, init, np.arange(30)[:, None])
    np.testing.assert_array_equal(out.compute(scheduler="threads"), expected)


def test_core_dimension_split_over_chunks_is_rejected_then_rechunk_works() -> None:
    c = da.from_array(np.array([[1, 1, 1]] * 4), chunks=(2, 2))  # k = 3 split as 2 + 1
    i = da.from_array(np.array([[0, 0, 1]] * 4), chunks=(2, 2))
    with pytest.raises(ValueError, match="[Cc]ore dimension"):
        lucas.term(c, i, 10)
    out = lucas.term(c.rechunk({1: -1}), i.rechunk({1: -1}), 10)
    assert out.compute(scheduler="sync").tolist() == [ref_step([1, 1, 1], [0, 0, 1], 10)] * 4


def test_direct_apply_gufunc_matches() -> None:
    n = da.arange(50, chunks=7)
    out = da.apply_gufunc(lucas.term, lucas.term.signature, *PELL, n, output_dtypes=np.int64)
    np.testing.assert_array_equal(out.compute(), lucas.term(*PELL, np.arange(50)))


def test_list_coefficients_either_work_or_raise_value_error() -> None:
    # dask builds the output meta from the first argument; for a list that fails (dask
    # limitation, see module docstring).  Whatever dask does, it must not be a wrong number.
    n = da.arange(10, chunks=5)
    try:
        out = lucas.term([1, 1], [0, 1], n)
    except ValueError:
        return
    assert out.compute().tolist() == [ref_step([1, 1], [0, 1], v) for v in range(10)]


def test_object_arrays_exact_big_integers() -> None:
    c = da.from_array(np.array([1, 1], dtype=object), chunks=-1)
    i = da.from_array(np.array([0, 1], dtype=object), chunks=-1)
    n = da.from_array(np.array([1000, 2000, 3000, -50], dtype=object), chunks=2)
    out = lucas.term(c, i, n)
    assert out.dtype == object
    got = out.compute(scheduler="threads")
    assert got.tolist() == [ref_step([1, 1], [0, 1], v) for v in (1000, 2000, 3000, -50)]


def test_errors_surface_at_compute_time() -> None:
    out = lucas.term(*FIB, da.arange(80, 100, chunks=5))  # building the graph is fine
    # chunks run concurrently: whichever chunk fails first names its own first bad index
    with pytest.raises(OverflowError, match=r"a\[(9[3-9])\] does not fit in int64"):
        out.compute(scheduler="threads")
    bad = lucas.term(np.array([2, 1]), np.array([0, 1]), da.from_array(np.array([-3]), chunks=1))
    with pytest.raises(ValueError):
        bad.compute(scheduler="sync")


def test_float_dask_array() -> None:
    n = da.arange(0, 1400, chunks=350)  # F(1476) is the last finite float64
    out = lucas.term(np.array([1.0, 1.0]), np.array([0.0, 1.0]), n)
    assert out.dtype == np.float64
    # float64 is rounded arithmetic: where a chunk starts changes how the terms are reached
    # (jump vs step), so agreement is to rounding, not bit for bit.
    expected = np.array([float(ref_step([1, 1], [0, 1], v)) for v in range(1400)])
    np.testing.assert_allclose(out.compute(), expected, rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# dask.distributed: the same code on a cluster


@pytest.mark.slow
def test_local_cluster_same_results(tmp_path) -> None:  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    n_np = np.arange(10**18, 10**18 + 400, dtype=np.int64)
    n = da.from_array(n_np, chunks=100)
    # Worker processes: the ufunc is pickled by reference (lucas._core.term_mod) and the
    # extension imported in each worker.
    with (
        dask.config.set({"temporary-directory": str(tmp_path)}),  # scratch space and locks
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        out = lucas.term_mod(*FIB, n, 10**9 + 7)
        got = client.compute(out).result()
        fut = client.submit(lucas.term, *PELL, 40)
        assert fut.result() == ref_step([1, 2], [0, 1], 40)
    np.testing.assert_array_equal(got, lucas.term_mod(*FIB, n_np, 10**9 + 7))
    assert got[0] == ref_matrix([1, 1], [0, 1], 10**18, 10**9 + 7)


# ---------------------------------------------------------------------------------------------
# lucas.dask: the helpers that need no output_dtypes and take lists


def test_helper_takes_lists_which_the_plain_call_cannot() -> None:
    import lucas.dask

    n = da.arange(92, chunks=30)
    out = lucas.dask.term([1, 1], [0, 1], n)
    assert isinstance(out, da.Array) and out.dtype == np.int64
    assert out.compute().tolist() == [ref_step([1, 1], [0, 1], v) for v in range(92)]


def test_helper_array_of_moduli_without_output_dtypes() -> None:
    import lucas.dask

    rng = np.random.default_rng(6)
    n_np = rng.integers(10**17, 10**18, size=30, dtype=np.int64)
    m_np = rng.integers(2, 2**62, size=30, dtype=np.int64)
    out = lucas.dask.term_mod(
        [1, 1], [0, 1], da.from_array(n_np, chunks=10), da.from_array(m_np, chunks=10)
    )
    assert out.dtype == np.int64
    pairs = zip(n_np.tolist(), m_np.tolist(), strict=True)
    assert out.compute().tolist() == [ref_matrix([1, 1], [0, 1], a, b) for a, b in pairs]
    # uint64 moduli give the uint64 loop, as the ufunc would
    m_u = np.full(30, 2**64 - 59, dtype=np.uint64)
    out_u = lucas.dask.term_mod(*FIB, da.from_array(n_np, chunks=10), m_u)
    assert out_u.dtype == np.uint64
    assert int(out_u.compute()[0]) == ref_matrix([1, 1], [0, 1], int(n_np[0]), 2**64 - 59)


def test_helper_rechunks_k_and_keeps_object_dtype() -> None:
    import lucas.dask

    c = da.from_array(np.array([[1, 1, 1]] * 4), chunks=(2, 2))  # k split as 2 + 1
    i = da.from_array(np.array([[0, 0, 1]] * 4), chunks=(2, 2))
    out = lucas.dask.term(c, i, 10, method="poly")
    assert out.compute().tolist() == [ref_step([1, 1, 1], [0, 0, 1], 10)] * 4
    big = lucas.dask.term(
        [1, 1], [0, 1], da.from_array(np.array([500, 1000], dtype=object), chunks=1)
    )
    assert big.dtype == object
    assert big.compute().tolist() == [ref_step([1, 1], [0, 1], v) for v in (500, 1000)]


def test_helper_errors() -> None:
    import lucas.dask

    with pytest.raises(ValueError, match="method"):
        lucas.dask.term([1, 1], [0, 1], da.arange(3), method="fast")
    with pytest.raises(TypeError, match="n must be an integer array"):
        lucas.dask.term([1, 1], [0, 1], da.arange(3.0, chunks=1))  # at graph time
    bad = lucas.dask.term_mod(
        [1, 1], [0, 1], da.arange(3, chunks=1), da.zeros(3, dtype=int, chunks=1)
    )
    with pytest.raises(ValueError, match="modulus"):
        bad.compute(scheduler="sync")
