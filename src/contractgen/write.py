"""The only code that touches the output folder.

It keeps a manifest of what the build wrote (path, content hash, sources),
writes each file atomically, prunes files an earlier build wrote that are no
longer produced, refuses paths that would escape the output folder, and has
a check mode that compares without writing.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import itertools
import json
import marshal
import mmap
import operator
import os
import shutil
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from contractgen.files import MANIFEST as MANIFEST
from contractgen.files import scan_folders, scan_output
from contractgen.portable import build_lock, exchange, replace_file
from contractgen.speed import enabled
from contractgen.speed.forking import done, later
from contractgen.surfaces import OutputFile


class UnsafePath(ValueError):
    """An output path the build must not write: absolute, climbing out of the
    output folder, or blocked by a file the build did not write."""


def digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def safe_relative(path: str) -> str:
    """The path, normalized, when it stays inside the output folder; else UnsafePath."""
    parts = path.split("/")
    if "." in parts:
        parts = [part for part in parts if part != "."]
    if (
        not path
        or path[0] == "/"
        or "\\" in path
        or not parts
        or ".." in parts
        or "" in parts
        or parts[0] == MANIFEST
    ):
        raise UnsafePath(f"refusing output path '{path}': it must stay inside the output folder")
    return "/".join(parts)


@dataclass
class Changes:
    """How the output folder differs from what the build produces."""

    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    #: SHA-256 of every file written or kept, by path (after an edit that renamed its
    #: files in, of those only: see ``InPlace``).
    hashes: dict[str, str] = field(default_factory=dict)
    #: SHA-256 of the manifest the folder holds after a build.
    manifest: str = ""

    @property
    def exact(self) -> bool:
        return not (self.stale or self.missing or self.orphaned)


def read_manifest(out: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else {}


def _existing(out: Path) -> set[str]:
    return set(scan_output(out) or {})


def refuse_unsafe(files: list[OutputFile]) -> None:
    """Raises UnsafePath for a path outside the folder, or one that two files claim
    (which would leave one of them lost)."""
    seen: set[str] = set()
    for f in files:
        rel = safe_relative(f.path)
        if rel in seen:
            raise UnsafePath(f"two generated files have the same path '{rel}'")
        seen.add(rel)


def compare(out: Path, files: list[OutputFile]) -> Changes:
    """What a build would change; reads only, never writes."""
    with Comparison(out) as comparison:
        return comparison.finish(comparison.place(files))


def unified_diff(out: Path, files: list[OutputFile], changes: Changes) -> str:
    by_path = {f.path: f for f in files}
    chunks: list[str] = []
    for rel in sorted([*changes.stale, *changes.missing, *changes.orphaned]):
        try:
            old = (out / rel).read_text(encoding="utf-8", errors="replace").splitlines(True)
        except OSError:
            old = []
        new = by_path[rel].content.splitlines(True) if rel in by_path else []
        chunks.extend(difflib.unified_diff(old, new, f"a/{rel}", f"b/{rel}"))
    return "".join(chunks)


# -- the whole tree, atomically -------------------------------------------------


def _sibling(out: Path, what: str) -> Path:
    return out.parent / f".{out.name}.contractgen-{what}"


def recover(out: Path) -> bool:
    """Cleans what a build killed mid-way left: staging trees, a half-done swap, or
    an edit's files left to rename in (see ``InPlace``). True when it completed such
    a patch: the folder then changed since the build record was written."""
    old = _sibling(out, "old")
    if not out.exists() and old.is_dir():
        os.rename(old, out)  # killed between the two renames of the fallback swap
    completed = False
    for leftover in out.parent.glob(f".{out.name}.contractgen-patch-*"):
        completed |= _complete_patch(leftover, out)
    for pattern in ("staging-*", "trash-*", "spare"):  # (spare: an earlier version's)
        for leftover in out.parent.glob(f".{out.name}.contractgen-{pattern}"):
            shutil.rmtree(leftover, ignore_errors=True)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    return completed


def _place(
    stage: str, rel: str, source: str | None, content: bytes | Chunks | None, made: set[str]
) -> None:
    """Puts one file into the staging tree: a hard link to source, or content (its
    bytes, or its bytes in pieces)."""
    _make_folder(stage, rel, made)
    target = f"{stage}/{rel}"
    if source is not None:
        try:
            os.link(source, target)
        except OSError:
            with open(source, "rb") as handle:
                content = handle.read()
            source = None
    if source is None:
        assert content is not None
        with open(target, "wb") as handle:
            if isinstance(content, bytes):
                handle.write(content)
            else:
                handle.writelines(content)


def _make_folder(stage: str, rel: str, made: set[str]) -> None:
    """Makes the folder of rel in the staging tree, unless it was made already."""
    parent = os.path.dirname(rel)
    if parent and parent not in made:  # one mkdir per folder, not per file
        os.makedirs(f"{stage}/{parent}", exist_ok=True)
        while parent and parent not in made:
            made.add(parent)
            parent = os.path.dirname(parent)


def _discard(tree: Path, out: Path) -> None:
    """Removes a previous tree without making the build wait: it is renamed aside
    and deleted by the build's detached process (``speed.forking.later``), or by
    the next build's ``recover``."""
    trash = _sibling(out, f"trash-{os.getpid()}-{time.monotonic_ns()}")
    try:
        os.rename(tree, trash)
    except OSError:
        shutil.rmtree(tree, ignore_errors=True)
        return
    later(lambda: shutil.rmtree(trash, ignore_errors=True))


