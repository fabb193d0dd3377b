"""The OEIS recurrences of tests/data, shared by the tests (imported as a plain module, so that
test files never import conftest a second time)."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "oeis-linrec.jsonl"


def load_oeis() -> list[dict]:
    """Every record of the OEIS data set, with seed-order coefs and init added."""
    records = []
    with open(DATA, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            k = len(r["signature"])
            v = r["valid_from"]
            r["coefs"] = r["signature"][::-1]
            r["init"] = r["terms"][v - k : v]
            r["seq"] = r["terms"][v - k :]  # seq[i] == a[i] with a[:k] == init
            records.append(r)
    return records


def record_chunks(records: list[dict], size: int) -> list[list[dict]]:
    """records in chunks of `size`: one test case per chunk (see chunk_id)."""
    return [records[i : i + size] for i in range(0, len(records), size)]


def chunk_id(chunk: list[dict]) -> str:
    """A chunk's test id: the OEIS id of its first record."""
    return chunk[0]["id"]
