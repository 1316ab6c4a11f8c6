"""Python's cyclic garbage collector paused while the embedded engine builds or reads a graph.

A register's networkx graph is millions of container objects that never form garbage cycles while
an analysis runs; the hundred thousand rows an analysis allocates at 100k contracts set off full
collections that scan all of them, which doubled the analyses' time (docs/benchmarks.md, issue 17).
:func:`paused_gc` switches the collector off for the duration of a block and back on after it (only
if it was on: blocks nest). Reference counting frees everything as usual; only cycles made inside
the block wait for the next collection after it.

>>> import gc
>>> with paused_gc():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off inside the block, restored after it."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
