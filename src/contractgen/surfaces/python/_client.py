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
    lines += _items("params", [_param(op, f.name, fieldschema.structured(f)) for f in fields])
    lines += _items("answers", [_answer(status, model) for status, model in _answers(op)])
    lines.append(")")
    return "\n".join(lines)


def _items(name: str, items: list[str]) -> list[str]:
    """A tuple argument of the route, one item a line (each written with its comma)."""
    one = f"    {name}=({items[0].strip()})," if len(items) == 1 else ""
    if one and len(one) <= LINE:
        # A one-item tuple's comma is no magic trailing comma: ruff joins the lines.
        return [one]
    return [f"    {name}=(", *items, "    ),"] if items else []


def _answers(op: Operation) -> list[tuple[int, str | None]]:
    """Every answer of an operation that declares more than its main success."""
    return naming.rest_answers(op) if naming.answers_more(op) else []


def _answer(status: int, model: str | None) -> str:
    args = [str(status), *([f"_models.{model}"] if model else [])]
    return call_text(" " * 8, "_client.Answer", args, ",")


def reply_type(op: Operation) -> str:
    """The Reply a method of an operation with several answers returns."""
    models = dict.fromkeys(f"_models.{m}" for _, m in naming.rest_answers(op) if m)
    return f"Reply[{' | '.join(models) or 'None'}]"


def operation_values(spec: Spec, op: Operation, doc: str) -> dict[str, Any]:
    """The template values of one operation's methods (doc: its docstring, indented)."""
    name = naming.python_client_method(op)
    params = ["self", "input: _models." + op.input] if op.input else ["self"]
    returns = "_models." + op.output if op.output else "None"
    call_args = [route_name(op), "input" if op.input else "None"]
    method = "_call_void"
    if naming.answers_more(op):
        returns, method = reply_type(op), "_call_reply"
    elif op.output:
        call_args.append(returns)
        method = "_call"
    prefix = "" if method == "_call_void" else "return "
    return {
        "route": _route(spec, op),
        "doc": doc,
        "sync_def": call_text("    ", f"def {name}", params, f" -> {returns}:"),
        "async_def": call_text("    ", f"async def {name}", params, f" -> {returns}:"),
        "sync_body": call_text(" " * 8, f"{prefix}self.{method}", call_args),
        "async_body": call_text(" " * 8, f"{prefix}await self.{method}", call_args),
    }
