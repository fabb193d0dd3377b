"""The installed package is typed: py.typed and the stubs ship, the stubs declare every public
name, and ``mypy --strict`` accepts a typed user (typed_usage.py) and rejects misuse
(typed_misuse.py, lines marked ``# E``)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lucas

HERE = Path(__file__).resolve().parent
PKG = Path(lucas.__file__).resolve().parent


def _stub_names(path: Path) -> tuple[set[str], list[str] | None]:
    """Names a stub file defines, and its __all__ (None when it has none)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    stub_all = None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    names.add(t.id)
                    if t.id == "__all__":
                        stub_all = ast.literal_eval(node.value)
        elif isinstance(node, ast.ImportFrom):
            names.update(a.asname for a in node.names if a.asname and a.asname == a.name)
    return names, stub_all


def test_typing_files_are_installed() -> None:
    for name in ("py.typed", "__init__.pyi", "_core.pyi"):
        assert (PKG / name).is_file(), f"{name} missing from the installed package {PKG}"


def test_stub_declares_every_public_name() -> None:
    names, stub_all = _stub_names(PKG / "__init__.pyi")
    assert sorted(set(lucas.__all__) - names) == []
    assert stub_all is not None and sorted(stub_all) == sorted(lucas.__all__)


def test_core_stub_declares_every_core_name() -> None:
    names, _ = _stub_names(PKG / "_core.pyi")
    runtime = {n for n in vars(lucas._core) if not n.startswith("__")}
    assert sorted(runtime - names) == []
    assert sorted(names - runtime) == []


def _mypy(tmp_path: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy")
    # Run from an empty folder so `import lucas` means the installed, typed package.
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--no-error-summary",
            "--show-error-codes",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_mypy_strict_accepts_usage_and_rejects_misuse(tmp_path: Path) -> None:
    usage, misuse = HERE / "typed_usage.py", HERE / "typed_misuse.py"
    proc = _mypy(tmp_path, usage, misuse)
    errors: dict[str, set[int]] = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"^(.*?):(\d+): error:", line)
        if m:
            errors.setdefault(Path(m.group(1)).name, set()).add(int(m.group(2)))
    assert "typed_usage.py" not in errors, proc.stdout
    marked = {
        i for i, text in enumerate(misuse.read_text().splitlines(), 1) if text.endswith("# E")
    }
    assert marked and errors.get("typed_misuse.py", set()) == marked, proc.stdout + proc.stderr


def test_typed_usage_runs() -> None:
    # The typed example is also a correct program.
    proc = subprocess.run(
        [sys.executable, str(HERE / "typed_usage.py")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=HERE.parent,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"lucas {lucas.__version__}")
