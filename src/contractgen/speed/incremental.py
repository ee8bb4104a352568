"""Incremental builds: after an edit, render only the domains it touches.

Every build that may use caches leaves a *state* beside the build cache: each
contract file's hash and domain, each domain's files and the domains it reads
(its layout), each domain's summary (what the checks that span domains read
of it), and per surface the facts parts, facts and pieces of every domain (see
``contractgen.surfaces``), and every output file with its hash, sources and
owning domain. A domain's summary, facts parts, spliced pieces and output
files are kept as records (each its own ``marshal`` bytes) after the state's
index, which names where each stands in the file: an edit reads the index
and the records of the domains it renders (and, when its files go through a
staging tree, the output records of the others, to carry their files over),
never the rest.

The next build compares contract hashes. When only existing files changed,
it loads the changed domains, every domain that reads them (directly or not)
and what those read; it checks that each reloaded domain has the same summary
and facts parts as before (so every other domain, and the facts, are as they
were); then it renders just those domains, assembles the merged files from
their new pieces and everyone else's cached ones, and writes the tree with
the other domains' files carried over untouched. Anything else (a file added
or removed, a summary or a part that changed, an error, a missing or foreign
state) falls back to a full build, which is always correct.
"""

from __future__ import annotations

import functools
import marshal
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from contractgen.files import write_cache_file
from contractgen.portable import build_lock
from contractgen.spec import Spec
from contractgen.spec.model import reachable
from contractgen.speed import enabled
from contractgen.speed.cache import (
    BuildCache,
    Head,
    OutputScan,
    Record,
    Target,
    Where,
    output_cache_path,
    read_at,
)
from contractgen.surfaces import Options, Tracked
from contractgen.write import Earlier, Placed

#: Bumped whenever the layout of the state changes.
STATE_FORMAT = 7
#: The state file: the length of its index (this many bytes, little-endian), the
#: index (``marshal``), then the records the index names by (offset, length).
_LENGTH = 8


def _state_path(target: Target) -> Path:
    return output_cache_path(target.base, target.output, "state")


class _Source:
    """The records of an open state file, read where the index says they stand.

    The file stays open until the state is written again (``close``): it is
    only ever replaced by a rename, so the open file keeps the records it had."""

    def __init__(self, handle: BinaryIO, start: int) -> None:
        self.handle = handle
        self.start = start

    def read(self, where: Where) -> bytes:
        return read_at(self.handle, self.start, where)

    def close(self) -> None:
        self.handle.close()


class Records(Mapping[str, bytes]):
    """Records by domain, each read from the state file when first asked for (and
    then the same bytes object every time)."""

    def __init__(self, source: _Source, where: dict[str, Where]) -> None:
        self.source = source
        self.where = where
        self._read: dict[str, bytes] = {}

    def __getitem__(self, domain: str) -> bytes:
        data = self._read.get(domain)
        if data is None:
            data = self._read[domain] = self.source.read(self.where[domain])
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self.where)

    def __len__(self) -> int:
        return len(self.where)

    def __contains__(self, domain: object) -> bool:
        return domain in self.where


def read_state(target: Target) -> dict[str, Any] | None:
    """The state's index, its records left in the file until asked for (``Records``)."""
    try:
        handle = open(_state_path(target), "rb")  # noqa: SIM115 (kept open: see _Source)
    except OSError:
        return None
    try:
        size = os.fstat(handle.fileno()).st_size
        length = int.from_bytes(handle.read(_LENGTH), "little")
        state = marshal.loads(handle.read(length)) if length <= size - _LENGTH else None
        if (
            not isinstance(state, dict)
            or state.get("format") != STATE_FORMAT
            or size != _LENGTH + length + state["size"]
        ):
            handle.close()
            return None
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        handle.close()
        return None
    source = _Source(handle, _LENGTH + length)
    state["source"] = source
    for name in ("domains", "outputs"):
        state[name] = Records(source, state[name])
    for stored in state["surfaces"].values():
        stored["parts"] = Records(source, stored["parts"])
        if "moves" in stored:  # (a spliced surface's pieces are records too)
            stored["pieces"] = Records(source, stored["pieces"])
    return state


class _Blob:
    """The records of a state being written, one after the other."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0

    def put(self, records: Mapping[str, bytes]) -> dict[str, Where]:
        """Appends the records; returns where each stands."""
        where: dict[str, Where] = {}
        for key, data in records.items():
            where[key] = (self.size, len(data))
            self.chunks.append(data)
            self.size += len(data)
        return where


def _summary(spec: Spec, domain: str) -> Any:
    """The domain's summary, its files named relative to the contracts folder."""
    from contractgen.load.summary import domain_summary

    summary = domain_summary(spec, domain)
    prefix = spec.root + "/"
    summary["files"] = [f.removeprefix(prefix) for f in summary["files"]]
    return summary


