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
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from contractgen.diagnostics import Diagnostic, error

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


@dataclass
class Positions:
    """Line and column (1-based) of each value, and of each mapping key."""

    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: Path) -> tuple[int, int]:
        """Position of the value at path, or of its closest located ancestor."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def of_key(self, path: Path) -> tuple[int, int]:
        return self.keys.get(path) or self.of(path)


@dataclass
class Document:
    data: dict[str, Any] | None
    positions: Positions
    diagnostics: list[Diagnostic]


class _Refused(Exception):
    def __init__(self, diag: Diagnostic) -> None:
        self.diag = diag


def _mark(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return mark.line + 1, mark.column + 1


class _Builder:
    def __init__(self, events: Iterator[Any], file: str) -> None:
        self.events = events
        self.file = file
        self.pos = Positions()
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.alias_nodes = 0
        self.diags: list[Diagnostic] = []

    def refuse(self, code: str, message: str, at: tuple[int, int], hint: str | None = None) -> None:
        raise _Refused(error(code, message, self.file, at[0], at[1], hint))

    def check_tag(self, event: Any) -> None:
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            self.refuse(
                "CG104",
                f"YAML tag '{tag}' is not allowed in a contract",
                _mark(event),
                "contracts are plain data: remove the tag (quote the value if it must be a string)",
            )

    def node(self, event: Any, path: Path, depth: int) -> tuple[Any, int]:
        """Builds one node; returns its value and its size in nodes."""
        at = _mark(event)
        if depth > MAX_DEPTH:
            self.refuse("CG102", f"nesting deeper than {MAX_DEPTH} levels", at)
        if isinstance(event, yaml.AliasEvent):
            anchor = str(event.anchor)
            if anchor not in self.anchors:
                self.refuse("CG102", f"alias '*{anchor}' names no anchor defined before it", at)
            shared, size = self.anchors[anchor]
            self.alias_nodes += size
            if self.alias_nodes > ALIAS_BUDGET:
                self.refuse(
                    "CG105",
                    f"aliases expand to more than {ALIAS_BUDGET} nodes",
                    at,
                    "write the repeated parts out, or share them as a model",
                )
            self.pos.values[path] = at
            return shared, size
        self.check_tag(event)
        self.pos.values[path] = at
        value: Any
        if isinstance(event, yaml.ScalarEvent):
            value = event.value if event.style else resolve_plain(event.value)
            size = 1
        elif isinstance(event, yaml.SequenceStartEvent):
            value, size = self.sequence(path, depth)
        elif isinstance(event, yaml.MappingStartEvent):
            value, size = self.mapping(path, depth)
        else:  # pragma: no cover - libyaml never yields anything else here
            self.refuse("CG102", f"unexpected YAML event {type(event).__name__}", at)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, size)
        return value, size

    def sequence(self, path: Path, depth: int) -> tuple[list[Any], int]:
        items: list[Any] = []
        size = 1
        for event in self.events:
            if isinstance(event, yaml.SequenceEndEvent):
                return items, size
            value, n = self.node(event, (*path, len(items)), depth + 1)
            items.append(value)
            size += n
        raise AssertionError("unterminated sequence")  # pragma: no cover

    def mapping(self, path: Path, depth: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        size = 1
        for event in self.events:
            if isinstance(event, yaml.MappingEndEvent):
                return result, size
            at = _mark(event)
            if not isinstance(event, yaml.ScalarEvent):
                self.refuse("CG109", "mapping keys must be plain strings", at)
            self.check_tag(event)
            key = event.value
            if key == "<<" and not event.style:
                self.refuse(
                    "CG104",
                    "YAML merge keys ('<<') are not supported",
                    at,
                    "write the keys out in full",
                )
            child = (*path, key)
            if key in result:
                first = self.pos.keys[child]
                raise _Refused(
                    error(
                        "CG103",
                        f"duplicate key '{key}'",
                        self.file,
                        at[0],
                        at[1],
                        "each key may appear once in a mapping; remove one of them",
                        related=((self.file, first[0], first[1], "first defined here"),),
                    )
                )
            self.pos.keys[child] = at
            value, n = self.node(next(self.events), child, depth + 1)
            result[key] = value
            size += n
        raise AssertionError("unterminated mapping")  # pragma: no cover


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
    builder = _Builder(iter(()), file)
    try:
        events = yaml.parse(text, Loader=_Loader)
        builder.events = events
        data = _documents(builder, events, file)
    except _Refused as refused:
        return Document(None, builder.pos, [refused.diag])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        message = f"{context}, {problem}" if context else str(problem)
        return Document(None, builder.pos, [error("CG102", message, file, line, col)])
    except RecursionError:
        return Document(None, builder.pos, [error("CG102", "nesting too deep", file, 1, 1)])
    if data is None:
        return Document(None, builder.pos, builder.diags)
    return Document(data, builder.pos, builder.diags)


def _documents(builder: _Builder, events: Iterator[Any], file: str) -> dict[str, Any] | None:
    data: Any = None
    seen = 0
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            seen += 1
            if seen > 1:
                builder.refuse(
                    "CG107",
                    "a contract file holds one YAML document",
                    _mark(event),
                    "split the documents into separate files",
                )
            data, _ = builder.node(next(events), (), 0)
    if seen == 0 or data is None:
        builder.diags.append(
            error("CG108", "the file is empty", file, 1, 1, "a contract file starts with 'kind:'")
        )
        return None
    if not isinstance(data, dict):
        at = builder.pos.values.get((), (1, 1))
        builder.refuse(
            "CG106",
            f"a contract file must be a mapping, not {_kind_of(data)}",
            at,
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
