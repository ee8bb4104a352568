"""The build cache: skip all work when nothing that shapes the output changed.

The key hashes every input of a build: contractgen's version and code, the settings,
the bytes of every contract file, and every template (built-in and user).
For the last key it built, the cache remembers the files it wrote (hash, size,
modification time). A build whose key matches and whose files on disk still
carry the remembered size and time does nothing; ``--check`` with a matching
key verifies the files by hash instead of rendering.

The cache lives in ``.contractgen-cache/`` beside the configuration and is never
committed, so CI (a fresh clone) always renders and compares for real.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from contractgen import __version__
from contractgen.files import (
    CACHE_DIR,
    MANIFEST,
    SUFFIXES,
    builtin_templates,
    caches_allowed,
    read_tool_table,
    scan_output,
    scan_part,
    top_folders,
    write_cache_file,
)
from contractgen.portable import build_lock
from contractgen.speed import enabled
from contractgen.speed.forking import END, Child, can_fork


def _hash_tree(h: hashlib._Hash, root: Path | None, files: list[Path]) -> None:
    for path in files:
        rel = path.relative_to(root).as_posix() if root else path.as_posix()
        data = path.read_bytes()
        h.update(f"{rel}\0{len(data)}\0".encode())
        h.update(data)


def _template_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def output_cache_path(base: Path, output: Path, kind: str) -> Path:
    """Where a cache file about one output folder lives (``kind``: build, state)."""
    name = hashlib.sha256(str(output).encode()).hexdigest()[:16]
    return base / CACHE_DIR / f"{kind}-{name}.marshal"


Stats = dict[str, tuple[int, int]]  # path -> (size, mtime_ns), as scan_output gives them


#: A file whose modification time is this close to when its hash was recorded is
#: hashed again: it may have changed within the file system's clock resolution.
RACY_NS = 2_000_000_000


def contract_hashes(
    contracts: Path, stat_cache: Path | None = None, stats: Stats | None = None
) -> dict[str, str]:
    """SHA-256 of every contract file, by path relative to the contracts folder.

    With stat_cache, a file whose size and modification time are those recorded
    with its hash (and not suspiciously recent then) is not read again: git's
    index does the same. stats: the folder's scan (``scan_output``), when the
    caller made it already (see ``OutputScan.contract_stats``).
    """
    if stats is None:
        stats = scan_output(contracts, follow=True) or {}
    known: dict[str, tuple[int, int, str]] = {}
    written = 0
    if stat_cache is not None:
        try:
            stored = marshal.loads(stat_cache.read_bytes())
            if stored.get("root") == str(contracts):
                known, written = stored["files"], int(stored["written"])
        except (OSError, ValueError, EOFError, KeyError, TypeError, AttributeError):
            known = {}
    hashes: dict[str, str] = {}
    seen: dict[str, tuple[int, int, str]] = {}
    settled = written - RACY_NS
    # (in the scan's order: the key sorts them, and a dict compares without order)
    for rel, (size, mtime) in stats.items():
        if not rel.endswith(SUFFIXES):
            continue
        entry = known.get(rel)
        if entry is not None and entry[0] == size and entry[1] == mtime and mtime < settled:
            hashes[rel] = entry[2]
            seen[rel] = entry
            continue
        with open(f"{contracts}/{rel}", "rb", buffering=0) as handle:
            hashes[rel] = hashlib.sha256(handle.read()).hexdigest()
        seen[rel] = (size, mtime, hashes[rel])
    if stat_cache is not None and seen != known:
        now = time.time_ns()
        write_cache_file(
            stat_cache, marshal.dumps({"root": str(contracts), "written": now, "files": seen})
        )
    return hashes


def tool_key(settings: str, templates: Path | None) -> str:
    """A hash of every input of a build but the contracts: contractgen itself, the
    settings and the templates."""
    h = hashlib.sha256()
    h.update(f"contractgen {__version__}\0{settings}\0".encode())
    # contractgen's own code (the whole package, not only this folder): an editable
    # install changes without a version bump.
    package = Path(__file__).parent.parent
    _hash_tree(h, package, sorted(package.rglob("*.py")))
    builtin = builtin_templates()
    h.update(b"templates\0")
    _hash_tree(h, builtin, _template_files(builtin))
    if templates is not None:
        h.update(b"overrides\0")
        _hash_tree(h, templates, _template_files(templates))
    return h.hexdigest()


def input_key(tool: str, contracts: dict[str, str]) -> str:
    """A hash of everything that shapes the output of a build."""
    h = hashlib.sha256(f"{tool}\0".encode())
    h.update("".join([f"{rel}\0{contracts[rel]}\0" for rel in sorted(contracts)]).encode())
    return h.hexdigest()


class Target(NamedTuple):
    """The input key of a build, and where its output and cache live."""

    key: str
    base: Path
    output: Path
    #: The key of everything but the contracts, and each contract file's hash.
    tool: str
    contracts: dict[str, str]
    #: Whether the output folder is as the last build left it (see OutputScan).
    scan: OutputScan | None = None

    def output_scan(self) -> OutputScan:
        return self.scan if self.scan is not None else OutputScan(self.base, self.output)


def build_target(start: Path, overrides: dict[str, object], scan: bool = False) -> Target | None:
    """The key from the raw [tool.contractgen] table, without validating it.

    None when the table cannot be read simply (bad TOML, a path that is not a
    string): the full build path then reports the problem. With scan, a forked
    child compares the output folder with the build record meanwhile (see
    ``OutputScan``): what a no-op and an incremental build ask first.
    """
    try:
        pyproject, _text, table = read_tool_table(start)
    except (OSError, ValueError):
        return None
    raw = {**table, **{k: v for k, v in overrides.items() if v is not None}}
    paths = {
        name: raw.get(name, default)
        for name, default in (
            ("contracts", "contracts"),
            ("output", "generated"),
            ("templates", None),
        )
    }
    if not all(v is None or isinstance(v, str) for v in paths.values()):
        return None
    base = pyproject.parent if pyproject is not None else start
    templates = (base / paths["templates"]).resolve() if paths["templates"] else None
    output = (base / str(paths["output"])).resolve()
    root = (base / str(paths["contracts"])).resolve()
    scanning = OutputScan(base, output, in_child=True, contracts=root) if scan else None
    stat_cache = base / CACHE_DIR / "contracts.marshal" if caches_allowed() else None
    stats = scanning.contract_stats() if scanning is not None else None
    contracts = contract_hashes(root, stat_cache, stats)
    tool = tool_key(_canonical(raw), templates)
    return Target(input_key(tool, contracts), base, output, tool, contracts, scanning)


def _canonical(value: object) -> str:
    """The settings table as text, the same for equal tables (keys sorted at every level)."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{k!r}:{_canonical(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, list):
        return "[" + ",".join(map(_canonical, value)) + "]"
    return repr(value)


