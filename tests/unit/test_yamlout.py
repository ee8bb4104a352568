"""The YAML writer gives back exactly what it was given."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from contractgen.yamlout import dump

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.sampled_from(
        ["yes", "no", "on", "null", "~", "1.0", "0x1f", "1e3", ".inf", "- a", "a: b", "a #b",
         "#x", "&a", "*a", "!t", "@x", "`x", "%x", "{a}", "[a]", "'q'", '"q"', "a\nb",
         "a\nb\n", "a\n\n", " lead", "trail ", "tab\there", "\u2028", "line\n  indented",
         "| pipe", "> fold", "?", ": colon", "-", "---", "...", "", " ", "2026-01-15"]
    )
)  # fmt: skip
keys = st.text(min_size=0, max_size=12) | st.sampled_from(["yes", "on", "1", "null", "a: b"])
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(documents)
def test_round_trip(data: Any) -> None:
    text = dump(data)
    assert yaml.safe_load(text) == data


def test_layout_is_block_style_in_insertion_order() -> None:
    data = {
        "openapi": "3.1.0",
        "paths": {"/v1/x": {"post": {"tags": ["a", "b"]}}},
        "list": [{"name": "q", "in": "query"}, 3],
        "text": "one\ntwo\n",
        "empty": {},
    }
    assert dump(data) == (
        'openapi: "3.1.0"\n'
        "paths:\n"
        "  /v1/x:\n"
        "    post:\n"
        "      tags:\n"
        "        - a\n"
        "        - b\n"
        "list:\n"
        "  - name: q\n"
        "    in: query\n"
        "  - 3\n"
        "text: |\n"
        "  one\n"
        "  two\n"
        "empty: {}\n"
    )
