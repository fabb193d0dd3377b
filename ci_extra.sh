#!/usr/bin/env bash
# Static checks for the typed API.  .ci/run calls this inside the virtual environment that has
# the package and its test extras (mypy) installed.  About 15 s.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

echo "== ruff check, ruff format --check, clang-format (the versions .pre-commit-config.yaml pins)"
python -m pip install -q "ruff==0.17.6" "clang-format==23.1.5" >/dev/null
(cd "$root" && ruff check . && ruff format --check .)
(cd "$root" && git ls-files 'src/*.c' 'src/*.h' 'fuzz/*.c' 'tests/c/*.c' 'tests/c/*.h' \
    | grep -v fail_template | xargs clang-format --dry-run --Werror --style=file:.clang-format)

echo "== mypy --strict: package sources and stubs (settings in pyproject.toml)"
(cd "$root" && python -m mypy --no-incremental --cache-dir "$scratch/cache")

# From an empty folder, so that `lucas` is the installed package with its py.typed and stubs.
echo "== mypy --strict: a typed user of the installed package"
(cd "$scratch" && python -m mypy --strict --no-incremental --cache-dir "$scratch/cache" \
    "$root/tests/typed_usage.py")

echo "== stubtest: the installed stubs against the runtime objects"
(cd "$scratch" && python -m mypy.stubtest lucas --mypy-config-file "$root/pyproject.toml" \
    --allowlist "$root/.ci/stubtest-allowlist.txt")

echo "== the extension with warnings as errors (meson -Dwerror=true)"
python -m pip install -q meson ninja >/dev/null
meson setup "$scratch/werror" "$root" -Dwerror=true -Dbuildtype=release >/dev/null
ninja -C "$scratch/werror" >/dev/null

echo "== C tests of the core (tests/c, -Werror, ASan/UBSan)"
bash "$root/tests/c/run.sh"

# ---- reliability (issue 6): fuzzing, sanitizers, leaks.  About 4 minutes in all. -------------
echo "== fuzz: libFuzzer + ASan/UBSan over the C core for 60 s (installs clang if missing)"
start=$SECONDS
bash "$root/fuzz/run.sh" 60
echo "fuzz job: $((SECONDS - start)) s"

echo "== sanitizers: ASan/UBSan build of lucas, bad-input, refcount, thread, property and core tests"
start=$SECONDS
bash "$root/tools/sanitize.sh" "$root/tests/test_bad_input.py" "$root/tests/test_refcount.py" \
    "$root/tests/test_threads.py" "$root/tests/test_fuzz_props.py" "$root/tests/test_term.py" \
    "$root/tests/test_sequence.py" "$root/tests/test_iter.py" "$root/tests/test_classic.py" \
    -k "not oeis"   # the OEIS sweeps take minutes under ASan; the normal run has them
echo "sanitizer job: $((SECONDS - start)) s"

echo "== leak check: 10^5 calls of every face and error path"
start=$SECONDS
(cd "$scratch" && python "$root/tools/leakcheck.py")
echo "leak check: $((SECONDS - start)) s"