class Record(NamedTuple):
    """What the last build wrote: its input key, each file's hash, and each file's
    size and modification time ((-1, -1) where not known)."""

    key: str | None
    hashes: dict[str, str]
    stats: Stats
    #: The SHA-256 of the manifest the folder held ("": not known).
    manifest: str


def _no_record() -> Record:
    return Record(None, {}, {}, "")


#: The build record's file: this mark, the length of its head (8 bytes, little-endian),
#: the head (``marshal``), then the records the head places: the files' hashes, and
#: their stats in groups, one per folder directly in the output folder ("" for the
#: files directly in it). Whether a build can be a no-op, and an edit's build, read
#: the head only; the output scan reads the groups it compares, each where it is.
_MARK = b"contractgen build record 4\n"
_HEAD = 8
#: Where a record of a cache file stands among its records: (offset, length).
Where = tuple[int, int]


class Head(NamedTuple):
    """The head of the build record."""

    key: str
    manifest: str
    #: How many files the build made.
    files: int
    #: Where the hashes stand, and each group of stats (see ``group_of``).
    hashes: Where
    groups: dict[str, Where]
    #: Where the records start in the file.
    start: int


def group_of(rel: str) -> str:
    """The folder directly in the output folder that holds a file ("" for none)."""
    cut = rel.find("/")
    return rel[:cut] if cut >= 0 else ""


