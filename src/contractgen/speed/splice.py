"""Merged documents spliced from the previous file instead of kept in the state.

A merged document (``openapi.yaml``, ...) is mostly the text of every domain's
piece, laid out by the surface's ``assemble``. Keeping every domain's text in
the incremental state would make the state (and every edit, which reads it)
as large as those documents, and assembling them again would make every edit
cost as much as the tree. Instead, a surface names the slots of its pieces
that hold such text (``spliced_texts(piece)``: lists and their indexes), and
a build that writes does this around ``assemble`` (``Texts``):

1. every text in those slots is replaced by a marker (``\\x00<n>\\x00``; no
   surface writes a raw NUL character, and a text whose end a template might
   strip is left as it is);
2. ``assemble`` lays out the markers as it would the texts;
3. the writer expands each marker into the text's bytes, and notes where in
   the new file each one went;
4. each slot then holds that place, ``(path, offset, length)``, instead of the
   text (or, when no file holds it, the text in a list of one; when a file
   holds it twice, the text).

The next incremental build takes the pieces of the domains it does not render
again from the state, places and all, and the bytes from the files the
previous build wrote (the plan checked the folder is as it was left). When
the domains it renders again have pieces that differ from their previous ones
only in texts held at places (``Patch``), the merged files are not assembled
at all: each is the previous file with those texts replaced where they stand,
which is what assembling would give, since ``assemble`` is a pure function of
the pieces, and the pieces with markers are the same.

A patch moves the places of every text after an edit. Instead of reading and
writing every domain's piece for that, the state keeps each piece as a record
(``record``: marshal bytes, with the number of patches it has seen) and the
moves of the patches since (``Shifts``, a few numbers per edit); a record is
read (``read_record``, its places moved) only when its domain is rendered
again or the files are assembled whole. After ``MOVES`` patches, the process
that writes the state reads and writes every record afresh.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import marshal
import mmap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from contractgen.config import Config
from contractgen.speed import enabled
from contractgen.speed.digest import PIECE, Digest, mapped
from contractgen.surfaces import OutputFile, Surface

MARK = "\x00"
#: Where a text went in a merged file: (path, byte offset, byte length).
Place = tuple[str, int, int]
#: The slots of a piece holding text: (list, index) pairs.
Slots = Callable[[Any], Iterator[tuple[list[Any], int]]]
#: A text put where an earlier one stood: (offset, length, text, its slot).
Edit = tuple[int, int, str, tuple[list[Any], int]]


class SpliceFailed(Exception):
    """A place the state names is not in the folder's file: build in full instead."""


def _stands_in(text: str) -> bool:
    """Whether a marker may stand in for text: not when it ends in white space, which
    a template may strip from the end of a document."""
    return bool(text[-1:].strip())


@dataclass
class Texts:
    """The texts of one surface's pieces while markers stand in for them."""

    #: Each marker's text, or its place in the folder's file from the previous build.
    values: list[str | Place] = field(default_factory=list)
    slots: list[tuple[list[Any], int]] = field(default_factory=list)
    #: Where each marker went in the files written now.
    written: dict[int, Place] = field(default_factory=dict)
    #: Markers written more than once.
    twice: set[int] = field(default_factory=set)
    #: The texts of earlier places that no file holds from now on.
    kept: dict[int, str] = field(default_factory=dict)

    def stand_in(self, pieces: Mapping[str, Any], slots_of: Slots) -> None:
        for domain in sorted(pieces):
            for container, index in slots_of(pieces[domain]):
                value = container[index]
                if isinstance(value, list):  # a text no file held: the text itself
                    value = container[index] = value[0]
                if isinstance(value, str) and not _stands_in(value):
                    continue
                marker = f"{MARK}{len(self.values)}{MARK}"
                self.values.append(value if isinstance(value, str) else tuple(value))
                self.slots.append((container, index))
                container[index] = marker

    def merged(self, assemble: Callable[[], list[OutputFile]]) -> list[OutputFile]:
        """The assembled files, those holding markers as Spliced files."""
        return [
            Spliced(f.path, f.content, f.sources, self) if MARK in f.content else f
            for f in assemble()
        ]

    def restore(self) -> list[Any]:
        """Puts each text's place back into its slot; or, where no file holds it, the
        text in a list of one; or, where a file holds it twice, the text. Every place
        is new: no earlier patch needs to move any (no ``moves``)."""
        for n, (container, index) in enumerate(self.slots):
            place = self.written.get(n)
            if place is not None and n not in self.twice:
                container[index] = place
                continue
            value = self.values[n]
            text = value if isinstance(value, str) else self.kept[n]
            container[index] = text if place is not None else [text]
        self.slots = []
        return []