def save_state(
    target: Target,
    spec: Spec,
    tracked: Tracked,
    placed: Iterable[Placed],
    manifest: str,
    plan: Plan | None = None,
) -> None:
    """Records what an incremental build needs: after a plan's build, its state updated
    for the domains spec holds (placed: the files it rendered; the other domains'
    files are as that state has them)."""
    previous = plan.state if plan is not None else None
    domains: dict[str, bytes] = dict(previous["domains"]) if previous else {}
    layout: dict[str, Any] = dict(previous["layout"]) if previous else {}
    for d in spec.domains:
        summary = _summary(spec, d)
        domains[d] = marshal.dumps(summary)
        layout[d] = (summary["files"], summary["deps"])
    blob = _Blob()
    surfaces = dict(previous["surfaces"]) if previous else {}
    for surface, tracked_state in tracked.surfaces.items():
        parts = tracked_state["parts"]  # (an incremental build's are the records it read)
        records = {d: p if isinstance(p, bytes) else marshal.dumps(p) for d, p in parts.items()}
        surfaces[surface] = {**tracked_state, "parts": records}
        if "moves" in tracked_state:  # (pieces that name places: spliced)
            surfaces[surface].update(_piece_records(surface, tracked_state))
    for stored in surfaces.values():
        stored["parts"] = blob.put(dict(sorted(stored["parts"].items())))
        if "moves" in stored:
            stored["pieces"] = blob.put(stored["pieces"])
    state = {
        "format": STATE_FORMAT,
        "key": target.key,
        "tool": target.tool,
        "contracts": dict(target.contracts),
        "domains": blob.put(dict(sorted(domains.items()))),
        "layout": dict(sorted(layout.items())),
        "surfaces": surfaces,
        "outputs": blob.put(_output_records(tracked, placed, plan)),
        "manifest": manifest,
        # Pieces may name places in the merged files instead of holding texts.
        "spliced": enabled("splice"),
        "size": blob.size,
    }
    index = marshal.dumps(state)
    if previous is not None:  # (every record it had is read: the file may be replaced)
        previous["source"].close()
    data = b"".join([len(index).to_bytes(_LENGTH, "little"), index, *blob.chunks])
    write_cache_file(_state_path(target), data)


def _output_records(
    tracked: Tracked, placed: Iterable[Placed], plan: Plan | None
) -> dict[str, bytes]:
    """Each domain's output files as a record: (paths, [(hash, sources)]) in path order;
    "" for the files assembled from every domain (and any of unknown owner). placed:
    the files the build rendered; after a plan's build, the records of the domains it
    did not render are kept as they were."""
    records: dict[str, bytes] = {}
    if plan is not None:
        kept = (d for d in plan.state["outputs"] if d and d not in plan.domains)
        records = {d: plan.state["outputs"][d] for d in kept}
    groups: dict[str, tuple[list[str], list[Any]]] = {}
    for p in sorted(placed, key=lambda p: p.path):
        paths, values = groups.setdefault(tracked.owners.get(p.path, ""), ([], []))
        paths.append(p.path)
        values.append((p.sha256, tuple(p.sources)))
    records.update((d, marshal.dumps(group)) for d, group in groups.items())
    return dict(sorted(records.items()))


def _piece_records(surface: str, state: dict[str, Any]) -> dict[str, Any]:
    """A spliced surface's pieces as records (see ``splice.record``), with the moves of
    the patches since; after a few patches, every record moved and written afresh."""
    from contractgen.speed import splice
    from contractgen.surfaces import surface_module

    pieces, moves = state["pieces"], state["moves"]
    if len(moves) >= splice.MOVES:
        slots_of = surface_module(surface).spliced_texts  # type: ignore[attr-defined]
        return {"pieces": splice.fresh_records(pieces, moves, slots_of), "moves": []}
    records = {d: p if isinstance(p, bytes) else splice.record(p, moves) for d, p in pieces.items()}
    return {"pieces": records, "moves": moves}


def _closure(graph: Mapping[str, Iterable[str]], start: Iterable[str]) -> set[str]:
    """The start domains and every domain the graph leads to from them."""
    return reachable(start, lambda d: graph.get(d, ()))


def _reaching(deps: Mapping[str, Iterable[str]], changed: set[str]) -> set[str]:
    """Domains that read a changed domain, directly or not, and the changed ones."""
    readers: dict[str, set[str]] = {}
    for d, ds in deps.items():
        for dep in ds:
            readers.setdefault(dep, set()).add(d)
    return _closure(readers, changed)


def files_for(spec: Spec, domains: Iterable[str]) -> list[str]:
    """Contract files (relative to the contracts folder) of the given domains and
    every domain they read, directly or not: what an incremental build loads to
    render them (a subset ``load(only=...)`` resolves)."""
    deps = {d: spec.domain_deps(d) for d in spec.domains}
    prefix = spec.root + "/"
    return sorted(f.removeprefix(prefix) for d in _closure(deps, domains) for f in spec.files_in(d))


def _same(value: Any, record: bytes) -> bool:
    """Whether a freshly computed value equals the one a record holds."""
    try:
        return bool(marshal.loads(marshal.dumps(value)) == marshal.loads(record))
    except ValueError:
        return False


