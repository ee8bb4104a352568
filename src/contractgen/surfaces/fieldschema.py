"""The JSON Schema of a field's value, from the schema of one item: what the OpenAPI
document and the Python surface's schema (for datamodel-code-generator) share.

A 1.0 field gives exactly its item schema, or ``{"type": "array", "items": ...}``;
format 1.1 adds the constraints (text and number ones on each item, array ones on
the array), ``additionalProperties`` for a map, and the default.
"""

from __future__ import annotations

from typing import Any

from contractgen.spec.model import Field
from contractgen.spec.scalars import STRUCTURED_SCALARS
from contractgen.spec.vocabulary import ARRAY_CONSTRAINTS


def value_schema(f: Field, one: dict[str, Any]) -> dict[str, Any]:
    """The schema of the field's value; ``one`` (a new dict) is the schema of one item."""
    array_keys: dict[str, Any] = {}
    for keyword, value in f.constraints:
        if keyword in ARRAY_CONSTRAINTS:
            array_keys[keyword] = value
        else:
            one[keyword] = value
    if f.array:
        return {"type": "array", "items": one, **array_keys}
    if f.map:
        return {"type": "object", "additionalProperties": one}
    return one


def with_default(f: Field, schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with the field's default, if it has one."""
    if f.has_default:
        schema["default"] = f.default
    return schema


def required(f: Field) -> bool:
    """Whether a sender must give the field: not optional, and no default."""
    return not f.optional and not f.has_default


def structured(f: Field) -> bool:
    """Whether a value of the field, as a query parameter or header, is JSON text
    (maps, models, unions, JSON values) rather than plain text."""
    return (
        f.map
        or f.type.kind in ("model", "union")
        or (f.type.kind == "scalar" and f.type.name in STRUCTURED_SCALARS)
    )