def _swap_in(stage: Path, out: Path) -> None:
    """Makes stage the output folder; the previous tree is removed in the background."""
    if not out.exists():
        os.rename(stage, out)
        return
    if exchange(stage, out):
        _discard(stage, out)  # (the staging folder's name now holds the previous tree)
        return
    old = _sibling(out, "old")
    os.rename(out, old)
    os.rename(stage, out)
    _discard(old, out)


@dataclass(frozen=True)
class Earlier:
    """The folder as the build before left it, when an incremental build knows it (and
    checked it is untouched): each file's hash and sources by path, and the hash of
    the manifest it wrote."""

    files: Mapping[str, Sequence[Any]]  # path -> (hash, sources, ...)
    manifest: str


class Placed(NamedTuple):
    """One output file put into the staging tree, and how it compares with the folder.

    (A named tuple: a large tree places tens of thousands, most of them carried over.)
    """

    path: str
    sha256: str
    status: str  # "same", "stale" or "missing"
    sources: tuple[str, ...]

    def wire(self) -> tuple[str, str, str, tuple[str, ...]]:
        """Plain data, to cross from a forked child."""
        return (self.path, self.sha256, self.status, self.sources)

    @classmethod
    def from_wire(cls, data: Any) -> Placed:
        path, sha, status, sources = data
        return cls(path, sha, status, tuple(sources))


