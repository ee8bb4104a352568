"""Loading: contract files in, a resolved ``Spec`` and every diagnostic out.

``load`` reads a folder; ``load_sources`` takes file contents from anywhere
(a git revision, a test). Neither raises on bad input: problems come back as
diagnostics, all of them, sorted by place.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from contractgen.diagnostics import Diagnostic, error, sort_diagnostics
from contractgen.files import SUFFIXES as SUFFIXES
from contractgen.files import discover as discover
from contractgen.files import discover_relative
from contractgen.load.parsecache import ParseCache, parse_cached
from contractgen.load.resolve import DOMAIN_RE, Resolver, Unit
from contractgen.load.schema import RawEventFile, RawOperationFile
from contractgen.load.shape import check_shape
from contractgen.load.yamlpos import Document
from contractgen.memory import collector_paused
from contractgen.spec import Spec

DEFAULT_DOMAIN = "default"


@dataclass(frozen=True)
class Source:
    """One contract file: its path below the contracts root, its bytes, its display name."""

    rel: str
    data: bytes | None
    display: str


@dataclass
class LoadResult:
    spec: Spec | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.spec is not None and not any(d.is_error for d in self.diagnostics)


def display_path(path: Path) -> str:
    """A path as shown in diagnostics: relative to the working folder when below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load(
    root: Path,
    cache_dir: Path | None = None,
    background: bool = False,
    only: Collection[str] | None = None,
) -> LoadResult:
    """Loads the tree below root; with cache_dir, parse results are reused across runs
    (and, with background, the updated cache is written by a detached process).

    With ``only`` (paths relative to root), just those files are loaded: an
    incremental build loads the domains an edit touches and what they reach.
    """
    if not root.is_dir():
        return LoadResult(
            None, [error("CG100", f"contracts folder '{root}' does not exist", display_path(root))]
        )
    sources: list[Source] = []
    prefix = display_path(root)
    base = str(root)
    for rel in discover_relative(root) if only is None else sorted(only):
        try:
            with open(os.path.join(base, rel), "rb", buffering=0) as handle:
                data: bytes | None = handle.read()
        except OSError:
            data = None
        sources.append(Source(rel, data, f"{prefix}/{rel}" if prefix != "." else rel))
    if not sources:
        return LoadResult(
            None, [error("CG100", "no contract files (*.yaml, *.yml) found", display_path(root))]
        )
    return load_sources(root.resolve().name, sources, cache_dir, background)


def _domain_of(rel: str) -> str:
    parts = rel.split("/")
    return parts[0] if len(parts) > 1 else DEFAULT_DOMAIN


def load_sources(
    root_name: str,
    sources: Iterable[Source],
    cache_dir: Path | None = None,
    background: bool = False,
) -> LoadResult:
    with collector_paused(freeze=True):
        return _load_sources(root_name, sources, cache_dir, background)


def _load_sources(
    root_name: str, sources: Iterable[Source], cache_dir: Path | None, background: bool
) -> LoadResult:
    diags: list[Diagnostic] = []
    broken: set[str] = set()
    in_order = sorted(sources, key=lambda s: s.rel)
    readable = [s for s in in_order if s.data is not None]
    cache = ParseCache(cache_dir, background) if cache_dir is not None else None
    for src in in_order:
        if src.data is None:
            diags.append(error("CG100", "file cannot be read", src.display))
    accepted: dict[int, Unit | None] = {}

    def accept(i: int, doc: Document) -> None:
        """Shape-checks one parsed file (while a forked child may still be parsing)."""
        accepted[i] = None
        src = readable[i]
        assert src.data is not None
        diags.extend(doc.diagnostics)
        if doc.data is None:
            return
        checked = check_shape(doc.data, doc.positions, src.display)
        diags.extend(checked.diagnostics)
        broken.update(checked.broken)
        raw = checked.raw
        domain = _domain_of(src.rel)
        if isinstance(raw, (RawOperationFile, RawEventFile)) and raw.meta.domain:
            domain = raw.meta.domain
        if not DOMAIN_RE.match(domain):
            line, col = doc.positions.of(("meta", "domain"))
            diags.append(
                error(
                    "CG207",
                    f"domain '{domain}' is not a valid package name",
                    src.display,
                    line,
                    col,
                    "rename the folder or set meta.domain to lower_snake_case",
                )
            )
            return
        accepted[i] = Unit(
            display=src.display,
            path=f"{root_name}/{src.rel}",
            raw=raw,
            models=checked.models,
            enums=checked.enums,
            positions=doc.positions,
            domain=domain,
            text=src.data.decode("utf-8-sig"),
        )

    jobs = [(s.data, s.display) for s in readable if s.data is not None]
    docs = parse_cached(jobs, cache, early=accept)
    for i, doc in enumerate(docs):
        if i not in accepted:
            accept(i, doc)
    # In file order, whichever process parsed what: the resolver's order is the files'.
    units = [u for i in range(len(docs)) if (u := accepted[i]) is not None]
    resolver = Resolver(units, broken, root_name)
    spec = resolver.run()
    diags.extend(resolver.diags)
    ordered = sort_diagnostics(diags)
    if any(d.is_error for d in ordered):
        return LoadResult(None, ordered)
    return LoadResult(spec, ordered)
