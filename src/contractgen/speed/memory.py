"""Memory of large object graphs: built without the cyclic collector, freed late.

Loading a tree and rendering it create hundreds of thousands of long-lived,
acyclic objects; each collection would walk all of them again for nothing
(about half the time of loading a 1,300-operation tree). Reference counting
still frees everything as usual while the collector is paused.

Freeing them object by object also costs time: about 0.05 s for the parsed
documents of a 1,300-operation tree, as much again for its spec. So the last
build keeps its spec and rendered files (``keep_until_next``) until the next
one, and a load whose caller ends soon after (``validate``) keeps everything
it made; a command-line run ends before the next one, and the system
reclaims the memory at once. A build frees the parsed documents before it
renders, trading those 0.05 s for a lower peak of memory.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any

from contractgen.speed import enabled


@contextlib.contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Pauses the collector; with freeze, what survives is moved out of its sight
    (``gc.freeze``) so the first collection afterwards does not walk it either."""
    if not enabled("gc-pause"):
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


#: The large objects of the last piece of work of each kind ("load", "build").
_kept: dict[str, tuple[Any, ...]] = {}


def keep_until_next(kind: str, *objects: Any) -> None:
    """Keeps objects alive until the next call for the same kind, or ``release``."""
    if enabled("late-free"):
        _kept[kind] = objects


def release(kind: str) -> None:
    """Frees what the last piece of work of this kind kept (before starting the next,
    so that a long-lived process never holds two of them)."""
    _kept.pop(kind, None)
