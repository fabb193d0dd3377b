"""Test configuration.

Tests run against the installed package (pyproject sets ``--import-mode=importlib``, so pytest
puts nothing of the checkout on sys.path for ``lucas``).  ``python -m pytest`` from the
repository root still puts the checkout first on sys.path: lucas/__init__.py then takes its
compiled modules from the installed build, and with an editable install meson-python's loader
serves the checkout itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import lucas

if not Path(str(lucas._core.__file__)).exists():  # pragma: no cover
    raise RuntimeError("lucas._core has no file: is lucas installed? (pip install .[test])")

# The shared helpers of the test files (tests/reference.py, oeis_data.py) import by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from oeis_data import load_oeis


@pytest.fixture(scope="session")
def oeis() -> list[dict]:
    return load_oeis()
