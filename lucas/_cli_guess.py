"""``python -m lucas guess``: the minimal recurrence of some terms (lucas.find_recurrence),
printed in both orders with the terms it predicts.  Hooked into lucas/__main__.py."""

from __future__ import annotations

import argparse
import sys
import warnings
from fractions import Fraction
from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``guess`` subcommand on an argparse subparsers object."""
    from .__main__ import parse_count, parse_int_list, parse_modulus

    g: argparse.ArgumentParser = subparsers.add_parser(
        "guess",
        help="find the minimal recurrence of some terms (Berlekamp-Massey)",
        description="Find the minimal linear recurrence that generates TERMS (exactly, or "
        "modulo a prime with --mod) and print its signature in seed order (c[0] multiplies "
        "the oldest term, as lucas term/seq take it) and in OEIS order (newest first), the "
        "initial values and the next terms it predicts.  Fewer than 2k terms for order k: "
        "a note on stderr (the guess is not determined by the terms).",
    )
    g.add_argument("terms", type=parse_int_list, metavar="TERMS", help="e.g. 0,1,1,2,3,5,8")
    g.add_argument("--mod", type=parse_modulus, metavar="P", help="work modulo the prime P")
    g.add_argument("--next", type=parse_count, default=10, metavar="N", help="predicted terms (10)")
    g.set_defaults(handler=lambda args, parser: run(args), subparser=g)
    return g


def _fmt(values: Any) -> str:
    return ",".join(str(v) for v in values) if len(values) else "(none)"


def _predict(coefs: list[Any], init: list[int], count: int, mod: int | None) -> list[Any]:
    """The terms a[0..count-1], stepping with Python numbers (Fractions allowed)."""
    a: list[Any] = list(init)
    k = len(coefs)
    while len(a) < count:
        v = sum((c * a[len(a) - k + i] for i, c in enumerate(coefs)), Fraction(0)) if k else 0
        v = Fraction(v)
        if mod is not None:
            v = Fraction(int(v) % mod)
        a.append(int(v) if v.denominator == 1 else v)
    return a[:count]


def run(args: argparse.Namespace) -> int:
    """Print the recurrence of args.terms; returns the exit status."""
    from . import UnderdeterminedWarning, find_recurrence

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnderdeterminedWarning)
        coefs, init = find_recurrence(args.terms, mod=args.mod)
    c = [v if not hasattr(v, "item") else v.item() for v in coefs.tolist()]
    i = [int(v) for v in init.tolist()]
    n = len(args.terms)
    where = f" mod {args.mod}" if args.mod is not None else ""
    print(f"order {len(c)}{where}")
    print(f"seed order  (a[n+k] = sum c[i] a[n+i]): {_fmt(c)}")
    print(f"OEIS signature (newest first):          {_fmt(c[::-1])}")
    print(f"init: {_fmt(i)}")
    print(f"next {args.next} terms: {_fmt(_predict(c, i, n + args.next, args.mod)[n:])}")
    for w in caught:
        if issubclass(w.category, UnderdeterminedWarning):
            sys.stderr.write(f"note: {str(w.message).removeprefix('lucas.find_recurrence: ')}\n")
    return 0
