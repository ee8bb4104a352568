"""models.py of a domain package, rendered by our own template.

The default engine. It writes the same classes datamodel-code-generator would
(pydantic v2 models, StrEnum enums, named aliases for constrained scalars,
aliases for field names that differ from their Python name) straight from the
spec, in a layout ``ruff format`` leaves alone. It exists because the external
engine costs about 0.2 s per domain, which alone broke the build target for
large trees (see benchmarks/README.md for the measured comparison).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from contractgen.naming import python_attribute, python_enum_member, python_private
from contractgen.spec.model import EnumType, Field, Model, Spec, TypeRef, UnionType
from contractgen.spec.scalars import SCALARS
from contractgen.spec.vocabulary import ARRAY_CONSTRAINTS
from contractgen.surfaces import Options, jinja
from contractgen.surfaces.prose import paragraphs, value_notes
from contractgen.surfaces.python._schema import constrained_scalars
from contractgen.surfaces.python._text import docstring, import_key, py_str


@dataclass(frozen=True)
class FieldView:
    name: str
    annotation: str
    field_args: tuple[str, ...]
    #: What follows the annotation: ' = None', ' = <default>' or ''.
    default: str


@dataclass(frozen=True)
class ModelView:
    name: str
    doc: str
    fields: tuple[FieldView, ...]
    config: str  # the ConfigDict arguments


@dataclass(frozen=True)
class EnumView:
    name: str
    doc: str
    members: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class UnionView:
    name: str
    #: The description as comment lines ('#: ...').
    comment: tuple[str, ...]
    members: tuple[str, ...]
    #: The discriminator's Python name, quoted (pydantic picks the member by it).
    discriminator: str


@dataclass(frozen=True)
class AliasView:
    name: str
    base: str
    field_args: tuple[str, ...]


def _python_literal(value: Any) -> str:
    """A JSON value as a Python expression, formatted as ruff format writes it."""
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_python_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{py_str(k)}: {_python_literal(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    return repr(value)


#: JSON Schema constraint keywords -> pydantic Field arguments (on the item or the field).
_PYDANTIC_CONSTRAINTS = {
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
    "minimum": "ge",
    "maximum": "le",
    "exclusiveMinimum": "gt",
    "exclusiveMaximum": "lt",
    "multipleOf": "multiple_of",
    "minItems": "min_length",
    "maxItems": "max_length",
}
#: How a default of a scalar held as a Python object is written: the helper it calls
#: and the method (the JSON text is its argument).
_FROM_TEXT = {
    "Date": ("date", ".fromisoformat"),
    "DateTime": ("datetime", ".fromisoformat"),
    "Decimal": ("Decimal", ""),
    "UUID": ("UUID", ""),
}


def _python_value(ref: TypeRef, value: Any, py: dict[str, str]) -> str:
    """One value of a type (an item, for an array or a map) as a typed Python expression."""
    if ref.kind == "enum":
        return f"{ref.name}.{python_enum_member(value)}"
    if ref.kind == "model":
        return f"{ref.name}.model_validate({_python_literal(value)})"
    if ref.name == "Bytes":
        return repr(base64.b64decode(value))
    if ref.name in _FROM_TEXT:
        helper, method = _FROM_TEXT[ref.name]
        return f"{py[helper]}{method}({py_str(value)})"
    return _python_literal(value)


def _scalar_annotation(name: str) -> str:
    scalar = SCALARS[name]
    if scalar.python_constraints:
        return name  # a named alias carries the constraints
    return scalar.python_annotation


#: The helpers a models module may import, by module, in import order. A domain
#: type of the same name makes the module import the helper as ``_<name>``.
HELPERS = {
    "datetime": ("date", "datetime"),
    "decimal": ("Decimal",),
    "enum": ("StrEnum",),
    "typing": ("Annotated", "Any", "Literal", "TypeAlias"),
    "uuid": ("UUID",),
    "pydantic": ("AfterValidator", "Base64Bytes", "BaseModel", "ConfigDict", "Field"),
}
_HELPER_WORD = re.compile(r"\b(?:" + "|".join(n for ns in HELPERS.values() for n in ns) + r")\b")


#: Builtins the module's own code names (the uniqueItems validator raises ValueError):
#: where a type takes one, the module reaches it through ``builtins``.
BUILTINS = ("ValueError",)
_BUILTINS_MODULE = python_private("builtins")


def helper_names(defined: set[str]) -> dict[str, str]:
    """How the module spells each helper: its name, or a private one where a type takes it."""
    py = {n: python_private(n) if n in defined else n for ns in HELPERS.values() for n in ns}
    py.update({n: f"{_BUILTINS_MODULE}.{n}" if n in defined else n for n in BUILTINS})
    return py


def _constraint_args(f: Field, array_level: bool) -> list[str]:
    """pydantic Field arguments of the field's constraints: those of one item, or (with
    array_level) those of the list (uniqueItems is a validator, not an argument)."""
    return [
        f"{_PYDANTIC_CONSTRAINTS[k]}={_python_literal(v)}"
        for k, v in f.constraints
        if k != "uniqueItems" and (k in ARRAY_CONSTRAINTS) == array_level
    ]


#: The models module's own validator of uniqueItems (a name no contract can take).
_UNIQUE = "_unique_items"
#: Helpers a scalar's annotation names that a contract's type could take.
_SCALAR_HELPERS = ("Any", "Base64Bytes")


def _annotation(f: Field, py: dict[str, str], tag: str | None = None) -> tuple[str, list[str]]:
    """The field's annotation (without None) and the constraint arguments its Field takes
    (with tag, the discriminator of a union member: always that tag)."""
    base = _scalar_annotation(f.type.name) if f.type.kind == "scalar" else f.type.name
    if f.type.kind == "scalar" and any(py[n] != n for n in _SCALAR_HELPERS):
        base = _HELPER_WORD.sub(lambda m: py[m.group()], base)
    if tag is not None:
        base = f"{py['Literal']}[{py_str(tag)}]"
    item_args = _constraint_args(f, array_level=False)
    if not f.array and not f.map:
        return base, item_args
    if item_args:
        base = f"{py['Annotated']}[{base}, {py['Field']}({', '.join(item_args)})]"
    if f.map:
        return f"dict[str, {base}]", []
    annotation = f"list[{base}]"
    if f.constraint("uniqueItems"):
        annotation = f"{py['Annotated']}[{annotation}, {py['AfterValidator']}({_UNIQUE})]"
    return annotation, _constraint_args(f, array_level=True)


def _default(f: Field, py: dict[str, str]) -> tuple[str, list[str]]:
    """What follows the annotation (' = None', ' = 20', ''), and the Field arguments a
    default needs (a model's is made by a factory)."""
    if f.optional:
        return " = None", []
    if not f.has_default:
        return "", []
    if f.array:
        value = "[" + ", ".join(_python_value(f.type, v, py) for v in f.default) + "]"
    elif f.map:
        items = (f"{py_str(k)}: {_python_value(f.type, v, py)}" for k, v in f.default.items())
        value = "{" + ", ".join(items) + "}"
    else:
        value = _python_value(f.type, f.default, py)
    if f.type.kind == "model":  # (made when needed: the model may be defined further down)
        return "", [f"default_factory=lambda: {value}"]
    return f" = {value}", []


def _field(f: Field, py: dict[str, str], tag: str | None = None) -> FieldView:
    """A field's view; tag: the field is the discriminator of a union member, so it always
    holds that tag (a Literal)."""
    annotation, constraint_args = _annotation(f, py, tag)
    if f.optional:
        annotation += " | None"
    default, default_args = _default(f, py)
    args: list[str] = []
    attribute = python_attribute(f.name)
    if attribute != f.name:
        args.append(f"alias={py_str(f.name)}")
    if f.description:
        args.append(f"description={py_str(f.description)}")
    if f.deprecated:
        args.append(
            f"deprecated={py_str(f.deprecation_reason) if f.deprecation_reason else 'True'}"
        )
    return FieldView(attribute, annotation, (*args, *constraint_args, *default_args), default)


def _import_lines(module: str, names: list[str], py: dict[str, str]) -> list[str]:
    """``from module import ...`` for the names: those under their own name in one
    statement, each private spelling in its own, ordered as isort orders them (by
    each statement's first name)."""
    plain = sorted((n for n in names if py[n] == n), key=import_key)
    statements = (
        [(import_key(plain[0]), f"from {module} import {', '.join(plain)}")] if plain else []
    )
    statements += [
        (import_key(n), f"from {module} import {n} as {py[n]}") for n in names if py[n] != n
    ]
    return [text for _, text in sorted(statements)]


def _imports(
    plain: set[str],
    enums: list[EnumView],
    aliases: list[AliasView],
    models: list[ModelView],
    py: dict[str, str],
    unions: Sequence[UnionView] = (),
    literal: bool = False,
) -> str:
    """The import block, only what the module uses, grouped and ordered as isort does."""
    imported: dict[str, set[str]] = {}
    for name in plain:
        found = SCALARS[name].python_import
        if found:
            imported.setdefault(found[0], set()).add(found[1])
    if enums:
        imported.setdefault("enum", set()).add("StrEnum")
    discriminated = any(len(u.members) > 1 for u in unions)
    uses_field = (
        bool(aliases) or discriminated or any(f.field_args for m in models for f in m.fields)
    )
    # (1.1: item constraints and uniqueItems are written inside the annotation.)
    annotations = " ".join(f.annotation for m in models for f in m.fields)
    unique = _UNIQUE in annotations
    uses_field = uses_field or "Field(" in annotations
    typing = [
        name
        for name, used in (
            ("Annotated", uses_field or "Annotated[" in annotations),
            ("Any", unique or any("Any" in SCALARS[name].python for name in plain)),
            ("Literal", literal),
            ("TypeAlias", bool(aliases) or bool(unions)),
        )
        if used
    ]
    imported.setdefault("typing", set()).update(typing)
    pydantic = imported.setdefault("pydantic", set())
    pydantic.update(["BaseModel", "ConfigDict"] if models else [])
    pydantic.update(["Field"] if uses_field else [], ["AfterValidator"] if unique else [])
    lines = {m: _import_lines(m, sorted(imported.get(m, ())), py) for m in HELPERS}
    stdlib = [line for m in HELPERS if m != "pydantic" for line in lines[m]]
    if unique and any(py[n] != n for n in BUILTINS):
        stdlib.insert(0, f"import builtins as {_BUILTINS_MODULE}")
    groups = ["from __future__ import annotations", "\n".join(stdlib)]
    groups.append("\n".join(lines["pydantic"]))
    return "\n\n".join(g for g in groups if g)


def models_source(
    spec: Spec,
    models: list[str],
    enums: list[str],
    header: str,
    options: Options,
    unions: Sequence[str] = (),
) -> tuple[str, list[str]]:
    """The module's source, and its top-level names (for the package's exports)."""
    py = helper_names({*models, *enums, *unions})
    enum_views = [_enum_view(spec.enum(name)) for name in enums]
    alias_views = [_alias_view(name) for name in constrained_scalars(spec, models)]
    model_views = [_model_view(spec.model(name), py, spec.tags.get(name)) for name in models]
    union_views = [_union_view(spec.union(name)) for name in unions]
    literal = any(name in spec.tags for name in models)
    plain = {
        f.type.name
        for name in models
        for f in spec.model(name).fields
        if f.type.kind == "scalar" and not SCALARS[f.type.name].python_constraints
    }
    code = jinja.render(
        "python",
        "models.py.jinja",
        options.templates,
        header=header,
        imports=_imports(plain, enum_views, alias_views, model_views, py, union_views, literal),
        py=py,
        enums=enum_views,
        aliases=alias_views,
        models=model_views,
        unique_items=any(_UNIQUE in f.annotation for m in model_views for f in m.fields),
        unions=union_views,
    )
    names = [
        *(e.name for e in enum_views),
        *(a.name for a in alias_views),
        *(m.name for m in model_views),
        *(u.name for u in union_views),
    ]
    return code, names


def _enum_view(enum: EnumType) -> EnumView:
    return EnumView(
        enum.name,
        docstring(
            paragraphs(enum.description or f"Values of {enum.name}.", value_notes(enum)), "    "
        ),
        tuple((python_enum_member(value), py_str(value)) for value in enum.values),
    )


def _alias_view(name: str) -> AliasView:
    """The named alias of a scalar with constraints."""
    scalar = SCALARS[name]
    constraints = sorted(scalar.python_constraints.items())
    return AliasView(
        name,
        scalar.python,
        (
            f"description={py_str(scalar.description)}",
            *(f"{key}={_python_literal(value)}" for key, value in constraints),
        ),
    )


#: pydantic warns about a field in its ``model_`` namespace (``model_key``, from
#: ``modelKey``); a model with one turns the check off (its exact names are renamed).
_PROTECTED = "model_"


def _model_view(
    model: Model, py: dict[str, str], tagged: tuple[str, str] | None = None
) -> ModelView:
    """A model's view; tagged: (discriminator, tag) when the model is a union member."""
    disc, tag = tagged or (None, None)
    fields = tuple(_field(f, py, tag if f.name == disc else None) for f in model.fields)
    config = "populate_by_name=True"
    if any(f.name.startswith(_PROTECTED) for f in fields):
        config += ", protected_namespaces=()"
    if any(f.constraint("pattern") for f in model.fields):
        # A contract's pattern is read as JSON Schema reads it: Python's re, searched
        # (pydantic's default engine lacks look-arounds and back-references).
        config += ', regex_engine="python-re"'
    return ModelView(
        model.name,
        docstring(model.description or f"The {model.name} model.", "    "),
        fields,
        config,
    )


def _union_view(union: UnionType) -> UnionView:
    text = union.description or f"One of: {', '.join(union.models)}."
    return UnionView(
        union.name,
        tuple(("#: " + line).rstrip() for line in text.splitlines()),
        tuple(dict.fromkeys(union.models)),
        py_str(python_attribute(union.discriminator)),
    )
