"""Checks the shape of one parsed file against the format's classes.

pydantic does the checking; this module turns its errors into located
diagnostics with our codes, plain messages and did-you-mean hints.
"""

from __future__ import annotations

import difflib
import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from contractgen.diagnostics import Diagnostic, did_you_mean, error
from contractgen.load.schema import (
    FILE_CLASSES,
    PARTS_CLASSES,
    FileParts,
    RawEnum,
    RawField,
    RawModel,
    RawUnion,
)
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
ModelT = TypeVar("ModelT", bound=BaseModel)


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


def _holds(node: Any, step: int | str) -> bool:
    """Whether a loc step indexes real data of the node (a key, or an item)."""
    if isinstance(node, dict):
        return step in node
    return isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)


def _data_path(data: Any, loc: tuple[int | str, ...]) -> Path:
    """The prefix of a pydantic loc that indexes real data (drops union tags)."""
    path: list[str | int] = []
    current = data
    for step in loc:
        if _holds(current, step):
            current = current[step]
        else:
            if isinstance(current, dict) and len(path) == len(loc) - 1:
                path.append(step)  # a missing or unknown key: keep it to name it
            break
        path.append(step)
    return tuple(path)


def _branch(data: Any, loc: tuple[int | str, ...], kind: str) -> int | None:
    """Where a pydantic loc names a union's member (a step the data does not have,
    followed by more steps, or last in an error about the value's type): its index
    in loc, or None."""
    current = data
    steps = loc if kind not in ("missing", "extra_forbidden") else loc[:-1]
    for i, step in enumerate(steps):
        if not _holds(current, step):
            return i if isinstance(current, dict | list) else None
        current = current[step]
    return None


def _meant_branch(errors: list[Any], data: Any) -> list[Any]:
    """The errors of the union member the value was meant as, with the member's tag
    taken out of their locs: a mapping was meant as the mapping form
    (``{value: ...}``), anything else as the scalar form. One mistake, one report."""
    kept: list[Any] = []
    for err in errors:
        loc = tuple(err["loc"])
        at = _branch(data, loc, err["type"])
        if at is None:
            kept.append(err)
            continue
        node = _data_at(data, loc[:at])
        tag = str(loc[at])
        mapping_form = tag[:1].isupper() or tag.startswith("dict[")
        if mapping_form == isinstance(node, dict):
            kept.append({**err, "loc": loc[:at] + loc[at + 1 :]})
    return kept or errors


