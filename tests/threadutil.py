"""Running one worker function in many threads at once, shared by the thread tests (imported
as a plain module, like oeis_data)."""

from __future__ import annotations

import threading
from collections.abc import Callable


def run_workers(worker: Callable[[int], None], nthreads: int) -> None:
    """worker(0), ..., worker(nthreads - 1), each in its own thread; returns when all ended."""
    threads = [threading.Thread(target=worker, args=(t,)) for t in range(nthreads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
