"""Checks the shape of one parsed file against the format's classes.

pydantic does the checking; this module turns its errors into located
diagnostics with our codes, plain messages and did-you-mean hints.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from contractgen.diagnostics import Diagnostic, did_you_mean, error
from contractgen.load.schema import FILE_CLASSES, RawEnum, RawFile, RawModel, RawUnion
from contractgen.load.yamlpos import Path, Positions
from contractgen.spec.vocabulary import FILE_KINDS

_TYPE_NAMES = {
    "string_type": "a string",
    "int_type": "an integer",
    "bool_type": "true or false",
    "float_type": "a number",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a sequence",
}
#: Hints for a file without a (known) kind.
_ADD_KIND = (
    "add " + ", ".join(f"'kind: {k}'" for k in FILE_KINDS[:-1]) + f" or 'kind: {FILE_KINDS[-1]}'"
)
_KINDS = "one of: " + ", ".join(FILE_KINDS)


#: What a parsed value is, in words (bool before int: a bool is an int too).
_VALUE_WORDS: tuple[tuple[type, str], ...] = (
    (type(None), "null"),
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a number"),
    (str, "a string"),
    (list, "a sequence"),
    (dict, "a mapping"),
)


def describe(value: Any) -> str:
    return next((w for t, w in _VALUE_WORDS if isinstance(value, t)), type(value).__name__)


def _unwrap(annotation: Any) -> Any:
    """The BaseModel, dict or list type inside an Optional/Union annotation."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner = _unwrap(arg)
            if inner is not None:
                return inner
        return None
    if origin in (dict, list) or (
        isinstance(annotation, type) and issubclass(annotation, BaseModel)
    ):
        return annotation
    return None


def _class_at(root: type[BaseModel], path: Path) -> type[BaseModel] | None:
    """The format class describing the mapping at path, if any."""
    current: Any = root
    for step in path:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next(
                (f for n, f in current.model_fields.items() if (f.alias or n) == step), None
            )
            if field is None:
                return None
            current = _unwrap(field.annotation)
        elif typing.get_origin(current) is dict:
            current = _unwrap(typing.get_args(current)[1])
        elif typing.get_origin(current) is list:
            current = _unwrap(typing.get_args(current)[0])
        else:
            return None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def allowed_keys(cls: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in cls.model_fields.items()]


def _data_path(data: Any, loc: tuple[int | str, ...]) -> Path:
    """The prefix of a pydantic loc that indexes real data (drops union tags)."""
    path: list[str | int] = []
    current = data
    for step in loc:
        if (isinstance(current, dict) and step in current) or (
            isinstance(current, list) and isinstance(step, int) and 0 <= step < len(current)
        ):
            current = current[step]  # type: ignore[index]
        else:
            if isinstance(current, dict) and len(path) == len(loc) - 1:
                path.append(step)  # a missing or unknown key: keep it to name it
            break
        path.append(step)
    return tuple(path)


@dataclass
class Checked:
    """What survived the shape check of one file.

    Each model and enum is checked on its own, so one broken definition does not
    hide the others (or the operation) from the later checks.
    """

    raw: RawFile | None = None
    models: dict[str, RawModel] = field(default_factory=dict)
    enums: dict[str, RawEnum] = field(default_factory=dict)
    unions: dict[str, RawUnion] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def check_shape(data: dict[str, Any], positions: Positions, file: str) -> Checked:
    out = Checked()
    kind = data.get("kind")
    if kind is None:
        line, col = positions.of(())
        out.diagnostics.append(
            error(
                "CG202",
                "missing required key 'kind'",
                file,
                line,
                col,
                _ADD_KIND,
            )
        )
    known = isinstance(kind, str) and kind in FILE_CLASSES
    if kind is not None and not known:
        line, col = positions.of(("kind",))
        hint = did_you_mean(str(kind), FILE_CLASSES) or _KINDS
        out.diagnostics.append(error("CG204", f"unknown kind '{kind}'", file, line, col, hint))
    _definitions(data, positions, file, out)
    if not known:
        return out
    cls = FILE_CLASSES[str(kind)]
    rest = {k: v for k, v in data.items() if k not in ("models", "enums", "unions")}
    try:
        out.raw = cls.model_validate(rest)
    except ValidationError as exc:
        out.diagnostics.extend(_diagnostics(exc, cls, rest, positions, file, ()))
    return out