class Deferred(OutputFile):
    """A merged file whose bytes are made when it is placed (see ``expand``)."""

    def expand(self, out: Path) -> bytes:
        raise NotImplementedError

    def write_to(self, handle: BinaryIO, out: Path) -> str:
        """Writes the file's bytes to handle; returns their SHA-256."""
        data = self.expand(out)
        handle.write(data)
        return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Spliced(Deferred):
    """A merged file whose content holds markers (see the module docstring)."""

    texts: Texts = field(default_factory=Texts, compare=False, repr=False)

    def expand(self, out: Path) -> bytes:
        """The file's bytes, taking earlier texts from the folder's files (out)."""
        with _Sources(out) as sources:
            chunks = list(self._chunks(sources))
            data = b"".join(chunks)
            _release(chunks)
            _keep_unwritten(self.texts, sources)
        return data

    def write_to(self, handle: BinaryIO, out: Path) -> str:
        """Writes the file's bytes as they are made, never holding them whole; returns
        their SHA-256."""
        digest = hashlib.sha256()
        with _Sources(out) as sources:
            for chunk in self._chunks(sources):
                handle.write(chunk)
                digest.update(chunk)
                _release([chunk])
            _keep_unwritten(self.texts, sources)
        return digest.hexdigest()

    def _chunks(self, sources: _Sources) -> Iterator[bytes | memoryview]:
        """The file's bytes in order, noting where each text goes."""
        parts = self.content.split(MARK)
        if len(parts) % 2 == 0:
            raise ValueError(f"unbalanced markers in {self.path}")
        texts = self.texts
        offset = 0
        for i, part in enumerate(parts):
            if i % 2 == 0:
                chunk: bytes | memoryview = part.encode("utf-8")
            else:
                n = int(part)
                value = texts.values[n]
                chunk = value.encode("utf-8") if isinstance(value, str) else sources.at(value)
                if n in texts.written:
                    texts.twice.add(n)
                texts.written[n] = (self.path, offset, len(chunk))
            size = len(chunk)  # (the writer releases a view once it is written)
            yield chunk
            offset += size


def _release(chunks: list[bytes | memoryview]) -> None:
    for chunk in chunks:
        if isinstance(chunk, memoryview):
            chunk.release()  # (before its map is closed)


def _keep_unwritten(texts: Texts, sources: _Sources) -> None:
    """Texts that only the folder's files held, and that nothing wrote now once:
    kept as text (those files are about to be replaced)."""
    for n, value in enumerate(texts.values):
        if not isinstance(value, str) and (n not in texts.written or n in texts.twice):
            with sources.at(value) as view:
                texts.kept[n] = str(view, "utf-8")


