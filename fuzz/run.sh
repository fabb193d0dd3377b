#!/usr/bin/env bash
# Build the libFuzzer target fuzz/fuzz_core.c over the plain-C core (src/core) with
# AddressSanitizer and UndefinedBehaviorSanitizer, run it for SECONDS (default 60), and print
# how many inputs it tried.  Needs clang with its runtime (Debian: clang, libclang-rt-*-dev);
# installs them with apt-get when missing and allowed (root).
#
#   fuzz/run.sh [SECONDS] [extra libFuzzer flags...]
#
# The working corpus lives in a temporary directory seeded from fuzz/seeds.txt; a crash leaves
# its input as crash-* in the current directory and makes this script exit non-zero.
set -euo pipefail
secs="${1:-60}"
shift || true
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

if ! command -v clang >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "fuzz: installing clang (apt-get)"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
        # libFuzzer and the sanitizer runtimes (a "Recommends" of clang, so make sure)
        v="$(clang -dumpversion | cut -d. -f1)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "libclang-rt-$v-dev" >/dev/null \
            2>&1 || true
    else
        echo "fuzz: clang not found and cannot be installed here" >&2
        exit 1
    fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bin="$work/fuzz_core"
# every .c of the core, in every folder, and every folder on the include path
srcs="$(find "$root/src/core" -name '*.c' | sort)"
incs="$(find "$root/src/core" -type d | sort | sed 's/^/-I/')"
# No BLAS: the harness keeps k small, where the core never calls dgemm.
clang -g -O1 -std=c99 -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
    $incs "$here/fuzz_core.c" $srcs -lm -o "$bin"

mkdir -p "$work/corpus"
# seeds: fuzz/seeds.txt holds a minimized corpus, one base64 input per line
if [ -f "$here/seeds.txt" ] && command -v python3 >/dev/null 2>&1; then
    python3 - "$here/seeds.txt" "$work/corpus" <<'PY'
import base64, sys
lines = [l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
for i, line in enumerate(lines):
    with open(f"{sys.argv[2]}/seed-{i}", "wb") as f:
        f.write(base64.b64decode(line))
PY
elif [ -f "$here/seeds.txt" ]; then
    i=0
    while IFS= read -r line; do
        case "$line" in "#"*|"") continue ;; esac
        printf '%s' "$line" | base64 -d >"$work/corpus/seed-$i" 2>/dev/null || true
        i=$((i + 1))
    done <"$here/seeds.txt"
fi
log="$work/fuzz.log"
status=0
ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}" \
    "$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=512 \
    -print_final_stats=1 "$@" "$work/corpus" >"$log" 2>&1 || status=$?
runs="$(grep -Eo 'Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' || true)"
if [ "$status" -ne 0 ] || [ -z "$runs" ]; then
    tail -n 60 "$log"
    echo "fuzz: FAILED (exit $status)"
    exit 1
fi
grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 || true   # last progress line: coverage, corpus
grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$log" || true
echo "fuzz: $runs inputs tried in ${secs} s, no failure (corpus $(ls "$work/corpus" | wc -l) files)"
