"""Every real OEIS recurrence of tests/data: int64 (or the right OverflowError), mod m,
object, and backwards where the recurrence runs backwards."""

from __future__ import annotations

import numpy as np
import pytest
from oeis_data import chunk_id, load_oeis, record_chunks
from reference import fits_int64, ref_step

import lucas

RECORDS = load_oeis()
MODS = [2, 3, 1000, 2**31 - 1, 998244353, 2**61 - 1, 2**63 - 25]

# one test case per 300 records
per_chunk = pytest.mark.parametrize("chunk", record_chunks(RECORDS, 300), ids=chunk_id)


def _int64_records(chunk):
    """The records of chunk whose coefficients and initial values fit int64."""
    for r in chunk:
        if all(fits_int64(x) for x in r["coefs"] + r["init"]):
            yield r


@per_chunk
def test_oeis_int64(chunk) -> None:
    for r in _int64_records(chunk):
        c, init, seq = r["coefs"], r["init"], r["seq"]
        ok = [n for n, v in enumerate(seq) if fits_int64(v)]
        got = lucas.term(c, init, np.array(ok, dtype=np.int64))
        assert got.tolist() == [seq[n] for n in ok], r["id"]
        bad = [n for n, v in enumerate(seq) if not fits_int64(v)]
        for n in bad[:3] + bad[-2:]:
            with pytest.raises(OverflowError, match=rf"a\[{n}\]"):
                lucas.term(c, init, n)


@per_chunk
def test_oeis_mod(chunk) -> None:
    for r in _int64_records(chunk):
        c, init, seq = r["coefs"], r["init"], r["seq"]
        ns = np.arange(len(seq))
        for m in MODS:
            got = lucas.term_mod(c, init, ns, m)
            assert got.tolist() == [v % m for v in seq], (r["id"], m)
        got = lucas.term_mod(c, init, ns, np.uint64(2**64 - 1))
        assert [int(x) for x in got] == [v % (2**64 - 1) for v in seq], r["id"]


@per_chunk
def test_oeis_object(chunk) -> None:
    for r in chunk:
        c = np.array(r["coefs"], dtype=object)
        init = np.array(r["init"], dtype=object)
        seq = r["seq"]
        ns = np.array(range(len(seq)), dtype=object)
        assert lucas.term(c, init, ns).tolist() == seq, r["id"]


@per_chunk
def test_oeis_backwards(chunk) -> None:
    for r in chunk:
        c, init = r["coefs"], r["init"]
        k = len(c)
        if c[0] in (1, -1):
            # a[-j] for a few j, checked against stepping the data forwards from there
            back = [ref_step(c, init, -j) for j in range(1, 6)]
            oc, oi = np.array(c, object), np.array(init, object)
            assert [lucas.term(oc, oi, -j) for j in range(1, 6)] == back, r["id"]
            for j, want in zip(range(1, 6), back):
                if fits_int64(want) and all(fits_int64(x) for x in c + init):
                    assert lucas.term(c, init, -j) == want, r["id"]
            # consistency: from the window at -5, the recurrence reproduces init
            win = [ref_step(c, init, n) for n in range(-5, -5 + k)]
            assert ref_step(c, win, 5) == init[0]
        elif all(fits_int64(x) for x in c + init):
            with pytest.raises(ValueError, match="backwards"):
                lucas.term(c, init, -1)
