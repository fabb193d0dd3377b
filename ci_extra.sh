#!/usr/bin/env bash
# Static checks for the typed API.  .ci/run calls this inside the virtual environment that has
# the package and its test extras (mypy) installed.  About 15 s.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

echo "== mypy --strict: package sources and stubs (settings in pyproject.toml)"
(cd "$root" && python -m mypy --no-incremental --cache-dir "$scratch/cache")

# From an empty folder, so that `lucas` is the installed package with its py.typed and stubs.
echo "== mypy --strict: a typed user of the installed package"
(cd "$scratch" && python -m mypy --strict --no-incremental --cache-dir "$scratch/cache" \
    "$root/tests/typed_usage.py")

echo "== stubtest: the installed stubs against the runtime objects"
(cd "$scratch" && python -m mypy.stubtest lucas --mypy-config-file "$root/pyproject.toml" \
    --allowlist "$root/.ci/stubtest-allowlist.txt")
