"""SHA-256 on a thread of its own, and files mapped rather than read.

A large file (a merged document of a 13,000-operation tree is 67 MB, its
manifest 26 MB) costs about as much to hash as to copy. hashlib lets go of
the interpreter's lock for large pieces, so a ``Digest`` hashes on a second
core while the caller writes: the two take as long as the longer of them.
"""

from __future__ import annotations

import contextlib
import hashlib
import mmap
import os
import queue
import threading
from collections.abc import Iterator
from typing import BinaryIO

#: Bytes handed on at a time: the thread hashes one while the next is written.
PIECE = 1 << 22


@contextlib.contextmanager
def mapped(handle: BinaryIO) -> Iterator[memoryview]:
    """A file's bytes, mapped (an empty file has nothing to map)."""
    if os.fstat(handle.fileno()).st_size == 0:
        yield memoryview(b"")
        return
    with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as pages:
        view = memoryview(pages)
        try:
            yield view
        finally:
            view.release()  # (its slices are hashed and written by now)


class Digest:
    """A SHA-256 computed on a thread of its own while the caller goes on. Every piece
    handed to it is hashed by the time the ``with`` block is left; the pieces must
    not change until then."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self._queue: queue.SimpleQueue[bytes | memoryview | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Digest:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        while (piece := self._queue.get()) is not None:
            for start in range(0, len(piece), PIECE):
                self._hash.update(piece[start : start + PIECE])

    def update(self, piece: bytes | memoryview) -> None:
        self._queue.put(piece)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()
