"""Property: the generated pydantic models accept exactly what the generated schema accepts.

For random 1.1 models (scalars, enums with wire values, nested models; plain,
array and map fields; optional fields and defaults; text, number and array
constraints), the test renders the Python and the OpenAPI surfaces, then checks
JSON instances two ways: ``Model.model_validate_json(text, strict=True)``
against the model's schema in ``components.schemas`` (``jsonschema``, draft
2020-12). The instances come from the schema itself (mostly valid ones) and
from one mutation of those (a value of another type, a bound crossed, a key
dropped or added, an item repeated, ...). Both validators must agree on every one.

Two differences are documented and not generated (docs/surfaces/python.md):
``null`` for an optional field (Python reads it as absent; the schema does not
list null), and a whole float such as ``1.0`` for an integer (JSON Schema counts
it an integer; strict pydantic does not). ``Decimal``, ``UUID``, ``Bytes`` and
dates are left out: the schema names their format, which ``jsonschema`` does not
check by default.
"""

from __future__ import annotations

import itertools
import json
import sys
import types
from typing import Any

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from contractgen.load import Source, load_sources
from contractgen.surfaces import Options
from contractgen.surfaces.openapi import render as render_openapi
from contractgen.surfaces.python import render as render_python

SCALARS = ("String", "Int", "Float", "Boolean", "Int64")
ENUM_VALUES = ("open", "in-progress", "v2.beta", "PENDING", "x_y")
PATTERNS = ("^[a-z]+$", "^[A-Z0-9-]{2,6}$", "b", "^(?!x)[a-z0-9]*$")
_count = itertools.count()

# -- random contracts ------------------------------------------------------------------


