"""The one JSON Schema per domain that datamodel-code-generator turns into models.

Everything the generated classes need is expressed in the schema, so the
engine does the work: constraints from the scalar table (the Python-side
pattern replaces ``format: email``/``format: uri`` so no extra validator
package is needed), aliases for field names that differ from their Python
name, ``deprecated`` with its reason, descriptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from contractgen.naming import python_attribute
from contractgen.spec.model import Field, Spec
from contractgen.spec.scalars import SCALARS
from contractgen.surfaces import fieldschema

#: Field constraints of the scalar table as JSON Schema keywords.
_CONSTRAINT_KEYWORDS = {
    "pattern": "pattern",
    "min_length": "minLength",
    "max_length": "maxLength",
    "ge": "minimum",
    "le": "maximum",
}


def scalar_schema(name: str) -> dict[str, Any]:
    scalar = SCALARS[name]
    schema = dict(scalar.json_schema)
    if scalar.python_constraints:
        # The Python mapping wins: e-mail and URL become patterns, not formats.
        schema.pop("format", None)
        for key, value in sorted(scalar.python_constraints.items()):
            schema[_CONSTRAINT_KEYWORDS[key]] = value
    return schema


def field_schema(field: Field) -> dict[str, Any]:
    kind = field.type.kind
    one: dict[str, Any]
    if kind == "scalar" and not SCALARS[field.type.name].python_constraints:
        one = scalar_schema(field.type.name)
    else:
        one = {"$ref": f"#/$defs/{field.type.name}"}
    schema = fieldschema.value_schema(field, dict(one))
    if field.description:
        schema["description"] = field.description
    if field.deprecated:
        schema["deprecated"] = field.deprecation_reason or True
    return fieldschema.with_default(field, schema)


def domain_schema(
    spec: Spec, models: list[str], enums: list[str], unions: Sequence[str] = ()
) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for name in enums:
        enum = spec.enum(name)
        enum_schema: dict[str, Any] = {"type": "string", "enum": list(enum.values)}
        if enum.description:
            enum_schema["description"] = enum.description
        defs[name] = enum_schema
    # Constrained scalars become named aliases (EmailAddress = Annotated[str, ...]).
    for name in constrained_scalars(spec, models):
        defs[name] = {**scalar_schema(name), "description": SCALARS[name].description}
    for name in models:
        model = spec.model(name)
        model_schema: dict[str, Any] = {
            "type": "object",
            "properties": {f.name: field_schema(f) for f in model.fields},
            "required": [f.name for f in model.fields if fieldschema.required(f)],
        }
        if model.description:
            model_schema["description"] = model.description
        tagged = spec.tags.get(name)
        if tagged is not None and tagged[0] in model_schema["properties"]:
            model_schema["properties"][tagged[0]]["const"] = tagged[1]
        defs[name] = model_schema
    for name in unions:
        union = spec.union(name)
        defs[name] = {
            "oneOf": [{"$ref": f"#/$defs/{m}"} for m in dict.fromkeys(union.models)],
            "discriminator": {
                "propertyName": union.discriminator,
                "mapping": {tag: f"#/$defs/{m}" for tag, m in union.members},
            },
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": defs,
    }


def constrained_scalars(spec: Spec, models: list[str]) -> list[str]:
    """Scalars with Python constraints the models use: each gets a named alias."""
    return [s for s in spec.scalars_used(models) if SCALARS[s].python_constraints]


def field_aliases(spec: Spec, models: list[str]) -> dict[str, str]:
    """Contract field name -> Python attribute name, where the two differ."""
    names = {f.name for m in models for f in spec.model(m).fields}
    return {n: python_attribute(n) for n in sorted(names) if python_attribute(n) != n}
