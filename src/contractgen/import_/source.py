"""The foreign files: read with the contracts' safety, located, with their $refs followed.

Every file is parsed by the contracts' own reader (``load.yamlpos``): no tags,
bounded aliases, no duplicate keys, located errors, never a traceback. JSON is
read by the same parser (JSON is YAML 1.2). A ``$ref`` may point inside the
document (``#/components/schemas/Pet``) or at another file in the document's
folder or below it (``common.yaml#/Pet``); a URL is never fetched and a file
outside the folder is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from contractgen.diagnostics import Diagnostic, error
from contractgen.import_.jsonpos import parse_json
from contractgen.load.yamlpos import Path as NodePath
from contractgen.load.yamlpos import Positions, parse

#: A place in a foreign file: the file as shown, and the path of keys and indexes.
Pointer = tuple[str | int, ...]


@dataclass(frozen=True)
class Loc:
    """Where a node is: its file (as shown to the user) and its JSON path."""

    file: str
    path: Pointer = ()

    def at(self, *more: str | int) -> Loc:
        return Loc(self.file, (*self.path, *more))

    @property
    def pointer(self) -> str:
        """The RFC 6901 JSON pointer, as a URI fragment: '#/paths/~1pets/get'."""
        parts = (str(p).replace("~", "~0").replace("/", "~1") for p in self.path)
        return "#" + "".join("/" + p for p in parts)


@dataclass
class Source:
    file: str
    data: Any
    positions: Positions


@dataclass
class Sources:
    """The foreign files read so far, below one folder."""

    folder: Path
    #: How the folder is shown in diagnostics (as the user named the document's folder).
    shown_folder: str = ""
    files: dict[str, Source] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def shown(self, file: str) -> str:
        """A file (relative to the folder) as diagnostics name it."""
        return f"{self.shown_folder}/{file}" if self.shown_folder else file

    def position(self, loc: Loc, key: bool = False) -> tuple[int, int]:
        source = self.files.get(loc.file)
        if source is None:
            return 1, 1
        path: NodePath = loc.path
        return source.positions.of_key(path) if key else source.positions.of(path)

    def error(self, code: str, message: str, loc: Loc, hint: str | None = None) -> None:
        line, col = self.position(loc)
        shown = self.shown(loc.file)
        self.diagnostics.append(
            error(code, f"{message} (at {loc.pointer})", shown, line, col, hint)
        )

    def read(self, file: str) -> Source | None:
        """Reads one file (relative to the folder) once; None, reported, when it
        cannot be read."""
        if file in self.files:
            return self.files[file]
        shown = self.shown(file)
        try:
            raw = (self.folder / file).read_bytes()
        except OSError as exc:
            self.diagnostics.append(
                error("CG701", f"cannot read {shown}: {exc.strerror or exc}", shown, 0, 0)
            )
            return None
        doc = (parse_json(raw) if file.endswith(".json") else None) or parse(raw, shown)
        if doc.diagnostics or doc.data is None:
            self.diagnostics.extend(doc.diagnostics)
            return None
        source = Source(file, doc.data, doc.positions)
        self.files[file] = source
        return source

    def node(self, loc: Loc) -> Any:
        """The value at loc (its file is read)."""
        value: Any = self.files[loc.file].data
        for part in loc.path:
            value = value[part]
        return value


def decode_pointer(fragment: str) -> Pointer | None:
    """'/components/schemas/Pet' -> ('components', 'schemas', 'Pet'); None if malformed."""
    if fragment == "":
        return ()
    if not fragment.startswith("/"):
        return None
    parts = unquote(fragment[1:]).split("/")
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in parts)


def follow(value: Any, path: Pointer) -> tuple[Any, Pointer] | None:
    """The node at path below value, with list indexes as ints; None when absent."""
    out: list[str | int] = []
    for part in path:
        if isinstance(value, dict) and part in value:
            value = value[part]
            out.append(part)
        elif isinstance(value, list) and isinstance(part, str) and part.isdigit():
            index = int(part)
            if index >= len(value):
                return None
            value = value[index]
            out.append(index)
        else:
            return None
    return value, tuple(out)


def is_url(ref: str) -> bool:
    head = ref.split("#", 1)[0]
    return "://" in head or head.startswith("//")


def resolve_ref(sources: Sources, ref: str, where: Loc) -> Loc | None:
    """The place a $ref points at (reading its file); None, reported, when it cannot
    be followed. URL references are the caller's to report (they are never fetched)."""
    target, _, fragment = ref.partition("#")
    file = where.file
    if target:
        wanted = (sources.folder / Path(where.file).parent / unquote(target)).resolve()
        root = sources.folder.resolve()
        if root != wanted and root not in wanted.parents:
            sources.error(
                "CG702",
                f"$ref '{ref}' points outside the document's folder; it is refused",
                where,
                "copy the referenced file next to the document",
            )
            return None
        file = wanted.relative_to(root).as_posix()
        if sources.read(file) is None:
            return None
    pointer = decode_pointer(fragment)
    found = None if pointer is None else follow(sources.files[file].data, pointer)
    if found is None:
        sources.error("CG702", f"$ref '{ref}' points at nothing", where, "fix the pointer")
        return None
    return Loc(file, found[1])
