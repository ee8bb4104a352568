"""Surfaces: pure functions from the spec to output files.

Each surface module does no I/O (writing is ``contractgen.write``'s job); its
paths are POSIX, relative to the output folder, and start with the surface's
own folder. A surface renders domain by domain, so that an incremental build
can render only the domains an edit touches and take the rest from its cache.
Every surface module exposes four functions:

``facts_part(spec, domain, options)``
    What the surface must know about one domain to render *other* domains and
    the merged documents (names it claims, models its operations reach, ...).
    Computed from the domain and what it reaches only.
``finalize(parts, options)``
    The surface's facts about the whole tree, from the parts of every domain
    (for example collision-free type names). A pure function of the parts.
``render_domains(spec, options, facts, domains)``
    For each given domain, the files that belong to it and its *piece* of each
    merged document (a page list, pre-rendered definitions, ...). It reads only
    those domains, what they reach, and ``facts``; never the rest of the spec.
``assemble(pieces, facts, options)``
    The files made from every domain's piece (merged documents, indexes,
    shared runtime code): a pure function of the pieces and facts.

A surface may also name the slots of its pieces whose text a merged file holds
verbatim (``spliced_texts(piece)``), so that a build can splice them instead
of keeping them (``contractgen.speed.splice``).

Parts, facts and pieces are plain data (dict, list, tuple, str, int, float,
bool, None, bytes) so the build cache can store them with ``marshal``. Every
edit reads the facts back whole: a large index in them that pages only look up
by key is best packed (``surfaces.lookup``). ``render``
(``render_surface``) chains the four over a whole spec.
"""

from __future__ import annotations

import importlib
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from contractgen.config import SURFACES, Config, GraphQLOptions, OpenAPIInfo, PythonOptions
from contractgen.diagnostics import Diagnostic, error
from contractgen.spec import Spec

SURFACE_NAMES = SURFACES  # (the one list lives in contractgen.config)


@dataclass(frozen=True)
class OutputFile:
    path: str
    content: str
    #: Contract files (spec paths) this file was rendered from.
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Options:
    """What surfaces may read besides the spec. Everything has a default."""

    python: PythonOptions = field(default_factory=PythonOptions)
    openapi: OpenAPIInfo = field(default_factory=lambda: OpenAPIInfo.model_validate({}))
    graphql: GraphQLOptions = field(default_factory=lambda: GraphQLOptions.model_validate({}))
    #: A user folder whose templates replace built-in ones of the same name.
    templates: Path | None = None

    @classmethod
    def from_config(cls, config: Config) -> Options:
        s = config.settings
        return cls(
            python=s.python, openapi=s.openapi, graphql=s.graphql, templates=config.templates
        )


@dataclass
class Rendered:
    """What ``render_domains`` gives: per domain, its own files and its piece."""

    files: dict[str, list[OutputFile]] = field(default_factory=dict)
    pieces: dict[str, Any] = field(default_factory=dict)


class Surface(Protocol):
    """The functions every surface module provides (see the module docstring)."""

    def facts_part(self, spec: Spec, domain: str, options: Options) -> Any: ...

    def finalize(self, parts: Mapping[str, Any], options: Options) -> Any: ...

    def render_domains(
        self, spec: Spec, options: Options, facts: Any, domains: Sequence[str]
    ) -> Rendered: ...

    def assemble(
        self, pieces: Mapping[str, Any], facts: Any, options: Options
    ) -> list[OutputFile]: ...


def surface_module(surface: str) -> Surface:
    """A surface's module, imported on first use."""
    module: Surface = importlib.import_module(f"contractgen.surfaces.{surface}")
    return module


def render_surface(module: Surface, spec: Spec, options: Options) -> list[OutputFile]:
    """Every file of one surface for a whole spec, sorted by path."""
    files: list[OutputFile] = []
    _render_one(module, spec, options, None, None, files.extend)
    return sorted(files, key=lambda f: f.path)


@dataclass
class Tracked:
    """What an incremental build needs to redo part of a rendering: each file's
    owner and each surface's state. ``files`` holds the files themselves only
    when the caller collected them (no ``emit``)."""

    files: list[OutputFile] = field(default_factory=list)
    #: Path -> the domain a file belongs to, or "" for files assembled from all domains.
    owners: dict[str, str] = field(default_factory=dict)
    #: Surface -> {"parts": {domain: part}, "facts": facts, "pieces": {domain: piece}}.
    surfaces: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, other: Tracked) -> None:
        self.files += other.files
        self.owners.update(other.owners)
        self.surfaces.update(other.surfaces)


#: Hears of rendered files, a batch at a time (the build places them and lets them go).
Emit = Callable[[list[OutputFile]], None]


