"""Parsing a large tree on two cores.

YAML parsing is most of the time of loading a large tree, and every file is
parsed on its own, so a forked child parses the last part of the files while
this process parses the first. The child sends its documents back in batches
as ``marshal`` data (plain dicts, lists, tuples and strings), so this process
unpacks and checks the first batches while the child still parses the next.

Parsing starts (``Parsing``) before the caller imports the modules that check
documents, so the child is at work while this process imports them.

Used only where ``os.fork`` exists, more than one core is available and the
tree is large enough to repay the fork. If the child fails for any reason,
what it did not send is parsed here (see ``contractgen.forking``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from contractgen.diagnostics import Diagnostic, Level
from contractgen.forking import Child, can_fork
from contractgen.load.yamlpos import Document, Positions, parse

#: Below this many bytes of YAML, forking costs more than it saves.
MIN_BYTES = 400_000
#: The child's share of the bytes. It only parses; this process also imports
#: the checking modules meanwhile, unpacks what the child sends, checks every
#: file and resolves most models (the share that measured fastest for a
#: 1,300-operation tree; see benchmarks/README.md).
CHILD_SHARE = 0.7
#: Documents per batch the child sends.
BATCH = 32

Job = tuple[bytes, str]  # (file bytes, display name)
#: Hears of a document (by its job's index) as soon as this process has it.
Early = Callable[[int, Document], None]


def to_wire(doc: Document) -> tuple[Any, ...]:
    diags = [
        (d.level.value, d.code, d.message, d.file, d.line, d.col, d.hint, d.related)
        for d in doc.diagnostics
    ]
    return (doc.data, doc.positions.tables, doc.positions.root, diags)


def from_wire(wire: tuple[Any, ...]) -> Document:
    data, tables, root, diags = wire
    return Document(
        data,
        Positions(tables, tuple(root)),
        [
            Diagnostic(Level(lv), code, msg, file, line, col, hint, tuple(map(tuple, related)))
            for lv, code, msg, file, line, col, hint, related in diags
        ],
    )


def _use_fork(jobs: Sequence[Job]) -> bool:
    return can_fork() and sum(len(data) for data, _ in jobs) >= MIN_BYTES


def _split(jobs: Sequence[Job]) -> int:
    """Index of the first job the child parses: the last CHILD_SHARE of the bytes."""
    mine = (1 - CHILD_SHARE) * sum(len(data) for data, _ in jobs)
    seen = 0
    for i, (data, _) in enumerate(jobs):
        seen += len(data)
        if seen > mine:
            return i
    return len(jobs)


def _batches(jobs: Sequence[Job]) -> Iterator[list[tuple[Any, ...]]]:
    for start in range(0, len(jobs), BATCH):
        yield [to_wire(parse(data, name)) for data, name in jobs[start : start + BATCH]]


class Parsing:
    """Parsing of some files, under way (in a child, for a large tree) from creation."""

    def __init__(self, jobs: Sequence[Job]) -> None:
        self.jobs = jobs
        self.split = len(jobs)
        self.child: Child | None = None
        if _use_fork(jobs):
            self.split = _split(jobs)
            theirs = jobs[self.split :]
            self.child = Child(lambda: _batches(theirs))

    def finish(self, early: Early | None = None) -> list[Document]:
        """Documents for every job, in order.

        ``early`` hears of each document as soon as this process has it: those
        it parses itself, then each batch from the child as it arrives, so the
        caller's next step overlaps the child's parsing.
        """
        docs: list[Document] = []
        total = len(self.jobs)

        def take(doc: Document) -> None:
            docs.append(doc)
            if early is not None:
                early(len(docs) - 1, doc)

        child = self.child
        try:
            for data, name in self.jobs[: self.split]:
                take(parse(data, name))
                if child is not None:
                    child.poll()
            if child is not None:
                for batch in child.items():
                    try:
                        received = [from_wire(wire) for wire in batch]
                    except (ValueError, TypeError):
                        break
                    for doc in received[: total - len(docs)]:
                        take(doc)
        finally:
            if child is not None:
                child.wait()
        # Whatever a failed child did not send.
        for data, name in self.jobs[len(docs) :]:
            take(parse(data, name))
        return docs


def parse_all(jobs: Sequence[Job], early: Early | None = None) -> list[Document]:
    return Parsing(jobs).finish(early)
