"""models.py of a domain package, rendered by our own template.

The default engine. It writes the same classes datamodel-code-generator would
(pydantic v2 models, StrEnum enums, named aliases for constrained scalars,
aliases for field names that differ from their Python name) straight from the
spec, in a layout ``ruff format`` leaves alone. It exists because the external
engine costs about 0.2 s per domain, which alone broke the build target for
large trees (see benchmarks/README.md for the measured comparison).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from contractgen.naming import python_attribute, python_private
from contractgen.spec.model import EnumType, Field, Model, Spec
from contractgen.spec.scalars import SCALARS
from contractgen.surfaces import Options, jinja
from contractgen.surfaces.python._schema import constrained_scalars
from contractgen.surfaces.python._text import docstring, import_key, py_str

#: Python annotations of the scalars without constraints.
_PLAIN_PYTHON = {
    "datetime.date": "date",
    "datetime.datetime": "datetime",
}


@dataclass(frozen=True)
class FieldView:
    name: str
    annotation: str
    field_args: tuple[str, ...]
    optional: bool


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
class AliasView:
    name: str
    base: str
    field_args: tuple[str, ...]


def _python_literal(value: Any) -> str:
    return py_str(value) if isinstance(value, str) else repr(value)


def _scalar_annotation(name: str) -> str:
    scalar = SCALARS[name]
    if scalar.python_constraints:
        return name  # a named alias carries the constraints
    return _PLAIN_PYTHON.get(scalar.python, scalar.python)


#: The helpers a models module may import, by module, in import order. A domain
#: type of the same name makes the module import the helper as ``_<name>``.
HELPERS = {
    "datetime": ("date", "datetime"),
    "enum": ("StrEnum",),
    "typing": ("Annotated", "Any", "TypeAlias"),
    "pydantic": ("BaseModel", "ConfigDict", "Field"),
}
_HELPER_WORD = re.compile(r"\b(?:" + "|".join(n for ns in HELPERS.values() for n in ns) + r")\b")


def helper_names(defined: set[str]) -> dict[str, str]:
    """How the module spells each helper: its name, or a private one where a type takes it."""
    return {n: python_private(n) if n in defined else n for ns in HELPERS.values() for n in ns}


def _field(f: Field, py: dict[str, str]) -> FieldView:
    base = _scalar_annotation(f.type.name) if f.type.kind == "scalar" else f.type.name
    if f.type.kind == "scalar" and py["Any"] != "Any":
        base = _HELPER_WORD.sub(lambda m: py[m.group()], base)
    annotation = f"list[{base}]" if f.array else base
    if f.optional:
        annotation += " | None"
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
    return FieldView(attribute, annotation, tuple(args), f.optional)


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
) -> str:
    """The import block, only what the module uses, grouped and ordered as isort does."""
    stdlib = []
    dates = [n for scalar, n in (("Date", "date"), ("DateTime", "datetime")) if scalar in plain]
    stdlib += _import_lines("datetime", dates, py)
    if enums:
        stdlib += _import_lines("enum", ["StrEnum"], py)
    uses_field = bool(aliases) or any(f.field_args for m in models for f in m.fields)
    typing = [
        name
        for name, used in (
            ("Annotated", uses_field),
            ("Any", any("Any" in SCALARS[name].python for name in plain)),
            ("TypeAlias", bool(aliases)),
        )
        if used
    ]
    stdlib += _import_lines("typing", typing, py)
    pydantic = (["BaseModel", "ConfigDict"] if models else []) + (["Field"] if uses_field else [])
    groups = ["from __future__ import annotations", "\n".join(stdlib)]
    groups.append("\n".join(_import_lines("pydantic", pydantic, py)))
    return "\n\n".join(g for g in groups if g)


def models_source(
    spec: Spec, models: list[str], enums: list[str], header: str, options: Options
) -> tuple[str, list[str]]:
    """The module's source, and its top-level names (for the package's exports)."""
    py = helper_names({*models, *enums})
    enum_views = [_enum_view(spec.enum(name)) for name in enums]
    alias_views = [_alias_view(name) for name in constrained_scalars(spec, models)]
    model_views = [_model_view(spec.model(name), py) for name in models]
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
        imports=_imports(plain, enum_views, alias_views, model_views, py),
        py=py,
        enums=enum_views,
        aliases=alias_views,
        models=model_views,
    )
    names = (
        [e.name for e in enum_views] + [a.name for a in alias_views] + [m.name for m in model_views]
    )
    return code, names


def _enum_view(enum: EnumType) -> EnumView:
    return EnumView(
        enum.name,
        docstring(enum.description or f"Values of {enum.name}.", "    "),
        tuple((value.upper(), py_str(value)) for value in enum.values),
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


def _model_view(model: Model, py: dict[str, str]) -> ModelView:
    fields = tuple(_field(f, py) for f in model.fields)
    config = "populate_by_name=True"
    if any(f.name.startswith(_PROTECTED) for f in fields):
        config += ", protected_namespaces=()"
    return ModelView(
        model.name,
        docstring(model.description or f"The {model.name} model.", "    "),
        fields,
        config,
    )
