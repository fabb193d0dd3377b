from typing import Final

import numpy as np

__version__: Final[str]
METHODS: Final[tuple[str, ...]]

term: np.ufunc
term_mod: np.ufunc

def term_ufunc(method: str = ...) -> np.ufunc: ...
def term_mod_ufunc(method: str = ...) -> np.ufunc: ...
def get_config() -> dict[str, object]: ...
def show_config() -> None: ...