class Staging:
    """A new output tree assembled beside the folder, then swapped in whole.

    Holds the build lock from entry to exit; files may be placed from several
    processes (each places its own files; ``finish`` runs in the owner). Unless
    ``finish`` swapped it in, the staging tree is removed on exit, so the
    folder is never touched by a build that fails half way.
    """

    def __init__(self, out: Path, live: dict[str, tuple[int, int]] | None = None) -> None:
        self.out = out.absolute()
        #: (size, modification time) of the folder's files, when the caller scanned it.
        self.live = live or {}
        #: The same for files placed into the staging tree, where known without a stat.
        self.known: dict[str, tuple[int, int]] = {}
        self.swapped = False
        self.stage = _sibling(self.out, f"staging-{os.getpid()}")
        self._lock = build_lock(self.out)
        #: Folders of the staging tree made so far.
        self._made: set[str] = set()

    def __enter__(self) -> Staging:
        if os.path.lexists(self.out) and not self.out.is_dir():  # (a swap would take it)
            raise UnsafePath(f"'{self.out}' is not a folder: the output must be a folder")
        self._lock.__enter__()
        try:
            if recover(self.out) and self.live:  # (an incremental build's scan)
                raise FolderChanged(str(self.out))
            shutil.rmtree(self.stage, ignore_errors=True)
            self.stage.mkdir(parents=True)
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.stage.exists():  # not swapped in: a failed or no-op build
                _discard(self.stage, self.out)
        finally:
            self._lock.__exit__(None, None, None)

    def _link(self, rel: str) -> None:
        """Makes rel in the staging tree a hard link to the folder's file."""
        _place(str(self.stage), rel, f"{self.out}/{rel}", None, self._made)
        if rel in self.live:  # the same inode: the same size and time
            self.known[rel] = self.live[rel]

    def place(self, files: list[OutputFile], known: dict[str, str] | None = None) -> list[Placed]:
        """Puts files into the staging tree: unchanged ones as hard links, others written.

        known: the hashes of the folder's files, when the caller vouches for them (an
        incremental build checked the folder is as it left it): those are not read.
        """
        refuse_unsafe(files)  # before placing anything
        existing = self.out.is_dir()
        out, stage = str(self.out), str(self.stage)
        known = known or {}
        placed: list[Placed] = []
        for f in files:
            if f.path in known and _streams(f):
                placed.append(self._stream(f, known[f.path]))
                continue
            if f.path not in known and _streams_fresh(f):
                placed.append(self._stream(f, _hash_of(f"{out}/{f.path}") if existing else None))
                continue
            data = _bytes_of(f, self.out)
            sha = hashlib.sha256(data).hexdigest()
            status = "missing"
            if f.path in known:
                status = "same" if known[f.path] == sha else "stale"
            elif existing:
                with contextlib.suppress(OSError), open(f"{out}/{f.path}", "rb") as handle:
                    status = "same" if handle.read() == data else "stale"
            if status == "same":
                self._link(f.path)
            else:
                _place(stage, f.path, None, data, self._made)
            placed.append(Placed(f.path, sha, status, tuple(f.sources)))
        return placed

    def _stream(self, f: OutputFile, current: str | None) -> Placed:
        """Places a merged file whose bytes are written as they are made (see
        ``_streams``); current: the hash of the folder's file (None: it has none)."""
        from contractgen.speed.splice import Deferred

        assert isinstance(f, Deferred)
        stage = str(self.stage)
        _make_folder(stage, f.path, self._made)
        made = f"{stage}/{f.path}"
        with open(made, "wb") as handle:
            sha = f.write_to(handle, self.out)
        if sha == current:
            os.unlink(made)
            self._link(f.path)
            return Placed(f.path, sha, "same", tuple(f.sources))
        status = "stale" if current is not None else "missing"
        return Placed(f.path, sha, status, tuple(f.sources))

    def keep(self, files: Sequence[tuple[str, tuple[str, tuple[str, ...]]]]) -> list[Placed]:
        """Carries files of the folder over unread ((path, (hash, sources))): an
        incremental build knows they are what it would write."""
        for rel, _ in files:
            safe_relative(rel)
        placed: list[Placed] = []
        for rel, (sha, sources) in files:
            self._link(rel)
            placed.append(Placed(rel, sha, "same", sources))
        return placed

    def finish(self, placed: list[Placed], earlier: Earlier | None = None) -> Changes:
        """Completes the tree (foreign files, manifest) and swaps it in, if anything changed.

        earlier: the folder as the build before left it, when the caller knows it (an
        incremental build does); otherwise the manifest is read.
        """
        out = self.out
        placed = _sorted_once(placed)
        changes = Changes(
            stale=[p.path for p in placed if p.status == "stale"],
            missing=[p.path for p in placed if p.status == "missing"],
            hashes={p.path: p.sha256 for p in placed},
        )
        manifest, manifest_current = _new_manifest(out, placed, earlier)
        changes.manifest = _digest(manifest)
        swapping = bool(changes.stale or changes.missing) or not manifest_current
        if swapping:  # (written now: as large as the tree, not held while the folder is listed)
            self._put_manifest(manifest)
        previous = earlier.files if earlier is not None else read_manifest(out)
        produced = {p.path for p in placed}
        unowned = [r for r in _listing(out) if r not in previous and r != MANIFEST]
        changes.orphaned = sorted(r for r in unowned if r not in produced)
        blocked = _in_the_way(out, produced, changes.orphaned)
        if blocked is not None:
            raise UnsafePath(blocked)
        if not swapping and not any(r not in produced for r in previous):
            return changes
        for rel in changes.orphaned:  # files the build does not own: carried over
            _place(str(self.stage), rel, f"{out}/{rel}", None, self._made)
        if not swapping:
            self._put_manifest(manifest)
        _swap_in(self.stage, out)
        self.swapped = True
        return changes

    def _put_manifest(self, manifest: Chunks) -> None:
        """Writes the manifest into the staging tree, then lets its pieces go."""
        _place(str(self.stage), MANIFEST, None, manifest, self._made)
        manifest.clear()

    def stats(self, paths: Iterable[str]) -> dict[str, tuple[int, int]]:
        """(size, modification time) of files of the new folder: known ones without
        a stat (they are the same inodes as before), the others looked up."""
        known = self.known if self.swapped else self.live  # no swap: the folder as it was
        found: dict[str, tuple[int, int]] = {}
        for rel in paths:
            entry = known.get(rel)
            if entry is None:
                try:
                    st = os.stat(self.out / rel)
                except OSError:
                    continue
                entry = (st.st_size, st.st_mtime_ns)
            found[rel] = entry
        return found


