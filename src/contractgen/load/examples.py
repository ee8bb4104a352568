"""Checks an example value against a model of the spec, field by field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from contractgen.spec.model import EnumType, Field, Model, UnionType
from contractgen.spec.scalars import SCALARS

Problem = tuple[tuple[str | int, ...], str]


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _date(v: Any) -> bool:
    try:
        dt.date.fromisoformat(v)
    except (TypeError, ValueError):
        return False
    return len(v) == 10


def _datetime(v: Any) -> bool:
    if not isinstance(v, str) or "T" not in v.upper():
        return False
    try:
        parsed = dt.datetime.fromisoformat(v)
    except ValueError:
        return False
    return parsed.tzinfo is not None


def scalar_problem(name: str, value: Any) -> str | None:
    """Why value is not a valid instance of the scalar, or None when it is."""
    scalar = SCALARS[name]
    schema = scalar.json_schema
    kind = schema.get("type")
    if name == "JSON":
        return None
    if name == "ID":
        return None if isinstance(value, str) or _is_int(value) else "expected an ID string"
    if kind == "string" and not isinstance(value, str):
        return f"expected a string for {name}"
    if kind == "integer" and not _is_int(value):
        return f"expected an integer for {name}"
    if kind == "number" and not _is_number(value):
        return f"expected a number for {name}"
    if kind == "boolean" and not isinstance(value, bool):
        return "expected true or false"
    if kind == "object" and not isinstance(value, dict):
        return "expected a JSON object"
    if name == "Date" and not _date(value):
        return f"'{value}' is not a date (YYYY-MM-DD)"
    if name == "DateTime" and not _datetime(value):
        return f"'{value}' is not an RFC 3339 date-time with offset, e.g. 2026-01-15T10:00:00Z"
    pattern = scalar.python_constraints.get("pattern")
    if pattern and not re.search(pattern, value):
        return f"'{value}' is not a valid {name}"
    if "min_length" in scalar.python_constraints and len(value) < 1:
        return f"{name} must not be empty"
    low, high = scalar.python_constraints.get("ge"), scalar.python_constraints.get("le")
    if low is not None and not low <= value <= high:
        return f"{value} is out of range for {name} ({low}..{high})"
    return None


def check_value(
    models: Mapping[str, Model],
    enums: Mapping[str, EnumType],
    model: str,
    value: Any,
    unions: Mapping[str, UnionType] | None = None,
) -> Iterator[Problem]:
    """Yields (path inside value, message) for everything that does not fit the model."""
    return _ValueCheck(models, enums, unions or {}).model(model, value, ())


class _ValueCheck:
    """Checks values against the models, enums and unions of a spec (see ``check_value``)."""

    def __init__(
        self,
        models: Mapping[str, Model],
        enums: Mapping[str, EnumType],
        unions: Mapping[str, UnionType],
    ) -> None:
        self.models = models
        self.enums = enums
        self.unions = unions
        #: Member model -> (discriminator, tag): its discriminator holds its tag.
        self.tags = {m: (u.discriminator, t) for u in unions.values() for t, m in u.members}

    def model(self, model: str, value: Any, path: tuple[str | int, ...]) -> Iterator[Problem]:
        if not isinstance(value, dict):
            yield path, f"expected a mapping for '{model}'"
            return
        spec_model = self.models[model]
        names = {f.name for f in spec_model.fields}
        for key in value:
            if key not in names:
                yield (*path, key), f"'{key}' is not a field of '{model}'"
        for f in spec_model.fields:
            if f.name not in value or value[f.name] is None:
                if not f.optional:
                    yield (
                        (*path, f.name) if f.name in value else path,
                        (f"required field '{f.name}' of '{model}' is missing"),
                    )
                continue
            yield from self.field(f, value[f.name], (*path, f.name))
        tagged = self.tags.get(model)
        if tagged is not None and value.get(tagged[0]) not in (None, tagged[1]):
            disc, tag = tagged
            yield (*path, disc), f"'{disc}' of '{model}' is always '{tag}'"

    def union(self, name: str, value: Any, path: tuple[str | int, ...]) -> Iterator[Problem]:
        """A union value: its discriminator's tag chooses the member it is checked as."""
        union = self.unions[name]
        members = dict(union.members)
        if not isinstance(value, dict):
            yield path, f"expected a mapping for '{name}'"
            return
        tag = value.get(union.discriminator)
        if tag not in members:
            tags = ", ".join(members)
            where = (*path, union.discriminator) if union.discriminator in value else path
            yield where, f"'{union.discriminator}' must name a member of '{name}' ({tags})"
            return
        yield from self.model(members[tag], value, path)

    def field(self, f: Field, value: Any, path: tuple[str | int, ...]) -> Iterator[Problem]:
        if not f.array:
            yield from self.one(f, value, path)
        elif not isinstance(value, list):
            yield path, f"'{f.name}' is a list; expected a sequence"
        else:
            for i, item in enumerate(value):
                yield from self.one(f, item, (*path, i))

    def one(self, f: Field, value: Any, path: tuple[str | int, ...]) -> Iterator[Problem]:
        """Problems of one value of a field (an item, for an array)."""
        ref = f.type
        if ref.kind == "model":
            if ref.name in self.models:
                yield from self.model(ref.name, value, path)
        elif ref.kind == "union":
            if ref.name in self.unions:
                yield from self.union(ref.name, value, path)
        elif ref.kind == "enum":
            allowed = self.enums[ref.name].values
            if value not in allowed:
                yield path, f"'{value}' is not a value of enum '{ref.name}' ({', '.join(allowed)})"
        else:
            problem = scalar_problem(ref.name, value)
            if problem:
                yield path, f"'{f.name}': {problem}"
