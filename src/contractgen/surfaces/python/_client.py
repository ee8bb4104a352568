"""Template values of a domain's ``client.py``: each operation's route, method
signatures and calls, written as ``ruff format`` writes them."""

from __future__ import annotations

from typing import Any

from contractgen import naming
from contractgen.spec.model import Operation, Spec
from contractgen.surfaces import fieldschema
from contractgen.surfaces.python._text import py_str

#: ruff format's default line length (users format generated code with their defaults).
LINE = 88


def call_text(indent: str, head: str, args: list[str], tail: str = "") -> str:
    """``head(args)tail`` at indent, split over lines the way ruff format splits it."""
    one = f"{indent}{head}({', '.join(args)}){tail}"
    if len(one) <= LINE or not args:
        return one
    inner = indent + "    "
    joined = f"{inner}{', '.join(args)}"
    if len(joined) <= LINE:
        return f"{indent}{head}(\n{joined}\n{indent}){tail}"
    lines = "".join(f"{inner}{a},\n" for a in args)
    return f"{indent}{head}(\n{lines}{indent}){tail}"


def route_name(op: Operation) -> str:
    return "_" + naming.python_client_method(op).upper().strip("_") + "_ROUTE"


def _param(op: Operation, name: str, structured: bool) -> str:
    where = naming.rest_location(op, name)
    args = [py_str(name), py_str(where.split(" ", 1)[0])]
    if where.startswith("header "):
        args.append(f"header={py_str(where.split(' ', 1)[1])}")
    if structured:
        args.append("structured=True")
    return call_text(" " * 8, "_client.Param", args, ",")


def _route(spec: Spec, op: Operation) -> str:
    model = spec.models.get(op.input) if op.input else None
    fields = model.fields if model is not None else ()
    lines = [
        f"{route_name(op)} = _client.Route(",
        f"    key={py_str(op.key)},",
        f"    version={py_str(op.version)},",
        f"    method={py_str(naming.rest_method(op))},",
        f"    path={py_str(naming.rest_path(op))},",
        f"    status={naming.rest_status(op)},",
        f"    idempotent={op.policy.idempotent},",
    ]
    params = [_param(op, f.name, fieldschema.structured(f)) for f in fields]
    one = f"    params=({params[0].strip()})," if len(params) == 1 else ""
    if one and len(one) <= LINE:
        # A one-item tuple's comma is no magic trailing comma: ruff joins the lines.
        lines.append(one)
    elif params:
        lines.extend(["    params=(", *params, "    ),"])
    lines.append(")")
    return "\n".join(lines)


def operation_values(spec: Spec, op: Operation, doc: str) -> dict[str, Any]:
    """The template values of one operation's methods (doc: its docstring, indented)."""
    name = naming.python_client_method(op)
    params = ["self", "input: _models." + op.input] if op.input else ["self"]
    returns = "_models." + op.output if op.output else "None"
    call_args = [route_name(op), "input" if op.input else "None"]
    method = "_call_void"
    if op.output:
        call_args.append(returns)
        method = "_call"
    prefix = "return " if op.output else ""
    return {
        "route": _route(spec, op),
        "doc": doc,
        "sync_def": call_text("    ", f"def {name}", params, f" -> {returns}:"),
        "async_def": call_text("    ", f"async def {name}", params, f" -> {returns}:"),
        "sync_body": call_text(" " * 8, f"{prefix}self.{method}", call_args),
        "async_body": call_text(" " * 8, f"{prefix}await self.{method}", call_args),
    }
