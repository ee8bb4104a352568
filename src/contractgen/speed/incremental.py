"""Incremental builds: after an edit, render only the domains it touches.

Every build that may use caches leaves a *state* beside the build cache: each
contract file's hash and domain, each domain's files and the domains it reads
(its layout), each domain's summary (what the checks that span domains read
of it), and per surface the facts parts, facts and pieces of every domain (see
``contractgen.surfaces``), and every output file with its hash, sources and
owning domain. A domain's summary and facts parts are kept as records (each
its own ``marshal`` bytes), read only for the domains an edit touches: the
state of a large tree then loads as a few thousand byte strings instead of
millions of small objects.

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

import marshal
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from contractgen.files import write_cache_file
from contractgen.spec import Spec
from contractgen.spec.model import reachable
from contractgen.speed import enabled
from contractgen.speed.cache import BuildCache, Target, output_cache_path
from contractgen.surfaces import Options, Tracked
from contractgen.write import Earlier, Placed

#: Bumped whenever the layout of the state changes.
STATE_FORMAT = 5


def _state_path(target: Target) -> Path:
    return output_cache_path(target.base, target.output, "state")


def read_state(target: Target) -> dict[str, Any] | None:
    try:
        state = marshal.loads(_state_path(target).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
        return None
    return state


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
    previous: dict[str, Any] | None = None,
) -> None:
    """Records what an incremental build needs; with previous, updates that state
    for the domains spec holds (every placed file the rendering did not own is one
    carried over from previous, with its owner there)."""
    domains: dict[str, bytes] = dict(previous["domains"]) if previous else {}
    layout: dict[str, Any] = dict(previous["layout"]) if previous else {}
    for d in spec.domains:
        summary = _summary(spec, d)
        domains[d] = marshal.dumps(summary)
        layout[d] = (summary["files"], summary["deps"])
    surfaces = dict(previous["surfaces"]) if previous else {}
    for surface, tracked_state in tracked.surfaces.items():
        parts = tracked_state["parts"]  # (an incremental build's are the records it read)
        records = {d: p if isinstance(p, bytes) else marshal.dumps(p) for d, p in parts.items()}
        surfaces[surface] = {**tracked_state, "parts": records}
        if "moves" in tracked_state:  # (pieces that name places: spliced)
            surfaces[surface].update(_piece_records(surface, tracked_state))
    kept = previous["outputs"] if previous else {}
    outputs: dict[str, Any] = {}
    for p in sorted(placed, key=lambda p: p.path):
        owner = tracked.owners.get(p.path)
        if owner is None:
            owner = kept[p.path][2] if p.path in kept else ""
        outputs[p.path] = (p.sha256, tuple(p.sources), owner)
    state = {
        "format": STATE_FORMAT,
        "key": target.key,
        "tool": target.tool,
        "contracts": dict(target.contracts),
        "domains": dict(sorted(domains.items())),
        "layout": dict(sorted(layout.items())),
        "surfaces": surfaces,
        "outputs": outputs,
        "manifest": manifest,
        # Pieces may name places in the merged files instead of holding texts.
        "spliced": enabled("splice"),
    }
    write_cache_file(_state_path(target), marshal.dumps(state))


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
        live: dict[str, tuple[int, int]],
    ) -> None:
        self.state = state
        #: (size, modification time) of every file of the output folder, as scanned.
        self.live = live
        #: Domains to render again.
        self.domains = domains
        #: Contract files to load (relative to the contracts folder).
        self.files = files


def plan(target: Target) -> Plan | None:
    """The domains an edit touches, when an incremental build can redo just those."""
    if not enabled("incremental"):
        return None
    cache = BuildCache(target.base, target.output)
    record = cache.read()
    state = read_state(target)
    if (
        state is None
        or record.key is None
        or state["key"] != record.key
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
    recorded, matches = target.output_scan().verdict()
    if recorded != record.key or not matches:
        return None
    live = record.stats  # (the folder's scan found exactly these)
    layout: dict[str, Any] = state["layout"]
    domain_of = {rel: d for d, (files, _) in layout.items() for rel in files}
    if any(rel not in domain_of for rel in changed):
        return None
    deps = {d: deps for d, (_, deps) in layout.items()}
    redo = _reaching(deps, {domain_of[rel] for rel in changed})
    files = sorted(rel for d in _closure(deps, redo) for rel in layout[d][0])
    return Plan(state, redo, files, live)


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


def earlier(plan: Plan) -> Earlier:
    """The output folder as the state says the build before left it."""
    return Earlier(plan.state["outputs"], plan.state["manifest"])


def carried_over(plan: Plan) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Output files of the domains not redone: path -> (hash, sources)."""
    return {
        path: (sha, tuple(sources))
        for path, (sha, sources, owner) in plan.state["outputs"].items()
        if owner and owner not in plan.domains
    }