class Standing(Protocol):
    """Markers standing in for the texts of a surface's pieces while it assembles."""

    def merged(self, assemble: Callable[[], list[OutputFile]]) -> list[OutputFile]: ...

    def restore(self) -> Any:
        """Puts the texts' places back into the pieces; returns what the state keeps
        besides them (``moves``)."""


#: Called before a surface assembles its merged files from the pieces, with the
#: surface's state from the build before, if any (see ``contractgen.speed.splice``).
StandIn = Callable[[Surface, dict[str, Any], Mapping[str, Any] | None], Standing | None]
#: Domains rendered per call of ``render_domains``: the batch a build holds in memory.
BATCH = 32


def _render_one(
    module: Surface,
    spec: Spec,
    options: Options,
    only: Sequence[str] | None,
    previous: Mapping[str, Any] | None,
    emit: Emit,
    stand_in: StandIn | None = None,
) -> tuple[dict[str, str], dict[str, Any]]:
    """Emits one surface's files; returns their owners and the surface's state
    (parts, facts and pieces)."""
    if only is None or previous is None:
        domains: Sequence[str] = spec.domains
        parts = {d: module.facts_part(spec, d, options) for d in domains}
        facts = module.finalize(parts, options)
        pieces: dict[str, Any] = {}
        previous = None
    else:
        domains, parts, facts = only, previous["parts"], previous["facts"]
        pieces = {d: p for d, p in previous["pieces"].items() if d not in only}
    owners: dict[str, str] = {}
    for start in range(0, len(domains), BATCH):
        batch = domains[start : start + BATCH]
        rendered = module.render_domains(spec, options, facts, batch)
        pieces.update(rendered.pieces)
        files = [f for d in batch for f in rendered.files.get(d, ())]
        owners.update((f.path, d) for d in batch for f in rendered.files.get(d, ()))
        emit(files)
    ordered = dict(sorted(pieces.items()))
    standing = stand_in(module, ordered, previous) if stand_in is not None else None

    def assemble() -> list[OutputFile]:
        return module.assemble(ordered, facts, options)

    moves = None
    try:
        merged = standing.merged(assemble) if standing is not None else assemble()
        owners.update((f.path, "") for f in merged)
        emit(merged)
    finally:
        if standing is not None:
            moves = standing.restore()
    done = [[f.path, list(f.sources)] for f in merged]
    # (the stand-in may have replaced pieces of ordered: those are the ones kept)
    state = {"parts": parts, "facts": facts, "pieces": ordered, "merged": done}
    if moves is not None:
        state["moves"] = moves
    return owners, state


def render_tracked(
    spec: Spec,
    options: Options,
    surfaces: Iterable[str],
    only: Sequence[str] | None = None,
    previous: Mapping[str, Any] | None = None,
    emit: Emit | None = None,
    stand_in: StandIn | None = None,
) -> Tracked:
    """The files of the given surfaces, with each surface's parts, facts and pieces.

    With ``only`` and ``previous`` (the ``surfaces`` of an earlier Tracked, whose
    facts still hold), just those domains are rendered: every other domain's piece
    is taken from ``previous`` and the merged files are assembled again. With
    ``emit``, files go to it batch by batch instead of into ``Tracked.files``;
    with ``stand_in``, the texts of the pieces may be spliced into merged files
    (``contractgen.speed.splice``), and the pieces then hold their places.
    """
    tracked = Tracked()
    sink = emit if emit is not None else tracked.files.extend
    for surface in surfaces:
        module = surface_module(surface)
        prior = previous.get(surface) if previous is not None else None
        owners, state = _render_one(module, spec, options, only, prior, sink, stand_in)
        tracked.owners.update(owners)
        tracked.surfaces[surface] = state
    return tracked


def render_all(spec: Spec, options: Options, surfaces: Iterable[str]) -> list[OutputFile]:
    """Every file of the given surfaces, sorted by path."""
    return sorted(render_tracked(spec, options, surfaces).files, key=lambda f: f.path)


def template_diagnostic(exc: Exception) -> Diagnostic:
    """A located diagnostic for a Jinja error in a (built-in or user) template."""
    filename = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None) or 0
    if filename is None:
        # A runtime error (an undefined name, say): Jinja rewrites the traceback so
        # that template frames carry the template's file and line; take the last.
        for frame, frame_line in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename.endswith(".jinja"):
                filename, line = frame.f_code.co_filename, frame_line
    filename = filename or "template"
    message = getattr(exc, "message", None) or str(exc)
    return error(
        "CG602",
        f"template error: {message}",
        str(filename),
        line,
        1 if line else 0,
        "fix the template; nothing was written",
    )


def header_text(sources: Iterable[str]) -> str:
    """The words of every generated file's header (each surface wraps them in its comments)."""
    names = sorted(set(sources))
    listed = ", ".join(names) if len(names) <= 3 else f"{len(names)} contract files"
    return f"Generated by contractgen from {listed}. Do not edit: edit the contracts and rebuild."
