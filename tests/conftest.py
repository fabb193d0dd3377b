"""Test configuration: make sure the *installed* lucas is tested, not the source folder.

``python -m pytest`` puts the current directory on sys.path, where ``lucas/`` has no compiled
extension.  Drop the repository root from sys.path before anything imports lucas.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or os.getcwd()).resolve() != ROOT]
sys.modules.pop("lucas", None)

import lucas  # noqa: E402

if Path(lucas.__file__).resolve().parent == ROOT / "lucas":  # pragma: no cover
    raise RuntimeError(
        "tests imported lucas from the source tree; install it first (pip install .[test])"
    )

DATA = Path(__file__).resolve().parent / "data" / "oeis-linrec.jsonl"

# Make the directory importable for the shared pure-Python reference (tests/reference.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))


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


@pytest.fixture(scope="session")
def oeis() -> list[dict]:
    return load_oeis()
