"""Rendering the surfaces of a large tree on two cores.

The surfaces are independent pure functions of one spec, so a forked child
(which shares the loaded spec) does the work of one group of them while this
process does the other (see ``contractgen.speed.forking``). The work of a
group is whatever the build asks (render, then place the files into the
staging tree, or compare them with the folder), and its result is plain
data. Any failure in the child (a template error, say) makes this process do
that group itself, so errors surface exactly as they would in a serial build.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contractgen.speed.forking import can_fork, in_two

#: Below this many operations and events, forking costs more than it saves.
MIN_ITEMS = 200
#: Rough relative cost of each surface, to balance the two groups.
WEIGHT = {"openapi": 3, "docs": 3, "graphql": 2, "python": 2, "typescript": 2}


def split_surfaces(surfaces: list[str]) -> tuple[list[str], list[str]]:
    here: list[str] = []
    there: list[str] = []
    load_here = load_there = 0
    for surface in sorted(surfaces, key=lambda s: (-WEIGHT.get(s, 1), s)):
        if load_here <= load_there:
            here.append(surface)
            load_here += WEIGHT.get(surface, 1)
        else:
            there.append(surface)
            load_there += WEIGHT.get(surface, 1)
    return here, there


def worth_forking(items: int, surfaces: list[str]) -> bool:
    """Whether two cores pay for a tree of this many operations and events."""
    return len(surfaces) > 1 and items >= MIN_ITEMS and can_fork()


def in_groups(surfaces: list[str], items: int, work: Callable[[list[str]], Any]) -> list[Any]:
    """``work(group)`` for each group of surfaces, in surface order: one group for a
    small tree, two for a large one, the second in a forked child. work's result
    must be plain data (``marshal``), the same wherever it ran."""
    if not worth_forking(items, surfaces):
        return [work(surfaces)]
    here, there = split_surfaces(surfaces)
    mine, theirs = in_two(lambda: work(here), lambda: work(there))
    if theirs is None:  # the child failed: its group is done here (errors surface here)
        theirs = work(there)
    return [mine, theirs]