class FolderChanged(Exception):
    """The folder changed since an incremental build's scan: ``recover`` renamed in the
    files of a build killed mid-way. What the scan found no longer holds."""


class NotInPlace(Exception):
    """An edit's files cannot be renamed into the folder as they are: a file is made
    that the build before did not make (or from other sources), one it made is not
    made, or the manifest is not the one it wrote. Raised before the folder is
    touched; the build then assembles a staging tree instead."""


#: In an edit's patch folder: the paths its files go to, and the mark of a file one
#: of them replaced (no quoted path starts with #).
_JOURNAL = "#journal"
_REPLACED = "#replaced-"


class InPlace:
    """An edit's sink: the files it changed are renamed into the folder, the manifest
    last, and every other file is left as it is, so the cost follows the change (a
    staging tree's bookkeeping follows the tree).

    Only for an incremental build, which knows the folder is exactly as the build
    before left it (its scan matched the build record), and only when the files
    it makes again are the ones that build made, from the same sources: then the
    manifest is patched. Otherwise ``NotInPlace``.

    The new files are written into a sibling patch folder first; then a journal
    naming them is committed, and they are renamed in. A build stopped before the
    journal leaves the folder as it was; one interrupted after renames the rest in
    as it ends, and one killed after is completed by the next build's ``recover``
    (which then builds in full: its plan's scan no longer holds). Each file is
    replaced whole, but not all at once, as a swap would.
    """

    def __init__(self, out: Path, again: Mapping[str, Sequence[Any]], manifest: str) -> None:
        self.out = out.absolute()
        #: The files the build makes again, as the build before made them (and as the
        #: folder holds them): (hash, sources).
        self.again = again
        #: The hash of the manifest the build before wrote.
        self.manifest = manifest
        self.patch = _sibling(self.out, f"patch-{os.getpid()}")
        self._lock = build_lock(self.out)
        #: (size, modification time) of the files renamed in.
        self._stats: dict[str, tuple[int, int]] = {}

    def __enter__(self) -> InPlace:
        self._lock.__enter__()
        try:
            if recover(self.out):
                raise FolderChanged(str(self.out))
            self.patch.mkdir()
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:  # (interrupted while renaming: the rest are renamed in too)
            _complete_patch(self.patch, self.out)
        finally:
            self._lock.__exit__(None, None, None)

    def place(self, files: list[OutputFile], known: dict[str, str] | None = None) -> list[Placed]:
        """Writes the files that differ from the folder's into the patch folder (from
        any process: each file's name there is its path, quoted). (known: unused; the
        folder's hashes were given at the start.)"""
        from contractgen.speed.splice import Deferred

        refuse_unsafe(files)
        placed: list[Placed] = []
        for f in files:
            before = self.again.get(f.path)
            if before is None or tuple(before[1]) != tuple(f.sources):
                raise NotInPlace(f"{f.path} was not made from these sources before")
            held = before[0]
            temp = f"{self.patch}/{_quoted(f.path)}"
            if _streams(f) or _streams_fresh(f):  # (a merged document, as it is made)
                assert isinstance(f, Deferred)
                with open(temp, "wb") as handle:
                    sha = f.write_to(handle, self.out)
                if sha == held:
                    os.unlink(temp)
            else:
                data = _bytes_of(f, self.out)
                sha = hashlib.sha256(data).hexdigest()
                if sha != held:
                    with open(temp, "wb") as handle:
                        handle.write(data)
            status = "same" if sha == held else "stale"
            placed.append(Placed(f.path, sha, status, tuple(f.sources)))
        return placed

    def finish(self, placed: list[Placed], earlier: Earlier | None = None) -> Changes:
        """Renames the changed files and the patched manifest into the folder."""
        placed = _sorted_once(placed)
        if len(placed) != len(self.again):  # (each placed path is one of them)
            raise NotInPlace("a file the build before made is not made")
        changed = [p for p in placed if p.status != "same"]
        # (the hashes of the files it changed: the others are as the record has them)
        changes = Changes(
            stale=[p.path for p in changed], hashes={p.path: p.sha256 for p in changed}
        )
        changes.manifest = self._patch_manifest(changed)
        if changed:
            moves = [*(p.path for p in changed), MANIFEST]
            journal = f"{self.patch}/{_JOURNAL}"
            with open(f"{journal}.new", "wb") as handle:
                handle.write(marshal.dumps(moves))
            os.replace(f"{journal}.new", journal)  # committed: the renames are due
            self._rename_in(moves)
            os.unlink(journal)
        return changes

    def _patch_manifest(self, changed: list[Placed]) -> str:
        """Writes the manifest with the changed hashes into the patch folder (when any
        changed), checking meanwhile that the folder's is the one the build before
        wrote; returns the new one's hash. The old one is hashed, and the new one
        written and hashed, at once (``speed.digest``)."""
        from contractgen.speed.digest import Digest, mapped

        if not enabled("manifest-patch"):
            raise NotInPlace("the manifest is made whole")
        try:
            handle = open(self.out / MANIFEST, "rb")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise NotInPlace("the folder has no manifest") from exc
        with handle, mapped(handle) as old, Digest() as held:
            held.update(old)
            chunks = _written_over(old, changed)
            if chunks is None:
                raise NotInPlace("the manifest does not list the files")
            made = Digest()
            if changed:
                with made:
                    _write_chunks(f"{self.patch}/{_quoted(MANIFEST)}", chunks, made.update)
            chunks.clear()  # (slices of the old manifest: gone before it is unmapped)
        if held.hexdigest() != self.manifest:
            raise NotInPlace("the manifest is not the one the build before wrote")
        return made.hexdigest() if changed else self.manifest

    def _rename_in(self, moves: list[str]) -> None:
        out, patch = str(self.out), str(self.patch)
        for rel in moves:
            # (an exchanged file's name holds the replaced one: it stays in the patch
            # folder, removed in the background, under a name that never goes in)
            new = Path(f"{patch}/{_quoted(rel)}")
            if replace_file(new, Path(f"{out}/{rel}")):
                os.rename(new, f"{patch}/{_REPLACED}{_quoted(rel)}")
            if rel != MANIFEST:
                st = os.stat(f"{out}/{rel}")
                self._stats[rel] = (st.st_size, st.st_mtime_ns)

    def stats(self, paths: Iterable[str]) -> dict[str, tuple[int, int]]:
        """(size, modification time) of the files renamed in (paths: those)."""
        return dict(self._stats)


