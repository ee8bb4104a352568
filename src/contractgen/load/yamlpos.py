"""Safe YAML reading that remembers where every node came from.

We drive libyaml's event parser ourselves instead of using a constructor, which
lets us refuse what a contract must never contain (tags, duplicate keys,
runaway aliases, several documents) with a located diagnostic, and resolve
plain scalars by the YAML 1.2 core schema (``yes`` and ``no`` stay strings).

The result is plain Python data (dict, list, str, int, float, bool, None) plus
a ``Positions`` index from a path of keys and indexes to a line and column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from sys import intern as _intern
from typing import Any

import yaml

from contractgen.diagnostics import Diagnostic, error
from contractgen.load.yamlerrors import syntax_error

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Nodes that aliases may add to one document before we refuse it.
ALIAS_BUDGET = 10_000
#: Deepest nesting of collections we accept.
MAX_DEPTH = 100

Path = tuple[str | int, ...]

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUES = frozenset({"true", "True", "TRUE"})
_FALSES = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")


def resolve_plain(text: str) -> Any:
    """Value of a plain (unquoted) scalar under the YAML 1.2 core schema."""
    if text in _NULLS:
        return None
    if text in _TRUES:
        return True
    if text in _FALSES:
        return False
    first = text[0]
    if first.isdigit() or first in "+-.":
        if _INT.match(text):
            return int(text)
        if _OCT.match(text):
            return int(text[2:], 8)
        if _HEX.match(text):
            return int(text[2:], 16)
        if _FLOAT.match(text):
            return float(text)
        if _INF.match(text):
            return -math.inf if text[0] == "-" else math.inf
        if _NAN.match(text):
            return math.nan
    return text


#: Where one mapping entry is written: its key's line and column, its value's.
Entry = tuple[int, int, int, int]
#: The positions inside one collection: by key for a mapping, by index for a sequence.
Table = dict[str, Entry] | list[tuple[int, int]]


@dataclass
class Positions:
    """Line and column (1-based) of every node of a document, and of every key.

    Kept per collection (``tables``, by the collection's path of keys and
    indexes) rather than per node: a document has far fewer collections than
    nodes, so this is cheaper to build, to send from a forked child and to
    cache, and a collection's entries come in one lookup (``entries``).
    """

    tables: dict[Path, Table] = field(default_factory=dict)
    root: tuple[int, int] = (1, 1)

    def of(self, path: Path) -> tuple[int, int]:
        """Position of the value at path, or of its closest located ancestor."""
        tables = self.tables
        while path:
            table = tables.get(path[:-1])
            last = path[-1]
            if isinstance(table, dict):
                if isinstance(last, str) and last in table:
                    entry = table[last]
                    return entry[2], entry[3]
            elif table is not None and isinstance(last, int) and 0 <= last < len(table):
                return table[last]
            path = path[:-1]
        return self.root

    def of_key(self, path: Path) -> tuple[int, int]:
        """Position of the key that path ends with (of its value when not a key)."""
        if path:
            table = self.tables.get(path[:-1])
            last = path[-1]
            if isinstance(table, dict) and isinstance(last, str) and last in table:
                entry = table[last]
                return entry[0], entry[1]
        return self.of(path)

    def forget(self, top: str) -> None:
        """Lets go of the tables below one top-level key (nobody asks for their nodes
        any more)."""
        self.tables = {p: t for p, t in self.tables.items() if not p or p[0] != top}

    def entries(self, path: Path) -> dict[str, Entry]:
        """The entries of the mapping at path (empty when there is none)."""
        table = self.tables.get(path)
        return table if isinstance(table, dict) else {}


@dataclass
class Document:
    data: dict[str, Any] | None
    positions: Positions
    diagnostics: list[Diagnostic]


class _Refused(Exception):
    def __init__(self, diag: Diagnostic) -> None:
        self.diag = diag


# Tags our resolver gives to untagged nodes. libyaml's composer asks the
# resolver only for nodes written without a tag, so any other tag on a node
# was written explicitly in the file, and is refused.
_PLAIN = "!contractgen/plain"
_QUOTED = "!contractgen/quoted"
_MAP = "!contractgen/map"
_SEQ = "!contractgen/seq"
_IMPLICIT = frozenset({_PLAIN, _QUOTED, _MAP, _SEQ})


class _NodeLoader(_Loader):  # type: ignore[misc]
    """libyaml's C parser and composer, with a resolver that only marks nodes."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _QUOTED
        return _MAP if kind is yaml.MappingNode else _SEQ


def _at(node: Any) -> tuple[int, int]:
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


