"""Where the parts of a definition are written, found again when asked (``spec.Places``).

The loader knows every node's position while it checks a file, but a spec
keeps none of them: only the differ asks where a node is (one that changed),
and a large tree would otherwise hold millions of positions for it. A spec's
places name the file's text instead (which it keeps for the docs pages of
contracts anyway) and the sections of one definition; the first look-up in a
file parses its text again for the positions, which are the same as the
loader's (the same parser, the same text).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from contractgen.load.yamlpos import Path, Table, parse_text


class Written:
    """A contract file's text, and its position tables once asked for."""

    __slots__ = ("_tables", "file", "text")

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self._tables: dict[Path, Table] | None = None

    @property
    def tables(self) -> dict[Path, Table]:
        if self._tables is None:
            self._tables = parse_text(self.text, self.file).positions.tables
        return self._tables


class Places(Mapping[str, Any]):
    """The position tables of a definition's sections, by section name (as
    ``spec.Places`` describes them): "" is the definition's own mapping at
    ``base``; every other section is the table at ``base`` followed by
    ``sub`` and the section's name (split at dots, when ``dotted``: a
    contract's "transport.rest")."""

    __slots__ = ("base", "dotted", "sections", "sub", "written")

    def __init__(
        self,
        written: Written,
        base: Path,
        sections: tuple[str, ...],
        sub: Path = (),
        dotted: bool = False,
    ) -> None:
        self.written = written
        self.base = base
        self.sub = sub
        self.sections = sections
        self.dotted = dotted

    def __getitem__(self, section: str) -> Any:
        if section == "":
            table: Any = self.written.tables.get(self.base)
            return table if isinstance(table, dict) else {}
        if section not in self.sections:
            raise KeyError(section)
        path = section.split(".") if self.dotted else (section,)
        return self.written.tables.get((*self.base, *self.sub, *path))

    def __iter__(self) -> Iterator[str]:
        return iter(("", *self.sections))

    def __len__(self) -> int:
        return 1 + len(self.sections)
