"""Build and runtime configuration report (``lucas.show_config``)."""

from __future__ import annotations

import platform
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
    except Exception:  # pragma: no cover - very old or unusual NumPy builds
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


def _openblas_wheel_threads(blas: dict[str, object]) -> None:
    """Fill version/threading from the scipy-openblas32 library itself (no extra dependency)."""
    import ctypes

    import scipy_openblas32

    blas["version"] = scipy_openblas32.__version__
    blas["config"] = scipy_openblas32.get_openblas_config()  # also loads scipy_openblas32.dll
    dll = scipy_openblas32.dll
    get_threads = dll.scipy_openblas_get_num_threads
    get_threads.restype = ctypes.c_int
    get_parallel = dll.scipy_openblas_get_parallel
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
        float64 matrix method calls dgemm — and, where they can be read, ``version``,
        ``config``, ``threading_layer`` and ``num_threads``).

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
    try:
        if name.startswith("scipy-openblas32"):
            _openblas_wheel_threads(blas)
        elif blas.get("available"):
            _threadpoolctl_threads(blas)
    except Exception:  # pragma: no cover - optional details; the report must never fail
        pass
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
    for key in ("version", "config", "threading_layer", "num_threads"):
        if key in blas:
            print(f"    {key}: {blas[key]}")