class _Builder:
    """Turns a composed node graph into plain data, recording every position."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.pos = Positions()
        self.tables = self.pos.tables
        self.built: dict[int, tuple[Any, int]] = {}  # node id -> (value, size in nodes)
        self.open: set[int] = set()
        self.alias_nodes = 0
        self.diags: list[Diagnostic] = []

    def refuse(self, code: str, message: str, at: tuple[int, int], hint: str | None = None) -> None:
        raise _Refused(error(code, message, self.file, at[0], at[1], hint))

    def refuse_tag(self, node: Any) -> None:
        self.refuse(
            "CG104",
            f"YAML tag '{node.tag}' is not allowed in a contract",
            _at(node),
            "contracts are plain data: remove the tag (quote the value if it must be a string)",
        )

    def node(self, node: Any, path: Path, depth: int) -> tuple[Any, int]:
        """Builds one node (whose own position its parent records); returns its
        value and its size in nodes."""
        tag = node.tag
        # Scalars first: they are most nodes, and an aliased scalar costs one node.
        if tag == _PLAIN:
            return resolve_plain(node.value), 1
        if tag == _QUOTED:
            return node.value, 1
        ident = id(node)
        seen = self.built.get(ident)
        if seen is not None:  # a second use of an anchored node: an alias
            # (Positions inside it are those of the alias: its path has no table.)
            self.alias_nodes += seen[1]
            if self.alias_nodes > ALIAS_BUDGET:
                self.refuse(
                    "CG105",
                    f"aliases of this anchored node expand the file past {ALIAS_BUDGET} nodes",
                    _at(node),
                    "write the repeated parts out, or share them as a model",
                )
            return seen
        if tag not in _IMPLICIT:
            self.refuse_tag(node)
        if depth > MAX_DEPTH:
            self.refuse("CG102", f"nesting deeper than {MAX_DEPTH} levels", _at(node))
        if ident in self.open:
            self.refuse("CG105", "an alias refers to the collection that contains it", _at(node))
        self.open.add(ident)
        if tag == _MAP:
            result: tuple[Any, int] = self.mapping(node, path, depth)
        else:
            result = self.sequence(node, path, depth)
        self.open.discard(ident)
        self.built[ident] = result
        return result

    def sequence(self, node: Any, path: Path, depth: int) -> tuple[list[Any], int]:
        items: list[Any] = []
        table: list[tuple[int, int]] = []
        self.tables[path] = table
        size = 1
        for index, child in enumerate(node.value):
            mark = child.start_mark
            table.append((mark.line + 1, mark.column + 1))
            value, n = self.node(child, (*path, index), depth + 1)
            items.append(value)
            size += n
        return items, size

    def mapping(self, node: Any, path: Path, depth: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        table: dict[str, Entry] = {}
        self.tables[path] = table
        size = 1
        for key_node, value_node in node.value:
            key_tag = key_node.tag
            if key_tag != _PLAIN and key_tag != _QUOTED:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.refuse("CG109", "mapping keys must be plain strings", _at(key_node))
                self.refuse_tag(key_node)
            key = _intern(key_node.value)  # (keys repeat: one string each)
            mark = key_node.start_mark
            line, col = mark.line + 1, mark.column + 1
            if key == "<<" and key_tag == _PLAIN:
                self.refuse(
                    "CG104",
                    "YAML merge keys ('<<') are not supported",
                    (line, col),
                    "write the keys out in full",
                )
            if key in result:  # reported; the first stays, so the rest is checked too
                first = table[key]
                self.diags.append(
                    error(
                        "CG103",
                        f"duplicate key '{key}'",
                        self.file,
                        line,
                        col,
                        "each key may appear once in a mapping; remove one of them",
                        related=((self.file, first[0], first[1], "first defined here"),),
                    )
                )
                continue
            vmark = value_node.start_mark
            table[key] = (line, col, vmark.line + 1, vmark.column + 1)
            value_tag = value_node.tag
            if value_tag == _PLAIN:  # (the common case, without a call)
                result[key] = resolve_plain(value_node.value)
                size += 1
                continue
            value, n = self.node(value_node, (*path, key), depth + 1)
            result[key] = value
            size += n
        return result, size


def _decode(raw: bytes, file: str) -> tuple[str | None, Diagnostic | None]:
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        start = exc.start
        line = raw.count(b"\n", 0, start) + 1
        col = start - (raw.rfind(b"\n", 0, start) + 1) + 1
        return None, error(
            "CG101",
            f"byte 0x{raw[start]:02x} is not valid UTF-8",
            file,
            line,
            col,
            "save the file as UTF-8",
        )


def parse(raw: bytes, file: str) -> Document:
    """Parses one contract file. Never raises on bad input."""
    text, diag = _decode(raw, file)
    if text is None:
        assert diag is not None
        return Document(None, Positions(), [diag])
    return parse_text(text, file)


def parse_text(text: str, file: str) -> Document:
    """Parses one contract file's text (decoded as ``parse`` decodes its bytes)."""
    builder = _Builder(file)
    loader = _NodeLoader(text)
    try:
        root = loader.get_single_node()
        data = _document(builder, root, file)
    except _Refused as refused:
        return Document(None, builder.pos, [refused.diag])
    except yaml.YAMLError as exc:
        context = getattr(exc, "context", None)
        if context and "single document" in context:
            mark = getattr(exc, "problem_mark", None)
            line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            message = "a contract file holds one YAML document"
            hint = "split the documents into separate files"
            return Document(None, builder.pos, [error("CG107", message, file, line, col, hint)])
        return Document(None, builder.pos, [syntax_error(text, exc, file)])
    except RecursionError:
        return Document(None, builder.pos, [error("CG102", "nesting too deep", file, 1, 1)])
    finally:
        loader.dispose()
    return Document(data, builder.pos, builder.diags)


def _document(builder: _Builder, root: Any, file: str) -> dict[str, Any] | None:
    if root is None:
        builder.diags.append(
            error("CG108", "the file is empty", file, 1, 1, "a contract file starts with 'kind:'")
        )
        return None
    builder.pos.root = _at(root)
    data, _ = builder.node(root, (), 0)
    if data is None:
        builder.diags.append(
            error("CG108", "the file is empty", file, 1, 1, "a contract file starts with 'kind:'")
        )
        return None
    if not isinstance(data, dict):
        builder.refuse(
            "CG106",
            f"a contract file must be a mapping, not {_kind_of(data)}",
            _at(root),
            "start the file with 'kind: command', 'kind: query', 'kind: event' or 'kind: models'",
        )
    result: dict[str, Any] = data
    return result


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "a sequence"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a scalar"
