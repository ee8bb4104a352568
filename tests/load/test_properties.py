"""Property tests: the loader never raises, whatever it is fed."""

from __future__ import annotations

import copy
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractgen.diagnostics import CODES
from contractgen.load import LoadResult, Source, load_sources

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _run(files: dict[str, bytes]) -> LoadResult:
    sources = [Source(rel, data, f"contracts/{rel}") for rel, data in files.items()]
    result = load_sources("contracts", sources)
    for d in result.diagnostics:
        assert d.code in CODES
        assert d.line >= 1, d
        assert d.col >= 1, d
        assert d.message
    if result.spec is None:
        assert any(d.is_error for d in result.diagnostics)
    return result


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    _run({"m/a.yaml": data})


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("kind: \n-[]{}&*!|>'\"#%@`,?<=.0aZ\t")), max_size=200))
def test_yaml_punctuation_soup(text: str) -> None:
    _run({"m/a.yaml": text.encode()})


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["yes", "no", "1.0", "~", "null", "String", "DoInput", "kind", "@x"]),
)
keys = st.one_of(
    st.text(min_size=1, max_size=10),
    st.sampled_from(
        ["kind", "meta", "io", "policy", "models", "enums", "fields", "type", "examples", "<<"]
    ),
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=25,
)

MUTATIONS = [
    lambda t, i: t[:i] + t[i + 1 :],  # drop a character
    lambda t, i: t[:i] + "\n" + t[i:],  # break a line
    lambda t, i: t[:i] + "  " + t[i:],  # shift indentation
    lambda t, i: t[:i] + ": " + t[i:],  # add a mapping indicator
    lambda t, i: t[:i] + "&a " + t[i:] + "\nx: *a\n",  # anchors and aliases
    lambda t, i: t[:i] + "!!python/object " + t[i:],  # a tag
    lambda t, i: t + "\n---\n" + t,  # a second document
]


@SETTINGS
@given(
    trees,
    st.lists(st.tuples(st.integers(0, len(MUTATIONS) - 1), st.integers(0, 10_000)), max_size=3),
)
def test_mutated_yaml(tree: Any, edits: list[tuple[int, int]]) -> None:
    text = yaml.safe_dump(tree, sort_keys=False)
    for which, where in edits:
        text = MUTATIONS[which](text, where % (len(text) + 1))
    _run({"m/a.yaml": text.encode("utf-8", "surrogatepass")})


