"""Two pieces of work on two cores: one here, one in a forked child.

The child shares everything already loaded (copy-on-write), runs its
function, and sends the result back as ``marshal`` data (plain dicts, lists,
tuples, strings, numbers) through a pipe, then exits without running any
cleanup. A failed child yields None, and the caller does that piece itself,
so results never depend on the path taken.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return (
        hasattr(os, "fork")
        and (os.cpu_count() or 1) > 1
        and os.environ.get("CONTRACTGEN_SERIAL") != "1"
    )


def in_two(here: Callable[[], T], there: Callable[[], Any]) -> tuple[T, Any | None]:
    """(here(), there()) with there() run in a child; its result is None if it failed."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            os.close(read_end)
            blob = marshal.dumps(there())
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(blob)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        mine = here()
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            blob = pipe.read()
        _, status = os.waitpid(pid, 0)
    theirs: Any | None = None
    if status == 0:
        with contextlib.suppress(ValueError, EOFError, TypeError):
            theirs = marshal.loads(blob)
    return mine, theirs


def in_background(work: Callable[[], None]) -> bool:
    """Runs work in a detached grandchild (so no zombie is left); False if it could not.

    For work whose result nobody waits for, such as writing a cache file.
    """
    if not hasattr(os, "fork"):
        return False
    pid = os.fork()
    if pid == 0:  # the child: start the grandchild and leave at once
        code = 0
        try:
            if os.fork() == 0:
                try:
                    work()
                finally:
                    os._exit(0)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return status == 0
