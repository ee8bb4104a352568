"""The Python surface: one importable package per domain, plus a shared runtime.

``python/<domain>/`` holds ``models.py`` (pydantic v2, by the built-in engine
or datamodel-code-generator), ``errors.py``, ``handlers.py``, ``registry.py``,
``events.py`` and ``__init__.py``: only what is specific to the domain.
The generic machinery they all share (``ContractError`` and the standard
errors, ``Context``, ``Registry``, ``EventSink``) is written once as
``python/contractgen_runtime/``, next to the domain packages, whenever there
is at least one. With ``generated/python`` on ``sys.path`` a package imports
as ``<domain>``.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from contractgen import __version__, naming
from contractgen.files import builtin_templates
from contractgen.naming import (
    GRAPHQL_VERSION_FIELD,
    RUNTIME_PACKAGE,
    domain_slug,
    emit_function,
    error_class,
    gql_field,
    graphql_enum_value,
    handler_name,
    operation_summary,
    python_package,
    python_private,
    rest_method,
    rest_path,
    rest_status,
    stub_name,
)
from contractgen.spec.model import ErrorDef, Event, Operation, Spec
from contractgen.spec.vocabulary import (
    AUTH_ORDER,
    PARAMETER_METHODS,
    RETRYABLE_STANDARD_CODES,
    STANDARD_ERRORS,
)
from contractgen.surfaces import Options, OutputFile, Rendered, header_text, jinja, render_surface
from contractgen.surfaces.prose import paragraphs
from contractgen.surfaces.python._builtin_models import models_source
from contractgen.surfaces.python._client import operation_values
from contractgen.surfaces.python._models import generate_models
from contractgen.surfaces.python._schema import domain_schema, field_aliases
from contractgen.surfaces.python._text import docstring, import_key, py_str

SURFACE = "python"


@dataclass(frozen=True)
class _BuiltinError:
    """Errors every domain package has, unless the domain declares the same code."""

    code: str
    http: int
    description: str
    when: str


BUILTIN_ERRORS = tuple(_BuiltinError(*entry) for entry in STANDARD_ERRORS)


def import_sorted(names: set[str] | list[str]) -> list[str]:
    """Names in the order isort (and ruff's ``I`` rules) want inside one import."""
    return sorted(set(names), key=import_key)


def all_sorted(names: set[str] | list[str]) -> list[str]:
    """Names in the order ruff's RUF022 wants in ``__all__``: as in an import, but
    case-sensitive."""
    return sorted(set(names), key=lambda n: (import_key(n)[0], n))


#: The names handlers.py, registry.py and events.py import or define for themselves,
#: beside the per-contract ones (handler protocols, their stubs, emit helpers). A
#: model named like one of them is reached through the models module (``MODELS_MODULE``);
#: a test checks the list against the templates' output.
MODULE_NAMES = frozenset(
    {
        "AUTH_ORDER",
        "Any",
        "AnyHandler",
        "AuthLevel",
        "BaseModel",
        "Context",
        "ContractError",
        "ERRORS",
        "EVENTS",
        "EventSink",
        "GRAPHQL_ENUMS",
        "Literal",
        "Mapping",
        "OPERATIONS",
        "OperationInfo",
        "Protocol",
        "Registry",
        "Reply",
        "__all__",
        "dispatch",
        "payload_json",
        "register",
        "registry",
        "runtime",
        "overload",
        "unimplemented",
    }
)


def package_name(domain: str) -> str:
    return python_package(domain)


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
    if naming.answers_more(op):
        lines.append(answers_doc(op))
    return paragraphs(*lines)


def answers_doc(op: Operation) -> str:
    """The REST answers of an operation with several, as its docstrings list them."""
    lines = ["Answers besides errors (a Reply says which, with its status):"]
    for status, model in naming.rest_answers(op):
        body = model or ("Location" if naming.redirects(status) else "no body")
        when = naming.answer_description(op, status)
        lines.append(f"    {status} ({body})" + (f": {when.rstrip('.')}." if when else "."))
    return "\n".join(lines)


def event_doc(ev: Event) -> str:
    return paragraphs(f"Emit {ev.key} {ev.version}.", ev.meta.description)


def _domain_errors(ops: tuple[Operation, ...]) -> dict[str, ErrorDef | _BuiltinError]:
    """Every error code of the domain: the first declaration of each wins."""
    found: dict[str, ErrorDef | _BuiltinError] = {}
    for op in ops:
        for e in op.errors:
            found.setdefault(e.code, e)
    for b in BUILTIN_ERRORS:
        found.setdefault(b.code, b)
    return dict(sorted(found.items()))


#: Codes whose class lives in the runtime (a domain's class derives from it).
STANDARD_CODES = frozenset(b.code for b in BUILTIN_ERRORS)

DISTRIBUTION_HEADER = (
    "Generated by contractgen: the distribution of the generated packages. "
    "Do not edit: rebuild to update."
)
RUNTIME_HEADER = (
    "Generated by contractgen: the shared runtime of the generated domain packages. "
    "Do not edit: rebuild to update."
)


def _error_context(code: str, e: ErrorDef | _BuiltinError) -> dict[str, Any]:
    """Template values of one error class.

    ``standard``: the class also derives from the runtime's class of that code.
    ``declared``: the domain declares the code, so the class sets its own
    attributes; a standard code it does not declare inherits them.
    """
    cls = error_class(code)
    gql = e.gql_code if isinstance(e, ErrorDef) else code
    doc = paragraphs(e.description, f"When: {e.when}" if e.when else None)
    return {
        "cls": cls,
        "doc": docstring(doc, "    "),
        "code": py_str(code),
        "http": str(e.http),
        "gql_code": py_str(gql),
        "description": py_str(e.description),
        "when": py_str(e.when) if e.when else "None",
        "retryable": str(
            e.retryable if isinstance(e, ErrorDef) else code in RETRYABLE_STANDARD_CODES
        ),
        "standard": code in STANDARD_CODES,
        "declared": isinstance(e, ErrorDef),
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


def render_domain(
    spec: Spec, domain: str, options: Options, void: bool = False
) -> list[OutputFile]:
    """The package of one domain: models, errors, handlers, registry, events, exports;
    void: some handler of the tree returns None (see ``finalize``)."""
    base = f"python/{package_name(domain)}"
    ops = spec.operations_in(domain)
    events = spec.events_in(domain)
    op_sources = {op.file for op in ops}
    ev_sources = {ev.file for ev in events}
    models, model_names, enums = _models_file(spec, domain, base, options)
    error_names = {code: error_class(code) for code in _domain_errors(ops)}
    local = _local_model_names(ops, events)
    exports = _exports(ops, events, error_names, model_names)

    def file(module: str, sources: set[str], **ctx: Any) -> OutputFile:
        return _file(f"{base}/{module}", f"{module}.jinja", options, sources, domain=domain, **ctx)

    def public(module: str) -> list[str]:
        """The module's __all__: its own public names and the runtime names it re-exports."""
        return [py_str(n) for n in all_sorted([*exports[module], *_RUNTIME_REEXPORTS[module]])]

    clients = [] if not ops else [_client_file(spec, ops, error_names, file, op_sources)]
    return [
        models,
        *clients,
        *_operation_files(file, public, domain, ops, error_names, local, void, enums),
        file(
            "events.py",
            ev_sources,
            events=[_event_context(ev, local) for ev in events],
            all=public("events"),
            **_model_imports({ev.payload for ev in events}, local),
        ),
        file(
            "__init__.py",
            set(models.sources) | op_sources | ev_sources,
            all=[py_str(n) for n in all_sorted({n for v in exports.values() for n in v})],
            **{k: import_sorted(v) for k, v in exports.items()},
        ),
    ]


def _client_file(
    spec: Spec,
    ops: Sequence[Operation],
    error_names: dict[str, str],
    file: Callable[..., OutputFile],
    sources: set[str],
) -> OutputFile:
    """client.py: the domain's sync and async HTTP clients."""
    docs = [docstring(operation_doc(op, error_names), " " * 8) for op in ops]
    return file(
        "client.py",
        sources,
        operations=[operation_values(spec, op, doc) for op, doc in zip(ops, docs, strict=True)],
        models=any(op.input or op.output for op in ops),
        replies=any(naming.answers_more(op) for op in ops),
    )


def _operation_files(
    file: Callable[..., OutputFile],
    public: Callable[[str], list[str]],
    domain: str,
    ops: tuple[Operation, ...],
    error_names: dict[str, str],
    local: dict[str, str],
    void: bool,
    enums: list[tuple[str, list[tuple[str, str]]]],
) -> list[OutputFile]:
    """errors.py, handlers.py and registry.py of a domain's operations; enums: the
    registry's table of GraphQL enum spellings (``graphql_enum_table``)."""
    sources = {op.file for op in ops}
    errors = _domain_errors(ops)
    error_base, base_error = _error_base(error_names)
    op_ctx = [_operation_context(op, error_names, local) for op in ops]
    io_models = _model_imports({n for op in ops for n in _io_models(op)}, local)
    stubs_and_handlers = [n for op in ops for n in (stub_name(op), handler_name(op))]
    return [
        file(
            "errors.py",
            sources,
            type_base=py_str(f"urn:contractgen:{domain_slug(domain)}:error:"),
            base=error_base,
            errors=[_error_context(code, e) for code, e in errors.items()],
        ),
        file(
            "handlers.py",
            sources,
            operations=op_ctx,
            all=public("handlers"),
            replies=any(naming.answers_more(op) for op in ops),
            **io_models,
        ),
        file(
            "registry.py",
            sources,
            operations=op_ctx,
            handler_imports=import_sorted(stubs_and_handlers),
            all=public("registry"),
            **io_models,
            replies=any(naming.answers_more(op) for op in ops),
            void=void,
            base_error=base_error,
            error_imports=import_sorted(["ERRORS", base_error]),
            graphql_enums=enums,
        ),
    ]


def _error_base(error_names: dict[str, str]) -> tuple[str, str]:
    """How errors.py names the domain's base error class, and the name registry.py
    imports it by: ``ContractError`` both; or, where an error code's class takes that
    name (code ``CONTRACT``), a private name, bound also to ``BASE_ERROR`` (which no
    code's class can be: they end in 'Error')."""
    base = "ContractError"
    if base in error_names.values():
        return python_private(base), "BASE_ERROR"
    return base, base


#: How handlers.py, registry.py and events.py name the models module when a model
#: takes one of their own names: they then write that model as ``_models.<Name>``.
MODELS_MODULE = python_private("models")


def _local_model_names(ops: Sequence[Operation], events: Sequence[Event]) -> dict[str, str]:
    """How handlers.py, registry.py and events.py spell the models they use: by name,
    or through the models module where the name is one these modules use themselves."""
    own = MODULE_NAMES | {n for op in ops for n in (handler_name(op), stub_name(op))}
    used = {n for op in ops for n in _io_models(op)} | {ev.payload for ev in events}
    return {m: f"{MODELS_MODULE}.{m}" if m in own else m for m in used}


def _io_models(op: Operation) -> list[str]:
    """The models an operation's handler and table name: input, output and the models
    its other answers hold."""
    answers = [m for _, m in naming.rest_answers(op) if m] if naming.answers_more(op) else []
    return list(dict.fromkeys(n for n in (op.input, op.output, *answers) if n))


def _returns(op: Operation, local: dict[str, str]) -> str:
    """What the operation's handler returns: its output, or for an operation with other
    answers, also a Reply holding one of the models its answers hold."""
    output = local[op.output] if op.output else "None"
    if not naming.answers_more(op):
        return output
    held = dict.fromkeys(local[m] for _, m in naming.rest_answers(op) if m)
    reply = f"Reply[{' | '.join(held) or 'None'}]"
    # (ruff wants None last in a union.)
    return f"{reply} | None" if op.output is None else f"{output} | {reply}"


def _answers_table(op: Operation, local: dict[str, str]) -> list[str]:
    """OperationInfo.answers of an operation with other answers: (status, model)."""
    if not naming.answers_more(op):
        return []
    return [f"({s}, {local[m] if m else 'None'})" for s, m in naming.rest_answers(op)]


def _model_imports(names: set[str], local: dict[str, str]) -> dict[str, Any]:
    """Template values of a module's model imports: the names it imports, and the
    models module's private name if it refers to some models through it."""
    return {
        "model_imports": import_sorted({n for n in names if local[n] == n}),
        "models_module": MODELS_MODULE if any(local[n] != n for n in names) else None,
    }


def graphql_enum_table(spec: Spec, enums: Sequence[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """registry.py's ``graphql_enums``: for each enum, its values that the GraphQL SDL
    spells differently from the wire (GraphQL name, wire value), as Python literals;
    the serving runtime maps them back."""
    table = []
    for name in enums:
        values = [(graphql_enum_value(v), v) for v in spec.enum(name).values]
        differ = [(py_str(gql), py_str(wire)) for gql, wire in values if gql != wire]
        if differ:
            table.append((py_str(name), differ))
    return table


def _models_file(
    spec: Spec, domain: str, base: str, options: Options
) -> tuple[OutputFile, list[str], list[tuple[str, list[tuple[str, str]]]]]:
    """models.py of a domain (by the configured engine), the names it defines, and the
    GraphQL spellings of its enums' values (``graphql_enum_table``)."""
    models, enums = spec.domain_types(domain)
    unions = spec.domain_unions(domain)
    sources = {spec.model(m).loc.file for m in models} | {spec.enum(e).loc.file for e in enums}
    sources |= {spec.union(u).loc.file for u in unions}
    header = "# " + header_text(sources)
    if options.python.models_engine == "datamodel-code-generator":
        code = generate_models(
            domain_schema(spec, models, enums, unions), field_aliases(spec, models), header
        )
        names = _top_level_names(code)
    else:
        code, names = models_source(spec, models, enums, header, options, unions)
    models_file = OutputFile(f"{base}/models.py", code, tuple(sorted(sources)))
    return models_file, names, graphql_enum_table(spec, enums)


def _operation_context(
    op: Operation, error_names: dict[str, str], local: dict[str, str]
) -> dict[str, Any]:
    """Template values of one operation (handlers.py and registry.py)."""
    return {
        **_route_context(op),
        "key": py_str(op.key),
        "version": py_str(op.version),
        "kind": py_str(op.kind),
        "auth": py_str(op.policy.auth),
        "protocol": handler_name(op),
        "protocol_str": py_str(handler_name(op)),
        "stub": stub_name(op),
        "input": local[op.input] if op.input else "None",
        "output": local[op.output] if op.output else "None",
        "returns": _returns(op, local),
        "answers": _answers_table(op, local),
        "doc": docstring(operation_doc(op, error_names), "    "),
    }


def _route_context(op: Operation) -> dict[str, Any]:
    """Template values of the operation's transports and facts (registry.py's table)."""
    return {
        "method": py_str(rest_method(op)),
        "path": py_str(rest_path(op)),
        "status": str(rest_status(op)),
        "headers": [(py_str(f), py_str(h)) for f, h in op.transport.rest_headers],
        "query": [py_str(f) for f in op.transport.rest_query],
        "graphql_field": py_str(gql_field(op)),
        "idempotent": str(op.policy.idempotent),
        "summary": py_str(operation_summary(op)),
        "description": py_str(op.meta.description),
        "error_codes": [py_str(code) for code in sorted({e.code for e in op.errors})],
        "emits": [(py_str(e.event), py_str(e.version)) for e in op.emits],
        "rate_limit": (
            f"({op.policy.rate_limit.rpm}, {py_str(op.policy.rate_limit.key)})"
            if op.policy.rate_limit
            else None
        ),
    }


def _event_context(ev: Event, local: dict[str, str]) -> dict[str, str]:
    """Template values of one event (events.py)."""
    return {
        "key": py_str(ev.key),
        "version": py_str(ev.version),
        "payload": local[ev.payload],
        "function": emit_function(ev),
        "doc": docstring(event_doc(ev), "    "),
    }


#: Runtime names a domain module re-exports (in its __all__), by module.
_RUNTIME_REEXPORTS = {
    "handlers": ["AUTH_ORDER", "AuthLevel", "Context"],
    "registry": ["OperationInfo"],
    "events": ["EventSink", "payload_json"],
}


def _exports(
    ops: Sequence[Operation],
    events: Sequence[Event],
    error_names: dict[str, str],
    model_names: list[str],
) -> dict[str, list[str]]:
    """What the package's __init__.py imports, by module.

    A contract's type takes its name: a helper of the same name (``Context``,
    ``Registry``, a handler protocol...) is left out, and stays in its own module.
    """
    exports = {
        "runtime": [
            "AUTH_ORDER",
            "AuthLevel",
            "Context",
            "EventSink",
            "OperationInfo",
            "payload_json",
        ],
        "errors": [
            "PROBLEM_TYPE_BASE",
            "ContractError",
            "ERRORS",
            "error_class",
            *error_names.values(),
        ],
        "events": ["EVENTS", *(emit_function(e) for e in events)],
        "handlers": [*(handler_name(op) for op in ops), *(stub_name(op) for op in ops)],
        "models": model_names,
        "registry": ["OPERATIONS", "Registry", "dispatch", "register", "registry"],
    }
    taken = set(model_names)
    return {k: v if k == "models" else [n for n in v if n not in taken] for k, v in exports.items()}


#: The names the shared runtime package exports, besides its standard error classes.
RUNTIME_EXPORTS = frozenset(
    {
        "AUTH_ORDER",
        "AnyHandler",
        "AuthLevel",
        "Context",
        "ContractError",
        "Emitted",
        "EventLog",
        "EventSink",
        "Handler",
        "Outbox",
        "UndeclaredEventError",
        "OperationInfo",
        "Registry",
        "Reply",
        "STANDARD_ERRORS",
        "payload_json",
        "unimplemented",
        "validation_problem",
    }
)


def render_runtime(options: Options, void: bool = False) -> list[OutputFile]:
    """The shared runtime package, with no sources; void: some handler returns None."""
    base = f"python/{RUNTIME_PACKAGE}"
    standard = [_error_context(b.code, b) for b in sorted(BUILTIN_ERRORS, key=lambda b: b.code)]
    classes = [e["cls"] for e in standard]
    names = {*RUNTIME_EXPORTS, *classes}

    def file(module: str, template: str, **ctx: Any) -> OutputFile:
        content = jinja.render(SURFACE, template, options.templates, header=RUNTIME_HEADER, **ctx)
        return OutputFile(f"{base}/{module}", content, ())

    return [
        file(
            "__init__.py",
            "runtime__init__.py.jinja",
            errors=import_sorted(["ContractError", "STANDARD_ERRORS", *classes]),
            all=[py_str(n) for n in all_sorted(names)],
        ),
        file(
            "context.py",
            "runtime_context.py.jinja",
            auth_order=", ".join(py_str(level) for level in AUTH_ORDER),
        ),
        file(
            "errors.py",
            "runtime_errors.py.jinja",
            type_base=py_str("urn:contractgen:error:"),
            errors=standard,
        ),
        file("client.py", "runtime_client.py.jinja"),
        file("events.py", "runtime_events.py.jinja"),
        file("registry.py", "runtime_registry.py.jinja", void=void),
        file(
            "about.py",
            "runtime_about.py.jinja",
            version=py_str(__version__),
            version_field=py_str(GRAPHQL_VERSION_FIELD),
            parameter_methods=", ".join(py_str(m) for m in sorted(PARAMETER_METHODS)),
            distribution=py_str(options.python.name),
            extra_of=sorted(
                (py_str(module), py_str(extra)) for extra, pins in EXTRAS.items() for module in pins
            ),
        ),
        *serving_files(options),
    ]


#: The serving runtime's modules (``contractgen_runtime.serve``): plain Python, copied
#: as they are, with the runtime's header.
SERVE_TEMPLATES = "runtime_serve"


def serving_files(options: Options) -> list[OutputFile]:
    """``contractgen_runtime/serve/``: the ASGI app over REST, GraphQL and MCP, from the
    templates folder's ``runtime_serve/`` (a user's override folder may replace a
    module by name)."""
    folders = [builtin_templates() / SURFACE / SERVE_TEMPLATES]
    if options.templates is not None:
        folders.insert(0, options.templates / SURFACE / SERVE_TEMPLATES)
    names = sorted({p.name for p in folders[-1].glob("*.py")})
    files = []
    for name in names:
        source = next(f / name for f in folders if (f / name).is_file())
        text = f"# {RUNTIME_HEADER}\n" + source.read_text(encoding="utf-8")
        files.append(OutputFile(f"python/{RUNTIME_PACKAGE}/serve/{name}", text, ()))
    return files


# -- the surface protocol (see contractgen.surfaces) ------------------------------------
# A domain package reads only its own contracts and the types they reach, so the only
# fact about the tree is which domains exist: the runtime is written when one does.


def facts_part(spec: Spec, domain: str, options: Options) -> bool:
    """Whether the domain has a command without output (its handler returns None)."""
    return any(op.output is None for op in spec.operations_in(domain))


def finalize(parts: Mapping[str, bool], options: Options) -> dict[str, Any]:
    """The domains, and whether any handler returns None: the runtime's dispatch (and so
    every domain's) then returns ``BaseModel | None``; otherwise it is typed as before."""
    return {"domains": sorted(parts), "void": any(parts.values())}


def render_domains(
    spec: Spec, options: Options, facts: Mapping[str, Any], domains: Sequence[str]
) -> Rendered:
    return Rendered(files={d: render_domain(spec, d, options, facts["void"]) for d in domains})


def assemble(
    pieces: Mapping[str, Any], facts: Mapping[str, Any], options: Options
) -> list[OutputFile]:
    domains: list[str] = facts["domains"]
    if not domains:
        return []
    return [*render_runtime(options, facts["void"]), *render_distribution(domains, options)]


#: What the generated code imports beyond the standard library (pydantic 2.11: the
#: registry validates input by wire names only, ``model_validate(by_name=False)``).
DEPENDENCIES = ("httpx>=0.27,<1", "pydantic>=2.11,<3")

#: The distribution's extras: what each part of the serving runtime
#: (``contractgen_runtime.serve``) imports, by module name, pinned as contractgen's own
#: extras pin them (a test compares them with its pyproject.toml).
EXTRAS = {
    "serve": {"starlette": "starlette>=0.37,<2", "uvicorn": "uvicorn>=0.29"},
    "graphql": {"graphql": "graphql-core>=3.2,<3.3"},
    "mcp": {"mcp": "mcp>=1.9,<2"},
    "redis": {"redis": "redis>=5,<7"},
}


def _toml_str(text: str) -> str:
    """A TOML basic string whose value is text (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=True)


def render_distribution(domains: Sequence[str], options: Options) -> list[OutputFile]:
    """pyproject.toml of the python/ folder (so that ``pip install`` takes it), and a
    ``py.typed`` marker in every package (PEP 561: type checkers read their hints)."""
    packages = sorted([RUNTIME_PACKAGE, *(package_name(d) for d in domains)])
    listed = ", ".join(domains)
    content = jinja.render(
        SURFACE,
        "pyproject.toml.jinja",
        options.templates,
        header=DISTRIBUTION_HEADER,
        name=_toml_str(options.python.name),
        version=_toml_str(options.python.version),
        description=_toml_str(f"Generated by contractgen from the contracts of: {listed}."),
        dependencies=[_toml_str(d) for d in DEPENDENCIES],
        extras=[(name, [_toml_str(pin) for pin in pins.values()]) for name, pins in EXTRAS.items()],
        packages=[_toml_str(p) for p in packages],
    )
    # The marker's content has a meaning (a first line 'partial' marks stub-only
    # packages), so the header is a comment naming the generator and nothing else.
    marker = "# Generated by contractgen. Do not edit: PEP 561's marker of a typed package.\n"
    return [
        OutputFile("python/pyproject.toml", content, ()),
        *(OutputFile(f"python/{p}/py.typed", marker, ()) for p in packages),
    ]


def render(spec: Spec, options: Options) -> list[OutputFile]:
    return render_surface(sys.modules[__name__], spec, options)
