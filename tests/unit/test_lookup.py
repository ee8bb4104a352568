"""A packed lookup gives back every entry it was given, in order, decoding one at a time."""

from __future__ import annotations

import marshal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractgen.surfaces.lookup import Lookup, pack

plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(), plain, max_size=30))
def test_a_packed_mapping_looks_up_as_the_dict_it_came_from(entries: dict[str, Any]) -> None:
    packed = pack(entries)
    assert isinstance(marshal.loads(marshal.dumps(packed)), bytes)  # (plain data: facts)
    lookup = Lookup(packed)
    assert list(lookup) == list(entries) and len(lookup) == len(entries)
    for key, value in entries.items():
        assert lookup[key] == value
    assert dict(lookup) == entries


def test_a_missing_key_is_a_key_error() -> None:
    lookup = Lookup(pack({"a": [["op", "page.md"]]}))
    assert lookup.get("b") is None and "a" in lookup
    with pytest.raises(KeyError):
        lookup["b"]
