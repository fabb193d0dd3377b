"""A typed user of lucas: ``mypy --strict`` must accept this file against the shipped stubs
(tests/test_typing.py and ci_extra.sh check it).  It is also run as a plain script there."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

import lucas

version: str = lucas.__version__
methods: tuple[str, ...] = lucas.METHODS

term: np.ufunc = lucas.term
term_mod: np.ufunc = lucas.term_ufunc("poly")
f90: Any = lucas.term([1, 1], [0, 1], 90)
residues: Any = lucas.term_mod([1, 1], [0, 1], np.arange(5), 2**61 - 1)

first: npt.NDArray[Any] = lucas.sequence([1, 1], [0, 1], 10)
later: npt.NDArray[Any] = lucas.sequence([1, 2], [0, 1], 4, start=10**15, mod=10**9 + 7)
exact: npt.NDArray[Any] = lucas.sequence([1, 1], [0, 1], 3, dtype=object)

it = lucas.LucasIter([1, 1], [0, 1], mod=7)
it.advance(10)
nxt: Any = next(it)
pos: int = it.position

config: dict[str, object] = lucas.get_config()
lucas.show_config()

assert int(f90) == 2880067194370816120
assert first.tolist()[-1] == 34
assert version and methods and term is lucas.term and term_mod is not None
assert residues.shape == (5,) and later.shape == (4,) and exact.dtype == object
assert pos == 11 and nxt == 55 % 7 and "lucas" in config
