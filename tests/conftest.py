"""Test configuration: make sure the *installed* lucas is tested, not the source folder.

``python -m pytest`` puts the current directory on sys.path, where ``lucas/`` has no compiled
extension.  Drop the repository root from sys.path before anything imports lucas.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or os.getcwd()).resolve() != ROOT]
_early = sys.modules.get("lucas")
if _early is not None and Path(str(_early.__file__)).resolve().parent == ROOT / "lucas":
    sys.modules.pop("lucas")  # imported from the source tree before we got here

import lucas  # noqa: E402

if Path(lucas.__file__).resolve().parent == ROOT / "lucas":  # pragma: no cover
    raise RuntimeError(
        "tests imported lucas from the source tree; install it first (pip install .[test])"
    )

# Make the directory importable for the shared helpers (tests/reference.py, oeis_data.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from oeis_data import load_oeis  # noqa: E402


@pytest.fixture(scope="session")
def oeis() -> list[dict]:
    return load_oeis()
