"""A persistent cache of parsed contract files, keyed by their bytes.

Parsing YAML is the largest part of loading a tree. Most runs on a
developer's machine see the same files as the run before, so each file's
parse result (data, positions, diagnostics) is kept in one ``marshal`` file
under ``.contractgen-cache/`` and reused while the file's bytes (and its
display name, which diagnostics carry) are unchanged. The cache is dropped
whole when contractgen's parser changes. It is only ever an optimisation:
a missing, unreadable or foreign cache file means parsing everything.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from contractgen import __version__
from contractgen.files import write_cache_file
from contractgen.load import yamlerrors, yamlpos
from contractgen.load.yamlpos import Document, parse
from contractgen.speed import parse_parallel as parallel
from contractgen.speed.forking import in_background
from contractgen.speed.parse_parallel import Early, Job, Parsing, from_wire


def _format_tag() -> str:
    """Changes whenever the parser's code, this cache's format (or contractgen's
    version) changes."""
    h = hashlib.sha256(__version__.encode())
    for module in (yamlpos, yamlerrors, parallel, sys.modules[__name__]):
        h.update(Path(str(module.__file__)).read_bytes())
    return h.hexdigest()


class ParseCache:
    def __init__(self, folder: Path, background: bool = False) -> None:
        self.path = folder / "parse.marshal"
        #: Write the updated cache from a detached process: nobody waits for it.
        self.background = background

    def read(self, tag: str) -> dict[str, Any]:
        try:
            stored = marshal.loads(self.path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        if not isinstance(stored, dict) or stored.get("tag") != tag:
            return {}
        entries = stored.get("entries")
        return entries if isinstance(entries, dict) else {}

    def write(self, tag: str, entries: dict[str, Any]) -> None:
        if self.background and in_background(lambda: self._write(tag, entries)):
            return
        self._write(tag, entries)

    def _write(self, tag: str, entries: dict[str, Any]) -> None:
        write_cache_file(self.path, marshal.dumps({"tag": tag, "entries": entries}))


def _key(job: Job) -> str:
    data, name = job
    return hashlib.sha1(data, usedforsecurity=False).hexdigest() + "\0" + name


class CachedParsing:
    """Parsing, under way from creation, of the files the cache does not hold.

    The cache holds each file's document as ``marshal`` bytes of its wire form,
    so that neither reading nor writing it keeps every document at once: each
    is made when the caller takes it, and let go.
    """

    def __init__(self, jobs: Sequence[Job], cache: ParseCache) -> None:
        self.jobs = jobs
        self.cache = cache
        self.tag = _format_tag()
        self.entries = cache.read(self.tag)
        self.keys = [_key(job) for job in jobs]
        self.todo = [i for i, key in enumerate(self.keys) if not self._holds(key)]
        self.parsing = Parsing([jobs[i] for i in self.todo], wired=True)

    def _holds(self, key: str) -> bool:
        return isinstance(self.entries.get(key), bytes)

    def _cached(self, i: int, key: str) -> Document:
        """A cached document (parsed again, should its entry be damaged)."""
        try:
            return from_wire(marshal.loads(self.entries[key]))
        except (ValueError, EOFError, TypeError):
            del self.entries[key]
            return parse(*self.jobs[i])

    def finish(self, take: Early) -> None:
        """Hands every job's document to ``take`` (once each): the freshly parsed ones
        as soon as they are there, then the others."""
        todo, keys, entries = self.todo, self.keys, self.entries
        self.parsing.finish(lambda k, doc: take(todo[k], doc))
        fresh = self.parsing.blobs
        assert fresh is not None
        done = set(todo)
        for i, key in enumerate(keys):
            if i not in done:
                take(i, self._cached(i, key))
        if todo or len(entries) != len(keys):
            kept = {key: entries[key] for key in keys if key in entries}
            kept.update({keys[todo[k]]: blob for k, blob in fresh.items()})
            self.cache.write(self.tag, kept)


def start_parsing(jobs: Sequence[Job], cache: ParseCache | None) -> Parsing | CachedParsing:
    """Starts parsing every job (only what the cache does not hold, with a cache);
    ``finish(early)`` on the result gives the documents, and tells early of each."""
    return Parsing(jobs) if cache is None else CachedParsing(jobs, cache)