def _write_chunks(path: str, chunks: Chunks, also: Callable[[bytes | memoryview], None]) -> None:
    """Writes a file's pieces, handing each to also (no piece outlives the call)."""
    with open(path, "wb") as handle:
        for chunk in chunks:
            also(chunk)
            handle.write(chunk)


def _quoted(rel: str) -> str:
    """A file's name in a patch folder: its path, with nothing left that separates."""
    return urllib.parse.quote(rel, safe="")


def _complete_patch(patch: Path, out: Path) -> bool:
    """Renames in what a killed ``InPlace`` build left, if it committed its journal,
    then removes its patch folder (in the background: ``_discard``); True when there
    was a journal."""
    try:
        moves = marshal.loads((patch / _JOURNAL).read_bytes())
    except (OSError, ValueError, EOFError):
        moves = None
    if isinstance(moves, list):
        for rel in moves:
            target = MANIFEST if rel == MANIFEST else safe_relative(str(rel))
            with contextlib.suppress(OSError):  # (renamed in already)
                os.replace(patch / _quoted(rel), out / target)
    _discard(patch, out)
    return isinstance(moves, list)


#: A file's bytes in pieces, written one after the other.
Chunks = list[bytes | memoryview]


def _new_manifest(out: Path, placed: list[Placed], earlier: Earlier | None) -> tuple[Chunks, bool]:
    """The manifest of the placed files (in pieces), and whether the folder holds it
    already."""
    patched = _patched_manifest(out, placed, earlier) if earlier is not None else None
    if patched is not None:
        return patched
    manifest = _manifest(placed)
    try:
        held = (out / MANIFEST).read_bytes()
    except OSError:
        return manifest, False
    same = len(held) == sum(len(chunk) for chunk in manifest) and b"".join(manifest) == held
    return manifest, same


