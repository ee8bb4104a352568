"""Rendering the surfaces of a large tree on two cores.

The surfaces are independent pure functions of one spec, so a forked child
(which shares the loaded spec) renders one group of them while this process
renders the other (see ``contractgen.speed.forking``). Any failure in the child (a
template error, say) makes this process render that group itself, so errors
surface exactly as they would in a serial build.
"""

from __future__ import annotations

import contextlib
from typing import Any

from contractgen.spec import Spec
from contractgen.speed.forking import can_fork, in_two
from contractgen.surfaces import Options, OutputFile, Tracked, render_tracked

#: Below this many operations and events, forking costs more than it saves.
MIN_ITEMS = 200
#: Rough relative cost of each surface, to balance the two groups.
WEIGHT = {"openapi": 3, "docs": 3, "graphql": 2, "python": 2}


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


def worth_forking(spec: Spec, surfaces: list[str], parallel: bool) -> bool:
    return (
        parallel
        and len(surfaces) > 1
        and len(spec.operations) + len(spec.events) >= MIN_ITEMS
        and can_fork()
    )


def render_split(
    spec: Spec,
    options: Options,
    surfaces: list[str],
    parallel: bool,
    with_state: bool = False,
) -> Tracked:
    """The surfaces' files (see ``render_tracked``), on two cores for a large tree;
    the child's surface states come back only with ``with_state``."""
    if not worth_forking(spec, surfaces, parallel):
        return render_tracked(spec, options, surfaces)
    here, there = split_surfaces(surfaces)

    def remote() -> Any:
        theirs = render_tracked(spec, options, there)
        files = [(f.path, f.content, f.sources) for f in theirs.files]
        return files, theirs.owners, theirs.surfaces if with_state else {}

    mine, answer = in_two(lambda: render_tracked(spec, options, here), remote)
    wire: Any = answer  # None when the child failed
    received: Tracked | None = None
    with contextlib.suppress(ValueError, TypeError):
        files, owners, states = wire
        received = Tracked([OutputFile(p, c, tuple(s)) for p, c, s in files], owners, states)
    mine.add(received if received is not None else render_tracked(spec, options, there))
    return mine
