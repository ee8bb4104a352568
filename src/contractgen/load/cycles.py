"""Models no finite value can fill: a cycle of required fields.

A field that must be present and holds one model (not optional, not a list, not
a map, without a default) needs a value of that model. When following such
fields leads back to where it started, every value would be infinite: no
sender can build one, the mock server and example builders recurse forever,
and clients cannot type a literal. Unions need only one member that can be
filled. Lists, maps, optional fields and defaults break a cycle (an empty list,
an absent field).

Each cycle is reported once, at the field of its first model (by name) that
closes it; a model that only leads into a cycle is fixed with it and is not
reported.
"""

from __future__ import annotations

from collections.abc import Mapping

from contractgen.spec.model import Field, Model, UnionType


def needs(f: Field) -> str | None:
    """The model or union a value of the model must hold through this field."""
    if f.optional or f.array or f.map or f.has_default:
        return None
    return f.type.name if f.type.kind in ("model", "union") else None


def unfillable(models: Mapping[str, Model], unions: Mapping[str, UnionType]) -> dict[str, str]:
    """Each named type no finite value can fill, with the name one of its values
    needs through a required field (or, for a union, its first member)."""
    filled = {name for name, union in unions.items() if not union.members}  # (reported)
    changed = True
    while changed:
        changed = False
        for name, model in models.items():
            if name not in filled and all(
                (n := needs(f)) is None or n in filled for f in model.fields
            ):
                filled.add(name)
                changed = True
        for name, union in unions.items():
            if name not in filled and any(m in filled for _, m in union.members):
                filled.add(name)
                changed = True
    blocked: dict[str, str] = {}
    for name, model in models.items():
        if name not in filled:
            blocked[name] = next(
                f.name for f in model.fields if (n := needs(f)) is not None and n not in filled
            )
    for name, union in unions.items():
        if name not in filled:
            blocked[name] = sorted(m for _, m in union.members)[0]
    return blocked


def cycles(models: Mapping[str, Model], unions: Mapping[str, UnionType]) -> list[list[str]]:
    """Each cycle of required fields once, as the names along it from its first model
    (by name): model names and, between a union and its member, union names."""
    blocked = unfillable(models, unions)

    def step(name: str) -> str:
        if name in unions:
            return blocked[name]
        field = blocked[name]
        return next(f.type.name for f in models[name].fields if f.name == field)

    found: dict[str, list[str]] = {}
    for start in sorted(blocked):
        path: list[str] = []
        at = start
        while at not in path:
            path.append(at)
            at = step(at)
        loop = path[path.index(at) :]
        first = min((n for n in loop if n in models), default=min(loop))
        i = loop.index(first)
        found.setdefault(first, [*loop[i:], *loop[:i]])
    return [found[k] for k in sorted(found)]
