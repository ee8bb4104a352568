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
import functools
from dataclasses import dataclass
from typing import Any

from contractgen.naming import python_enum_member, python_identifier
from contractgen.spec.model import EnumType, Field, Model, Spec, TypeRef
from contractgen.spec.scalars import SCALARS
from contractgen.spec.vocabulary import ARRAY_CONSTRAINTS
from contractgen.surfaces import Options, jinja
from contractgen.surfaces.prose import paragraphs, value_notes
from contractgen.surfaces.python._schema import constrained_scalars
from contractgen.surfaces.python._text import docstring, py_str


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
    #: The ConfigDict arguments.
    config: str


@dataclass(frozen=True)
class EnumView:
    name: str
    doc: str
    members: tuple[tuple[str, str], ...]


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
#: How a default of a scalar held as a Python object is written (the JSON text goes in {}).
_FROM_TEXT = {
    "Date": "date.fromisoformat({})",
    "DateTime": "datetime.fromisoformat({})",
    "Decimal": "Decimal({})",
    "UUID": "UUID({})",
}


def _python_value(ref: TypeRef, value: Any) -> str:
    """One value of a type (an item, for an array or a map) as a typed Python expression."""
    if ref.kind == "enum":
        return f"{ref.name}.{python_enum_member(value)}"
    if ref.kind == "model":
        return f"{ref.name}.model_validate({_python_literal(value)})"
    if ref.name == "Bytes":
        return repr(base64.b64decode(value))
    if ref.name in _FROM_TEXT:
        return _FROM_TEXT[ref.name].format(py_str(value))
    return _python_literal(value)


def _scalar_annotation(name: str) -> str:
    scalar = SCALARS[name]
    if scalar.python_constraints:
        return name  # a named alias carries the constraints
    return scalar.python_annotation


#: Field names repeat across models; their Python names are computed once.
_attribute = functools.lru_cache(maxsize=65536)(python_identifier)


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


def _annotation(f: Field) -> tuple[str, list[str]]:
    """The field's annotation (without None) and the constraint arguments its Field takes."""
    base = _scalar_annotation(f.type.name) if f.type.kind == "scalar" else f.type.name
    item_args = _constraint_args(f, array_level=False)
    if not f.array and not f.map:
        return base, item_args
    if item_args:
        base = f"Annotated[{base}, Field({', '.join(item_args)})]"
    if f.map:
        return f"dict[str, {base}]", []
    annotation = f"list[{base}]"
    if f.constraint("uniqueItems"):
        annotation = f"Annotated[{annotation}, AfterValidator({_UNIQUE})]"
    return annotation, _constraint_args(f, array_level=True)


def _default(f: Field) -> tuple[str, list[str]]:
    """What follows the annotation (' = None', ' = 20', ''), and the Field arguments a
    default needs (a value pydantic must turn into the field's type is validated)."""
    if f.optional:
        return " = None", []
    if not f.has_default:
        return "", []
    if f.array:
        value = "[" + ", ".join(_python_value(f.type, v) for v in f.default) + "]"
    elif f.map:
        items = (f"{py_str(k)}: {_python_value(f.type, v)}" for k, v in f.default.items())
        value = "{" + ", ".join(items) + "}"
    else:
        value = _python_value(f.type, f.default)
    if f.type.kind == "model":  # (made when needed: the model may be defined further down)
        return "", [f"default_factory=lambda: {value}"]
    return f" = {value}", []


def _field(f: Field) -> FieldView:
    annotation, constraint_args = _annotation(f)
    if f.optional:
        annotation += " | None"
    default, default_args = _default(f)
    args: list[str] = []
    attribute = _attribute(f.name)
    if attribute != f.name:
        args.append(f"alias={py_str(f.name)}")
    if f.description:
        args.append(f"description={py_str(f.description)}")
    if f.deprecated:
        args.append(
            f"deprecated={py_str(f.deprecation_reason) if f.deprecation_reason else 'True'}"
        )
    return FieldView(attribute, annotation, (*args, *constraint_args, *default_args), default)


def _imports(
    plain: set[str], enums: list[EnumView], aliases: list[AliasView], models: list[ModelView]
) -> str:
    """The import block, only what the module uses, grouped and ordered as isort does."""
    imported: dict[str, set[str]] = {}
    for name in plain:
        found = SCALARS[name].python_import
        if found:
            imported.setdefault(found[0], set()).add(found[1])
    if enums:
        imported.setdefault("enum", set()).add("StrEnum")
    uses_field = bool(aliases) or any(f.field_args for m in models for f in m.fields)
    # (1.1: item constraints and uniqueItems are written inside the annotation.)
    annotations = " ".join(f.annotation for m in models for f in m.fields)
    unique = _UNIQUE in annotations
    uses_field = uses_field or "Field(" in annotations
    typing = [
        name
        for name, used in (
            ("Annotated", uses_field or "Annotated[" in annotations),
            ("Any", unique or any("Any" in SCALARS[name].python for name in plain)),
            ("TypeAlias", bool(aliases)),
        )
        if used
    ]
    if typing:
        imported["typing"] = set(typing)
    pydantic = imported.pop("pydantic", set())
    pydantic |= ({"BaseModel", "ConfigDict"} if models else set()) | (
        {"Field"} if uses_field else set()
    )
    if unique:
        pydantic.add("AfterValidator")
    stdlib = "\n".join(
        f"from {module} import {', '.join(sorted(names))}"
        for module, names in sorted(imported.items())
    )
    groups = ["from __future__ import annotations", stdlib]
    if pydantic:
        groups.append(f"from pydantic import {', '.join(sorted(pydantic))}")
    return "\n\n".join(g for g in groups if g)


def models_source(
    spec: Spec, models: list[str], enums: list[str], header: str, options: Options
) -> tuple[str, list[str]]:
    """The module's source, and its top-level names (for the package's exports)."""
    enum_views = [_enum_view(spec.enum(name)) for name in enums]
    alias_views = [_alias_view(name) for name in constrained_scalars(spec, models)]
    model_views = [_model_view(spec.model(name)) for name in models]
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
        imports=_imports(plain, enum_views, alias_views, model_views),
        enums=enum_views,
        aliases=alias_views,
        models=model_views,
        unique_items=any(_UNIQUE in f.annotation for m in model_views for f in m.fields),
    )
    names = (
        [e.name for e in enum_views] + [a.name for a in alias_views] + [m.name for m in model_views]
    )
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


def _model_view(model: Model) -> ModelView:
    return ModelView(
        model.name,
        docstring(model.description or f"The {model.name} model.", "    "),
        tuple(_field(f) for f in model.fields),
        # A contract's pattern is read as JSON Schema reads it: Python's re, searched
        # (pydantic's default engine lacks look-arounds and back-references).
        "populate_by_name=True"
        + (
            ', regex_engine="python-re"'
            if any(f.constraint("pattern") for f in model.fields)
            else ""
        ),
    )
