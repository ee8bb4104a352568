"""Parsing a large tree on two cores.

YAML parsing is most of the time of loading a large tree, and every file is
parsed on its own, so a forked child parses the second half of the files
while this process parses the first; the child sends its documents back as
``marshal`` data (plain dicts, lists, tuples and strings) through a pipe.

Used only where ``os.fork`` exists, more than one core is available and the
tree is large enough to repay the fork. If the child fails for any reason,
its half is parsed here: the result never depends on the path taken.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Sequence
from typing import Any

from contractgen.diagnostics import Diagnostic, Level
from contractgen.load.yamlpos import Document, Positions, parse

#: Below this many bytes of YAML, forking costs more than it saves.
MIN_BYTES = 400_000

Job = tuple[bytes, str]  # (file bytes, display name)


def _to_wire(doc: Document) -> tuple[Any, ...]:
    diags = [
        (d.level.value, d.code, d.message, d.file, d.line, d.col, d.hint, d.related)
        for d in doc.diagnostics
    ]
    return (doc.data, doc.positions.values, doc.positions.keys, diags)


def _from_wire(wire: tuple[Any, ...]) -> Document:
    data, values, keys, diags = wire
    return Document(
        data,
        Positions(values, keys),
        [
            Diagnostic(Level(lv), code, msg, file, line, col, hint, tuple(map(tuple, related)))
            for lv, code, msg, file, line, col, hint, related in diags
        ],
    )


def _use_fork(jobs: Sequence[Job]) -> bool:
    return (
        hasattr(os, "fork")
        and (os.cpu_count() or 1) > 1
        and sum(len(data) for data, _ in jobs) >= MIN_BYTES
        and os.environ.get("CONTRACTGEN_SERIAL") != "1"
    )


def parse_all(jobs: Sequence[Job]) -> list[Document]:
    """Documents for every job, in order."""
    if not _use_fork(jobs):
        return [parse(data, name) for data, name in jobs]
    middle = len(jobs) // 2
    mine, theirs = jobs[:middle], jobs[middle:]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: parse, send, exit without running any cleanup
        code = 1
        try:
            os.close(read_end)
            blob = marshal.dumps([_to_wire(parse(data, name)) for data, name in theirs])
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(blob)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    docs = [parse(data, name) for data, name in mine]
    with os.fdopen(read_end, "rb") as pipe:
        blob = pipe.read()
    _, status = os.waitpid(pid, 0)
    received: list[Document] | None = None
    if status == 0:
        with contextlib.suppress(ValueError, EOFError, TypeError):
            received = [_from_wire(w) for w in marshal.loads(blob)]
    if received is None or len(received) != len(theirs):
        received = [parse(data, name) for data, name in theirs]
    return docs + received