def _head(handle: BinaryIO) -> Head | None:
    """The head of a build record open at its start; None when the file is not one,
    or is damaged."""
    start = handle.read(len(_MARK) + _HEAD)
    length = int.from_bytes(start[len(_MARK) :], "little")
    if start[: len(_MARK)] != _MARK or length > os.fstat(handle.fileno()).st_size:
        return None
    try:
        key, manifest, files, hashes, groups = marshal.loads(handle.read(length))
    except (ValueError, EOFError, TypeError):
        return None
    if not (
        isinstance(key, str)
        and isinstance(manifest, str)
        and isinstance(files, int)
        and isinstance(groups, dict)
    ):
        return None
    return Head(key, manifest, files, hashes, groups, len(_MARK) + _HEAD + length)


def read_at(handle: BinaryIO, start: int, where: Where) -> bytes:
    """The bytes of one record of a cache file whose records begin at start (the build
    record's after its head, the state's after its index)."""
    offset, length = where
    if hasattr(os, "pread"):  # (a forked child shares the handle's position)
        data = os.pread(handle.fileno(), length, start + offset)
    else:
        handle.seek(start + offset)
        data = handle.read(length)
    if len(data) != length:
        raise ValueError(f"{handle.name} is shorter than its index says")
    return data


def _record(handle: BinaryIO, head: Head, where: Where) -> Any:
    """One record of a build record open with its head."""
    return marshal.loads(read_at(handle, head.start, where))


class Opened(NamedTuple):
    """A build record open, with its head: its groups are read when asked for."""

    head: Head
    handle: BinaryIO

    def group(self, folder: str) -> Stats:
        """The stats of the files in one folder directly in the output folder ("": the
        files directly in it); {} for a folder the build did not write into."""
        where = self.head.groups.get(folder)
        stats = {} if where is None else _record(self.handle, self.head, where)
        if not isinstance(stats, dict):
            raise ValueError("a group of the build record is not a mapping")
        return stats


