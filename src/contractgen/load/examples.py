"""Checks an example value against a model of the spec, field by field."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import operator
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

from contractgen.diagnostics import did_you_mean, meant_name
from contractgen.spec.model import EnumType, Field, Model, UnionType
from contractgen.spec.scalars import SCALARS

#: Where in the value, what is wrong, and a hint (or None).
Problem = tuple[tuple[str | int, ...], str, str | None]


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


INT64_RANGE = (-(2**63), 2**63 - 1)
DECIMAL_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
UUID_RE = re.compile(r"^[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}$")


def _base64(v: str) -> bool:
    try:
        base64.b64decode(v, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


#: Text scalars of version 1.1 whose form a check function decides.
_TEXT_FORMS: dict[str, tuple[Callable[[str], object], str]] = {
    "Decimal": (DECIMAL_RE.match, 'a decimal number written as a string, e.g. "12.50"'),
    "UUID": (UUID_RE.match, "a UUID, e.g. 123e4567-e89b-12d3-a456-426614174000"),
    "Bytes": (_base64, "base64 text"),
}


def scalar_problem(name: str, value: Any, shown: str | None = None) -> str | None:
    """Why value is not a valid instance of the scalar, or None when it is; messages
    name the scalar as shown (as the contract writes it)."""
    return _scalar_problem(name, value, shown or name)


def _scalar_problem(name: str, value: Any, label: str) -> str | None:
    scalar = SCALARS[name]
    schema = scalar.json_schema
    kind = schema.get("type")
    if name == "JSON":
        return None
    if name == "ID":
        return None if isinstance(value, str) or _is_int(value) else "expected an ID string"
    if kind == "string" and not isinstance(value, str):
        return f"expected a string for {label}"
    if kind == "integer" and not _is_int(value):
        return f"expected an integer for {label}"
    if kind == "number" and not _is_number(value):
        return f"expected a number for {label}"
    if kind == "boolean" and not isinstance(value, bool):
        return "expected true or false"
    if kind == "object" and not isinstance(value, dict):
        return "expected a JSON object"
    if name == "Int64" and not INT64_RANGE[0] <= value <= INT64_RANGE[1]:
        return f"{value} does not fit in 64 bits"
    form = _TEXT_FORMS.get(name)
    if form is not None and not form[0](value):
        return f"'{value}' is not {form[1]}"
    if name == "Date" and not _date(value):
        return f"'{value}' is not a date (YYYY-MM-DD)"
    if name == "DateTime" and not _datetime(value):
        return f"'{value}' is not an RFC 3339 date-time with offset, e.g. 2026-01-15T10:00:00Z"
    pattern = scalar.python_constraints.get("pattern")
    if pattern and not re.search(pattern, value):
        return f"'{value}' is not a valid {label}"
    if "min_length" in scalar.python_constraints and len(value) < 1:
        return f"{label} must not be empty"
    low, high = scalar.python_constraints.get("ge"), scalar.python_constraints.get("le")
    if low is not None and not low <= value <= high:
        return f"{value} is out of range for {label} ({low}..{high})"
    return None


def check_value(
    models: Mapping[str, Model],
    enums: Mapping[str, EnumType],
    model: str,
    value: Any,
    dropped: Mapping[str, Collection[str]] | None = None,
    unions: Mapping[str, UnionType] | None = None,
) -> Iterator[Problem]:
    """Yields (path inside value, message, hint) for everything that does not fit the
    model. A field in ``dropped`` (model -> fields left out of it for a problem
    reported already) may hold anything, or be missing."""
    return ValueCheck(models, enums, dropped or {}, unions or {}).model(model, value, ())


class ValueCheck:
    """Checks values against the models, enums and unions of a spec (see ``check_value``)."""

    def __init__(
        self,
        models: Mapping[str, Model],
        enums: Mapping[str, EnumType],
        dropped: Mapping[str, Collection[str]],
        unions: Mapping[str, UnionType] | None = None,
    ) -> None:
        self.models = models
        self.enums = enums
        self.dropped = dropped
        self.unions = unions or {}
        #: Member model -> (discriminator, tag): its discriminator holds its tag.
        self.tags = {m: (u.discriminator, t) for u in self.unions.values() for t, m in u.members}

    def model(self, model: str, value: Any, path: tuple[str | int, ...]) -> Iterator[Problem]:
        if not isinstance(value, dict):
            yield path, f"expected a mapping for '{model}'", None
            return
        spec_model = self.models[model]
        names = {f.name for f in spec_model.fields}
        meant: set[str] = set()  # fields a misspelt key stands for: reported once, there
        for key in value:
            if key not in names and key not in self.dropped.get(model, ()):
                unused = [n for n in names if n not in value]
                meant.add(meant_name(str(key), unused) or "")
                yield (
                    (*path, key),
                    f"'{key}' is not a field of '{model}'",
                    did_you_mean(key, unused),
                )
        for f in spec_model.fields:
            if f.name not in value or value[f.name] is None:
                # (A default stands in for a field left out, not for a null.)
                if (
                    not f.optional
                    and not (f.has_default and f.name not in value)
                    and f.name not in meant
                ):
                    yield (
                        (*path, f.name) if f.name in value else path,
                        f"required field '{f.name}' of '{model}' is missing",
                        None,
                    )
                continue
            yield from self.field(f, value[f.name], (*path, f.name))
        tagged = self.tags.get(model)
        if tagged is not None and value.get(tagged[0]) not in (None, tagged[1]):
            disc, tag = tagged
            yield (*path, disc), f"'{disc}' of '{model}' is always '{tag}'", None

    def union(self, name: str, value: Any, path: tuple[str | int, ...]) -> Iterator[Problem]:
        """A union value: its discriminator's tag chooses the member it is checked as."""
        union = self.unions[name]
        members = dict(union.members)
        if not isinstance(value, dict):
            yield path, f"expected a mapping for '{name}'", None
            return
        tag = value.get(union.discriminator)
        if tag not in members:
            tags = ", ".join(members)
            where = (*path, union.discriminator) if union.discriminator in value else path
            message = f"'{union.discriminator}' must name a member of '{name}' ({tags})"
            yield where, message, did_you_mean(str(tag), list(members))
            return
        yield from self.model(members[tag], value, path)

    def field(self, f: Field, value: Any, path: tuple[str | int, ...]) -> Iterator[Problem]:
        """Problems of a field's value (a list for an array, a mapping for a map)."""
        if f.map:
            if not isinstance(value, dict):
                yield path, f"'{f.name}' is a map; expected a mapping", None
                return
            for key, item in value.items():
                yield from self.one(f, item, (*path, key))
        elif not f.array:
            yield from self.one(f, value, path)
        elif not isinstance(value, list):
            yield path, f"'{f.name}' is a list; expected a sequence", None
        else:
            for i, item in enumerate(value):
                yield from self.one(f, item, (*path, i))
            if f.constraints:
                for problem in array_problems(f, value):
                    yield path, f"'{f.name}': {problem}", None

    def one(self, f: Field, value: Any, path: tuple[str | int, ...]) -> Iterator[Problem]:
        """Problems of one value of a field (an item, for an array or a map)."""
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
                message = f"'{value}' is not a value of enum '{ref.name}' ({', '.join(allowed)})"
                yield path, message, did_you_mean(str(value), allowed)
        else:
            problem = scalar_problem(ref.name, value, f.shown_type)
            if problem is None and f.constraints:
                problem = next(value_problems(f, value), None)
            if problem:
                yield path, f"'{f.name}': {problem}", None


