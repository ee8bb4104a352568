"""Rendering the surfaces of a large tree on two cores.

The surfaces are independent pure functions of one spec, so a forked child
(which shares the loaded spec, copy-on-write) renders one group of them while
this process renders the other; the child sends its files back as ``marshal``
data through a pipe. Any failure in the child (a template error, say) makes
this process render that group itself, so errors surface exactly as they
would in a serial build and the output never depends on the path taken.
"""

from __future__ import annotations

import contextlib
import marshal
import os

from contractgen.spec import Spec
from contractgen.surfaces import Options, OutputFile, render_serial

#: Below this many operations and events, forking costs more than it saves.
MIN_ITEMS = 200
#: Rough relative cost of each surface, to balance the two groups.
WEIGHT = {"openapi": 3, "docs": 3, "graphql": 2, "python": 2}


def _groups(surfaces: list[str]) -> tuple[list[str], list[str]]:
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


def _use_fork(spec: Spec, surfaces: list[str], parallel: bool) -> bool:
    return (
        parallel
        and len(surfaces) > 1
        and hasattr(os, "fork")
        and (os.cpu_count() or 1) > 1
        and len(spec.operations) + len(spec.events) >= MIN_ITEMS
        and os.environ.get("CONTRACTGEN_SERIAL") != "1"
    )


def render_split(
    spec: Spec, options: Options, surfaces: list[str], parallel: bool
) -> list[OutputFile]:
    if not _use_fork(spec, surfaces, parallel):
        return render_serial(spec, options, surfaces)
    here, there = _groups(surfaces)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, send, exit without running any cleanup
        code = 1
        try:
            os.close(read_end)
            files = render_serial(spec, options, there)
            blob = marshal.dumps([(f.path, f.content, f.sources) for f in files])
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(blob)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        mine = render_serial(spec, options, here)
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            blob = pipe.read()
        _, status = os.waitpid(pid, 0)
    received: list[OutputFile] | None = None
    if status == 0:
        with contextlib.suppress(ValueError, EOFError, TypeError):
            received = [OutputFile(p, c, tuple(s)) for p, c, s in marshal.loads(blob)]
    if received is None:
        received = render_serial(spec, options, there)
    return mine + received