def _definitions(data: dict[str, Any], positions: Positions, file: str, out: Checked) -> None:
    sections: tuple[tuple[str, type[BaseModel], dict[str, Any]], ...] = (
        ("models", RawModel, out.models),
        ("enums", RawEnum, out.enums),
        ("unions", RawUnion, out.unions),
    )
    for section, cls, target in sections:
        items = data.get(section)
        if items is None:
            continue
        if not isinstance(items, dict):
            line, col = positions.of((section,))
            out.diagnostics.append(
                error(
                    "CG203",
                    f"{section}: expected a mapping, got {describe(items)}",
                    file,
                    line,
                    col,
                )
            )
            continue
        for name, body in items.items():
            try:
                target[name] = cls.model_validate(body)
            except ValidationError as exc:
                out.broken.add(name)
                out.diagnostics.extend(
                    _diagnostics(exc, cls, body, positions, file, (section, name))
                )


def _diagnostics(
    exc: ValidationError,
    cls: type[BaseModel],
    data: Any,
    positions: Positions,
    file: str,
    prefix: Path,
) -> list[Diagnostic]:
    grouped: dict[Path, list[Any]] = {}
    for err in exc.errors(include_url=False):
        grouped.setdefault(_data_path(data, err["loc"]), []).append(err)
    out: list[Diagnostic] = []
    for path, errs in grouped.items():
        out.append(_one(path, prefix, errs, cls, positions, file))
    return out


def _one(
    local: Path,
    prefix: Path,
    errs: list[Any],
    cls: type[BaseModel],
    positions: Positions,
    file: str,
) -> Diagnostic:
    """One diagnostic for the errors at one place; local is relative to cls's data."""
    path = (*prefix, *local)
    err = errs[0]
    kind = err["type"]
    where = ".".join(str(p) for p in path) or "(file)"
    if kind == "missing":
        line, col = positions.of_key(path[:-1])
        parent = ".".join(str(p) for p in path[:-1]) or "the file"
        return error("CG202", f"missing required key '{path[-1]}' in {parent}", file, line, col)
    if kind == "extra_forbidden":
        line, col = positions.of_key(path)
        owner = _class_at(cls, local[:-1])
        keys = allowed_keys(owner) if owner else []
        hint = did_you_mean(str(path[-1]), keys)
        if hint is None and keys:
            hint = "allowed keys: " + ", ".join(keys)
        return error("CG201", f"unknown key '{path[-1]}'", file, line, col, hint)
    line, col = positions.of(path)
    value = err.get("input")
    if kind == "literal_error" and len(errs) == 1:
        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value), choices) if isinstance(value, str) else None
        message = f"{where}: {value!r} is not allowed; expected one of: {', '.join(choices)}"
        return error("CG204", message, file, line, col, hint)
    if all(e["type"] in _TYPE_NAMES or e["type"] == "literal_error" for e in errs):
        message, hint = _wrong_type(where, errs, value)
        return error("CG203", message, file, line, col, hint)
    return error("CG204", f"{where}: {err['msg'][0].lower()}{err['msg'][1:]}", file, line, col)


def _wrong_type(where: str, errs: list[Any], value: Any) -> tuple[str, str | None]:
    """The message and hint for a value of the wrong type (or of none of the allowed values)."""
    wanted = sorted({_TYPE_NAMES.get(e["type"], "an allowed value") for e in errs})
    hint = None
    if "a string" in wanted and isinstance(value, (int, float, bool)):
        hint = 'quote the value to keep it a string, e.g. "1.0.0"'
    elif value is None:
        hint = "an empty value is null in YAML"
    return f"{where}: expected {' or '.join(wanted)}, got {describe(value)}", hint
