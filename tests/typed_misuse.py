"""Calls that ``mypy --strict`` must reject against the shipped stubs: each line marked
``# E`` must give an error on that line (tests/test_typing.py).  Never run."""

from __future__ import annotations

import lucas

lucas.sequence([1, 1], [0, 1], "10")  # E
lucas.sequence([1, 1], [0, 1], 10, start=1.5)  # E
lucas.sequence([1, 1], [0, 1], 10, 0)  # E
lucas.term_ufunc(3)  # E
lucas.show_config(1)  # E
v: int = lucas.__version__  # E
cfg: list[int] = lucas.get_config()  # E
lucas.no_such_function()  # E
lucas.LucasIter([1, 1], [0, 1]).advance("3")  # E
lucas.term_ufunc("fast")  # E
