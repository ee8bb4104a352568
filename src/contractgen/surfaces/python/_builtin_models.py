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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from contractgen.naming import python_identifier
from contractgen.spec.model import EnumType, Field, Model, Spec, UnionType
from contractgen.spec.scalars import SCALARS
from contractgen.surfaces import Options, jinja
from contractgen.surfaces.python._schema import constrained_scalars
from contractgen.surfaces.python._text import docstring, py_str

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


@dataclass(frozen=True)
class EnumView:
    name: str
    doc: str
    members: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class UnionView:
    name: str
    #: The description as comment lines ('#: ...'), or none.
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
    return py_str(value) if isinstance(value, str) else repr(value)


def _scalar_annotation(name: str) -> str:
    scalar = SCALARS[name]
    if scalar.python_constraints:
        return name  # a named alias carries the constraints
    return _PLAIN_PYTHON.get(scalar.python, scalar.python)


#: Field names repeat across models; their Python names are computed once.
_attribute = functools.lru_cache(maxsize=65536)(python_identifier)


def _field(f: Field, tag: str | None = None) -> FieldView:
    """A field's view; tag: the field is the discriminator of a union member, so it always
    holds that tag (a Literal)."""
    base = _scalar_annotation(f.type.name) if f.type.kind == "scalar" else f.type.name
    if tag is not None:
        base = f"Literal[{py_str(tag)}]"
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
    plain: set[str],
    enums: list[EnumView],
    aliases: list[AliasView],
    models: list[ModelView],
    unions: Sequence[UnionView] = (),
) -> str:
    """The import block, only what the module uses, grouped and ordered as isort does."""
    stdlib = []
    dates = [n for scalar, n in (("Date", "date"), ("DateTime", "datetime")) if scalar in plain]
    if dates:
        stdlib.append(f"from datetime import {', '.join(dates)}")
    if enums:
        stdlib.append("from enum import StrEnum")
    discriminated = any(len(u.members) > 1 for u in unions)
    uses_field = (
        bool(aliases) or discriminated or any(f.field_args for m in models for f in m.fields)
    )
    typing = [
        name
        for name, used in (
            ("Annotated", uses_field),
            ("Any", any("Any" in SCALARS[name].python for name in plain)),
            ("Literal", any(f.annotation.startswith("Literal[") for m in models for f in m.fields)),
            ("TypeAlias", bool(aliases) or bool(unions)),
        )
        if used
    ]
    if typing:
        stdlib.append(f"from typing import {', '.join(typing)}")
    pydantic = (["BaseModel", "ConfigDict"] if models else []) + (["Field"] if uses_field else [])
    groups = ["from __future__ import annotations", "\n".join(stdlib)]
    if pydantic:
        groups.append(f"from pydantic import {', '.join(pydantic)}")
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
    enum_views = [_enum_view(spec.enum(name)) for name in enums]
    alias_views = [_alias_view(name) for name in constrained_scalars(spec, models)]
    model_views = [_model_view(spec.model(name), spec.tags.get(name)) for name in models]
    union_views = [_union_view(spec.union(name)) for name in unions]
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
        imports=_imports(plain, enum_views, alias_views, model_views, union_views),
        enums=enum_views,
        aliases=alias_views,
        models=model_views,
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


def _model_view(model: Model, tagged: tuple[str, str] | None = None) -> ModelView:
    """A model's view; tagged: (discriminator, tag) when the model is a union member."""
    disc, tag = tagged or (None, None)
    return ModelView(
        model.name,
        docstring(model.description or f"The {model.name} model.", "    "),
        tuple(_field(f, tag if f.name == disc else None) for f in model.fields),
    )


def _union_view(union: UnionType) -> UnionView:
    text = union.description or f"One of: {', '.join(union.models)}."
    return UnionView(
        union.name,
        tuple(("#: " + line).rstrip() for line in text.splitlines()),
        tuple(dict.fromkeys(union.models)),
        py_str(python_identifier(union.discriminator)),
    )
