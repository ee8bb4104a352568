"""Work on two cores: one piece here, one in a forked child.

The child shares everything already loaded (copy-on-write), runs its work,
and sends results back as ``marshal`` data (plain dicts, lists, tuples,
strings, numbers) through a pipe, then exits without running any cleanup.

A child sends a stream of items, each framed by its length, so this process
can take the first items while the child still works on the next (see
``Child``). A failed child sends fewer items, or none: the caller does what
is missing itself, so results never depend on the path taken.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from contractgen.speed import enabled

T = TypeVar("T")

_FRAME = 8  # bytes of the little-endian length before each item


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: What ``Child.take`` gives when no item has come yet, or none will.
NONE_YET = _Marker("NONE_YET")
END = _Marker("END")
_CHUNK = 1 << 20


def can_fork() -> bool:
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and enabled("two-cores")


class Child:
    """A forked child producing items; this process reads them as they come.

    ``poll`` takes whatever the child has sent so far without waiting (call it
    now and then while working here, so the child never waits on a full
    pipe); ``take`` gives the next item (at once, or waiting for it); ``items``
    yields every item; ``wait`` reaps the child and tells whether it finished
    cleanly.
    """

    def __init__(self, work: Callable[[], Iterable[Any]]) -> None:
        read_end, write_end = os.pipe()
        _widen(write_end)
        pid = os.fork()
        if pid == 0:  # the child
            code = 1
            try:
                os.close(read_end)
                for item in work():
                    blob = marshal.dumps(item)
                    _write_all(write_end, len(blob).to_bytes(_FRAME, "little"))
                    _write_all(write_end, blob)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        self.pid = pid
        self.fd: int | None = read_end
        self.buffer = bytearray()  # what came and was not taken yet
        self.ended = False  # the child closed the pipe
        self.damaged = False
        self._blocking(False)

    def _blocking(self, on: bool) -> None:
        assert self.fd is not None
        os.set_blocking(self.fd, on)
        self.waits = on

    def poll(self) -> None:
        """Moves what the pipe holds into the buffer, without waiting."""
        if self.fd is not None and self.waits:
            self._blocking(False)
        while self.fd is not None and not self.ended:
            try:
                data = os.read(self.fd, _CHUNK)
            except BlockingIOError:
                return
            if not data:
                self.ended = True
                return
            self.buffer += data

    def _fill(self) -> bool:
        """Waits for more bytes; False at the end of the stream."""
        if self.fd is None or self.ended:
            return False
        if not self.waits:
            self._blocking(True)
        data = os.read(self.fd, _CHUNK)
        if not data:
            self.ended = True
            return False
        self.buffer += data
        return True

    def take(self, wait: bool = True) -> Any:
        """The next complete item the child sent. Without wait, NONE_YET when it has
        not come yet; END at the end of the stream, or at a damaged item."""
        buffer = self.buffer
        while True:
            self.poll()  # so that the child goes on while its items are used here
            if len(buffer) >= _FRAME:
                end = _FRAME + int.from_bytes(buffer[:_FRAME], "little")
                if len(buffer) >= end:
                    try:
                        with memoryview(buffer) as view:  # (no copy of a large item)
                            item = marshal.loads(view[_FRAME:end])
                    except (ValueError, EOFError, TypeError):
                        self.damaged = True
                        return END
                    del buffer[:end]  # (cheap: a bytearray drops its head in place)
                    return item
            if self.damaged or self.fd is None or (self.ended and not wait):
                return END
            if not wait and not self.ended:
                return NONE_YET
            if not self._fill():
                return END

    def items(self) -> Iterator[Any]:
        """Every complete item the child sends, in order, waiting for each."""
        while (item := self.take()) is not END:
            yield item

    def wait(self) -> bool:
        """Reaps the child; True when it sent everything and exited cleanly (its
        unread items are then lost)."""
        if self.fd is not None:
            os.close(self.fd)  # a child still writing gets a broken pipe, and stops
            self.fd = None
        _, status = os.waitpid(self.pid, 0)
        return status == 0 and self.ended and not self.damaged


def _widen(fd: int) -> None:
    """Gives the pipe a larger buffer where the system allows (Linux): fewer
    waits for a child whose items come faster than they are read."""
    with contextlib.suppress(ImportError, AttributeError, OSError):
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _CHUNK)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def in_two(here: Callable[[], T], there: Callable[[], Any]) -> tuple[T, Any | None]:
    """(here(), there()) with there() run in a child; its result is None if it failed
    (or no child could be started)."""
    try:
        child = Child(lambda: (there(),))
    except OSError:
        return here(), None
    try:
        mine = here()
        received = list(child.items())
    finally:
        clean = child.wait()
    return mine, (received[0] if clean and len(received) == 1 else None)


def _let_go_of_stdio() -> None:
    """Points the detached process's standard streams at the null device, in a session
    of its own: whoever reads the command's output through a pipe (a CI log, a
    ``| tee``, ``subprocess.run(capture_output=True)``) sees its end when the command
    exits, not when the background work does."""
    with contextlib.suppress(OSError):  # (already a session leader)
        os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    if null > 2:
        os.close(null)


def in_background(work: Callable[[], None]) -> bool:
    """Runs work in a detached child; False if it could not. A thread of this process
    reaps it (so no zombie is left in a long-lived process, such as ``watch``); a
    command that ends first leaves it to the system.

    For work whose result nobody waits for, such as writing a cache file.
    """
    if not hasattr(os, "fork") or not enabled("background"):
        return False
    try:
        pid = os.fork()
    except OSError:
        return False
    if pid == 0:  # the child
        try:
            _let_go_of_stdio()
            work()
        finally:
            os._exit(0)
    threading.Thread(target=_reap, args=(pid,), daemon=True).start()
    return True


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


#: Work left for the background (see ``later``), in the order it was left.
_left: list[Callable[[], None]] = []


def later(work: Callable[[], None], first: bool = False) -> None:
    """Leaves work nobody waits for (removing a replaced tree, writing the state) to one
    detached process, started by ``done``: one fork per build, not one per piece.
    With first, before the work left so far (what a next build waits for)."""
    _left.insert(0 if first else len(_left), work)


def done() -> None:
    """Does the work left by ``later``, in order, in one detached process (here, where
    none can be started)."""
    works = list(_left)
    _left.clear()
    if not works:
        return

    def all_of_it() -> None:
        while works:
            with contextlib.suppress(OSError):  # (one failing leaves the others to do)
                works.pop(0)()
            works.extend(_left)  # (what that work left in turn, such as an old cache file)
            _left.clear()

    if not in_background(all_of_it):
        all_of_it()
