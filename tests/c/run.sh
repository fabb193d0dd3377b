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
flags=(-std=c99 -O1 -g -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter
       -Wno-unused-function -fsanitize=address,undefined -fno-sanitize-recover=all)
# the core once, then every test links against the same objects
objs=()
for s in $srcs; do
    o="$work/$(basename "$(dirname "$s")")_$(basename "$s" .c).o"
    "$cc" "${flags[@]}" $incs -c "$s" -o "$o"
    objs+=("$o")
done
status=0
for t in "$here"/test_*.c; do
    name="$(basename "$t" .c)"
    "$cc" "${flags[@]}" $incs -I"$here" "$t" "${objs[@]}" -lm -o "$work/$name"
    "$work/$name" || status=1
done
# fail_*.c must not compile, with the #error they name on their first line ("expect: ...")
for t in "$here"/fail_*.c; do
    want="$(sed -n '1s/^.*expect: \(.*\) \*\/$/\1/p' "$t")"
    if "$cc" "${flags[@]}" $incs -c "$t" -o "$work/fail.o" 2>"$work/fail.log"; then
        echo "$(basename "$t"): compiled, but must not"
        status=1
    elif ! grep -qF "$want" "$work/fail.log"; then
        echo "$(basename "$t"): failed without \"$want\":"
        cat "$work/fail.log"
        status=1
    else
        echo "$(basename "$t"): rejected as expected"
    fi
done
exit $status
