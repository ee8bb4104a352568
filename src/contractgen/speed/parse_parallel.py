"""Parsing a large tree on two cores.

YAML parsing is most of the time of loading a large tree, and every file is
parsed on its own, so a forked child parses the last part of the files while
this process parses the first. The child sends its documents back in batches,
each document as ``marshal`` bytes (plain dicts, lists, tuples and strings,
which a parse cache can store as they are), so this process
unpacks and checks the first batches while the child still parses the next;
when it has nothing else to do, it parses the child's last files itself.

Parsing starts (``Parsing``) before the caller imports the modules that check
documents, so the child is at work while this process imports them.

Used only where ``os.fork`` exists, more than one core is available and the
tree is large enough to repay the fork. If the child fails for any reason,
what it did not send is parsed here (see ``contractgen.speed.forking``).
"""

from __future__ import annotations

import marshal
import mmap
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from contractgen.diagnostics import Diagnostic, Level
from contractgen.load.yamlpos import Document, Positions, parse
from contractgen.speed.forking import END, NONE_YET, Child, can_fork

#: Below this many bytes of YAML, forking costs more than it saves.
MIN_BYTES = 400_000
#: The child's share of the bytes. It only parses; this process also imports
#: the checking modules meanwhile, unpacks what the child sends, checks every
#: file and resolves most models. When this process runs out of work first, it
#: parses the child's last files itself (``_Shared``), so a core slowed by
#: other work on the machine holds the load up less. (0.6 to 0.9 measured
#: alike for a 1,300-operation tree.)
CHILD_SHARE = 0.7
#: Documents per batch the child sends.
BATCH = 32

Job = tuple[bytes, str]  # (file bytes, display name)
#: Hears of a document (by its job's index) as soon as this process has it.
Early = Callable[[int, Document], None]
#: Hears of a document's wire form as ``marshal`` bytes (by its job's index).
Wired = Callable[[int, bytes], None]


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


class _Shared:
    """The child's part of the jobs, in memory both processes share: the child
    takes jobs from its front (``next``), this process takes from its back
    (``end``) once it has nothing else to do.

    Each value has one writer. When both reach for the last job at the same
    moment, both parse it (this process keeps its own); no job is ever left out,
    since each side gives up only after seeing the other take the job.
    """

    def __init__(self, start: int, end: int) -> None:
        self.memory = mmap.mmap(-1, 16)  # anonymous and shared with a forked child
        self.values = memoryview(self.memory).cast("q")
        self.values[0] = start  # next: the child's next job
        self.values[1] = end  # end: one past the child's last job

    def child_takes(self) -> int | None:
        values = self.values
        job = values[0]
        if job >= values[1]:
            return None
        values[0] = job + 1
        return job

    def parent_takes(self) -> int | None:
        values = self.values
        job = values[1] - 1
        if job < values[0]:
            return None
        values[1] = job
        return job


def _batches(jobs: Sequence[Job], shared: _Shared) -> Iterator[list[tuple[int, bytes]]]:
    """The child's work: its jobs in order, parsed and sent in batches, each
    document (as ``marshal`` bytes of its wire form) with its job's index."""
    batch: list[tuple[int, bytes]] = []
    while (i := shared.child_takes()) is not None:
        data, name = jobs[i]
        batch.append((i, marshal.dumps(to_wire(parse(data, name)))))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class Parsing:
    """Parsing of some files, under way (in a child, for a large tree) from creation.

    With ``wired``, each document's wire form is handed on as ``marshal`` bytes
    (by job index) for a cache to store: the child sends them so.
    """

    def __init__(self, jobs: Sequence[Job], wired: Wired | None = None) -> None:
        self.jobs = jobs
        self.split = len(jobs)
        self.child: Child | None = None
        self.shared: _Shared | None = None
        self.wired = wired
        if _use_fork(jobs):
            split = _split(jobs)
            try:
                shared = _Shared(split, len(jobs))
                self.child = Child(lambda: _batches(jobs, shared))
            except OSError:  # no process or memory to spare: everything here
                return
            self.split, self.shared = split, shared

    def finish(self, take: Early) -> None:
        """Hands every job's document to ``take`` (once each), as soon as this
        process has it: those it parses itself, then each batch from the child
        as it arrives, so the caller's next step overlaps the child's parsing.
        When this process has nothing else to do, it parses the child's last
        jobs. Nothing here keeps a document once ``take`` has it."""
        jobs = self.jobs
        seen: set[int] = set()
        wired = self.wired

        def once(i: int, doc: Document, blob: bytes | None = None) -> None:
            if i not in seen:
                seen.add(i)
                if wired is not None:
                    wired(i, blob if blob is not None else marshal.dumps(to_wire(doc)))
                take(i, doc)

        child, shared = self.child, self.shared
        try:
            for i in range(self.split):
                once(i, parse(*jobs[i]))
                if child is not None:
                    child.poll()
            if child is not None and shared is not None:
                self._from_child(child, shared, once)
        finally:
            if child is not None:
                child.wait()
        # Whatever a failed child did not send.
        for i, job in enumerate(jobs):
            if i not in seen:
                once(i, parse(*job))
        self.jobs = ()  # (their bytes are the caller's to let go)

    def _from_child(
        self, child: Child, shared: _Shared, take: Callable[[int, Document, bytes | None], None]
    ) -> None:
        """Takes the child's batches as they come, parsing its last jobs meanwhile."""
        total = len(self.jobs)
        wait = False
        while True:
            batch = child.take(wait)
            if batch is END:
                return
            if batch is NONE_YET:
                job = shared.parent_takes()
                if job is None:
                    wait = True  # nothing left to parse here: wait for the child
                else:
                    take(job, parse(*self.jobs[job]), None)
                continue
            try:
                received = [(i, from_wire(marshal.loads(blob)), blob) for i, blob in batch]
            except (ValueError, TypeError, EOFError):
                return
            for i, doc, blob in received:
                if isinstance(i, int) and 0 <= i < total:
                    take(i, doc, blob)


def parse_all(jobs: Sequence[Job], early: Early | None = None) -> list[Document]:
    """Every job's document, in order (``early`` hears of each as it comes)."""
    docs: dict[int, Document] = {}

    def take(i: int, doc: Document) -> None:
        docs[i] = doc
        if early is not None:
            early(i, doc)

    Parsing(jobs).finish(take)
    return [docs[i] for i in range(len(jobs))]
