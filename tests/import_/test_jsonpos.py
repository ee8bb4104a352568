"""The JSON fast path reads the same data and positions as the safe YAML reader,
and declines (so that the safe reader reports) whatever it cannot vouch for."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.import_.jsonpos import parse_json
from contractgen.load.yamlpos import parse

CORPUS = Path(__file__).parent / "corpus"


def test_same_data_and_positions_as_the_yaml_reader() -> None:
    raw = (CORPUS / "auth.json").read_bytes()
    fast, safe = parse_json(raw), parse(raw, "auth.json")
    assert fast is not None
    assert fast.data == safe.data
    assert fast.positions.tables == safe.positions.tables
    assert fast.positions.root == safe.positions.root


def test_escapes_nesting_and_lines() -> None:
    raw = b'{"a\\"b": [1, {"c": "x,y:]"}],\n  "d":\n    {"e": [true, null]}}'
    fast, safe = parse_json(raw), parse(raw, "x.json")
    assert fast is not None and fast.data == safe.data
    assert fast.positions.tables == safe.positions.tables


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": 1, "a": 2}',
        b'{"a": NaN}',
        b"[1, 2]",
        b'{"a": ',
        b"\xff{}",
        b"{" * 150 + b"}" * 150,
    ],
)
def test_declines_what_the_safe_reader_must_report(raw: bytes) -> None:
    assert parse_json(raw) is None
