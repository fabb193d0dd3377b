#!/usr/bin/env bash
# Build every tests/c/test_*.c against the plain-C core (src/core) with warnings as errors and
# run it.  The core needs no Python and no NumPy, so a C compiler is all this takes.
#
#   tests/c/run.sh            (CC overrides the compiler; default cc)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cc="${CC:-cc}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# every .c of the core, in every folder, and every folder on the include path
srcs="$(find "$root/src/core" -name '*.c' | sort)"
incs="$(find "$root/src/core" -type d | sort | sed 's/^/-I/')"
status=0
for t in "$here"/test_*.c; do
    name="$(basename "$t" .c)"
    "$cc" -std=c99 -O1 -g -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter \
        -Wno-unused-function -fsanitize=address,undefined -fno-sanitize-recover=all \
        $incs -I"$here" "$t" $srcs -lm -o "$work/$name"
    "$work/$name" || status=1
done
exit $status
