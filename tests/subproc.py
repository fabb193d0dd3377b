"""A child Python process for the tests: the interpreter under test, text output, a timeout,
and the exit status left to the caller (never check=True)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_python(
    *args: str, cwd: str | Path, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python *args`` in ``cwd``; stdout and stderr captured as text."""
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )
