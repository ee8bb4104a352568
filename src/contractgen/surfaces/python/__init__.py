"""The Python surface: one importable package per domain.

``python/<domain>/`` holds ``models.py`` (pydantic v2, made by
datamodel-code-generator from one JSON Schema per domain), ``errors.py``,
``handlers.py``, ``registry.py``, ``events.py`` and ``__init__.py``. With
``generated/python`` on ``sys.path`` the package imports as ``<domain>``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from contractgen import render as jinja
from contractgen.naming import (
    base_name,
    error_class,
    handler_name,
    kebab,
    python_identifier,
    snake,
)
from contractgen.spec.model import ErrorDef, Event, Operation, Spec
from contractgen.surfaces import Options, OutputFile, header_text
from contractgen.surfaces.python._builtin_models import models_source
from contractgen.surfaces.python._models import generate_models
from contractgen.surfaces.python._schema import domain_schema, field_aliases
from contractgen.surfaces.python._text import docstring, py_str

SURFACE = "python"


@dataclass(frozen=True)
class _BuiltinError:
    """Errors every domain package has, unless the domain declares the same code."""

    code: str
    http: int
    description: str
    when: str


BUILTIN_ERRORS = (
    _BuiltinError("FORBIDDEN", 403, "Forbidden", "The caller's auth level is too low"),
    _BuiltinError(
        "OPERATION_NOT_FOUND", 404, "Operation not found", "No operation has this key and version"
    ),
    _BuiltinError(
        "UNAUTHENTICATED", 401, "Authentication required", "An anonymous caller needs more access"
    ),
    _BuiltinError(
        "VALIDATION_FAILED", 422, "Invalid input", "The input does not match the contract"
    ),
)


def import_sorted(names: set[str] | list[str]) -> list[str]:
    """Names in the order isort (and ruff's ``I`` rules) want inside one import."""

    def key(name: str) -> tuple[int, str]:
        if name.isupper() and len(name) > 1:
            return (0, name)
        if name[:1].isupper():
            return (1, name)
        return (2, name)

    return sorted(set(names), key=key)


def stub_name(op: Operation) -> str:
    return "Unimplemented" + handler_name(op)


def emit_function(ev: Event) -> str:
    return "emit_" + snake(base_name(ev))


def package_name(domain: str) -> str:
    return python_identifier(domain)


def _paragraphs(*parts: str | None) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def operation_doc(op: Operation, errors: dict[str, str]) -> str:
    """The docstring text of an operation's handler protocol."""
    title = op.meta.title or op.meta.key
    lines = [
        f"{title} ({op.kind} {op.key} {op.version}).",
        op.meta.description,
        f"Goal: {op.meta.goal}" if op.meta.goal else None,
        f"Context: {op.meta.context}" if op.meta.context else None,
        f"Auth: {op.policy.auth}.",
    ]
    if op.errors:
        raises = ["Raises:"]
        for e in op.errors:
            when = f" When: {e.when}" if e.when else ""
            what = e.description.rstrip(".")
            raises.append(f"    {errors[e.code]}: {e.code} ({e.http}) {what}.{when}")
        lines.append("\n".join(raises))
    return _paragraphs(*lines)


def event_doc(ev: Event) -> str:
    return _paragraphs(f"Emit {ev.key} {ev.version}.", ev.meta.description)


def _domain_errors(ops: tuple[Operation, ...]) -> dict[str, ErrorDef | _BuiltinError]:
    """Every error code of the domain: the first declaration of each wins."""
    found: dict[str, ErrorDef | _BuiltinError] = {}
    for op in ops:
        for e in op.errors:
            found.setdefault(e.code, e)
    for b in BUILTIN_ERRORS:
        found.setdefault(b.code, b)
    return dict(sorted(found.items()))


def _error_context(code: str, e: ErrorDef | _BuiltinError) -> dict[str, str]:
    cls = error_class(code)
    gql = e.gql_code if isinstance(e, ErrorDef) else code
    doc = _paragraphs(e.description, f"When: {e.when}" if e.when else None)
    return {
        "cls": cls,
        "doc": docstring(doc, "    "),
        "code": py_str(code),
        "http": str(e.http),
        "gql_code": py_str(gql),
        "description": py_str(e.description),
        "when": py_str(e.when) if e.when else "None",
        "retryable": str(isinstance(e, ErrorDef) and e.retryable),
    }


def _top_level_names(code: str) -> list[str]:
    names: list[str] = []
    for node in ast.parse(code).body:
        if isinstance(node, ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names.extend(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _file(path: str, template: str, options: Options, sources: set[str], **ctx: Any) -> OutputFile:
    srcs = tuple(sorted(sources))
    content = jinja.render(SURFACE, template, options.templates, header=header_text(srcs), **ctx)
    return OutputFile(path, content, srcs)


def render_domain(spec: Spec, domain: str, options: Options) -> list[OutputFile]:
    pkg = package_name(domain)
    base = f"python/{pkg}"
    ops = spec.operations_in(domain)
    events = spec.events_in(domain)
    models, enums = spec.domain_types(domain)

    model_sources = {spec.model(m).loc.file for m in models} | {
        spec.enum(e).loc.file for e in enums
    }
    op_sources = {op.file for op in ops}
    ev_sources = {ev.file for ev in events}

    header = "# " + header_text(model_sources)
    if options.python.models_engine == "datamodel-code-generator":
        models_code = generate_models(
            domain_schema(spec, models, enums), field_aliases(spec, models), header
        )
        model_names = _top_level_names(models_code)
    else:
        models_code, model_names = models_source(spec, models, enums, header, options)
    files = [OutputFile(f"{base}/models.py", models_code, tuple(sorted(model_sources)))]

    errors = _domain_errors(ops)
    error_names = {code: error_class(code) for code in errors}
    files.append(
        _file(
            f"{base}/errors.py",
            "errors.py.jinja",
            options,
            op_sources,
            domain=domain,
            type_base=py_str(f"urn:contractgen:{kebab(domain)}:error:"),
            errors=[_error_context(code, e) for code, e in errors.items()],
        )
    )

    op_ctx = [
        {
            "key": py_str(op.key),
            "version": py_str(op.version),
            "kind": py_str(op.kind),
            "auth": py_str(op.policy.auth),
            "protocol": handler_name(op),
            "protocol_str": py_str(handler_name(op)),
            "stub": stub_name(op),
            "input": op.input or "None",
            "output": op.output,
            "doc": docstring(operation_doc(op, error_names), "    "),
        }
        for op in ops
    ]
    io_models = import_sorted({n for op in ops for n in (op.input, op.output) if n})
    files.append(
        _file(
            f"{base}/handlers.py",
            "handlers.py.jinja",
            options,
            op_sources,
            domain=domain,
            operations=op_ctx,
            model_imports=io_models,
        )
    )
    files.append(
        _file(
            f"{base}/registry.py",
            "registry.py.jinja",
            options,
            op_sources,
            domain=domain,
            operations=op_ctx,
            model_imports=io_models,
            handler_imports=import_sorted(["AuthLevel", "Context", *map(stub_name, ops)]),
        )
    )
    ev_ctx = [
        {
            "key": py_str(ev.key),
            "version": py_str(ev.version),
            "payload": ev.payload,
            "function": emit_function(ev),
            "doc": docstring(event_doc(ev), "    "),
        }
        for ev in events
    ]
    files.append(
        _file(
            f"{base}/events.py",
            "events.py.jinja",
            options,
            ev_sources,
            domain=domain,
            events=ev_ctx,
            model_imports=import_sorted({ev.payload for ev in events}),
        )
    )

    exports = {
        "errors": [
            "PROBLEM_TYPE_BASE",
            "ContractError",
            "ERRORS",
            "error_class",
            *error_names.values(),
        ],
        "events": ["EventSink", "EVENTS", "payload_json", *(emit_function(e) for e in events)],
        "handlers": [
            "AUTH_ORDER",
            "AuthLevel",
            "Context",
            *(handler_name(op) for op in ops),
            *(stub_name(op) for op in ops),
        ],
        "models": model_names,
        "registry": ["OPERATIONS", "OperationInfo", "Registry", "dispatch", "register", "registry"],
    }
    all_names = [py_str(n) for n in import_sorted({n for v in exports.values() for n in v})]
    files.append(
        _file(
            f"{base}/__init__.py",
            "__init__.py.jinja",
            options,
            model_sources | op_sources | ev_sources,
            domain=domain,
            all=all_names,
            **{k: import_sorted(v) for k, v in exports.items()},
        )
    )
    return files


def render(spec: Spec, options: Options) -> list[OutputFile]:
    files: list[OutputFile] = []
    for domain in spec.domains:
        files.extend(render_domain(spec, domain, options))
    return sorted(files, key=lambda f: f.path)