def _digest(chunks: Chunks) -> str:
    """The SHA-256 of a file's bytes in pieces."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def _patched_manifest(
    out: Path, placed: list[Placed], earlier: Earlier
) -> tuple[Chunks, bool] | None:
    """The folder's manifest with the new hashes of the files that changed written over
    their old ones, and whether none did; only when the build before wrote it and it
    lists the same files with the same sources. None otherwise: it is made whole."""
    files = earlier.files
    if len(placed) != len(files):
        return None
    changed: list[Placed] = []
    for p in placed:  # (in path order, as the manifest lists them)
        entry = files.get(p.path)
        if entry is None or entry[1] != p.sources:
            return None
        if entry[0] != p.sha256:
            changed.append(p)
    chunks = _overwritten(out, changed, earlier.manifest)
    return None if chunks is None else (chunks, not changed)


def _overwritten(out: Path, changed: list[Placed], manifest: str) -> Chunks | None:
    """The folder's manifest (when its hash is manifest) with the hashes of the changed
    files written over their old ones (see ``_written_over``); None when it is not
    that manifest or does not list them."""
    if not enabled("manifest-patch"):
        return None
    try:  # (mapped, not read: its pages go with the last piece, not kept on the heap)
        with open(out / MANIFEST, "rb") as handle:
            old = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    if hashlib.sha256(old).hexdigest() != manifest:
        old.close()
        return None
    return _written_over(memoryview(old), changed)


def _written_over(old: memoryview, changed: list[Placed]) -> Chunks | None:
    """A manifest's bytes with the hashes of the changed files (in path order) written
    over their old ones, which have the same length: pieces of old (a view of the
    mapped file, searched with the map's find; its pieces copy nothing) and the new
    hashes; None when it does not list them."""
    quote = json.encoder.encode_basestring_ascii
    chunks: Chunks = []
    at = 0
    for p in changed:
        head = f'\n    {quote(p.path)}: {{\n      "sha256": "'.encode()
        found = old.obj.find(head, at) if isinstance(old.obj, mmap.mmap) else -1
        if found < 0:
            return None
        start = found + len(head)
        chunks += [old[at:start], p.sha256.encode()]
        at = start + len(p.sha256)
    chunks.append(old[at:])
    return chunks


#: Manifest entries per chunk: the manifest of a large tree is never one string.
_ENTRIES_PER_CHUNK = 1024


def _manifest(placed: list[Placed]) -> Chunks:
    """The manifest as ``json.dumps(..., indent=2)`` writes it, made directly (the
    pure-Python indenting encoder took a tenth of a second for 5,000 files), in
    chunks of encoded entries."""
    quote = json.encoder.encode_basestring_ascii
    if not placed:
        return [b'{\n  "generator": "contractgen",\n  "files": {}\n}\n']
    chunks: Chunks = [b'{\n  "generator": "contractgen",\n  "files": {\n']
    entries: list[str] = []
    lists: dict[tuple[str, ...], str] = {}  # many files share their sources
    for p in placed:
        if len(entries) == _ENTRIES_PER_CHUNK:
            chunks.append((",\n".join(entries) + ",\n").encode("utf-8"))
            entries = []
        listed = lists.get(p.sources)
        if listed is None:
            sources = sorted(set(p.sources))
            listed = lists[p.sources] = (
                "[\n" + ",\n".join(f"        {quote(s)}" for s in sources) + "\n      ]"
                if sources
                else "[]"
            )
        entries.append(
            f"    {quote(p.path)}: {{\n"
            f'      "sha256": {quote(p.sha256)},\n'
            f'      "sources": {listed}\n'
            "    }"
        )
    chunks.append((",\n".join(entries) + "\n  }\n}\n").encode("utf-8"))
    return chunks


class Comparison:
    """What a check uses where a build uses ``Staging``: the same calls, but each
    file is compared with the folder's, and nothing is written."""

    def __init__(self, out: Path) -> None:
        self.out = out.absolute()
        #: The files that differ from the folder's (for ``--diff``).
        self.differing: list[OutputFile] = []

    def __enter__(self) -> Comparison:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def place(self, files: list[OutputFile], known: dict[str, str] | None = None) -> list[Placed]:
        """Compares files with the folder's (known: unused; a check reads everything)."""
        refuse_unsafe(files)
        placed: list[Placed] = []
        for f in files:
            data = _bytes_of(f, self.out)
            try:
                with open(self.out / safe_relative(f.path), "rb") as handle:
                    status = "same" if handle.read() == data else "stale"
            except OSError:
                status = "missing"
            if status != "same":
                self.differing.append(f)
            sha = hashlib.sha256(data).hexdigest()
            placed.append(Placed(f.path, sha, status, tuple(f.sources)))
        return placed

    def finish(self, placed: list[Placed], earlier: Earlier | None = None) -> Changes:
        """The differences, with the folder's files that nothing produced (orphans) and
        the manifest, which a build writes too (missing, or stale when it is not the
        one these files make)."""
        placed = _sorted_once(placed)
        produced = {p.path for p in placed}
        changes = Changes(
            stale=[p.path for p in placed if p.status == "stale"],
            missing=[p.path for p in placed if p.status == "missing"],
            orphaned=sorted(_existing(self.out) - produced),
            hashes={p.path: p.sha256 for p in placed},
        )
        manifest, same = _new_manifest(self.out, placed, None)
        changes.manifest = _digest(manifest)
        if not same:
            held = (self.out / MANIFEST).is_file()
            (changes.stale if held else changes.missing).append(MANIFEST)
        return changes


def _streams(f: OutputFile) -> bool:
    """Whether a file is written as its bytes are made (a merged document patched in
    place): only when the folder's file's hash is known, so it is never read whole."""
    from contractgen.speed.splice import Patched

    return isinstance(f, Patched) and enabled("stream-patched")


def _streams_fresh(f: OutputFile) -> bool:
    """Whether a merged file made from markers is written as its bytes are made,
    rather than made whole first (the folder's file, if any, is hashed to compare)."""
    from contractgen.speed.splice import Spliced

    return isinstance(f, Spliced) and enabled("stream-merged")


def _hash_of(path: str) -> str | None:
    """The SHA-256 of a file, read a megabyte at a time; None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _bytes_of(f: OutputFile, out: Path) -> bytes:
    """A file's bytes (a spliced one's taken partly from the folder's files)."""
    from contractgen.speed.splice import Deferred

    return f.expand(out) if isinstance(f, Deferred) else f.content.encode("utf-8")


_path_of = operator.itemgetter(0)  # (a Placed's path)


def _sorted_once(placed: list[Placed]) -> list[Placed]:
    """Placed files by path; UnsafePath when two claim one path (files placed in
    batches, or by two processes, are checked here as a whole)."""
    placed = sorted(placed, key=_path_of)
    for a, b in itertools.pairwise(placed):
        if a.path == b.path:
            raise UnsafePath(f"two generated files have the same path '{a.path}'")
    return placed


def write(out: Path, files: list[OutputFile]) -> Changes:
    """Brings the output folder to exactly the given files; returns what changed.

    The new tree is assembled beside the output folder (unchanged files are hard
    links, so this is cheap) and swapped in with one atomic exchange: a build
    killed at any moment leaves either the complete previous tree or the
    complete new one. Files an earlier build wrote and no longer produces are
    dropped; files the build never owned are carried over untouched.
    """
    with Staging(out) as staging:
        changes = staging.finish(staging.place(files))
    done()  # (the tree it replaced is removed in the background)
    return changes


def _in_the_way(out: Path, produced: set[str], foreign: list[str]) -> str | None:
    """Why a file the build did not write keeps it from writing its own, if one does:
    a file where the build needs a folder, or a folder where it writes a file.
    (The build never deletes such a file, so it stops before touching anything.)"""
    if not foreign:  # (the usual case: no need to list the build's folders)
        return None
    folders: dict[str, str] = {}  # folder -> a file the build writes in it
    for rel in sorted(produced):
        parts = rel.split("/")
        for i in range(1, len(parts)):
            folders.setdefault("/".join(parts[:i]), rel)
    for rel in foreign:
        if rel in folders:
            return (
                f"'{out / rel}' is not a file contractgen wrote, and it stands where the "
                f"build writes a folder (for '{out / folders[rel]}'): move or delete it"
            )
        parts = rel.split("/")
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i])
            if folder in produced:
                return (
                    f"'{out / folder}' is a folder holding files contractgen did not write "
                    f"(such as '{out / rel}'), where the build writes a file: move or delete it"
                )
    return None


def _listing(root: Path) -> list[str]:
    """Every file below root (dotfiles too), sorted, as POSIX paths relative to root."""
    files: list[str] = []
    stack = [(str(root), "")]
    for prefix, entries in scan_folders(stack):
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, rel + "/"))
            else:
                files.append(rel)
    files.sort()
    return files