@st.composite
def text_constraints(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {}
    low = draw(st.none() | st.integers(0, 3))
    high = draw(st.none() | st.integers(low or 0, 8))
    if low is not None:
        out["minLength"] = low
    if high is not None:
        out["maxLength"] = high
    if draw(st.booleans()):
        out["pattern"] = draw(st.sampled_from(PATTERNS))
    return out


@st.composite
def number_constraints(draw: st.DrawFn, integral: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    low = draw(st.none() | st.integers(-50, 50))
    high = draw(st.none() | st.integers(low if low is not None else -50, 100))
    if low is not None:
        out["exclusiveMinimum" if draw(st.booleans()) else "minimum"] = low
    if high is not None:
        exclusive = draw(st.booleans()) and (low is None or high > low)
        out["exclusiveMaximum" if exclusive else "maximum"] = high
    if integral and draw(st.booleans()):
        out["multipleOf"] = draw(st.integers(1, 5))
    return out


@st.composite
def field(draw: st.DrawFn, nested: bool) -> dict[str, Any]:
    kinds = [*SCALARS, "Kind", *(["Inner"] if nested else [])]
    type_name = draw(st.sampled_from(kinds))
    spec: dict[str, Any] = {"type": type_name}
    if type_name == "String":
        spec.update(draw(text_constraints()))
    elif type_name in ("Int", "Int64", "Float"):
        spec.update(draw(number_constraints(type_name != "Float")))
    shape = draw(st.sampled_from(["one", "array", "map"]))
    if shape == "array":
        spec["isArray"] = True
        low = draw(st.none() | st.integers(0, 2))
        high = draw(st.none() | st.integers(low or 0, 4))
        if low is not None:
            spec["minItems"] = low
        if high is not None:
            spec["maxItems"] = high
        if draw(st.booleans()):
            spec["uniqueItems"] = True
    elif shape == "map":
        spec["isMap"] = True
    if draw(st.booleans()):
        spec["isOptional"] = True
    return spec


@st.composite
def contract(draw: st.DrawFn) -> dict[str, Any]:
    def fields(nested: bool) -> dict[str, Any]:
        count = draw(st.integers(1, 4))
        return {f"f{i}": draw(field(nested)) for i in range(count)}

    values = draw(st.lists(st.sampled_from(ENUM_VALUES), min_size=1, max_size=4, unique=True))
    meta = {"key": "root.put", "version": "1.0.0", "description": "d", "goal": "g"}
    return {
        "kind": "command",
        "meta": {**meta, "context": "c", "stability": "beta", "owners": ["t"]},
        "io": {"input": "Root", "output": "Root"},
        "policy": {"auth": "user"},
        "enums": {"Kind": {"values": values}},
        "models": {"Root": {"fields": fields(True)}, "Inner": {"fields": fields(False)}},
    }


# -- the two validators ------------------------------------------------------------------


def surfaces(doc: dict[str, Any]) -> tuple[type[BaseModel], dict[str, Any]] | None:
    """The generated Root model and its JSON Schema; None when the contract is refused."""
    text = yaml.safe_dump(doc, sort_keys=False).encode()
    result = load_sources("contracts", [Source("m/models.yaml", text, "models.yaml")])
    if not result.ok or result.spec is None:
        return None
    python = {f.path: f.content for f in render_python(result.spec, Options())}
    name = f"agreement_models_{next(_count)}"
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(python["python/m/models.py"], name, "exec"), module.__dict__)
    openapi = {f.path: f.content for f in render_openapi(result.spec, Options())}
    components = yaml.safe_load(openapi["openapi/openapi.yaml"])["components"]
    schema = {"$ref": "#/components/schemas/Root", "components": components}
    return module.Root, schema


def verdicts(model: type[BaseModel], schema: dict[str, Any], instance: Any) -> tuple[bool, bool]:
    by_schema = jsonschema.Draft202012Validator(schema).is_valid(instance)
    try:
        model.model_validate_json(json.dumps(instance), strict=True)
        by_model = True
    except ValidationError:
        by_model = False
    return by_schema, by_model


# -- instances from the schema ---------------------------------------------------------


def resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = root["components"]["schemas"][name]
    return schema


def instance_of(schema: dict[str, Any], root: dict[str, Any], depth: int = 0) -> Any:
    """A strategy of (mostly valid) instances of a schema."""
    schema = resolve(schema, root)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "string":
        pattern = schema.get("pattern")
        size = {"min_size": schema.get("minLength", 0), "max_size": schema.get("maxLength", 8)}
        plain = st.text(st.sampled_from("abxAB0-"), **size)
        return (st.from_regex(pattern) | plain) if pattern else plain
    if kind == "integer":
        return _integers(schema)
    if kind == "number":
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        return st.floats(
            low,
            high,
            allow_nan=False,
            allow_infinity=False,
            exclude_min="exclusiveMinimum" in schema,
            exclude_max="exclusiveMaximum" in schema,
        ) | st.integers(-100, 100)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        items = instance_of(schema["items"], root, depth + 1)
        return st.lists(
            items, min_size=schema.get("minItems", 0), max_size=schema.get("maxItems", 4)
        )
    if kind == "object" and "additionalProperties" in schema:
        values = instance_of(schema["additionalProperties"], root, depth + 1)
        return st.dictionaries(st.text("kqz", max_size=3), values, max_size=3)
    return _object(schema, root, depth)


def _integers(schema: dict[str, Any]) -> Any:
    low = schema.get("minimum", schema.get("exclusiveMinimum", -100) + 1)
    high = schema.get("maximum", schema.get("exclusiveMaximum", 101) - 1)
    if low > high:
        return st.integers(-100, 100)
    step = schema.get("multipleOf", 1)
    return st.integers(low, high).map(lambda v: v - v % step) | st.integers(low, high)


def _object(schema: dict[str, Any], root: dict[str, Any], depth: int) -> Any:
    props = schema.get("properties", {})
    required = set(schema.get("required", ()))
    parts = {k: instance_of(v, root, depth + 1) for k, v in props.items()}

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        return {k: draw(s) for k, s in parts.items() if k in required or draw(st.booleans())}

    return build()


# -- mutations ---------------------------------------------------------------------------

OTHER_VALUES = ("text", 7, 2.5, True, [1], {"k": 1})


@st.composite
def mutated(draw: st.DrawFn, instance: Any) -> Any:
    """The instance with one thing changed somewhere inside it."""
    paths = list(_paths(instance, ()))
    path = draw(st.sampled_from(paths))
    value = _get(instance, path)
    options: list[Any] = [v for v in OTHER_VALUES if type(v) is not type(value)]
    if isinstance(value, str):
        options += [value + "x" * 9, "", value.upper(), "in progress"]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        options += [value + 1000, value - 1000, value + 1, value - 1, value + 0.5]
    if isinstance(value, list):
        options += [[*value, *value[:1]], value[1:], [*value, *value]]
    if isinstance(value, dict):
        keys = list(value)
        options += [{k: value[k] for k in keys[1:]}, {**value, "zz": 1}]
    new = draw(st.sampled_from(options))
    if path and isinstance(new, float) and new.is_integer():
        new += 0.25  # (a whole float for an integer: a documented difference)
    return _set(instance, path, new)


def _paths(value: Any, path: tuple[Any, ...]) -> Any:
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*path, i))


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy: Any = list(value) if isinstance(value, list) else dict(value)
    copy[path[0]] = _set(value[path[0]], path[1:], new)
    return copy


# -- the property ------------------------------------------------------------------------


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(doc=contract(), data=st.data())
def test_models_accept_exactly_what_the_schema_accepts(doc: dict[str, Any], data: Any) -> None:
    made = surfaces(doc)
    if made is None:  # (a contract the loader refuses, e.g. bounds that leave no value)
        return
    model, schema = made
    accepted = 0
    for _ in range(25):
        instance = data.draw(instance_of(schema, schema), label="instance")
        if data.draw(st.booleans(), label="mutate"):
            instance = data.draw(mutated(instance), label="mutated")
        by_schema, by_model = verdicts(model, schema, instance)
        assert by_schema == by_model, (doc, instance, by_schema, by_model)
        accepted += by_schema
