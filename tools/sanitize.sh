#!/usr/bin/env bash
# Build lucas with AddressSanitizer + UndefinedBehaviorSanitizer (meson b_sanitize) into a
# temporary virtual environment and run the test suite against it.
#
#   tools/sanitize.sh [pytest arguments...]      (default: the whole tests/ folder)
#
# Python itself is not instrumented, so the ASan runtime is preloaded (LD_PRELOAD) before
# the interpreter starts.  Settings, and why:
#   detect_leaks=0            CPython keeps many allocations alive until exit on purpose;
#                             LeakSanitizer would report those, not ours.  Leaks are checked by
#                             growth instead: tests/test_refcount.py and tools/leakcheck.py.
#   allocator_may_return_null=1   the bad-input tests ask for terabytes on purpose and expect
#                             MemoryError, which needs malloc to return NULL as it does
#                             without ASan (ASan's default is to abort).
#   halt_on_error / -fno-sanitize-recover=all   any report fails the run.
# Needs gcc's libasan/libubsan (Debian: part of gcc).  Exits non-zero on any sanitizer report
# or test failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py="${PYTHON:-python3}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$py" -m venv "$work/venv"
vpy="$work/venv/bin/python"
if ! "$vpy" -m pip install -q numpy scipy-openblas32 pytest hypothesis meson-python meson ninja \
        >"$work/pip.log" 2>&1; then
    cat "$work/pip.log"
    exit 1
fi

start=$(date +%s)
if ! (cd "$root" && "$vpy" -m pip install --no-build-isolation -Cbuild-dir="$work/build" \
        -Csetup-args=-Db_sanitize=address,undefined -Csetup-args=-Dbuildtype=debugoptimized \
        "-Csetup-args=-Dc_args=-fno-sanitize-recover=all -fno-omit-frame-pointer" . \
        >"$work/build.log" 2>&1); then
    tail -n 80 "$work/build.log"
    exit 1
fi
echo "sanitize: built in $(( $(date +%s) - start )) s"

libasan="$(gcc -print-file-name=libasan.so)"
libubsan="$(gcc -print-file-name=libubsan.so)"
if [ ! -e "$libasan" ]; then
    echo "sanitize: libasan.so not found (gcc -print-file-name)" >&2
    exit 1
fi
# the extension must really be instrumented
ext="$(find "$work/venv" -name '_core*.so' -path '*lucas*' | head -n 1)"
syms="$(nm -D "$ext")"   # (not piped into grep -q: SIGPIPE would fail the pipeline)
if ! grep -q __asan_init <<<"$syms"; then
    echo "sanitize: $ext is not instrumented" >&2
    exit 1
fi

export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:halt_on_error=1:abort_on_error=1:detect_odr_violation=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
export PYTHONMALLOC=malloc   # every Python allocation goes through ASan's malloc
export LUCAS_UNDER_SANITIZER=1   # tests/test_refcount.py: tracemalloc growth is not meaningful here
start=$(date +%s)
status=0
(cd "$work" && LD_PRELOAD="$libasan $libubsan" "$vpy" -m pytest -q -p no:cacheprovider \
    "${@:-$root/tests}") || status=$?
echo "sanitize: tests ran in $(( $(date +%s) - start )) s, exit $status"
exit "$status"
