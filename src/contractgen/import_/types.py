"""JSON Schema (as OpenAPI 3.0 and 3.1 write it) -> contract models, enums, unions, fields.

A named schema (a component, or a schema another file holds) becomes a model
when it is an object, an enum when it lists string values, a union when it is
a ``oneOf`` with a discriminator; a named scalar (``Id: {type: string, format:
uuid}``) is written in place where it is used. Inline objects become models
named after where they are (``<Parent><Field>``). Whatever a field cannot say
is a located loss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from contractgen import naming
from contractgen.import_.report import Report
from contractgen.import_.source import Loc, Sources, is_url, resolve_ref
from contractgen.spec.scalars import SCALARS

#: (JSON Schema type, format) -> scalar; (type, None) is the type without a format.
SCALAR_OF: dict[tuple[str, str | None], str] = {
    ("string", None): "String",
    ("string", "date"): "Date",
    ("string", "date-time"): "DateTime",
    ("string", "email"): "EmailAddress",
    ("string", "uri"): "URL",
    ("string", "uuid"): "UUID",
    ("string", "byte"): "Bytes",
    ("string", "decimal"): "Decimal",
    ("integer", None): "Int",
    ("integer", "int32"): "Int",
    ("integer", "int64"): "Int64",
    ("number", None): "Float",
    ("number", "double"): "Float",
    ("number", "float"): "Float",
    ("boolean", None): "Boolean",
}
#: The scalars whose defaults are carried, and the Python types of their values.
DEFAULTS: dict[str, type | tuple[type, ...]] = {
    "String": str,
    "Int": int,
    "Int64": int,
    "Float": (int, float),
}
#: Formats carried by a scalar whose JSON Schema does not write them.
WIDENED = frozenset({"int32", "byte", "double", "float"})
#: Constraint keywords by the scalars they fit (the 1.1 format's three groups).
TEXT = ("minLength", "maxLength", "pattern")
NUMBER = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
ARRAY = ("minItems", "maxItems", "uniqueItems")
TEXT_SCALARS = frozenset({"String"})
NUMBER_SCALARS = frozenset({"Int", "Int64", "Float"})
#: Keywords this module reads; any other keyword of a schema is a located loss.
READ = frozenset(
    {"type", "format", "enum", "items", "properties", "required", "additionalProperties"}
    | {"description", "deprecated", "default", "nullable", "$ref", "allOf", "oneOf", "anyOf"}
    | {"discriminator", "contentEncoding", *TEXT, *NUMBER, *ARRAY}
)
ENUM_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

#: A field as the contract writes it, without isOptional.
Partial = dict[str, Any]


@dataclass
class Types:
    sources: Sources
    report: Report
    #: Names no type may take (scalars, and names already used).
    taken: set[str] = field(default_factory=lambda: set(SCALARS) | {"String", "Int", "Float"})
    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    enums: dict[str, dict[str, Any]] = field(default_factory=dict)
    unions: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Named schema -> what a field that references it writes.
    named: dict[Loc, Partial] = field(default_factory=dict)
    #: Type name -> where its schema is (for the round trip and for placement).
    origin: dict[str, Loc] = field(default_factory=dict)
    #: Type name -> the operation key that alone uses it (None: shared, in models.yaml).
    owner: dict[str, str | None] = field(default_factory=dict)
    #: Where a property is -> the name of the field it became.
    field_names: dict[Loc, str] = field(default_factory=dict)
    #: Model -> its properties' names on the wire -> its fields' names.
    wire: dict[str, dict[str, str]] = field(default_factory=dict)

    def free(self, wanted: str) -> str:
        """A valid type name, not yet taken, close to wanted; taken now."""
        base = naming.pascal(wanted) or "Type"
        if not base[0].isalpha():
            base = "T" + base
        name = naming.numbered(base, self.taken)
        self.taken.add(name)
        return name

    # -- references ----------------------------------------------------------------

    def deref(self, schema: Any, loc: Loc) -> tuple[Any, Loc] | None:
        """Follows $refs to a schema; None (reported) when one cannot be followed."""
        seen: set[Loc] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            if loc in seen:
                self.report.drop("schema", loc, "a $ref cycle without a schema")
                return None
            seen.add(loc)
            ref = schema["$ref"]
            if is_url(ref):
                self.report.approximate(
                    "schema", loc.at("$ref"), f"$ref '{ref}' is a URL; it is not fetched (JSON)"
                )
                return None
            target = resolve_ref(self.sources, ref, loc)
            if target is None:
                return None
            schema, loc = self.sources.node(target), target
        return schema, loc

    # -- fields --------------------------------------------------------------------

    def field(self, schema: Any, loc: Loc, name: str, owner: str | None) -> tuple[Partial, bool]:
        """The field a schema makes (name: for inline types), and whether it is nullable."""
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            return self.ref_field(schema, loc, owner), False
        if not isinstance(schema, dict):
            if schema is not True:
                self.report.approximate("schema", loc, "a schema that is not an object is JSON")
            return {"type": "JSON"}, False
        nullable = self.nullable(schema, loc)
        kinds = _types(schema)
        partial: Partial
        if "items" in schema or kinds == ["array"]:
            partial = self.array(schema, loc, name, owner)
        elif _is_object(schema, kinds):
            partial = self.object_field(schema, loc, name, owner)
        elif "enum" in schema and (enum := self.enum(schema, loc, name, owner)) is not None:
            partial = {"type": enum}
        elif "oneOf" in schema or "anyOf" in schema:
            partial = {"type": self.union_or_json(schema, loc, name, owner)}
        else:
            partial = self.scalar(schema, loc, kinds)
        self.common(schema, loc, partial)
        return partial, nullable

    def ref_field(self, schema: dict[str, Any], loc: Loc, owner: str | None) -> Partial:
        for key in sorted(set(schema) - {"$ref"}):
            self.report.drop("keyword", loc.at(key), f"'{key}' beside a $ref is not carried")
        found = self.deref(schema, loc)
        if found is None:
            return {"type": "JSON"}
        target, where = found
        known = self.named.get(where)
        if known is None:
            wanted = str(where.path[-1]) if where.path else where.file.rsplit(".", 1)[0]
            known = self.define(target, where, wanted)
        self.use(known, owner)
        return dict(known)

    def define(self, schema: Any, loc: Loc, wanted: str) -> Partial:
        """Maps a named schema once; a recursive reference finds its name reserved."""
        if isinstance(schema, dict) and (_is_object(schema, _types(schema)) or "allOf" in schema):
            name = self.free(wanted)
            self.named[loc] = {"type": name}
            self.origin[name] = loc
            self.model(schema, loc, name, None)
            return self.named[loc]
        self.named[loc] = {"type": "JSON"}  # (while mapping: a cycle through a non-object)
        partial, _ = self.field(schema, loc, wanted, None)
        self.named[loc] = partial
        return partial

    def use(self, partial: Partial, owner: str | None) -> None:
        """Records that owner uses a type: a type two operations use is shared."""
        name = partial.get("type")
        if name in self.owner and self.owner[name] != owner:
            self.owner[name] = None

    def nullable(self, schema: dict[str, Any], loc: Loc) -> bool:
        kinds = schema.get("type")
        where = None
        if schema.get("nullable") is True:
            where = loc.at("nullable")
        elif isinstance(kinds, list) and "null" in kinds:
            where = loc.at("type")
        if where is not None:
            self.report.approximate("null", where, "null is carried as an optional field")
        return where is not None

    def common(self, schema: dict[str, Any], loc: Loc, partial: Partial) -> None:
        """Description, deprecation, default, and the keywords nothing reads."""
        if isinstance(schema.get("description"), str):
            partial["description"] = schema["description"]
        if schema.get("deprecated") is True:
            partial["deprecated"] = True
        if "default" in schema:
            self.default(schema["default"], loc.at("default"), partial)
        for key in sorted(set(schema) - READ):
            self.report.drop("keyword", loc.at(key), f"schema keyword '{key}' is not carried")

    def default(self, value: Any, loc: Loc, partial: Partial) -> None:
        """A default of a plain scalar or an enum; others (a URL, a date, a list) are lost."""
        kind = partial["type"]
        plain = DEFAULTS.get(kind)
        fits = plain is not None and isinstance(value, plain) and type(value) is not bool
        fits = fits or (kind == "Boolean" and isinstance(value, bool))
        enum = self.enums.get(kind)
        fits = fits or (enum is not None and value in enum["values"])
        if fits and not partial.get("isArray") and not partial.get("isMap"):
            partial["default"] = value
        else:
            self.report.drop("default", loc, "this default is not carried")

    # -- kinds of schema -----------------------------------------------------------

    def array(self, schema: dict[str, Any], loc: Loc, name: str, owner: str | None) -> Partial:
        items = schema.get("items", True)
        item, nullable = self.field(items, loc.at("items"), f"{name}Item", owner)
        if item.get("isArray") or item.get("isMap"):
            self.report.approximate("schema", loc, "an array of arrays or maps is carried as JSON")
            return {"type": "JSON"}
        if nullable:
            self.report.drop("null", loc.at("items"), "null items are not carried")
        partial: Partial = {"type": item["type"], "isArray": True}
        for key in sorted(set(item) - {"type"}):
            self.report.drop("keyword", loc.at("items", key), f"the items' '{key}' is not carried")
        self.constraints(schema, loc, partial, ARRAY)
        return partial

    def object_field(
        self, schema: dict[str, Any], loc: Loc, name: str, owner: str | None
    ) -> Partial:
        extra = schema.get("additionalProperties")
        if "properties" not in schema and "allOf" not in schema:
            if isinstance(extra, dict) and extra:
                value, nullable = self.field(extra, loc.at("additionalProperties"), name, owner)
                if value.get("isArray") or value.get("isMap") or nullable:
                    self.report.approximate("schema", loc, "this map is carried as JSONObject")
                    return {"type": "JSONObject"}
                return {"type": value["type"], "isMap": True}
            return {"type": "JSONObject"}
        model = self.free(name)
        self.origin[model] = loc
        self.owner[model] = owner
        self.model(schema, loc, model, owner)
        return {"type": model}

    def model(self, schema: dict[str, Any], loc: Loc, name: str, owner: str | None) -> None:
        """Fills models[name] from an object schema (allOf parts merged in)."""
        self.owner.setdefault(name, owner)
        fields: dict[str, Any] = {}
        self.models[name] = {"fields": fields}
        if isinstance(schema.get("description"), str):
            self.models[name]["description"] = schema["description"]
        self.properties(schema, loc, name, fields, owner)
        for key in sorted(set(schema) - READ - {"title"}):
            self.report.drop("keyword", loc.at(key), f"schema keyword '{key}' is not carried")
        if schema.get("additionalProperties") not in (None, False):
            self.report.drop(
                "schema", loc.at("additionalProperties"), "extra properties are dropped"
            )
        if not fields:
            fields["empty"] = {"type": "JSON", "isOptional": True, "description": "Placeholder."}
            self.report.approximate("schema", loc, f"'{name}' has no properties; it gets one")

    def properties(
        self, schema: dict[str, Any], loc: Loc, name: str, fields: dict[str, Any], owner: str | None
    ) -> None:
        for index, part in enumerate(schema.get("allOf") or []):
            found = self.deref(part, loc.at("allOf", index))
            if found is not None and isinstance(found[0], dict):
                self.properties(found[0], found[1], name, fields, owner)
        if schema.get("allOf"):
            self.report.approximate("schema", loc.at("allOf"), "allOf parts are merged into one")
        required = set(schema.get("required") or [])
        props = schema.get("properties") or {}
        for prop, sub in props.items() if isinstance(props, dict) else ():
            where = loc.at("properties", prop)
            fname = self.field_names[where] = self.field_name(prop, where, fields)
            self.wire.setdefault(name, {})[prop] = fname
            partial, nullable = self.field(sub, where, f"{name}{naming.pascal(prop)}", owner)
            if nullable or prop not in required:
                if "default" in partial and prop in required:
                    self.report.drop("default", where.at("default"), "a nullable field's default")
                if "default" not in partial:
                    partial["isOptional"] = True
            fields[fname] = partial

    def field_name(self, prop: str, loc: Loc, fields: dict[str, Any]) -> str:
        name = naming.camel(prop) or "field"
        if not name[0].isalpha():
            name = "f" + name
        name = naming.numbered(name, fields)
        if name != prop:
            self.report.approximate(
                "name", loc, f"property '{prop}' is named '{name}' (fields are lowerCamel)"
            )
        return name

    def enum(self, schema: dict[str, Any], loc: Loc, name: str, owner: str | None) -> str | None:
        """An enum of the string values; None (the plain type) when no value fits."""
        values = [v for v in schema["enum"] if isinstance(v, str) and ENUM_VALUE.match(v)]
        if len(values) != len(schema["enum"]) or not values:
            self.report.drop("enum value", loc.at("enum"), "values that are not words are dropped")
        if not values:
            return None
        enum_name = self.free(name)
        self.origin[enum_name] = loc
        self.owner[enum_name] = owner
        body: dict[str, Any] = {"values": list(dict.fromkeys(values))}
        if isinstance(schema.get("description"), str):
            body = {"description": schema["description"], **body}
        self.enums[enum_name] = body
        return enum_name

    def union_or_json(self, schema: dict[str, Any], loc: Loc, name: str, owner: str | None) -> str:
        key = "oneOf" if "oneOf" in schema else "anyOf"
        disc = schema.get("discriminator")
        if key == "oneOf" and isinstance(disc, dict) and isinstance(disc.get("mapping"), dict):
            members: dict[str, str] = {}
            for tag, ref in disc["mapping"].items():
                member = self.ref_field(
                    {"$ref": ref}, loc.at("discriminator", "mapping", tag), owner
                )
                if member["type"] in self.models:
                    members[tag] = member["type"]
            field = naming.camel(str(disc.get("propertyName", "")))
            if members and all(self.tag_field(m, field) for m in members.values()):
                union = self.free(name)
                self.origin[union] = loc
                self.owner[union] = owner
                self.unions[union] = {"discriminator": field, "members": members}
                return union
        why = (
            "a union's members must hold the discriminator as a required string"
            if key == "oneOf" and isinstance(disc, dict) and disc.get("mapping")
            else "a union needs a discriminator with a mapping"
        )
        self.report.approximate("schema", loc.at(key), f"'{key}' is carried as JSON ({why})")
        return "JSON"

    def wire_value(self, value: Any, type_name: str) -> Any:
        """An example value of a type, its object keys renamed as the fields are."""
        model = self.models.get(type_name)
        if model is None or not isinstance(value, dict):
            return value
        names = self.wire.get(type_name, {})
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = names.get(str(key), str(key))
            spec = model["fields"].get(name, {})
            inner = spec.get("type", "")
            if spec.get("isArray") and isinstance(item, list):
                out[name] = [self.wire_value(v, inner) for v in item]
            elif spec.get("isMap") and isinstance(item, dict):
                out[name] = {k: self.wire_value(v, inner) for k, v in item.items()}
            else:
                out[name] = self.wire_value(item, inner)
        return out

    def tag_field(self, model: str, name: str) -> bool:
        """Whether a member model holds the discriminator as the format wants it: a
        required, single String."""
        found = self.models[model]["fields"].get(name)
        return (
            found is not None
            and set(found) <= {"type", "description"}
            and (found["type"] == "String")
        )

    def scalar(self, schema: dict[str, Any], loc: Loc, kinds: list[str]) -> Partial:
        kind = kinds[0] if kinds else None
        fmt = schema.get("format")
        if fmt in WIDENED:
            self.report.approximate("format", loc.at("format"), f"format '{fmt}' is not written")
        if kind == "string" and schema.get("contentEncoding") == "base64":
            fmt = "byte"
        scalar = SCALAR_OF.get((kind or "", fmt)) if kind else None
        if scalar is None:
            scalar = SCALAR_OF.get((kind or "", None), "JSON")
            if fmt is not None:
                self.report.approximate("format", loc.at("format"), f"carried as {scalar}")
            elif kind is None or len(kinds) > 1:
                self.report.approximate("schema", loc, f"carried as {scalar}")
        partial: Partial = {"type": scalar}
        groups = (TEXT if scalar in TEXT_SCALARS else ()) + (
            NUMBER if scalar in NUMBER_SCALARS else ()
        )
        self.constraints(schema, loc, partial, groups)
        return partial

    def constraints(
        self, schema: dict[str, Any], loc: Loc, partial: Partial, fit: tuple[str, ...]
    ) -> None:
        """Carries the constraint keywords that fit; reports the others."""
        bools = any(
            isinstance(schema.get(k), bool) for k in ("exclusiveMinimum", "exclusiveMaximum")
        )
        for key in (*TEXT, *NUMBER, *ARRAY):
            if key not in schema:
                continue
            if key not in fit:
                self.report.drop(
                    "constraint", loc.at(key), f"'{key}' does not fit {partial['type']}"
                )
            elif not (bools and key.startswith("exclusive")):
                partial[key] = schema[key]
        if bools:
            self.exclusive_30(schema, partial)

    @staticmethod
    def exclusive_30(schema: dict[str, Any], partial: Partial) -> None:
        """OpenAPI 3.0 writes exclusive bounds as booleans beside minimum/maximum."""
        for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            if schema.get(flag) is True and bound in partial:
                partial[flag] = partial.pop(bound)


def _types(schema: dict[str, Any]) -> list[str]:
    kinds = schema.get("type")
    if isinstance(kinds, str):
        return [kinds]
    if isinstance(kinds, list):
        return [k for k in kinds if k != "null"]
    return []


def _is_object(schema: dict[str, Any], kinds: list[str]) -> bool:
    return kinds == ["object"] or (not kinds and "properties" in schema)
