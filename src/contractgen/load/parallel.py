"""Parsing a large tree on two cores.

YAML parsing is most of the time of loading a large tree, and every file is
parsed on its own, so a forked child parses the second half of the files
while this process parses the first; the child sends its documents back as
``marshal`` data (plain dicts, lists, tuples and strings) through a pipe.

Used only where ``os.fork`` exists, more than one core is available and the
tree is large enough to repay the fork. If the child fails for any reason,
its half is parsed here (see ``contractgen.forking``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any

from contractgen.diagnostics import Diagnostic, Level
from contractgen.forking import can_fork, in_two
from contractgen.load.yamlpos import Document, Positions, parse

#: Below this many bytes of YAML, forking costs more than it saves.
MIN_BYTES = 400_000

Job = tuple[bytes, str]  # (file bytes, display name)
#: Hears of a document (by its job's index) as soon as this process has parsed it.
Early = Callable[[int, Document], None]


def to_wire(doc: Document) -> tuple[Any, ...]:
    diags = [
        (d.level.value, d.code, d.message, d.file, d.line, d.col, d.hint, d.related)
        for d in doc.diagnostics
    ]
    return (doc.data, doc.positions.values, doc.positions.keys, diags)


def from_wire(wire: tuple[Any, ...]) -> Document:
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
    return can_fork() and sum(len(data) for data, _ in jobs) >= MIN_BYTES


def _parse(jobs: Sequence[Job]) -> list[Document]:
    return [parse(data, name) for data, name in jobs]


def parse_all(jobs: Sequence[Job], early: Early | None = None) -> list[Document]:
    """Documents for every job, in order.

    With two processes, ``early`` hears of this process's half while the child
    still parses (or sends) its own, so the caller's next step overlaps it.
    """
    if not _use_fork(jobs):
        return _parse(jobs)
    middle = len(jobs) // 2
    mine, theirs = jobs[:middle], jobs[middle:]

    def here() -> list[Document]:
        docs = _parse(mine)
        if early is not None:
            for i, doc in enumerate(docs):
                early(i, doc)
        return docs

    docs, wire = in_two(here, lambda: [to_wire(doc) for doc in _parse(theirs)])
    received: list[Document] | None = None
    if isinstance(wire, list) and len(wire) == len(theirs):
        with contextlib.suppress(ValueError, TypeError):
            received = [from_wire(w) for w in wire]
    return docs + (received if received is not None else _parse(theirs))
