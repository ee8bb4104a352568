"""Every position the parser records, checked against PyYAML's own composer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from contractgen.load.yamlpos import Path as KeyPath
from contractgen.load.yamlpos import Positions, parse

ROOT = Path(__file__).resolve().parents[2]


def _expected(
    node: Any, path: KeyPath, values: dict[KeyPath, Any], keys: dict[KeyPath, Any]
) -> None:
    """Every node's and every key's start mark, by path (the oracle)."""
    values[path] = node.start_mark
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            keys[child] = key_node.start_mark
            _expected(value_node, child, values, keys)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _expected(item, (*path, index), values, keys)


def _check(text: str) -> None:
    doc = parse(text.encode(), "t.yaml")
    assert doc.data is not None, doc.diagnostics
    values: dict[KeyPath, Any] = {}
    keys: dict[KeyPath, Any] = {}
    _expected(yaml.compose(text, Loader=yaml.SafeLoader), (), values, keys)
    positions: Positions = doc.positions
    for path, mark in values.items():
        assert positions.of(path) == (mark.line + 1, mark.column + 1), path
    for path, mark in keys.items():
        assert positions.of_key(path) == (mark.line + 1, mark.column + 1), path
    # A path that names nothing falls back to its closest located ancestor.
    for path in list(values)[:20]:
        assert positions.of((*path, "no such key", 7)) == positions.of(path)


def test_bundled_contracts() -> None:
    files = sorted((ROOT / "contracts").rglob("*.yaml"))
    assert files
    for file in files:
        _check(file.read_text(encoding="utf-8"))


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.floats(allow_nan=False)
)
_documents = st.dictionaries(
    st.text(min_size=1, max_size=6),
    st.recursive(
        _scalars,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=4)
        ),
        max_leaves=20,
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(_documents, st.sampled_from([False, True, None]))
def test_generated_documents(data: dict[str, Any], flow: bool | None) -> None:
    _check(yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True))