def _json_equal_key(value: Any) -> str:
    """A key equal for values JSON Schema calls equal (1 and 1.0; key order ignored)."""
    return json.dumps(_integral(value), sort_keys=True)


def _integral(value: Any) -> Any:
    """The value with every whole float as an int (JSON Schema: 1.0 equals 1)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral(v) for v in value]
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    return value


def array_problems(f: Field, items: list[Any]) -> Iterator[str]:
    """Why a list breaks the field's minItems, maxItems or uniqueItems."""
    low, high = f.constraint("minItems"), f.constraint("maxItems")
    if low is not None and len(items) < low:
        yield f"has {len(items)} items, fewer than minItems {low}"
    if high is not None and len(items) > high:
        yield f"has {len(items)} items, more than maxItems {high}"
    if f.constraint("uniqueItems"):
        keys = [_json_equal_key(v) for v in items]
        if len(set(keys)) != len(keys):
            yield "holds an item twice, but uniqueItems is true"


def value_problems(f: Field, value: Any) -> Iterator[str]:
    """Why one (well-typed) value breaks the field's text or number constraints."""
    given = dict(f.constraints)
    if isinstance(value, str):
        if "minLength" in given and len(value) < given["minLength"]:
            yield f"'{value}' is shorter than minLength {given['minLength']}"
        if "maxLength" in given and len(value) > given["maxLength"]:
            yield f"'{value}' is longer than maxLength {given['maxLength']}"
        if "pattern" in given and not re.search(given["pattern"], value):
            yield f"'{value}' does not match pattern '{given['pattern']}'"
    elif _is_number(value):
        for key, fails, words in _BOUNDS:
            if key in given and fails(value, given[key]):
                yield f"{value} is {words} {key} {given[key]}"
        step = given.get("multipleOf")
        if step is not None and not _multiple(value, step):
            yield f"{value} is not a multiple of {step}"


#: (bound, the comparison of value and bound that breaks it, words for the message)
_BOUNDS: tuple[tuple[str, Callable[[Any, Any], bool], str], ...] = (
    ("minimum", operator.lt, "below"),
    ("maximum", operator.gt, "above"),
    ("exclusiveMinimum", operator.le, "not above"),
    ("exclusiveMaximum", operator.ge, "not below"),
)


def _multiple(value: float, step: float) -> bool:
    if isinstance(value, int) and isinstance(step, int):
        return value % step == 0
    quotient = value / step
    return abs(quotient - round(quotient)) < 1e-9