class _Sources:
    """The folder's files that places point into, each mapped once."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.maps: dict[str, mmap.mmap] = {}

    def __enter__(self) -> _Sources:
        return self

    def __exit__(self, *exc: object) -> None:
        for view in self.maps.values():
            view.close()

    def file(self, path: str) -> mmap.mmap:
        view = self.maps.get(path)
        if view is None:
            try:
                with open(self.out / path, "rb") as handle:
                    view = self.maps[path] = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError) as exc:
                raise SpliceFailed(f"{path}: {exc}") from exc
        return view

    def at(self, place: Place) -> memoryview:
        path, offset, length = place
        view = self.file(path)
        if offset + length > len(view):
            raise SpliceFailed(f"{path} is shorter than the state says")
        with memoryview(view) as whole:
            return whole[offset : offset + length]


# -- the previous files, patched ----------------------------------------------------


@dataclass
class Patch:
    """The previous merged files with the texts of the domains rendered again put
    where their previous texts stand; only when nothing else of their pieces changed."""

    pieces: Mapping[str, Any]
    slots_of: Slots
    #: The merged files of the previous build: [path, sources].
    files: list[Any]
    #: Per file: [offset, length, new text, slot] in file order.
    edits: dict[str, list[Edit]]
    #: The moves of the patches made since the oldest record was written (see ``moved``).
    moves: list[Shifts] = field(default_factory=list)
    #: Per file: the places of the edits made (old offset -> new place).
    moved: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    @classmethod
    def of(
        cls, pieces: Mapping[str, Any], previous: Mapping[str, Any], slots_of: Slots
    ) -> Patch | None:
        earlier = previous["pieces"]
        files = previous.get("merged")
        moves = previous.get("moves", [])
        if files is None or earlier.keys() != pieces.keys() or len(moves) >= MOVES:
            return None
        edits: dict[str, list[Edit]] = {}
        for domain, piece in pieces.items():
            if piece is earlier[domain]:
                continue
            was = earlier[domain]
            found = _edits(
                piece,
                read_record(was, moves, slots_of) if isinstance(was, bytes) else was,
                slots_of,
            )
            if found is None:
                return None
            for (path, offset, length), text, slot in found:
                edits.setdefault(path, []).append((offset, length, text, slot))
        if any(path not in {f[0] for f in files} for path in edits):
            return None
        for found_edits in edits.values():
            found_edits.sort(key=lambda e: e[0])
        return cls(pieces, slots_of, files, edits, moves)

    def merged(self, assemble: Callable[[], list[OutputFile]]) -> list[OutputFile]:
        """The previous merged files, patched (assemble is not needed)."""
        return [Patched(path, "", tuple(sources), self) for path, sources in self.files]

    def restore(self) -> list[Shifts]:
        """Puts its new place into each slot patched, and moves every other place in a
        patched file by what the edits before it added or took away; the pieces kept
        as records move theirs when they are read: returns the moves to keep."""
        shifts: Shifts = {}
        for path, edits in self.edits.items():
            starts, deltas, total = [], [], 0
            for (offset, length, _, _slot), (_, new_length) in zip(
                edits, self.moved.get(path, []), strict=False
            ):
                total += new_length - length
                starts.append(offset)
                deltas.append(total)
            shifts[path] = (starts, deltas)
        patched = {(id(e[3][0]), e[3][1]): (path, e) for path, es in self.edits.items() for e in es}
        for piece in self.pieces.values():
            if isinstance(piece, bytes):
                continue  # a record (see ``read_record``)
            for container, index in self.slots_of(piece):
                value = container[index]
                if type(value) is not tuple:
                    _patched_place(container, index, shifts, patched)
                else:
                    _shift(container, index, value, shifts)
        return [*self.moves, shifts]


#: How the places of a patched file moved: path -> (old offsets of the edits, and
#: what the edits up to each added or took away in all).
Shifts = dict[str, tuple[list[int], list[int]]]
#: Patches made before the records are all read and written again (``fresh_records``).
MOVES = 8


def _shift(container: list[Any], index: int, place: Place, shifts: Shifts) -> None:
    """Moves a place by what the edits before it in its file added or took away."""
    path, offset, length = place
    if path in shifts:
        starts, deltas = shifts[path]
        at = bisect.bisect_right(starts, offset)
        if at:
            container[index] = (path, offset + deltas[at - 1], length)


def record(piece: Any, moves: list[Shifts]) -> bytes:
    """A piece kept as a record: ``marshal`` bytes of it and of how many patches its
    places have seen (a record is read only for a domain an edit renders again)."""
    return marshal.dumps((len(moves), piece))


def read_record(data: bytes, moves: list[Shifts], slots_of: Slots) -> Any:
    """The piece a record holds, its places moved by every patch made since it was written."""
    seen, piece = marshal.loads(data)
    for shifts in moves[seen:]:
        for container, index in slots_of(piece):
            value = container[index]
            if type(value) is tuple:
                _shift(container, index, value, shifts)
    return piece


def fresh_records(
    pieces: Mapping[str, Any], moves: list[Shifts], slots_of: Slots
) -> dict[str, bytes]:
    """Every piece as a record that no patch has moved since (a state whose moves grew
    long is written so, from the detached process that writes it)."""
    return {
        d: record(read_record(p, moves, slots_of) if isinstance(p, bytes) else p, [])
        for d, p in pieces.items()
    }


def _patched_place(
    container: list[Any],
    index: int,
    shifts: dict[str, tuple[list[int], list[int]]],
    patched: dict[tuple[int, int], tuple[str, Edit]],
) -> None:
    """A slot holding text after a patch: the new place of the text, if it was patched."""
    edit = patched.get((id(container), index))
    if edit is not None:
        path, (offset, _, text, _) = edit
        starts, deltas = shifts[path]
        at = bisect.bisect_left(starts, offset)
        before = deltas[at - 1] if at else 0
        container[index] = (path, offset + before, len(text.encode("utf-8")))


def _edits(
    piece: Any, earlier: Any, slots_of: Slots
) -> list[tuple[Place, str, tuple[list[Any], int]]] | None:
    """The texts of a piece rendered again, with the places of their earlier texts;
    None unless the two pieces are the same but for texts held at places."""
    new_slots, old_slots = list(slots_of(piece)), list(slots_of(earlier))
    if len(new_slots) != len(old_slots):
        return None
    new = [c[i] for c, i in new_slots]
    old = [c[i] for c, i in old_slots]
    for c, i in [*new_slots, *old_slots]:
        c[i] = None
    same = piece == earlier
    for (c, i), value in zip([*new_slots, *old_slots], [*new, *old], strict=True):
        c[i] = value
    if not same:
        return None
    found: list[tuple[Place, str, tuple[list[Any], int]]] = []
    for slot, text, was in zip(new_slots, new, old, strict=True):
        if isinstance(was, list):  # no file held it, and none will
            slot[0][slot[1]] = [text]
        elif isinstance(was, str):
            if text != was:
                return None  # (a text a file holds twice, or as it is: assemble in full)
        elif not _stands_in(text):
            return None
        else:
            found.append((was, text, slot))
    return found


@dataclass(frozen=True)
class Patched(Deferred):
    """A previous merged file with some texts replaced (see ``Patch``)."""

    patch: Patch | None = field(default=None, compare=False, repr=False)

    def expand(self, out: Path) -> bytes:
        with io.BytesIO() as buffer:
            self.write_to(buffer, out)
            return buffer.getvalue()

    def write_to(self, handle: BinaryIO, out: Path) -> str:
        """Writes the previous file with the edits made, a piece at a time (a large
        document is never held whole: the previous one is mapped, not read); returns
        the SHA-256 of what it wrote, hashed on a thread of its own meanwhile."""
        assert self.patch is not None
        moved: list[tuple[int, int]] = []
        try:
            old = open(out / self.path, "rb")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise SpliceFailed(f"{self.path}: {exc}") from exc
        with old, mapped(old) as view, Digest() as digest:

            def put(data: bytes | memoryview) -> None:
                for start in range(0, len(data), PIECE):
                    piece = data[start : start + PIECE]
                    digest.update(piece)
                    handle.write(piece)

            at = 0
            for offset, length, text, _ in self.patch.edits.get(self.path, []):
                if offset < at or offset + length > len(view):
                    raise SpliceFailed(f"{self.path}: overlapping or missing places")
                put(view[at:offset])
                data = text.encode("utf-8")
                put(data)
                moved.append((offset, len(data)))
                at = offset + length
            put(view[at:])
        self.patch.moved[self.path] = moved
        return digest.hexdigest()


def wanted(config: Config, sink: object) -> bool:
    """Whether a build splices: one that writes (a check compares whole texts), with
    the built-in templates only (an override may lay texts out differently)."""
    from contractgen.write import InPlace, Staging

    writes = isinstance(sink, Staging | InPlace)
    return enabled("splice") and writes and config.templates is None


def stand_in(
    module: Surface, pieces: dict[str, Any], previous: Mapping[str, Any] | None
) -> Texts | Patch | None:
    """What stands in for the texts of a surface's pieces while it assembles, if it
    names any: a patch of the previous files when it can be one, else markers."""
    slots_of: Slots | None = getattr(module, "spliced_texts", None)
    if slots_of is None:
        return None
    patch = Patch.of(pieces, previous, slots_of) if previous is not None else None
    if patch is not None:
        return patch
    moves = previous.get("moves", []) if previous is not None else []
    for domain, piece in pieces.items():
        if isinstance(piece, bytes):
            pieces[domain] = read_record(piece, moves, slots_of)
    texts = Texts()
    texts.stand_in(pieces, slots_of)
    return texts
