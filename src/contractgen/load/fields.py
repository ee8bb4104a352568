"""The field keys of format 1.1 (``isMap``, ``default``, constraints), checked where
they are written: each constraint fits the field's type, the constraints agree
with each other, a pattern is valid in both regular expression dialects.

Whether a default (or an example) fits the field, constraints included, is
checked with the example values, once every model is resolved (``examples``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from contractgen.load.schema import RawField
from contractgen.spec.model import TypeRef
from contractgen.spec.vocabulary import ARRAY_CONSTRAINTS, NUMBER_CONSTRAINTS, TEXT_CONSTRAINTS

#: The RawField attributes of the 1.1 field keys: a field without any takes no check.
NEW_KEYS = frozenset(
    {
        "is_map",
        "default",
        "min_length",
        "max_length",
        "pattern",
        "minimum",
        "maximum",
        "exclusive_minimum",
        "exclusive_maximum",
        "multiple_of",
        "min_items",
        "max_items",
        "unique_items",
    }
)

#: (written key, code, message, hint) of one problem.
Problem = tuple[str, str, str, str | None]

#: Python regular expression syntax that ECMA-262 lacks or reads otherwise.
_PYTHON_ONLY = (
    (
        re.compile(r"\(\?P[<=>]"),
        "ECMA-262 has no (?P...) named groups (and Python no (?<name>...)): use a plain group",
    ),
    (re.compile(r"\(\?#"), "ECMA-262 has no (?#...) comments"),
    (re.compile(r"\(\?[aiLmsux]+[):-]"), "ECMA-262 has no inline flags such as (?i)"),
    (re.compile(r"\(\?>"), "ECMA-262 has no atomic groups (?>...)"),
    (re.compile(r"\(\?\("), "ECMA-262 has no conditional groups (?(...)...)"),
    (re.compile(r"\\[AZz]"), "ECMA-262 has no \\A, \\Z or \\z: use ^ and $"),
    (re.compile(r"[*+?}][+]"), "ECMA-262 has no possessive quantifiers"),
)


def pattern_problem(pattern: str) -> str | None:
    """Why a pattern is not valid both in Python's re and as ECMA-262, or None."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"pattern '{pattern}' is not a valid regular expression: {exc}"
    unescaped = re.sub(r"\\\\", "", pattern)
    for syntax, why in _PYTHON_ONLY:
        if syntax.search(unescaped):
            return f"pattern '{pattern}' is not valid in ECMA-262: {why}"
    return None


def field_problems(rf: RawField, ref: TypeRef, fname: str) -> Iterator[Problem]:
    """Problems of a field's 1.1 keys, each at the key that is wrong."""
    given = dict(rf.constraints())
    if rf.is_map and rf.is_array:
        yield "isMap", "CG220", f"field '{fname}' is both isMap and isArray", _ONE_SHAPE
    if "default" in rf.model_fields_set:
        if rf.is_optional:
            yield "default", "CG223", f"field '{fname}' is optional and has a default", _DEFAULT
        elif rf.default is None:
            yield "default", "CG223", f"the default of '{fname}' is null", _DEFAULT
    kind = ref.scalar.value_kind if ref.kind == "scalar" else None
    fits = {"text": TEXT_CONSTRAINTS, "number": NUMBER_CONSTRAINTS}.get(kind or "", ())
    for key in given:
        if key in ARRAY_CONSTRAINTS and not rf.is_array:
            yield key, "CG220", f"{key} fits an array; '{fname}' is not isArray", None
        elif key not in ARRAY_CONSTRAINTS and key not in fits:
            yield key, "CG220", f"{key} does not fit '{fname}' of type {rf.type}", _fit_hint(key)
    if "pattern" in given and "pattern" in fits:
        problem = pattern_problem(given["pattern"])
        if problem:
            yield "pattern", "CG221", problem, "write a pattern both Python and JavaScript read"
    yield from _contradictions(given, fname)


_ONE_SHAPE = "a field is one value, a list (isArray) or a map (isMap)"
_DEFAULT = "a field with a default may be left out already: drop isOptional or the default"


def _fit_hint(key: str) -> str:
    if key in TEXT_CONSTRAINTS:
        return "minLength, maxLength and pattern fit text scalars (String, ID, ...)"
    return "minimum, maximum, exclusive bounds and multipleOf fit Int, Float and Int64"


def _contradictions(given: dict[str, Any], fname: str) -> Iterator[Problem]:
    """Bounds that leave no value: a lower bound above its upper bound."""
    for low, high in (("minLength", "maxLength"), ("minItems", "maxItems")):
        if low in given and high in given and given[low] > given[high]:
            yield (
                low,
                "CG222",
                f"{low} {given[low]} of '{fname}' is above {high} {given[high]}",
                None,
            )
    lows = [(k, given[k]) for k in ("minimum", "exclusiveMinimum") if k in given]
    highs = [(k, given[k]) for k in ("maximum", "exclusiveMaximum") if k in given]
    for lk, lv in lows:
        for hk, hv in highs:
            both_inclusive = lk == "minimum" and hk == "maximum"
            if lv > hv or (lv == hv and not both_inclusive):
                yield lk, "CG222", f"{lk} {lv} and {hk} {hv} of '{fname}' leave no value", None
