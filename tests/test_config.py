"""lucas.get_config / lucas.show_config: version, NumPy build, BLAS library and threading,
compiler — read from the live libraries, not hard-coded."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

import lucas


def test_get_config_contents() -> None:
    cfg = lucas.get_config()
    assert cfg["lucas"] == lucas.__version__
    assert cfg["python"] == sys.version.split()[0]
    npy = cfg["numpy"]
    assert isinstance(npy, dict) and npy["version"] == np.__version__
    compiler = cfg["compiler"]
    assert isinstance(compiler, str) and compiler.strip()
    blas = cfg["blas"]
    assert isinstance(blas, dict)
    assert {"name", "available", "min_k"} <= set(blas)


def test_blas_threading_is_read_from_the_library() -> None:
    blas = lucas.get_config()["blas"]
    assert isinstance(blas, dict)
    if not str(blas.get("name", "")).startswith("scipy-openblas32"):
        pytest.skip("built against another BLAS")
    scipy_openblas32 = pytest.importorskip("scipy_openblas32")
    assert blas["version"] == scipy_openblas32.__version__
    assert str(blas["config"]).startswith("OpenBLAS")
    assert blas["threading_layer"] in ("sequential", "pthreads", "openmp")
    assert isinstance(blas["num_threads"], int) and blas["num_threads"] >= 1
    # The thread count follows the environment the library was loaded in.
    code = "import lucas; print(lucas.get_config()['blas']['num_threads'])"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=60, cwd=os.path.dirname(__file__))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"


def test_show_config_prints_every_part(capsys: pytest.CaptureFixture[str]) -> None:
    lucas.show_config()
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0] == f"lucas {lucas.__version__}"
    cfg = lucas.get_config()
    assert f"numpy:    {np.__version__}" in text
    assert f"compiler: {cfg['compiler']}" in text
    assert "blas:" in text
    blas = cfg["blas"]
    assert isinstance(blas, dict)
    for key in ("threading_layer", "num_threads"):
        if key in blas:
            assert f"{key}: {blas[key]}" in text
