"""Rendering the surfaces of a large tree on two cores.

The surfaces are independent pure functions of one spec, so a forked child
(which shares the loaded spec) renders one group of them while this process
renders the other (see ``contractgen.forking``). Any failure in the child (a
template error, say) makes this process render that group itself, so errors
surface exactly as they would in a serial build.
"""

from __future__ import annotations

import contextlib

from contractgen.forking import can_fork, in_two
from contractgen.spec import Spec
from contractgen.surfaces import Options, OutputFile, render_serial

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
    spec: Spec, options: Options, surfaces: list[str], parallel: bool
) -> list[OutputFile]:
    if not worth_forking(spec, surfaces, parallel):
        return render_serial(spec, options, surfaces)
    here, there = split_surfaces(surfaces)
    mine, wire = in_two(
        lambda: render_serial(spec, options, here),
        lambda: [(f.path, f.content, f.sources) for f in render_serial(spec, options, there)],
    )
    received: list[OutputFile] | None = None
    if isinstance(wire, list):
        with contextlib.suppress(ValueError, TypeError):
            received = [OutputFile(p, c, tuple(s)) for p, c, s in wire]
    return mine + (received if received is not None else render_serial(spec, options, there))