class BuildCache:
    """The record of the last build of one output folder. It is read under the build
    lock: the build's detached process may be writing it (see ``patch``)."""

    def __init__(self, base: Path, output: Path) -> None:
        self.path = output_cache_path(base, output, "build")
        self.output = output

    def key(self) -> str | None:
        """The key of the last build, reading only the record's head."""
        head = self.head()
        return head.key if head is not None else None

    def head(self) -> Head | None:
        """The record's head (read under the build lock), or None (see ``open``)."""
        opened = self.open()
        if opened is None:
            return None
        opened.handle.close()
        return opened.head

    def read(self) -> Record:
        with build_lock(self.output):
            return self._read()

    def open(self) -> Opened | None:
        """The record open, with its head read (under the build lock); the caller
        closes its handle. None when there is none, or it is damaged."""
        with build_lock(self.output):
            try:
                handle = open(self.path, "rb")  # noqa: SIM115 (the caller closes it)
            except OSError:
                return None
        try:
            head = _head(handle)
        except OSError:
            head = None
        if head is None:
            handle.close()
            return None
        return Opened(head, handle)

    def _read(self) -> Record:
        try:
            with open(self.path, "rb") as handle:
                head = _head(handle)
                if head is None:
                    return _no_record()
                opened = Opened(head, handle)
                hashes = _record(handle, head, head.hashes)
                stats: Stats = {}
                for folder in head.groups:
                    stats.update(opened.group(folder))
        except (OSError, ValueError, EOFError, TypeError):
            return _no_record()
        if not isinstance(hashes, dict):
            return _no_record()
        return Record(head.key, hashes, stats, head.manifest)

    def store(
        self, key: str, hashes: dict[str, str], stats: Stats | None = None, manifest: str = ""
    ) -> None:
        """Remembers the files these inputs produced and the manifest's hash; stats
        (size, modification time by path) spares a scan of the folder when the caller
        knows them."""
        on_disk = stats if stats is not None else scan_output(self.output) or {}
        paths = list(hashes)
        # (after an edit, both are the last record's, in its order, with a few values new)
        ordered = hashes if paths == sorted(paths) else dict(sorted(hashes.items()))
        if on_disk.keys() == ordered.keys():
            known = on_disk
        else:
            known = {rel: on_disk.get(rel, (-1, -1)) for rel in ordered}
        groups: dict[str, Stats] = {}
        for rel, stat in known.items():
            groups.setdefault(group_of(rel), {})[rel] = stat
        records = [marshal.dumps(ordered), *(marshal.dumps(g) for g in groups.values())]
        places: list[Where] = []
        offset = 0
        for data in records:
            places.append((offset, len(data)))
            offset += len(data)
        where = dict(zip(groups, places[1:], strict=True))
        head = marshal.dumps((key, manifest, len(ordered), places[0], where))
        length = len(head).to_bytes(_HEAD, "little")
        write_cache_file(self.path, b"".join([_MARK, length, head, *records]))

    def patch(self, key: str, manifest: str, hashes: dict[str, str], stats: Stats) -> None:
        """The record of the build before, with new hashes and stats for the files an
        edit renamed into the folder (``write.InPlace``), under the new key; the caller
        holds the build lock. (Written by the build's detached process: the build
        neither reads the whole record nor writes it.)"""
        record = self._read()
        if record.key is None or not hashes.keys() <= record.hashes.keys():
            return  # (no record: the next build scans and builds in full)
        record.hashes.update(hashes)
        record.stats.update(stats)
        self.store(key, record.hashes, record.stats, manifest)

    def tree_matches(self, record: Record, by_hash: bool, on_disk: Stats | None = None) -> bool:
        """Whether the folder holds exactly the recorded files, unchanged (by size and
        time, or by hash); on_disk is the folder's scan when the caller made it already."""
        if on_disk is None:
            on_disk = scan_output(self.output)
        if on_disk is None or not (self.output / MANIFEST).is_file():
            return False
        if not by_hash:
            return on_disk == record.stats  # (one comparison of two dicts, in C)
        if on_disk.keys() != record.hashes.keys() or not record.manifest:
            return False
        held = hashlib.sha256((self.output / MANIFEST).read_bytes()).hexdigest()
        if held != record.manifest:
            return False
        for rel, sha in record.hashes.items():
            try:
                content = (self.output / rel).read_bytes()
            except OSError:
                return False
            if hashlib.sha256(content).hexdigest() != sha:
                return False
        return True

    def fresh(self, key: str, by_hash: bool = False) -> bool:
        """True when the last build had this key and its files are untouched."""
        record = self.read()
        return record.key == key and bool(record.hashes) and self.tree_matches(record, by_hash)


