"""Loading: contract files in, a resolved ``Spec`` and every diagnostic out.

``load`` reads a folder; ``load_sources`` takes file contents from anywhere
(a git revision, a test). Neither raises on bad input: problems come back as
diagnostics, all of them, sorted by place.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from contractgen.diagnostics import Diagnostic, error, sort_diagnostics
from contractgen.files import SUFFIXES as SUFFIXES
from contractgen.files import discover as discover
from contractgen.files import discover_relative
from contractgen.speed import enabled
from contractgen.speed.memory import collector_paused, keep_until_next, release
from contractgen.speed.parse_cache import ParseCache, start_parsing

if TYPE_CHECKING:
    from contractgen.load.yamlpos import Document
    from contractgen.spec import Spec
    from contractgen.speed.parse_parallel import Early


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
    #: Each file's path in the spec (``Loc.file``) -> its name as shown to the user.
    displays: dict[str, str] = field(default_factory=dict)

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
    only: Collection[str] | None = None,
    free_late: bool = False,
) -> LoadResult:
    """Loads the tree below root; with cache_dir, parse results are reused across runs.

    With ``only`` (paths relative to root), just those files are loaded: an
    incremental build loads the domains an edit touches and what they reach.

    With ``free_late``, the parsed documents and the result stay in memory
    until the next load (see ``contractgen.speed.memory``): for a caller that ends
    soon after, this saves freeing them object by object; a caller that goes
    on to render would rather have the memory back at once.
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
    # (handed over one by one, so that this list does not keep their bytes: see below)
    return load_sources(root.resolve().name, _handed_over(sources), cache_dir, free_late)


def _handed_over(sources: list[Source]) -> Iterator[Source]:
    """The sources, each taken out of the list as it is given."""
    sources.reverse()
    while sources:
        yield sources.pop()


def load_sources(
    root_name: str,
    sources: Iterable[Source],
    cache_dir: Path | None = None,
    free_late: bool = False,
) -> LoadResult:
    """Loads files given with their contents (see ``load`` for the options)."""
    with collector_paused(freeze=True):
        return _load_sources(root_name, sources, cache_dir, free_late)


def _load_sources(
    root_name: str,
    sources: Iterable[Source],
    cache_dir: Path | None,
    free_late: bool,
) -> LoadResult:
    release("load")
    in_order = sorted(sources, key=lambda s: s.rel)
    diags = [error("CG100", "file cannot be read", s.display) for s in in_order if s.data is None]
    displays = {f"{root_name}/{s.rel}": s.display for s in in_order}
    files = [(s.rel, s.data, s.display) for s in in_order if s.data is not None]
    in_order.clear()  # (only files holds the bytes from here on)
    use_cache = cache_dir is not None and enabled("parse-cache")
    cache = ParseCache(cache_dir) if use_cache and cache_dir is not None else None
    parsing = start_parsing([(data, display) for _, data, display in files], cache)
    # Only now, while a child may be parsing: importing the checks builds the
    # pydantic classes of the file format and of the spec.
    from contractgen.load.checking import Checker

    checker = Checker(root_name, files)
    # Each document is let go once checked, unless it is to be freed late anyway.
    docs: list[Document] = []
    parsing.finish(checker.accept if not free_late else _keeping(docs, checker.accept))
    files.clear()  # every file's text is decoded: its bytes may go (the jobs let go of theirs)
    spec = checker.resolve()
    ordered = sort_diagnostics(diags + checker.diags)
    result = LoadResult(None if any(d.is_error for d in ordered) else spec, ordered, displays)
    if free_late:
        keep_until_next("load", result, docs, checker, parsing)
    return result


def _keeping(docs: list[Document], take: Early) -> Early:
    """take, keeping every document it hears of in docs as well."""

    def keep(i: int, doc: Document) -> None:
        docs.append(doc)
        take(i, doc)

    return keep
