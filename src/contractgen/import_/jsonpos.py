"""A fast path for large JSON documents: the same data and positions as ``yamlpos``.

libyaml takes seconds to compose a 13 MB JSON description; Python's ``json``
reads it in a fraction of that, and one pass of a regular-expression tokenizer
records where each node is. This path only accepts what it can vouch for: a
document ``json`` reads without error, without a duplicate key, not nested
deeper than ``yamlpos.MAX_DEPTH``, whose root is a mapping. Anything else
returns None, and the caller reads the file with ``yamlpos``, which reports
the problem where it is.
"""

from __future__ import annotations

import json
import re
from typing import Any

from contractgen.load.yamlpos import MAX_DEPTH, Document, Entry, Path, Positions, Table

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


class _Duplicate(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Duplicate
    return result


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(raw: bytes) -> Document | None:
    """The document and its positions, or None when the safe reader must decide."""
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except (ValueError, _Duplicate, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    positions = _positions(text)
    return Document(data, positions, []) if positions is not None else None


def _positions(text: str) -> Positions | None:
    """Where each node is, collection by collection (see ``yamlpos.Positions``)."""
    positions = Positions()
    tables = positions.tables
    # Per open collection: its path, its table, and (mappings) the key being read.
    stack: list[tuple[Path, Table, list[Any]]] = []
    line, line_start, last = 1, 0, 0
    expect_key = False
    for match in _TOKEN.finditer(text):
        start = match.start()
        newlines = text.count("\n", last, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", last, start) + 1
        last = start
        at = (line, start - line_start + 1)
        token = match.group()
        first = token[0]
        if first in ",:":
            expect_key = first == "," and bool(stack) and isinstance(stack[-1][1], dict)
            continue
        if first in "}]":
            stack.pop()
            continue
        if expect_key:
            key = json.loads(token) if "\\" in token else token[1:-1]
            stack[-1][2][:] = [key, at]
            expect_key = False
            continue
        path = _place(stack, at)
        if first in "{[":
            if len(stack) > MAX_DEPTH:
                return None
            table: Table = {} if first == "{" else []
            tables[path] = table
            stack.append((path, table, []))
            expect_key = first == "{"
            if not stack[:-1]:
                positions.root = at
    return positions


def _place(stack: list[tuple[Path, Table, list[Any]]], at: tuple[int, int]) -> Path:
    """Records a value's position in the collection that holds it; returns its path."""
    if not stack:
        return ()
    path, table, pending = stack[-1]
    if isinstance(table, dict):
        key, key_at = pending
        entry: Entry = (key_at[0], key_at[1], at[0], at[1])
        table[key] = entry
        return (*path, key)
    table.append(at)
    return (*path, len(table) - 1)