class OutputScan:
    """Whether the output folder holds exactly the files the build record lists,
    with the sizes and times it lists, and which key that record is for.

    With in_child (and ``two-cores``), a forked child first takes its share of
    the contracts folder's stats (see ``contract_stats``), then opens the record
    and scans the folder while this process hashes the contracts; when this
    process is done with those, it takes its share of the folders still to scan.
    Shares are tokens in a pipe (one byte per folder directly in the scanned
    folder, or per group of them), each taken by one of the two. Each process
    compares every folder it scanned with that folder's group of the record, so
    neither sends the other what it found. Without a child, the work is done
    here when first asked.
    """

    def __init__(
        self, base: Path, output: Path, in_child: bool = False, contracts: Path | None = None
    ) -> None:
        self.cache = BuildCache(base, output)
        self._verdict: tuple[str | None, bool] | None = None
        self._child: Child | None = None
        self._folders: list[str] = []
        self._tokens = -1
        #: The contracts folder, and its folders' shares, while the child has some.
        self._contracts = contracts
        self._sources: list[list[str]] = []
        self._source_tokens = -1
        #: Whether the child said it opened the record (see ``record_read``).
        self._record_read = False
        if in_child and can_fork():
            self._start()

    def _start(self) -> None:
        self._folders = top_folders(self.cache.output)
        self._tokens = _tokens(min(len(self._folders), 256))
        if self._contracts is not None:
            folders = top_folders(self._contracts)
            count = min(len(folders), 128)  # (about 8 folders a share with 1,000 domains)
            self._sources = [folders[i::count] for i in range(count)]
            self._source_tokens = _tokens(count)
        try:
            self._child = Child(self._shares)
        except OSError:
            self._child = None

    def contract_stats(self) -> Stats | None:
        """(size, modification time) of every file below the contracts folder, as
        ``scan_output`` gives them: this process's share, and the child's (which it
        sends first of all). None without a child, or when it failed to send them."""
        if self._contracts is None or self._source_tokens < 0:
            return None
        found: Stats = {}
        try:
            self._take_sources(found)
        finally:
            os.close(self._source_tokens)
            self._source_tokens = -1
        theirs = self._child.take() if self._child is not None else END
        if not isinstance(theirs, dict):
            return None
        found.update(theirs)
        return found

    def _scan_share(self, opened: Opened | None, top: bool = False) -> tuple[list[str], bool]:
        """Scans the folders directly in the output folder that are still to scan, one at
        a time (each one's token taken just before: the other process takes the others
        meanwhile), comparing each with its group of the record; returns those folders,
        and whether all of them matched. With top, the files directly in the output
        folder and the folders past the tokens' reach first. Once one differs (or with
        no record), the tokens left are only taken: the verdict is known."""
        out, matches = self.cache.output, opened is not None
        if top and opened is not None:
            rest = self._folders[256:]
            matches = _same(opened, ["", *rest], scan_part(out, rest, top=True))
        taken: list[str] = []
        while token := os.read(self._tokens, 1):
            taken.append(self._folders[token[0]])
            if matches and opened is not None:
                matches = _same(opened, taken[-1:], scan_part(out, taken[-1:], top=False))
        return taken, matches

    def _take_sources(self, found: Stats) -> None:
        """Scans the contracts folder's shares still to scan, one at a time, into found."""
        assert self._contracts is not None
        while token := os.read(self._source_tokens, 1):
            folders = self._sources[token[0]]
            found.update(scan_part(self._contracts, folders, top=False, follow=True))

    def _shares(self) -> Iterator[Any]:
        """The child's items: its share of the contracts' stats (when asked for them);
        True once it has opened the record (under the build lock); then the record's
        key, whether the folders it took match, and those folders."""
        if self._contracts is not None:
            found = scan_part(self._contracts, [], top=True, follow=True)  # (directly in it)
            self._take_sources(found)
            yield found
        opened = self.cache.open()
        yield True
        if opened is None or not (self.cache.output / MANIFEST).is_file():
            yield None, False, []
            return
        with opened.handle:
            mine, matches = self._scan_share(opened, top=True)
            # (a folder the record has and the folder has not: no token, not scanned)
            kept = opened.head.groups.keys() <= {"", *self._folders}
        yield opened.head.key, matches and kept, mine

    def _from_child(self) -> tuple[str | None, bool] | None:
        child, self._child = self._child, None
        if child is None:
            return None
        opened = self.cache.open()
        try:
            taken, matches = self._scan_share(opened)  # this process's share
        finally:
            os.close(self._tokens)
            if opened is not None:
                opened.handle.close()
        items: list[Any] = list(child.items())
        if not self._record_read:
            items = items[1:]  # (True: it opened the record)
        if not child.wait() or len(items) != 1:
            return None
        key, theirs, mine = items[0]
        shared = sorted(mine + taken) == self._folders[:256]
        same = opened is not None and opened.head.key == key  # (no build came between)
        return key, bool(theirs) and matches and shared and same

    def _work(self) -> tuple[str | None, bool]:
        record = self.cache.read()
        return record.key, record.key is not None and self.cache.tree_matches(record, False)

    def record_read(self) -> None:
        """Waits until the child has opened the build record. Call it before this process
        holds the build lock while the verdict is still to come: the child takes the
        lock to open the record, and would wait for it."""
        if self._child is not None and not self._record_read:
            self._record_read = self._child.take() is True

    def verdict(self) -> tuple[str | None, bool]:
        """(the record's key, whether the folder matches it by size and time)."""
        if self._verdict is None:
            self._verdict = self._from_child() or self._work()
        return self._verdict

    def fresh(self, key: str, by_hash: bool = False) -> bool:
        """True when the last build had this key and its files are untouched (by size
        and time; with by_hash, every file is hashed too). When the record is for
        another key, that is known at once: the scan goes on in the child, for an
        incremental build to ask later (``verdict``)."""
        if self._verdict is None and self._child is not None and self.cache.key() != key:
            return False
        recorded, matches = self.verdict()
        if recorded != key or not matches:
            return False
        return not by_hash or self.cache.fresh(key, by_hash=True)


