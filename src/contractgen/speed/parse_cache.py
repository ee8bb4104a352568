"""A persistent cache of parsed contract files, keyed by their bytes.

Parsing YAML is the largest part of loading a tree. Most runs on a
developer's machine see the same files as the run before, so each file's
parse result (data, positions, diagnostics) is kept in one ``marshal`` file
under ``.contractgen-cache/`` and reused while the file's bytes (and its
display name, which diagnostics carry) are unchanged. The cache is dropped
whole when contractgen's parser changes. It is only ever an optimisation:
a missing, unreadable or foreign cache file means parsing everything.

The file holds each document as ``marshal`` bytes of its wire form, one after
the other, then an index (the format's tag, and each entry's key, offset and
length) and the index's length. So a load writes each freshly parsed
document as it comes (the forked child sends them as such bytes), and never
holds every document, or every document's bytes, at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from contractgen import __version__
from contractgen.load import yamlerrors, yamlpos
from contractgen.load.yamlpos import Document, parse
from contractgen.speed import parse_parallel as parallel
from contractgen.speed.parse_parallel import Early, Job, Parsing, from_wire, to_wire


def _format_tag() -> str:
    """Changes whenever the parser's code, this cache's format (or contractgen's
    version) changes."""
    h = hashlib.sha256(__version__.encode())
    for module in (yamlpos, yamlerrors, parallel, sys.modules[__name__]):
        h.update(Path(str(module.__file__)).read_bytes())
    return h.hexdigest()


#: The first bytes of a parse cache file (a file without them is not one).
_MAGIC = b"contractgen parse cache\n"
_LENGTH = 8  # bytes of the index's length, at the end


class ParseCache:
    def __init__(self, folder: Path) -> None:
        self.path = folder / "parse.marshal"

    def read(self, tag: str) -> dict[str, memoryview]:
        """Each entry's bytes by key (nothing from a missing, damaged or foreign file)."""
        try:
            data = self.path.read_bytes()
            if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + _LENGTH:
                return {}
            size = int.from_bytes(data[-_LENGTH:], "little")
            stored = marshal.loads(data[-_LENGTH - size : -_LENGTH])
            if not isinstance(stored, tuple) or len(stored) != 2 or stored[0] != tag:
                return {}
            view = memoryview(data)
            return {key: view[at : at + length] for key, at, length in stored[1]}
        except (OSError, ValueError, EOFError, TypeError):
            return {}

    def writer(self) -> _Writer | None:
        """A new cache file, written entry by entry (None where none can be written)."""
        try:
            return _Writer(self.path)
        except OSError:
            return None  # a read-only checkout loads, just without the cache


class _Writer:
    """A cache file under way: entries as they come, then the index and a rename."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"  # (the cache stays out of version control)
        if not ignore.exists():
            ignore.write_text("*\n")
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}")
        self.handle: BinaryIO | None = open(self.tmp, "wb")  # noqa: SIM115 (closed in close)
        self.handle.write(_MAGIC)
        self.offset = len(_MAGIC)
        self.index: list[tuple[str, int, int]] = []

    def add(self, key: str, blob: bytes | memoryview) -> None:
        if self.handle is None:
            return
        try:
            self.handle.write(blob)
        except OSError:
            self.discard()
            return
        self.index.append((key, self.offset, len(blob)))
        self.offset += len(blob)

    def close(self, tag: str) -> None:
        """Writes the index and puts the file in place of the old one."""
        if self.handle is None:
            return
        index = marshal.dumps((tag, self.index))
        try:
            self.handle.write(index + len(index).to_bytes(_LENGTH, "little"))
            self.handle.close()
            self.handle = None
            os.replace(self.tmp, self.path)
        except OSError:
            self.discard()

    def discard(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)


def _key(job: Job) -> str:
    data, name = job
    return hashlib.sha1(data, usedforsecurity=False).hexdigest() + "\0" + name


class CachedParsing:
    """Parsing, under way from creation, of the files the cache does not hold; when
    anything changed, the new cache file is written as the documents come."""

    def __init__(self, jobs: Sequence[Job], cache: ParseCache) -> None:
        self.jobs = jobs
        self.tag = _format_tag()
        self.entries = cache.read(self.tag)
        self.keys = [_key(job) for job in jobs]
        self.todo = [i for i, key in enumerate(self.keys) if key not in self.entries]
        changed = bool(self.todo) or len(self.entries) != len(self.keys)
        self.writer = cache.writer() if changed else None
        todo, keys, writer = self.todo, self.keys, self.writer
        wired = (lambda k, blob: writer.add(keys[todo[k]], blob)) if writer is not None else None
        self.parsing = Parsing([jobs[i] for i in todo], wired)

    def finish(self, take: Early) -> None:
        """Hands every job's document to ``take`` (once each): the freshly parsed ones
        as soon as they are there, then the others."""
        todo, keys = self.todo, self.keys
        self.parsing.finish(lambda k, doc: take(todo[k], doc))
        done = set(todo)
        for i, key in enumerate(keys):
            if i not in done:
                take(i, self._cached(i, key))
        if self.writer is not None:
            self.writer.close(self.tag)
        self.jobs = ()  # (their bytes are the caller's to let go)

    def _cached(self, i: int, key: str) -> Document:
        """A cached document (parsed again, should its entry be damaged), written to
        the new cache file, if any."""
        blob: bytes | memoryview = self.entries[key]
        try:
            doc = from_wire(marshal.loads(blob))
        except (ValueError, EOFError, TypeError):
            doc = parse(*self.jobs[i])
            blob = marshal.dumps(to_wire(doc))
        if self.writer is not None:
            self.writer.add(key, blob)
        return doc


def start_parsing(jobs: Sequence[Job], cache: ParseCache | None) -> Parsing | CachedParsing:
    """Starts parsing every job (only what the cache does not hold, with a cache);
    ``finish(early)`` on the result gives the documents, and tells early of each."""
    return Parsing(jobs) if cache is None else CachedParsing(jobs, cache)