VALID_OP: dict[str, Any] = {
    "kind": "command",
    "meta": {
        "key": "thing.do",
        "version": "1.0.0",
        "description": "Do it.",
        "goal": "Done.",
        "context": "Now.",
        "stability": "stable",
        "owners": ["team.a"],
    },
    "io": {
        "input": "DoInput",
        "output": "DoOutput",
        "errors": {"NOT_FOUND": {"description": "No.", "http": 404}},
    },
    "policy": {"auth": "user", "pii": ["name"]},
    "sideEffects": {"emits": [{"event": "thing.done", "version": "1.0.0"}]},
    "transport": {"rest": {"method": "POST", "path": "/v1/do/{name}"}, "gql": {"field": "doIt"}},
    "models": {
        "DoInput": {"fields": {"name": {"type": "String"}, "color": {"type": "Color"}}},
        "DoOutput": {
            "fields": {"id": {"type": "ID"}, "at": {"type": "DateTime", "isOptional": True}}
        },
    },
    "enums": {"Color": {"values": ["RED", "GREEN"]}},
    "examples": [
        {"name": "one", "input": {"name": "a", "color": "RED"}, "output": {"id": "x"}},
    ],
}
VALID_EVENT: dict[str, Any] = {
    "kind": "event",
    "meta": {
        "key": "thing.done",
        "version": "1.0.0",
        "description": "Done.",
        "stability": "stable",
        "owners": ["team.a"],
    },
    "payload": "DoOutput",
    "pii": ["id"],
}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _replace(doc: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return doc


def test_valid_documents_are_valid() -> None:
    result = _run(
        {
            "m/a.yaml": yaml.safe_dump(VALID_OP).encode(),
            "m/b.yaml": yaml.safe_dump(VALID_EVENT).encode(),
        }
    )
    assert result.ok, result.diagnostics


@SETTINGS
@given(
    st.sampled_from(["op", "event"]),
    st.data(),
    st.lists(trees, min_size=1, max_size=3),
)
def test_wrong_types_in_valid_looking_contracts(which: str, data: Any, values: list[Any]) -> None:
    docs = {"op": copy.deepcopy(VALID_OP), "event": copy.deepcopy(VALID_EVENT)}
    doc = docs[which]
    for value in values:
        path = data.draw(st.sampled_from(_paths(doc)[1:]))
        doc = _replace(doc, path, value)
    files = {
        "m/a.yaml": yaml.safe_dump(docs["op"], sort_keys=False).encode(),
        "m/b.yaml": yaml.safe_dump(docs["event"], sort_keys=False).encode(),
    }
    _run(files)


@SETTINGS
@given(st.data())
def test_deleting_any_key_never_raises(data: Any) -> None:
    doc = copy.deepcopy(VALID_OP)
    path = data.draw(st.sampled_from([p for p in _paths(doc)[1:] if isinstance(p[-1], str)]))
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    result = _run(
        {
            "m/a.yaml": yaml.safe_dump(doc).encode(),
            "m/b.yaml": yaml.safe_dump(VALID_EVENT).encode(),
        }
    )
    assert isinstance(result.diagnostics, list)


def _wrong(value: Any) -> Any:
    """A value of another type, written on one line."""
    if isinstance(value, bool):
        return "maybe"
    return "x" if isinstance(value, int) else 5


@SETTINGS
@given(st.data())
def test_one_wrong_value_is_one_error_where_it_is(data: Any) -> None:
    """No wave, no cascade: a value of the wrong type anywhere in a valid operation
    is reported once, on its own line, and nothing that depends on it is."""
    from contractgen.load.yamlpos import parse

    doc = copy.deepcopy(VALID_OP)
    leaves = [p for p in _paths(doc)[1:] if not isinstance(_at(doc, p), (dict, list))]
    path = data.draw(st.sampled_from(leaves))
    doc = _replace(doc, path, _wrong(_at(doc, path)))
    text = yaml.safe_dump(doc, sort_keys=False).encode()
    line = parse(text, "a.yaml").positions.of(path)[0]
    result = _run({"m/a.yaml": text, "m/b.yaml": yaml.safe_dump(VALID_EVENT).encode()})
    errors = [d for d in result.diagnostics if d.is_error]
    assert len(errors) <= 1, (path, errors)
    assert all((d.file, d.line) == ("contracts/m/a.yaml", line) for d in errors), (path, errors)


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


#: Values of every YAML type, written in place of a node of another type.
OTHER_TYPES = st.sampled_from([5, "x", True, [1], {"a": 1}, [], {}])


@SETTINGS
@given(st.data(), st.sampled_from(["op", "event"]))
def test_a_wrong_value_is_reported_near_it_and_nowhere_else(data: Any, which: str) -> None:
    """A node of the wrong type (a scalar for a mapping, a list for a name, ...)
    anywhere in an operation or an event: what is reported is at that node, and
    nothing in the other file (which refers to the first) is."""
    from contractgen.load.yamlpos import parse

    docs = {"op": copy.deepcopy(VALID_OP), "event": copy.deepcopy(VALID_EVENT)}
    path = data.draw(st.sampled_from(_paths(docs[which])[1:]))
    value = data.draw(OTHER_TYPES)
    if type(value) is type(_at(docs[which], path)):
        return  # (a value of the same type means something else)
    docs[which] = _replace(docs[which], path, value)
    texts = {k: yaml.safe_dump(v, sort_keys=False).encode() for k, v in docs.items()}
    positions = parse(texts[which], "a.yaml").positions
    first, last = positions.of_key(path)[0], positions.of(path)[0] + 3
    result = _run({"m/a.yaml": texts["op"], "m/b.yaml": texts["event"]})
    file = "contracts/m/a.yaml" if which == "op" else "contracts/m/b.yaml"
    errors = [d for d in result.diagnostics if d.is_error]
    assert errors or path[0] == "examples"  # (an example's ID may be a number)
    assert all(d.file == file and first <= d.line <= last for d in errors), (path, errors)