class Plan:
    """What an incremental build will redo, or why it cannot."""

    def __init__(
        self,
        state: dict[str, Any],
        domains: set[str],
        files: list[str],
        record: BuildCache,
        head: Head,
        scan: OutputScan,
    ) -> None:
        self.state = state
        #: The record of the build before (read whole only for a staging tree).
        self.record = record
        #: Its key, and how many files that build made.
        self.key, self.made = head.key, head.files
        self._scan = scan
        #: Domains to render again.
        self.domains = domains
        #: Contract files to load (relative to the contracts folder).
        self.files = files
        #: Every output file of the build before: path -> (hash, sources).
        self.outputs: dict[str, tuple[str, tuple[str, ...]]] = {}
        #: Those of the domains not rendered again, in path order per domain.
        self.carried: list[tuple[str, tuple[str, tuple[str, ...]]]] = []
        #: Whether its files go through a staging tree (they could not be renamed in).
        self.staged = False

    @functools.cached_property
    def _whole(self) -> Record:
        return self.record.read()

    @property
    def live(self) -> dict[str, tuple[int, int]]:
        """(size, modification time) of every file of the output folder (as scanned)."""
        return self._whole.stats

    @property
    def hashes(self) -> dict[str, str]:
        """The hash of every file of the output folder, as the build record has it."""
        return self._whole.hashes

    def holds(self) -> bool:
        """Whether the folder is as the build before left it (by size and time), which
        the plan assumes. A build asks before it touches the folder: until then, the
        scan goes on in a forked child while this process loads and renders."""
        recorded, matches = self._scan.verdict()
        return recorded == self.key and matches

    def close(self) -> None:
        """Lets go of the state file (a build that does not use the plan)."""
        self.state["source"].close()


def plan(target: Target) -> Plan | None:
    """The domains an edit touches, when an incremental build can redo just those."""
    if not enabled("incremental"):
        return None
    record = BuildCache(target.base, target.output)
    with build_lock(target.output):  # (the build's detached process writes them)
        state = read_state(target)
        head = record.head()
    if (
        state is None
        or head is None
        or state["key"] != head.key
        or state["tool"] != target.tool
        or (state["spliced"] and not enabled("splice"))
    ):
        return None
    old: dict[str, str] = state["contracts"]
    new = target.contracts
    if old.keys() != new.keys():
        return None  # a contract file added or removed: names may come and go
    changed = [rel for rel, sha in new.items() if old[rel] != sha]
    if not changed:
        return None
    layout: dict[str, Any] = state["layout"]
    domain_of = {rel: d for d, (files, _) in layout.items() for rel in files}
    if any(rel not in domain_of for rel in changed):
        return None
    deps = {d: deps for d, (_, deps) in layout.items()}
    redo = _reaching(deps, {domain_of[rel] for rel in changed})
    files = sorted(rel for d in _closure(deps, redo) for rel in layout[d][0])
    scan = target.output_scan()
    scan.record_read()  # (before the build takes the lock: see holds)
    return Plan(state, redo, files, record, head, scan)


def still_valid(plan: Plan, spec: Spec, options: Options, surfaces: Iterable[str]) -> bool:
    """Whether every domain to redo kept its summary and facts parts: then every other
    domain's files and pieces, and every surface's facts, are still right."""
    from contractgen.surfaces import surface_module

    state = plan.state
    for d in plan.domains:
        if d not in spec.domains:
            return False
        if not _same(_summary(spec, d), state["domains"][d]):
            return False
    for surface in surfaces:
        stored = state["surfaces"].get(surface)
        if stored is None:
            return False
        module = surface_module(surface)
        for d in plan.domains:
            if d not in stored["parts"] or not _same(
                module.facts_part(spec, d, options), stored["parts"][d]
            ):
                return False
    return True


def _read_outputs(plan: Plan) -> None:
    """Reads every domain's output record, once (to carry the files over, and to
    patch the manifest)."""
    if plan.outputs:
        return
    for d, record in plan.state["outputs"].items():
        paths, values = marshal.loads(record)
        pairs = list(zip(paths, values, strict=True))
        plan.outputs.update(pairs)
        if d and d not in plan.domains:
            plan.carried += pairs


def earlier(plan: Plan) -> Earlier:
    """The output folder as the state says the build before left it."""
    _read_outputs(plan)
    return Earlier(plan.outputs, plan.state["manifest"])


def carried_over(plan: Plan) -> list[tuple[str, tuple[str, tuple[str, ...]]]]:
    """Output files of the domains not redone: (path, (hash, sources))."""
    _read_outputs(plan)
    return plan.carried


def made_again(plan: Plan) -> tuple[dict[str, tuple[str, tuple[str, ...]]], str]:
    """The files the build before made that this one makes again ((hash, sources) by
    path: those of the domains it renders and the merged ones), and the hash of the
    manifest it wrote; the other domains' records are not read."""
    outputs = plan.state["outputs"]
    again: dict[str, tuple[str, tuple[str, ...]]] = {}
    for d in ("", *sorted(plan.domains)):
        if d in outputs:
            paths, values = marshal.loads(outputs[d])
            again.update(zip(paths, values, strict=True))
    return again, plan.state["manifest"]
