"""Command line: ``python -m lucas term 1,1 0,1 100``."""

from __future__ import annotations

import argparse
import sys

import numpy as np


def _int_list(text: str) -> list[int]:
    try:
        return [int(x) for x in text.split(",") if x.strip() != ""]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}")


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lucas",
        description="Terms of linear recurrences a[n+k] = sum(c[i]*a[n+i]), a[:k] = init.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("term", help="print a[n] exactly (or mod --mod)")
    t.add_argument("coefs", type=_int_list, help="coefficients, oldest first: 1,1 for Fibonacci")
    t.add_argument("init", type=_int_list, help="initial values a[0..k-1]: 0,1")
    t.add_argument("n", type=_int, help="index (negative where the recurrence runs backwards)")
    t.add_argument("--mod", type=_int, default=None, help="print a[n] mod this modulus")
    return p


def main(argv: list[str] | None = None) -> int:
    from . import term, term_mod

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "term":
        if len(args.coefs) != len(args.init) or not args.coefs:
            parser.error("coefs and init must be non-empty and of the same length")
        c = np.array(args.coefs, dtype=object)
        i = np.array(args.init, dtype=object)
        try:
            if args.mod is None:
                value = term(c, i, args.n)
            else:
                value = term_mod(c, i, args.n, args.mod)
        except (ValueError, OverflowError, TypeError) as exc:
            parser.exit(2, f"lucas: error: {exc}\n")
        sys.stdout.write(f"{value}\n")
        return 0
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover
    return 2


if __name__ == "__main__":
    sys.exit(main())
