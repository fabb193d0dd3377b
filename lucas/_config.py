"""Build and runtime configuration report (``lucas.show_config``)."""

from __future__ import annotations

import platform
import sys

import numpy as np

from . import _core

__all__ = ["show_config", "get_config"]


def get_config() -> dict[str, object]:
    """Return the configuration that :func:`show_config` prints, as a dict.

    Examples
    --------
    >>> import lucas
    >>> sorted(lucas.get_config())
    ['blas', 'compiler', 'lucas', 'numpy', 'platform', 'python']
    """
    from . import __version__

    blas: dict[str, object] = dict(_core.blas_info())
    try:
        from threadpoolctl import threadpool_info  # optional: report BLAS threading

        for info in threadpool_info():
            if "scipy_openblas" in str(info.get("filepath", "")):
                blas["threading_layer"] = info.get("threading_layer")
                blas["num_threads"] = info.get("num_threads")
                break
    except Exception:  # pragma: no cover - threadpoolctl is optional
        pass
    if "num_threads" not in blas:
        try:
            import scipy_openblas32

            blas["version"] = scipy_openblas32.__version__
            blas["config"] = scipy_openblas32.get_openblas_config()
        except Exception:  # pragma: no cover - system BLAS build
            pass
    return {
        "lucas": __version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "compiler": _core.compiler,
        "blas": blas,
    }


def show_config() -> None:
    """Print the lucas version, NumPy, the BLAS library and its threading, and the compiler.

    Examples
    --------
    >>> import lucas
    >>> lucas.show_config()  # doctest: +ELLIPSIS
    lucas ...
    """
    cfg = get_config()
    print(f"lucas {cfg['lucas']}")
    print(f"  numpy:    {cfg['numpy']}")
    print(f"  python:   {cfg['python']} on {cfg['platform']}")
    print(f"  compiler: {cfg['compiler']}")
    blas = cfg["blas"]
    assert isinstance(blas, dict)
    print(f"  blas:     {blas.get('name')} (used from k >= {blas.get('min_k')})")
    for key in ("version", "config", "threading_layer", "num_threads"):
        if key in blas:
            print(f"    {key}: {blas[key]}")
