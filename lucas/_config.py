"""Build and runtime configuration report (``lucas.show_config``)."""

from __future__ import annotations

import os
import platform
import re
import sys
from typing import Any

import numpy as np

from . import _core

__all__ = ["get_config", "show_config"]

# OpenBLAS reports its threading model as an int (openblas_get_parallel).
_OPENBLAS_PARALLEL = {0: "sequential", 1: "pthreads", 2: "openmp"}


def _numpy_build() -> dict[str, object]:
    """NumPy's version and the BLAS, compiler and SIMD level it was built with."""
    info: dict[str, object] = {"version": np.__version__}
    try:
        cfg: Any = np.show_config(mode="dicts")
    except (TypeError, ValueError, AttributeError):  # pragma: no cover - unusual NumPy builds
        return info
    blas = cfg.get("Build Dependencies", {}).get("blas", {})
    if blas:
        info["blas"] = f"{blas.get('name')} {blas.get('version')}"
    cc = cfg.get("Compilers", {}).get("c", {})
    if cc:
        info["compiler"] = f"{cc.get('name')} {cc.get('version')}"
    simd = cfg.get("SIMD Extensions", {})
    if simd:
        info["simd"] = " ".join(simd.get("baseline", []) + simd.get("found", []))
    return info


def _loaded_blas_library(name: str) -> str | None:
    """The file of the OpenBLAS that the dynamic loader actually mapped for lucas's extension
    (Linux: /proc/self/maps), not the path it was built against.  NumPy's own OpenBLAS
    (libscipy_openblas64_*) is a different library and is skipped."""
    if name.startswith("scipy-openblas32"):
        pattern = re.compile(r"^libscipy_openblas(?!64)[-.]")
    else:
        pattern = re.compile(r"^lib(open)?blas[-.]")
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split(maxsplit=5)
        if len(parts) == 6 and pattern.match(os.path.basename(parts[5])):
            return parts[5]
    return None


def _openblas_details(blas: dict[str, object], path: str, prefix: str) -> None:
    """Version, build configuration and threading, asked from the loaded library itself."""
    import ctypes

    dll = ctypes.CDLL(path)  # already loaded: the loader hands back the same library
    get_config = getattr(dll, prefix + "openblas_get_config")
    get_config.restype = ctypes.c_char_p
    config = (get_config() or b"").decode(errors="replace").strip()
    blas["config"] = config
    version = re.match(r"OpenBLAS\s+(\S+)", config)
    if version:
        blas["version"] = version.group(1)
    get_threads = getattr(dll, prefix + "openblas_get_num_threads")
    get_threads.restype = ctypes.c_int
    get_parallel = getattr(dll, prefix + "openblas_get_parallel")
    get_parallel.restype = ctypes.c_int
    blas["num_threads"] = int(get_threads())
    blas["threading_layer"] = _OPENBLAS_PARALLEL.get(int(get_parallel()), "unknown")


def _threadpoolctl_threads(blas: dict[str, object]) -> None:
    """Threading of a system BLAS, when threadpoolctl is installed (it is optional)."""
    from threadpoolctl import threadpool_info

    for info in threadpool_info():
        if info.get("user_api") == "blas" and "scipy_openblas64" not in str(info.get("filepath")):
            # numpy's own OpenBLAS (scipy_openblas64) is not the one lucas links.
            blas["version"] = info.get("version")
            blas["threading_layer"] = info.get("threading_layer")
            blas["num_threads"] = info.get("num_threads")
            return


def get_config() -> dict[str, object]:
    """Return the configuration that :func:`show_config` prints, as a dict.

    Returns
    -------
    dict
        ``lucas`` (version), ``numpy`` (a dict: version, its BLAS, compiler, SIMD),
        ``python``, ``platform``, ``compiler`` (the one that built lucas's C core) and
        ``blas`` (a dict: ``name``, ``available``, ``min_k`` — the order from which the
        float64 matrix method calls dgemm — and, where they can be read, ``library`` (the
        file the dynamic loader mapped), ``version``, ``config``, ``threading_layer`` and
        ``num_threads``).

    See Also
    --------
    show_config : print the same information.

    Examples
    --------
    >>> import lucas
    >>> cfg = lucas.get_config()
    >>> sorted(cfg)
    ['blas', 'compiler', 'lucas', 'numpy', 'platform', 'python']
    >>> cfg["lucas"] == lucas.__version__
    True
    """
    from . import __version__

    blas: dict[str, object] = dict(_core.blas_info())
    name = str(blas.get("name", ""))
    path = _loaded_blas_library(name) if blas.get("available") else None
    if path is not None:
        blas["library"] = path
    try:
        if path is not None:
            _openblas_details(blas, path, "scipy_" if name.startswith("scipy-") else "")
        elif blas.get("available"):
            _threadpoolctl_threads(blas)
    except (OSError, AttributeError, ImportError, ValueError):  # pragma: no cover
        pass  # optional details: the report must never fail
    return {
        "lucas": __version__,
        "numpy": _numpy_build(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "compiler": _core.compiler,
        "blas": blas,
    }


def show_config() -> None:
    """Print the lucas version, the NumPy build, the BLAS library and its threading, the compiler.

    The BLAS is the one lucas's float64 companion-matrix method uses for orders k at or above
    ``min_k``; its thread count can be set with ``OPENBLAS_NUM_THREADS`` before import.

    See Also
    --------
    get_config : the same information as a dict.

    Examples
    --------
    >>> import lucas
    >>> lucas.show_config()  # doctest: +ELLIPSIS
    lucas ...
      numpy:    ...
      python:   ...
      compiler: ...
      blas:     ...
    """
    cfg = get_config()
    print(f"lucas {cfg['lucas']}")
    npy = cfg["numpy"]
    assert isinstance(npy, dict)
    extra = ", ".join(f"{k} {npy[k]}" for k in ("blas", "compiler") if k in npy)
    print(f"  numpy:    {npy['version']}" + (f" (built with {extra})" if extra else ""))
    if "simd" in npy:
        print(f"    simd: {npy['simd']}")
    print(f"  python:   {cfg['python']} on {cfg['platform']}")
    print(f"  compiler: {cfg['compiler']}")
    blas = cfg["blas"]
    assert isinstance(blas, dict)
    if blas.get("available"):
        print(f"  blas:     {blas.get('name')} (dgemm used from k >= {blas.get('min_k')})")
    else:
        print("  blas:     none (the float64 matrix method uses its own loops)")
    for key in ("library", "version", "config", "threading_layer", "num_threads"):
        if key in blas:
            print(f"    {key}: {blas[key]}")