def _data_at(data: Any, path: tuple[int | str, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


@dataclass
class Checked:
    """What survived the shape check of one file.

    A shape error drops the smallest part of the file that holds it (see
    ``_prune_point``); the rest goes on to the later checks. Each model and
    enum is checked on its own, and a model keeps its valid fields.
    """

    raw: FileParts | None = None
    models: dict[str, RawModel] = field(default_factory=dict)
    enums: dict[str, RawEnum] = field(default_factory=dict)
    unions: dict[str, RawUnion] = field(default_factory=dict)
    #: Names of definitions dropped whole.
    broken: set[str] = field(default_factory=set)
    #: Whether a models or enums section is not a mapping (its names are unknown).
    unreadable: bool = False
    #: Model name -> names of its fields dropped for a shape error.
    dropped: dict[str, set[str]] = field(default_factory=dict)
    #: Top-level keys of the contract part that lost something (or "kind", when
    #: the kind was guessed): its checks run, but it does not become a contract.
    lost: set[str] = field(default_factory=set)
    #: In a top-level section dropped whole, its keys whose values are valid on
    #: their own (by path), so that their own checks still run.
    loose: dict[Path, Any] = field(default_factory=dict)
    #: For a list that lost items: the original index of each item kept.
    kept: dict[Path, list[int]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def check_shape(data: dict[str, Any], positions: Positions, file: str) -> Checked:
    out = Checked()
    kind = _kind(data, positions, file, out)
    _definitions(data, positions, file, out)
    if kind is None:
        return out
    rest = {k: v for k, v in data.items() if k not in ("models", "enums", "unions")}
    rest["kind"] = kind
    cls = FILE_CLASSES[kind]
    try:
        out.raw = cls.model_validate(rest)
        return out
    except ValidationError as exc:
        out.diagnostics.extend(_report(exc.errors(include_url=False), cls, rest, positions, file))
    parts = PARTS_CLASSES[kind]
    out.raw, pruned = _salvage(parts, rest, _errors(parts, rest), out.kept)
    out.lost.update(str(p[0]) for p in pruned)
    for path in pruned:
        if len(path) == 1:
            out.loose.update(_loose(parts, str(path[0]), rest.get(str(path[0]))))
    return out


def _loose(cls: type[BaseModel], section: str, values: Any) -> dict[Path, Any]:
    """The keys of a dropped section whose values are valid on their own; of a
    mapping of definitions, the valid entries."""
    owner = _class_at(cls, (section,))
    if owner is None or not isinstance(values, dict):
        return {}
    fields = {f.alias or n: f for n, f in owner.model_fields.items()}
    out: dict[Path, Any] = {}
    for key, value in values.items():
        found = fields.get(key)
        if found is None or found.annotation is None:
            continue
        annotation: Any = found.annotation
        try:
            out[(section, key)] = _adapter(annotation).validate_python(value, strict=True)
        except ValidationError:
            inner = _unwrap(found.annotation)
            if typing.get_origin(inner) is dict and isinstance(value, dict):
                item = _adapter(typing.get_args(inner)[1])
                out[(section, key)] = {
                    k: item.validate_python(v, strict=True)
                    for k, v in value.items()
                    if not _errors_of(item, v)
                }
    return out


@functools.cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def _errors_of(adapter: TypeAdapter[Any], value: Any) -> bool:
    try:
        adapter.validate_python(value, strict=True)
    except ValidationError:
        return True
    return False


def _kind(data: dict[str, Any], positions: Positions, file: str, out: Checked) -> str | None:
    """The file's kind (reported when missing or unknown): the kind it seems to be,
    in that case, so that the rest of it is checked all the same."""
    kind = data.get("kind")
    if isinstance(kind, str) and kind in FILE_CLASSES:
        return kind
    if kind is None:
        line, col = positions.of(())
        message, hint = "missing required key 'kind'", _ADD_KIND
    else:
        line, col = positions.of(("kind",))
        message, hint = f"unknown kind '{kind}'", did_you_mean(str(kind), FILE_CLASSES) or _KINDS
    out.diagnostics.append(
        error("CG202" if kind is None else "CG204", message, file, line, col, hint)
    )
    guess = _guess_kind(kind, data)
    if guess is not None:
        out.lost.add("kind")
    return guess


def _errors(cls: type[BaseModel], data: Any) -> list[Any]:
    """The shape errors of data as cls (none when it is valid)."""
    try:
        cls.model_validate(data)
    except ValidationError as exc:
        return exc.errors(include_url=False)
    return []


def _guess_kind(kind: Any, data: dict[str, Any]) -> str | None:
    """The kind a file without a known kind seems to be, to check the rest of it."""
    if isinstance(kind, str):
        close = difflib.get_close_matches(kind, FILE_CLASSES, n=1, cutoff=0.6)
        return close[0] if close else None
    if kind is not None:
        return None
    if "payload" in data:
        return "event"
    return "command" if "io" in data else None


#: Format classes whose keys are not dropped one by one: a field's keys say what
#: values an example may give it, so a field with a bad key is dropped whole.
_WHOLE: tuple[type[BaseModel], ...] = (RawField,)
#: Rounds of dropping before a file counts as beyond salvage.
_ROUNDS = 8


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _prune_point(cls: type[BaseModel], path: Path) -> Path | None:
    """The deepest part of the data at path (an error's place) that can be dropped
    and leave the rest meaning what it says: an unknown key, an optional key,
    an entry of a mapping of definitions or an item of a list of mappings.
    None when the error is in a part that cannot go."""
    current: Any = cls
    best: Path | None = None
    for i, step in enumerate(path):
        prefix = path[: i + 1]
        origin = typing.get_origin(current)
        if _is_model(current):
            found = next(
                (f for n, f in current.model_fields.items() if (f.alias or n) == step), None
            )
            if found is None:
                return prefix
            if not found.is_required() and current not in _WHOLE:
                best = prefix
            current = _unwrap(found.annotation)
        elif origin is dict or origin is list:
            current = _unwrap(typing.get_args(current)[-1])
            if _is_model(current):
                best = prefix
        else:
            break
    return best


def _without(data: Any, path: Path) -> Any:
    """A copy of data without the part at path (copying only what leads to it)."""
    if not path:
        return data
    step, rest = path[0], path[1:]
    if isinstance(data, dict) and step in data:
        copy = dict(data)
        if rest:
            copy[step] = _without(data[step], rest)
        else:
            del copy[step]
        return copy
    if isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
        items = list(data)
        if rest:
            items[step] = _without(data[step], rest)
        else:
            del items[step]
        return items
    return data


def _salvage(
    cls: type[ModelT], data: Any, errors: list[Any], kept: dict[Path, list[int]] | None = None
) -> tuple[ModelT | None, list[Path]]:
    """What of data is valid as cls, after dropping the parts that hold the errors
    (and what dropping them breaks in turn); with the paths dropped. A list that
    loses items gets, in kept, the original index of each item it keeps (the
    format's lists of mappings are not nested in lists)."""
    pruned: list[Path] = []
    kept = {} if kept is None else kept
    for _ in range(_ROUNDS):
        points = {_prune_point(cls, _data_path(data, e["loc"])) for e in errors}
        if None in points or not points:
            return None, pruned
        # Deepest first within one list, so the indexes of earlier items hold.
        for point in sorted((p for p in points if p is not None), reverse=True, key=_order):
            if point and isinstance(point[-1], int):
                items = _value_at(data, point[:-1])
                size = len(items) if isinstance(items, list) else 0
                kept.setdefault(point[:-1], list(range(size))).pop(point[-1])
            data = _without(data, point)
            pruned.append(point)
        errors = _errors(cls, data)
        if not errors:
            return cls.model_validate(data), pruned
    return None, pruned


def _value_at(data: Any, path: Path) -> Any:
    for step in path:
        data = data[step]
    return data


def _order(path: Path) -> tuple[tuple[int, str], ...]:
    return tuple((s, "") if isinstance(s, int) else (-1, s) for s in path)


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
            out.unreadable = True
            continue
        for name, body in items.items():
            try:
                target[name] = cls.model_validate(body)
            except ValidationError as exc:
                errors = exc.errors(include_url=False)
                out.diagnostics.extend(_report(errors, cls, body, positions, file, (section, name)))
                kept, pruned = _salvage(cls, body, errors) if cls is RawModel else (None, [])
                if kept is None:
                    out.broken.add(name)
                    continue
                target[name] = kept
                fields = out.dropped.setdefault(name, set())
                fields.update(str(p[1]) for p in pruned if p[0] == "fields" and len(p) > 1)


def _report(
    errors: list[Any],
    cls: type[BaseModel],
    data: Any,
    positions: Positions,
    file: str,
    prefix: Path = (),
) -> list[Diagnostic]:
    grouped: dict[Path, list[Any]] = {}
    for err in _meant_branch(errors, data):
        grouped.setdefault(_data_path(data, err["loc"]), []).append(err)
    out: list[Diagnostic] = []
    misspelt = _misspelt(grouped)
    for path, errs in grouped.items():
        if path not in misspelt:
            out.append(_one(path, prefix, errs, cls, positions, file))
    return out


def _misspelt(grouped: dict[Path, list[Any]]) -> set[Path]:
    """The missing keys that an unknown key beside them misspells: the unknown
    key's diagnostic names them (did you mean ...?), so they are not reported."""
    missing = {p for p, errs in grouped.items() if p and errs[0]["type"] == "missing"}
    out: set[Path] = set()
    for path, errs in grouped.items():
        if path and errs[0]["type"] == "extra_forbidden":
            siblings = [str(m[-1]) for m in missing if m[:-1] == path[:-1]]
            close = difflib.get_close_matches(str(path[-1]), siblings, n=1, cutoff=0.6)
            out.update((*path[:-1], c) for c in close)
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
        hint = _belongs(cls, str(path[-1])) or did_you_mean(str(path[-1]), keys)
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
        hint = _under_the_entry_above(cls, local, path, positions) or hint
        return error("CG203", message, file, line, col, hint)
    return error("CG204", f"{where}: {err['msg'][0].lower()}{err['msg'][1:]}", file, line, col)


def _under_the_entry_above(
    cls: type[BaseModel], local: Path, path: Path, positions: Positions
) -> str | None:
    """A hint for an entry (of fields, errors, ...) named like a key of the entries
    themselves (``isOptional: true`` beside the fields): it was meant inside the
    entry above, one indentation deeper."""
    entry = _class_at(cls, local)
    if entry is None or not local or str(local[-1]) not in allowed_keys(entry):
        return None
    names = list(positions.entries(path[:-1]))
    i = names.index(str(path[-1])) if str(path[-1]) in names else 0
    if i == 0:
        return None
    return f"'{path[-1]}' is a key of '{names[i - 1]}' above: indent it under '{names[i - 1]}'"


def _belongs(cls: type[BaseModel], key: str) -> str | None:
    """A hint for a key written at the wrong place: where the format has it."""
    where = _places(cls).get(key)
    if not where:
        return None
    return f"'{key}' belongs under " + " or ".join(f"'{w}'" for w in where[:2])


@functools.cache
def _places(cls: type[BaseModel]) -> dict[str, list[str]]:
    """Each key the format allows below cls -> the places (dotted, '<name>' for an
    entry of a mapping, '[]' for an item of a list) that hold it, nearest first."""
    out: dict[str, list[str]] = {}
    todo: list[tuple[Any, str]] = [(cls, "")]
    seen: set[Any] = set()
    while todo:
        current, where = todo.pop(0)
        if current in seen:
            continue
        seen.add(current)
        for name, info in current.model_fields.items():
            key = info.alias or name
            if where:
                out.setdefault(key, []).append(where)
            inner, suffix = _unwrap(info.annotation), ""
            while typing.get_origin(inner) in (dict, list):
                suffix += ".<name>" if typing.get_origin(inner) is dict else "[]"
                inner = _unwrap(typing.get_args(inner)[-1])
            if _is_model(inner):
                todo.append((inner, f"{where}.{key}{suffix}".lstrip(".")))
    return out


def _wrong_type(where: str, errs: list[Any], value: Any) -> tuple[str, str | None]:
    """The message and hint for a value of the wrong type (or of none of the allowed values)."""
    wanted = sorted({_TYPE_NAMES.get(e["type"], "an allowed value") for e in errs})
    hint = None
    if "a string" in wanted and isinstance(value, (int, float, bool)):
        hint = 'quote the value to keep it a string, e.g. "1.0.0"'
    elif value is None:
        hint = "an empty value is null in YAML"
    return f"{where}: expected {' or '.join(wanted)}, got {describe(value)}", hint