def _tokens(count: int) -> int:
    """The read end of a pipe holding count one-byte tokens, 0 to count - 1 (read by
    two processes: each token is taken by one of them; then the pipe reads as ended)."""
    read_end, write_end = os.pipe()
    os.write(write_end, bytes(range(count)))
    os.close(write_end)
    return read_end


def _same(opened: Opened, folders: list[str], found: Stats) -> bool:
    """Whether what a scan found in these folders is what the record's groups of them
    say (a damaged group: not)."""
    try:
        expected: Stats = {}
        for folder in folders:
            expected.update(opened.group(folder))
    except (OSError, ValueError, EOFError, TypeError):
        return False
    return found == expected


def is_fresh(target: Target | None, check: bool) -> bool:
    """Whether the last build of these inputs is intact on disk (by hash for a check)."""
    if target is None or not enabled("build-cache"):
        return False
    return target.output_scan().fresh(target.key, by_hash=check)


def unchanged_message(out: Path, check: bool) -> str:
    """What a build or check says when it found nothing to do."""
    state = "is current" if check else "is up to date"
    return f"{out.name}/ {state} (inputs unchanged)"


#: The target the console's quick answer computed, for the command line to reuse.
_prepared: dict[Path, Target] = {}


def quick_noop(args: list[str]) -> bool:
    """Answers ``contractgen build`` (with at most ``--quiet``) when nothing changed,
    before the command line and its libraries are imported; True when it did.
    Otherwise the target it computed waits for the command line (``prepared``)."""
    if not enabled("quick-noop") or not args or args[0] != "build" or not caches_allowed():
        return False
    if any(arg not in ("--quiet", "-q") for arg in args[1:]):
        return False
    start = Path.cwd()
    target = build_target(start, {}, scan=True)
    if target is None:
        return False
    if not is_fresh(target, False):
        _prepared[start] = target
        return False
    if len(args) == 1:
        print(unchanged_message(target.output, False), file=sys.stderr)
    return True


def prepared(start: Path, overrides: dict[str, object]) -> Target | None:
    """The target ``quick_noop`` computed for these arguments, if it did (once)."""
    if any(v is not None for v in overrides.values()):
        return None
    return _prepared.pop(start, None)
