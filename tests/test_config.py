"""lucas.get_config / lucas.show_config: version, NumPy build, BLAS library and threading,
compiler — read from the live libraries, not hard-coded."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from subproc import run_python

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
    assert str(blas["config"]).startswith(f"OpenBLAS {blas['version']}")
    if os.path.dirname(str(blas.get("library"))) == scipy_openblas32.get_lib_dir():
        assert blas["version"] == scipy_openblas32.__version__
    assert str(blas["config"]).startswith("OpenBLAS")
    assert blas["threading_layer"] in ("sequential", "pthreads", "openmp")
    assert isinstance(blas["num_threads"], int) and blas["num_threads"] >= 1
    # The thread count follows the environment the library was loaded in.
    code = "import lucas; print(lucas.get_config()['blas']['num_threads'])"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    out = run_python("-c", code, cwd=os.path.dirname(__file__), timeout=60, env=env)
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


@pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="Linux /proc")
def test_blas_library_is_the_one_loaded() -> None:
    blas = lucas.get_config()["blas"]
    assert isinstance(blas, dict)
    if not blas.get("available"):
        pytest.skip("built without BLAS")
    path = str(blas["library"])
    assert os.path.isfile(path)
    with open("/proc/self/maps", encoding="utf-8") as f:
        assert path in f.read()
    assert "64_" not in os.path.basename(path)  # not NumPy's own OpenBLAS
    lucas.show_config()


def _runpath(lib: str) -> list[str]:
    readelf = shutil.which("readelf")
    if readelf is None:
        pytest.skip("no readelf")
    out = subprocess.run([readelf, "-d", lib], capture_output=True, text=True, check=True)
    found = re.findall(r"\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[(.*)\]", out.stdout)
    return [p for entry in found for p in entry.split(":")]


@pytest.mark.skipif(sys.platform != "linux", reason="ELF")
def test_extension_runpath_has_no_absolute_build_directory() -> None:
    # pip builds in a temporary environment that is deleted afterwards: an absolute RUNPATH
    # would point nowhere (and name a dead path).
    for entry in _runpath(str(lucas._core.__file__)):
        assert entry.startswith("$ORIGIN"), entry


@pytest.mark.skipif(sys.platform != "linux", reason="ELF and dynamic loading")
def test_missing_openblas_import_error_says_how_to_fix(tmp_path: Path) -> None:
    blas = lucas.get_config()["blas"]
    assert isinstance(blas, dict)
    installed = Path(str(lucas._core.__file__)).parent
    if (
        "scipy_openblas32" not in str(blas.get("library", ""))
        or not (installed / "__init__.py").exists()
    ):
        pytest.skip("needs a (non-editable) source build against the scipy-openblas32 wheel")
    # A copy of the package where neither the wheel nor its library can be found.
    shutil.copytree(installed, tmp_path / "lucas")
    (tmp_path / "scipy_openblas32.py").write_text("raise ImportError('hidden by the test')\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    proc = run_python("-c", "import lucas", cwd=tmp_path, timeout=60, env=env)
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: lucas cannot load its OpenBLAS library")
    assert "pip install scipy-openblas32" in last


def _source_copy(tmp_path: Path) -> Path:
    """The checkout's lucas/ folder as a source tree would have it: Python files, no build."""
    src = Path(__file__).resolve().parent.parent / "lucas"
    if not (src / "__init__.py").exists():
        pytest.skip("no source checkout next to the tests")
    dst = tmp_path / "lucas"
    dst.mkdir()
    for f in src.iterdir():
        if f.suffix in (".py", ".pyi") or f.name == "py.typed":
            shutil.copy(f, dst / f.name)
    return tmp_path


def test_source_folder_first_on_sys_path_uses_the_installed_build(tmp_path: Path) -> None:
    root = _source_copy(tmp_path)
    code = (
        "import lucas, os; print(os.path.dirname(lucas.__file__) == os.path.join(os.getcwd(),"
        " 'lucas'), 'site-packages' in lucas._core.__file__ or 'build' in lucas._core.__file__,"
        " int(lucas.term([1, 1], [0, 1], 90)))"
    )
    proc = run_python("-c", code, cwd=root, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True", "2880067194370816120"]


def test_unbuilt_source_folder_says_how_to_build(tmp_path: Path) -> None:
    root = _source_copy(tmp_path)
    # -S: no site-packages, so there is no installed build to fall back on
    proc = run_python("-S", "-c", "import lucas", cwd=root, timeout=60)
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: lucas is not built")
    assert "pip install ." in last and "RecursionError" not in proc.stderr


def test_distribution_name_and_license_metadata() -> None:
    from importlib import metadata

    dist = metadata.distribution("lucas-recurrence")  # `lucas` on PyPI is another project
    assert dist.version == lucas.__version__
    assert dist.metadata["License-Expression"] == "BSD-3-Clause"
    files = [str(f) for f in dist.files or []]
    licenses = [f for f in files if f.endswith("LICENSE")]
    assert licenses, files
    text = Path(str(dist.locate_file(licenses[0]))).read_text(encoding="utf-8")
    assert "Copyright (c) 2026, the lucas developers" in text
    assert "lucas/__init__.py" in files
    requires = " ".join(dist.requires or [])
    assert "numpy" in requires
