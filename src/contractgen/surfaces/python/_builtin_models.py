"""models.py of a domain package, rendered by our own template.

The default engine. It writes the same classes datamodel-code-generator would
(pydantic v2 models, StrEnum enums, named aliases for constrained scalars,
aliases for field names that differ from their Python name) straight from the
spec, in a layout ``ruff format`` leaves alone. It exists because the external
engine costs about 0.2 s per domain, which alone broke the build target for
large trees (see benchmarks/README.md for the measured comparison).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from contractgen.naming import python_enum_member, python_identifier
from contractgen.spec.model import EnumType, Field, Model, Spec
from contractgen.spec.scalars import SCALARS
from contractgen.surfaces import Options, jinja
from contractgen.surfaces.prose import paragraphs, value_notes
from contractgen.surfaces.python._schema import constrained_scalars
from contractgen.surfaces.python._text import docstring, py_str


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
    return scalar.python_annotation


#: Field names repeat across models; their Python names are computed once.
_attribute = functools.lru_cache(maxsize=65536)(python_identifier)


def _field(f: Field) -> FieldView:
    base = _scalar_annotation(f.type.name) if f.type.kind == "scalar" else f.type.name
    annotation = f"list[{base}]" if f.array else base
    if f.optional:
        annotation += " | None"
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
    return FieldView(attribute, annotation, tuple(args), f.optional)


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
    typing = [
        name
        for name, used in (
            ("Annotated", uses_field),
            ("Any", any("Any" in SCALARS[name].python for name in plain)),
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
    )
