"""The YAML writer gives back exactly what it was given."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from contractgen.surfaces.yamlout import Prerendered, Reused, dump

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


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, st.dictionaries(keys, documents, min_size=1, max_size=3), max_size=4))
def test_prerendered_text_stands_in_for_its_value(data: dict[str, Any]) -> None:
    # Each inner mapping written once at the depth it will take, then placed as text.
    placed = {key: Prerendered(Reused(value).text("  "), "  ") for key, value in data.items()}
    assert dump(placed) == dump(data)
    assert yaml.safe_load(dump(placed)) == data


def test_prerendered_in_a_sequence_follows_the_dash() -> None:
    item = Prerendered(Reused({"a": 1, "b": [2]}).text("    "), "    ")
    text = dump({"list": [item, 3]})
    assert text == "list:\n  -\n    a: 1\n    b:\n      - 2\n  - 3\n"
    assert yaml.safe_load(text) == {"list": [{"a": 1, "b": [2]}, 3]}


def test_prerendered_at_the_top_level() -> None:
    assert dump(Prerendered(Reused({"a": "b"}).text(""), "")) == "a: b\n"


def test_prerendered_refuses_another_indent_and_empty_text() -> None:
    node = Prerendered(Reused({"a": 1}).text("    "), "    ")
    with pytest.raises(ValueError, match="indent 4 placed at indent 2"):
        dump({"x": node})
    with pytest.raises(ValueError):
        Prerendered("", "  ")
