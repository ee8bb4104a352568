"""The OpenAPI 3.1 surface: one merged document plus one document per operation.

Documents are built as plain Python dicts (every name and type mapping is
decided here), pruned to the components they actually reference, and
serialized to YAML by a safe, alias-free dumper. A small Jinja template per
document kind only places the header comment above the serialized body, so
users can override the wrapper without touching the mapping.

Mapping rules in short (docs/surfaces/openapi.md has the long form):

- models and enums are ``components.schemas`` (JSON Schema 2020-12);
- commands take their input model as a JSON request body (POST by default);
- queries take their input fields as query parameters; fields that are not
  plain values (models, arrays of models, JSON, JSONObject) travel as query
  parameters with ``content: application/json``;
- ``{name}`` placeholders in an overridden path are path parameters;
- declared errors are ``application/problem+json`` responses (RFC 9457), one
  response per status, with ``code`` constrained to the codes of that status;
- events are ``webhooks``.

Domain by domain (the protocol of ``contractgen.surfaces``): the facts are the
problem schemas' names (free against every model and enum name), the contracts
a newer version of the same major supersedes, and the shared components
(problem schemas, their responses, security schemes) written to YAML once. A
domain's files are its operations' documents; its piece holds the YAML text of
its operations, webhooks and the schemas of the models and enums it defines,
with what they reference, so the merged document is put together from text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import jinja2

from contractgen import naming
from contractgen.spec.model import (
    AUTH_ORDER,
    Auth,
    Contract,
    EnumType,
    ErrorDef,
    Event,
    Field,
    Model,
    Operation,
    Spec,
    UnionType,
    reachable,
    version_key,
)
from contractgen.spec.scalars import STRUCTURED_SCALARS
from contractgen.spec.vocabulary import PARAMETER_METHODS
from contractgen.surfaces import (
    Options,
    OutputFile,
    Rendered,
    fieldschema,
    header_text,
    render_surface,
    yamlout,
)
from contractgen.surfaces.jinja import environment
from contractgen.surfaces.prose import deprecation_note, paragraphs, value_notes

OPENAPI_VERSION = "3.1.0"
JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
DOCUMENT_TEMPLATE = "document.yaml.jinja"
FRAGMENT_TEMPLATE = "operation.yaml.jinja"

#: Path item keys in the order OpenAPI lists them.
METHOD_ORDER = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

BEARER = "bearerAuth"
API_KEY = "serviceApiKey"
ADMIN_ROLE = "admin"

VALIDATION_CODE = "VALIDATION_FAILED"
UNAUTHENTICATED_CODE = "UNAUTHENTICATED"
FORBIDDEN_CODE = "FORBIDDEN"

#: Reusable responses (their namespace is separate from schemas).
RESP_UNAUTHORIZED = "Unauthorized"
RESP_FORBIDDEN = "Forbidden"
RESP_VALIDATION = "ValidationFailed"

_REF = re.compile(r"^#/components/(schemas|responses)/(.+)$")
_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")

#: A component a document points at: ("schemas" or "responses", name).
ComponentRef = tuple[str, str]

#: Where the lines of an operation or a component go: below "paths: <path>: <method>:"
#: or "components: <kind>: <name>:", in every document.
ITEM_INDENT = " " * 6
#: Where the lines of a webhook go: below "webhooks: <name>:".
HOOK_INDENT = " " * 4
#: A component in pieces and facts: "schemas/<name>" or "responses/<name>" (strings
#: hash and sort faster than pairs, and sort the same way).
ComponentKey = str
#: Model and enum names that _free_name could want for the problem schemas.
_PROBLEM_NAMES = re.compile(r"(?:Contractgen)?(?:Validation)?Problem[0-9]*\Z")


# -- YAML output -------------------------------------------------------------------


def to_yaml(data: Any) -> str:
    """Deterministic YAML: keys in insertion order, block style, unicode kept."""
    return yamlout.dump(data)


def _wrap(template: jinja2.Template, body: dict[str, Any], sources: Iterable[str]) -> str:
    header = header_text(sources)
    lines = [("# " + line).rstrip() for line in header.splitlines()] or ["#"]
    return template.render(header_lines=lines, body=to_yaml(body).rstrip("\n"))


# -- small helpers -------------------------------------------------------------------


def _free_name(preferred: str, taken: Iterable[str]) -> str:
    used = set(taken)
    name = preferred
    n = 2
    while name in used:
        name = f"Contractgen{preferred}" if n == 2 else f"Contractgen{preferred}{n}"
        n += 1
    return name


def summary_of(op: Operation) -> str:
    if op.meta.title:
        return op.meta.title
    text = " ".join(naming.words(op.key))
    return text[:1].upper() + text[1:]


def refs_in(node: Any) -> set[ComponentRef]:
    """The components node points at directly (without following the references)."""
    found: set[ComponentRef] = set()
    stack: list[Any] = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, yamlout.Reused):
            stack.append(node.value)
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                m = _REF.match(ref)
                if m:
                    kind, name = m.groups()
                    found.add((kind, name))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def component_key(ref: ComponentRef) -> ComponentKey:
    return f"{ref[0]}/{ref[1]}"


def component_keys(refs: Iterable[ComponentRef]) -> list[ComponentKey]:
    """refs as sorted keys (plain data for a piece or the facts)."""
    return sorted(f"{kind}/{name}" for kind, name in refs)


def schemes_in(operations: Iterable[dict[str, Any]]) -> set[str]:
    """The security schemes some of these operation objects require."""
    return {name for o in operations for req in o.get("security", []) for name in req}


@dataclass(frozen=True)
class _Mapped:
    """One operation, mapped once and shared by the documents that list it.

    Its YAML is written once (yamlout.Reused): the merged document and the
    operation's own document place it at the same depth.
    """

    op: Operation
    path: str
    method: str
    item: yamlout.Reused
    refs: frozenset[ComponentRef]
    schemes: frozenset[str]


# -- shared components ---------------------------------------------------------------


def schema_ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def response_ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/responses/{name}"}


def problem_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": (
            "An error response in the Problem Details format of RFC 9457, "
            "extended with the contract's error code."
        ),
        "required": ["title", "status", "code"],
        "properties": {
            "type": {
                "type": "string",
                "format": "uri-reference",
                "description": "A URI reference that identifies the problem type.",
                "default": "about:blank",
            },
            "title": {
                "type": "string",
                "description": "A short, human-readable summary of the problem type.",
            },
            "status": {
                "type": "integer",
                "minimum": 400,
                "maximum": 599,
                "description": "The HTTP status code of this occurrence.",
            },
            "detail": {
                "type": "string",
                "description": "A human-readable explanation of this occurrence.",
            },
            "instance": {
                "type": "string",
                "format": "uri-reference",
                "description": "A URI reference that identifies this occurrence.",
            },
            "code": {
                "type": "string",
                "description": "The stable, machine-readable error code from the contract.",
            },
        },
    }


def validation_problem_schema(problem: str) -> dict[str, Any]:
    return {
        "description": "A problem raised when the input does not match the contract.",
        "allOf": [
            schema_ref(problem),
            {
                "type": "object",
                "required": ["code", "errors"],
                "properties": {
                    "code": {"const": VALIDATION_CODE},
                    "errors": {
                        "type": "array",
                        "description": "One entry per invalid value.",
                        "items": {
                            "type": "object",
                            "required": ["detail"],
                            "properties": {
                                "pointer": {
                                    "type": "string",
                                    "description": (
                                        "JSON Pointer (RFC 6901) to the invalid value "
                                        "in the request body."
                                    ),
                                },
                                "parameter": {
                                    "type": "string",
                                    "description": "Name of the invalid parameter.",
                                },
                                "detail": {
                                    "type": "string",
                                    "description": "What is wrong with the value.",
                                },
                            },
                        },
                    },
                },
            },
        ],
    }


def _problem_response(problem: str, description: str, code: str, status: int) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            PROBLEM_JSON: {
                "schema": {
                    "allOf": [
                        schema_ref(problem),
                        {"type": "object", "properties": {"code": {"const": code}}},
                    ]
                },
                "example": {"title": description, "status": status, "code": code},
            }
        },
    }


def shared_responses(problem: str, validation_problem: str) -> dict[str, Any]:
    return {
        RESP_FORBIDDEN: _problem_response(
            problem,
            "The caller is authenticated but not allowed to call this operation.",
            FORBIDDEN_CODE,
            403,
        ),
        RESP_UNAUTHORIZED: _problem_response(
            problem, "The request carries no valid credentials.", UNAUTHENTICATED_CODE, 401
        ),
        RESP_VALIDATION: {
            "description": "The input does not match the contract.",
            "content": {
                PROBLEM_JSON: {
                    "schema": schema_ref(validation_problem),
                    "example": {
                        "title": "The input does not match the contract.",
                        "status": 422,
                        "code": VALIDATION_CODE,
                        "errors": [{"pointer": "/field", "detail": "Field required."}],
                    },
                }
            },
        },
    }


def security_schemes() -> dict[str, Any]:
    return {
        BEARER: {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": (
                "An access token of a signed-in user. Operations that need the "
                f"`{ADMIN_ROLE}` role list it as a required role."
            ),
        },
        API_KEY: {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "A key identifying a calling service (service-to-service calls).",
        },
    }


def shared_components(problem: str, validation_problem: str) -> dict[str, dict[str, Any]]:
    """The components no domain defines, by kind (security schemes included)."""
    return {
        "schemas": {
            problem: problem_schema(),
            validation_problem: validation_problem_schema(problem),
        },
        "responses": shared_responses(problem, validation_problem),
        "securitySchemes": security_schemes(),
    }


def info_of(options: Options, title_suffix: str | None = None) -> dict[str, Any]:
    o = options.openapi
    info: dict[str, Any] = {
        "title": o.title + (f": {title_suffix}" if title_suffix else ""),
        "version": o.version,
    }
    if o.description:
        info["description"] = o.description
    info["license"] = {"name": o.license_name, "url": o.license_url}
    return info


def document(
    options: Options,
    title_suffix: str | None,
    tags: Iterable[str],
    paths: dict[str, dict[str, Any]],
    webhooks: dict[str, Any],
    components: dict[str, Any],
) -> dict[str, Any]:
    """A document: paths in path order with methods in METHOD_ORDER, webhooks by name."""
    doc: dict[str, Any] = {"openapi": OPENAPI_VERSION, "info": info_of(options, title_suffix)}
    servers = [{"url": url} for url in options.openapi.servers]
    if servers:
        doc["servers"] = servers
    doc["tags"] = [
        {"name": d, "description": f"Operations and events of the {d} domain."} for d in tags
    ]
    doc["paths"] = {
        p: {m: item[m] for m in METHOD_ORDER if m in item} for p, item in sorted(paths.items())
    }
    if webhooks:
        doc["webhooks"] = dict(sorted(webhooks.items()))
    if components:
        doc["components"] = components
    return doc


# -- the builder ---------------------------------------------------------------------


class _Builder:
    """Maps the contracts of a spec (which may hold only some domains and what they
    reach); the shared components and names come from the facts."""

    def __init__(self, spec: Spec, options: Options, facts: Mapping[str, Any]) -> None:
        self.spec = spec
        self.options = options
        self.problem: str = facts["problem"]
        self.validation_problem: str = facts["validation_problem"]
        #: The shared components, written to YAML by finalize.
        self.shared: dict[ComponentRef, yamlout.Prerendered] = {}
        #: What each shared component references directly.
        self.shared_refs: dict[ComponentRef, list[ComponentRef]] = {}
        for key, (text, refs, _) in facts["components"].items():
            ref = _component_ref(key)
            self.shared[ref] = yamlout.Prerendered(text, ITEM_INDENT)
            self.shared_refs[ref] = [_component_ref(r) for r in refs]
        self.schemes = {
            n: yamlout.Prerendered(text, ITEM_INDENT) for n, text in facts["schemes"].items()
        }
        #: The schema of each model or enum, made on first use; its YAML is written
        #: once, however many documents list it.
        self.types: dict[str, yamlout.Reused] = {}
        #: The models and enums each of those schemas references.
        self.type_refs: dict[str, list[str]] = {}
        #: Error responses by what they are made of: operations often declare the same errors.
        self._error_responses: dict[tuple[Any, ...], yamlout.Reused] = {}

    # -- schemas -------------------------------------------------------------------

    def type_schema(self, name: str) -> yamlout.Reused:
        """The schema of a model or enum, made once."""
        node = self.types.get(name)
        if node is None:
            model = self.spec.models.get(name)
            union = self.spec.unions.get(name)
            if model is not None:
                node = yamlout.Reused(self.model_schema(model))
                self.type_refs[name] = sorted(n for _, n in self.model_refs(model))
            elif union is not None:
                node = yamlout.Reused(self.union_schema(union))
                self.type_refs[name] = sorted(set(union.models))
            else:
                node = yamlout.Reused(self.enum_schema(self.spec.enums[name]))
                self.type_refs[name] = []
            self.types[name] = node
        return node

    def value_schema(self, f: Field) -> dict[str, Any]:
        """The schema of one value of a field (no array, no description)."""
        if f.type.kind == "scalar":
            return dict(f.type.scalar.json_schema)
        return schema_ref(f.type.name)

    @staticmethod
    def model_refs(m: Model) -> set[ComponentRef]:
        """What model_schema(m) references: the models and enums of its fields."""
        return {("schemas", f.type.name) for f in m.fields if f.type.kind != "scalar"}

    def field_schema(self, f: Field) -> dict[str, Any]:
        schema = fieldschema.value_schema(f, self.value_schema(f))
        description = f.description
        if f.deprecated:
            description = paragraphs(description, deprecation_note(f))
        if description:
            schema["description"] = description
        if f.deprecated:
            schema["deprecated"] = True
        return fieldschema.with_default(f, schema)

    def model_schema(self, m: Model) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object"}
        if m.description:
            schema["description"] = m.description
        required = [f.name for f in m.fields if fieldschema.required(f)]
        if required:
            schema["required"] = required
        schema["properties"] = {f.name: self.field_schema(f) for f in m.fields}
        tagged = self.spec.tags.get(m.name)
        if tagged is not None and tagged[0] in schema["properties"]:
            # A union member's discriminator always holds its tag.
            disc, tag = tagged
            written = schema["properties"][disc]
            schema["properties"][disc] = {"type": written.pop("type"), "const": tag, **written}
        return schema

    @staticmethod
    def union_schema(u: UnionType) -> dict[str, Any]:
        """One of the member models, chosen by the discriminator's tag."""
        schema: dict[str, Any] = {}
        if u.description:
            schema["description"] = u.description
        schema["oneOf"] = [schema_ref(m) for m in dict.fromkeys(u.models)]
        schema["discriminator"] = {
            "propertyName": u.discriminator,
            "mapping": {tag: schema_ref(m)["$ref"] for tag, m in u.members},
        }
        return schema

    def enum_schema(self, e: EnumType) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string"}
        description = paragraphs(e.description, value_notes(e))
        if description:
            schema["description"] = description
        schema["enum"] = list(e.values)
        return schema

    # -- responses -----------------------------------------------------------------

    def error_response(
        self, status: int, errors: list[ErrorDef], validates: bool = False
    ) -> dict[str, Any]:
        errors = sorted(errors, key=lambda e: e.code)
        codes = [e.code for e in errors]
        lines = []
        for e in errors:
            text = f"`{e.code}`: {e.description}"
            if e.when:
                text += f" (when: {e.when})"
            if e.retryable:
                text += " Retryable."
            lines.append(text)
        description = lines[0] if len(lines) == 1 else "\n".join(f"- {t}" for t in lines)
        code_schema: dict[str, Any] = (
            {"const": codes[0]} if len(codes) == 1 else {"type": "string", "enum": codes}
        )
        code_schema["description"] = "\n".join(f"{e.code}: {e.description}" for e in errors)
        schema: dict[str, Any] = {
            "allOf": [
                schema_ref(self.problem),
                {"type": "object", "properties": {"code": code_schema}},
            ]
        }
        if status == 422 and validates:
            # Declared 422 codes share the status with input validation failures.
            schema = {"oneOf": [schema_ref(self.validation_problem), schema]}
            description = paragraphs(description, "Or: the input does not match the contract.")
        examples = {
            e.code: {
                "summary": e.description,
                "value": {"title": e.description, "status": status, "code": e.code},
            }
            for e in errors
        }
        return {
            "description": description,
            "content": {PROBLEM_JSON: {"schema": schema, "examples": examples}},
        }

    def shared_error_response(
        self, status: int, errors: list[ErrorDef], validates: bool
    ) -> yamlout.Reused:
        """error_response, made (and written to YAML) once for equal arguments."""
        key = (
            status,
            validates,
            tuple((e.code, e.description, e.when, e.retryable) for e in errors),
        )
        shared = self._error_responses.get(key)
        if shared is None:
            shared = self._error_responses[key] = yamlout.Reused(
                self.error_response(status, errors, validates)
            )
        return shared

    # -- security --------------------------------------------------------------------

    @staticmethod
    def security_for(auth: Auth) -> list[dict[str, list[str]]]:
        """Who may call: stricter levels satisfy looser ones (AUTH_ORDER), admin is a role."""
        if auth == "anonymous":
            return []
        rank = AUTH_ORDER.index(auth)
        reqs: list[dict[str, list[str]]] = []
        if rank <= AUTH_ORDER.index("user"):
            reqs.append({BEARER: []})
        if rank <= AUTH_ORDER.index("service"):
            reqs.append({API_KEY: []})
        if rank > AUTH_ORDER.index("user"):
            # A plain user token admits admins anyway; stricter levels name the role.
            reqs.append({BEARER: [ADMIN_ROLE]})
        return reqs

    # -- operations ------------------------------------------------------------------

    def parameter(
        self, f: Field, where: str, required: bool, name: str | None = None
    ) -> dict[str, Any]:
        p: dict[str, Any] = {"name": name or f.name, "in": where}
        if f.description:
            p["description"] = f.description
        p["required"] = required
        if f.deprecated:
            p["deprecated"] = True
        structured = (
            f.map
            or f.type.kind in ("model", "union")
            or (f.type.kind == "scalar" and f.type.name in STRUCTURED_SCALARS)
        )
        schema = self.field_schema(f)
        schema.pop("description", None)
        schema.pop("deprecated", None)
        if structured:
            p["content"] = {JSON: {"schema": schema}}
        else:
            if f.array:
                p["style"] = "form"
                p["explode"] = True
            p["schema"] = schema
        return p

    def parameters(self, op: Operation, path: str, method: str) -> list[dict[str, Any]]:
        """Path parameters, then header parameters, then (GET, DELETE) query parameters."""
        model = self.spec.models.get(op.input) if op.input else None
        placeholders = _PLACEHOLDER.findall(path)
        params: list[tuple[str, dict[str, Any]]] = []  # (input field, parameter)
        for name in placeholders:
            f = model.field(name) if model else None
            if f is not None:
                params.append((name, self.parameter(f, "path", True)))
            else:
                params.append(
                    (
                        name,
                        {
                            "name": name,
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                    )
                )
        if model is not None:
            for name, header in op.transport.rest_headers:
                f = model.field(name)
                if f is not None:
                    params.append(
                        (name, self.parameter(f, "header", fieldschema.required(f), header))
                    )
        if model is not None and method in PARAMETER_METHODS:
            for f in model.fields:
                if naming.rest_location(op, f.name) == "query":
                    params.append((f.name, self.parameter(f, "query", fieldschema.required(f))))
        keyed = list(zip(self.example_keys(op), op.examples, strict=True))
        for name, p in params:
            if method not in PARAMETER_METHODS and p["in"] != "header":
                continue
            found = {
                key: {"summary": ex.name, "value": ex.input[name]}
                for key, ex in keyed
                if isinstance(ex.input, dict) and name in ex.input
            }
            if found:
                target = p["content"][JSON] if "content" in p else p
                target["examples"] = found
        return [p for _, p in params]

    def request_body(self, op: Operation) -> dict[str, Any] | None:
        """The JSON body of a command: the input model, less the fields sent as headers."""
        if op.input is None:
            return None
        headers = {name for name, _ in op.transport.rest_headers}
        schema = schema_ref(op.input)
        if headers:
            model = self.spec.models[op.input]
            kept = tuple(f for f in model.fields if f.name not in headers)
            if not kept:
                return None
            schema = self.model_schema(model.model_copy(update={"fields": kept}))
        media: dict[str, Any] = {"schema": schema}
        examples = self.examples_of(op, "input", headers)
        if examples:
            media["examples"] = examples
        return {"required": True, "content": {JSON: media}}

    @staticmethod
    def example_keys(op: Operation) -> list[str]:
        """A unique map key per example, in contract order."""
        keys: list[str] = []
        for ex in op.examples:
            key = base = naming.kebab(ex.name) or "example"
            n = 2
            while key in keys:
                key, n = f"{base}-{n}", n + 1
            keys.append(key)
        return keys

    def examples_of(
        self, op: Operation, side: str, drop: frozenset[str] | set[str] = frozenset()
    ) -> dict[str, Any]:
        """The examples of one side; drop: input fields that travel elsewhere (headers)."""
        out: dict[str, Any] = {}
        for key, ex in zip(self.example_keys(op), op.examples, strict=True):
            value = ex.input if side == "input" else ex.output
            if value is None:
                continue
            if drop and isinstance(value, dict):
                value = {k: v for k, v in value.items() if k not in drop}
            entry: dict[str, Any] = {"summary": ex.name}
            if ex.description:
                entry["description"] = ex.description
            entry["value"] = value
            out[key] = entry
        return out

    def extension(self, item: Operation | Event) -> dict[str, Any]:
        meta = item.meta
        ext: dict[str, Any] = {
            "key": meta.key,
            "version": meta.version,
            "kind": item.kind if isinstance(item, Operation) else "event",
            "stability": meta.stability,
            "owners": list(meta.owners),
        }
        if meta.tags:
            ext["tags"] = list(meta.tags)
        if isinstance(item, Operation):
            pol = item.policy
            ext["auth"] = pol.auth
            ext["idempotent"] = pol.idempotent
            if pol.rate_limit is not None:
                ext["rateLimit"] = {"rpm": pol.rate_limit.rpm, "key": pol.rate_limit.key}
            if pol.flags:
                ext["flags"] = list(pol.flags)
            if pol.pii:
                ext["pii"] = list(pol.pii)
            if item.emits:
                ext["emits"] = [
                    {"event": e.event, "version": e.version, **({"when": e.when} if e.when else {})}
                    for e in item.emits
                ]
        elif item.pii:
            ext["pii"] = list(item.pii)
        return ext

    def operation(self, op: Operation) -> tuple[str, str, dict[str, Any]]:
        method = naming.rest_method(op)
        path = naming.rest_path(op)
        o: dict[str, Any] = {
            "operationId": naming.operation_id(op),
            "summary": summary_of(op),
            "description": paragraphs(
                op.meta.description,
                f"**Goal:** {op.meta.goal}" if op.meta.goal else None,
                f"**Context:** {op.meta.context}" if op.meta.context else None,
            ),
            "tags": [op.domain],
        }
        if op.meta.stability == "deprecated":
            o["deprecated"] = True
        params = self.parameters(op, path, method)
        if params:
            o["parameters"] = params
        body = self.request_body(op) if method not in PARAMETER_METHODS else None
        if body is not None:
            o["requestBody"] = body
        o["responses"] = self.responses_of(op)
        o["security"] = self.security_for(op.policy.auth)
        o["x-contractgen"] = self.extension(op)
        return path, method.lower(), o

    def success_response(self, op: Operation) -> dict[str, Any]:
        """The success response: the output model, or no body for a command without output."""
        if op.output is None:
            return {"description": "Done; the command returns nothing, so there is no body."}
        ok: dict[str, Any] = {"schema": schema_ref(op.output)}
        examples = self.examples_of(op, "output")
        if examples:
            ok["examples"] = examples
        model = self.spec.models.get(op.output)
        described = model.description if model and model.description else "Success."
        return {"description": described, "content": {JSON: ok}}

    def responses_of(self, op: Operation) -> dict[str, Any]:
        out: dict[str, Any] = {str(naming.rest_status(op)): self.success_response(op)}
        by_status: dict[int, list[ErrorDef]] = {}
        for e in op.errors:
            by_status.setdefault(e.http, []).append(e)
        statuses: dict[int, Any] = {
            s: self.shared_error_response(s, errs, validates=op.input is not None)
            for s, errs in by_status.items()
        }
        if op.input and 422 not in statuses:
            statuses[422] = response_ref(RESP_VALIDATION)
        if op.policy.auth != "anonymous":
            statuses.setdefault(401, response_ref(RESP_UNAUTHORIZED))
            statuses.setdefault(403, response_ref(RESP_FORBIDDEN))
        for status in sorted(statuses):
            out[str(status)] = statuses[status]
        return out

    def webhook(self, ev: Event) -> dict[str, Any]:
        major = naming.major(ev.version)
        post: dict[str, Any] = {
            "operationId": naming.webhook_operation_id(ev),
            "summary": f"Event {ev.key}" + (f" (v{major})" if major >= 2 else ""),
            "description": ev.meta.description,
            "tags": [ev.domain],
        }
        if ev.meta.stability == "deprecated":
            post["deprecated"] = True
        post["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": schema_ref(ev.payload)}},
        }
        post["responses"] = {
            "204": {"description": "The receiver accepted the event."},
            "400": {"description": "The receiver could not accept the event."},
        }
        # The contracts say nothing about how deliveries are signed, so no scheme is claimed.
        post["security"] = []
        post["x-contractgen"] = self.extension(ev)
        return {"post": post}

    # -- documents -------------------------------------------------------------------

    def mapped_operation(self, op: Operation) -> _Mapped:
        path, method, body = self.operation(op)
        return _Mapped(
            op,
            path,
            method,
            yamlout.Reused(body),
            frozenset(refs_in(body)),
            frozenset(schemes_in([body])),
        )

    def fragment(self, one: _Mapped) -> dict[str, Any]:
        """The document of one operation (mapped once by mapped_operation)."""
        return document(
            self.options,
            one.op.key,
            [one.op.domain],
            {one.path: {one.method: one.item}},
            {},
            self.components_for(one.refs, one.schemes),
        )

    def components_for(
        self, refs: Iterable[ComponentRef], schemes: Iterable[str]
    ) -> dict[str, Any]:
        """The components refs reach (following references between components)."""
        reached = reachable(refs, self.component_refs)
        by_kind: dict[str, dict[str, Any]] = {"schemas": {}, "responses": {}}
        for ref in sorted(reached):
            kind, name = ref
            by_kind[kind][name] = self.shared[ref] if ref in self.shared else self.types[name]
        components: dict[str, Any] = {kind: named for kind, named in by_kind.items() if named}
        if schemes:
            components["securitySchemes"] = {n: self.schemes[n] for n in sorted(schemes)}
        return components

    def component_refs(self, ref: ComponentRef) -> list[ComponentRef]:
        """What a component references directly (a model's or enum's schema is made here)."""
        if ref in self.shared:
            return self.shared_refs[ref]
        self.type_schema(ref[1])
        return [("schemas", n) for n in self.type_refs[ref[1]]]

    def sources(self, doc: dict[str, Any], items: Iterable[Operation | Event]) -> list[str]:
        files = {item.file for item in items}
        for name in doc.get("components", {}).get("schemas", {}):
            file = self.type_file(name)
            if file is not None:
                files.add(file)
        return sorted(files)

    def type_file(self, name: str) -> str | None:
        """The contract file that defines a model or enum (None for a shared schema)."""
        found = self.spec.definition(name)
        return found.loc.file if found is not None else None


# -- domain by domain ------------------------------------------------------------------


def _component_ref(key: ComponentKey) -> ComponentRef:
    kind, _, name = key.partition("/")
    return kind, name


#: An operation or an event.
_Item = TypeVar("_Item", bound=Contract)


def _slot(item: Contract) -> tuple[str, int]:
    return item.key, naming.major(item.version)


def _superseded(items: Iterable[Sequence[str]]) -> list[list[str]]:
    """The (key, version) pairs a higher version of the same key and major replaces."""
    pairs = [(key, version) for key, version in items]
    best: dict[tuple[str, int], str] = {}
    for key, version in pairs:
        slot = (key, naming.major(version))
        current = best.get(slot)
        if current is None or version_key(version) > version_key(current):
            best[slot] = version
    return sorted([k, v] for k, v in pairs if best[k, naming.major(v)] != v)


def facts_part(spec: Spec, domain: str, options: Options) -> dict[str, Any]:
    """The domain's contract versions, and the names it defines that a problem schema
    could want."""
    names = [*spec.models_in(domain), *spec.enums_in(domain), *spec.unions_in(domain)]
    return {
        "operations": [[op.key, op.version] for op in spec.operations_in(domain)],
        "events": [[ev.key, ev.version] for ev in spec.events_in(domain)],
        "names": [n for n in names if _PROBLEM_NAMES.match(n)],
    }


def finalize(parts: Mapping[str, Any], options: Options) -> dict[str, Any]:
    """The problem schemas' names, the superseded contracts, and the shared components
    as YAML text (with what each references)."""
    taken = sorted({n for part in parts.values() for n in part["names"]})
    problem = _free_name("Problem", taken)
    validation_problem = _free_name("ValidationProblem", [*taken, problem])
    shared = shared_components(problem, validation_problem)
    return {
        "problem": problem,
        "validation_problem": validation_problem,
        "superseded": {
            kind: _superseded(pair for d in sorted(parts) for pair in parts[d][kind])
            for kind in ("operations", "events")
        },
        # key -> [YAML text, keys it references, None (no contract file)].
        "components": {
            component_key((kind, name)): [
                yamlout.Reused(value).text(ITEM_INDENT),
                component_keys(refs_in(value)),
                None,
            ]
            for kind in ("schemas", "responses")
            for name, value in shared[kind].items()
        },
        # security scheme name -> YAML text.
        "schemes": {
            name: yamlout.Reused(value).text(ITEM_INDENT)
            for name, value in shared["securitySchemes"].items()
        },
    }


def render_domains(
    spec: Spec, options: Options, facts: Mapping[str, Any], domains: Sequence[str]
) -> Rendered:
    """Each domain's operation documents, and its piece of the merged document."""
    builder = _Builder(spec, options, facts)
    superseded = {
        kind: {(k, v) for k, v in facts["superseded"][kind]} for kind in ("operations", "events")
    }
    template = environment("openapi", options.templates).get_template(FRAGMENT_TEMPLATE)
    rendered = Rendered()
    for domain in domains:
        ops = _current(spec.operations_in(domain), superseded["operations"])
        events = _current(spec.events_in(domain), superseded["events"])
        files, paths, refs, schemes = _operation_documents(builder, template, ops)
        rendered.files[domain] = files
        rendered.pieces[domain] = {
            # [key, major, path, method, YAML text] per operation.
            "paths": paths,
            # [key, major, name, YAML text, keys it references, schemes] per event.
            "webhooks": [_webhook_entry(builder, ev) for ev in events],
            # key -> [YAML text, keys it references, contract file] per model and enum.
            "schemas": _schema_entries(builder, domain),
            # What its operations reference, the schemes they use, the files they are from.
            "refs": component_keys(refs),
            "schemes": sorted(schemes),
            "files": sorted({item.file for item in [*ops, *events]}),
        }
    return rendered


def _current(items: Iterable[_Item], superseded: set[tuple[str, str]]) -> list[_Item]:
    """The contracts no higher version of the same major replaces, by key and major."""
    return sorted((i for i in items if (i.key, i.version) not in superseded), key=_slot)


def _operation_documents(
    builder: _Builder, template: jinja2.Template, ops: Iterable[Operation]
) -> tuple[list[OutputFile], list[list[Any]], set[ComponentRef], set[str]]:
    """Each operation's own document; its entry of the merged paths; what they all
    reference and the security schemes they use."""
    files: list[OutputFile] = []
    paths: list[list[Any]] = []
    refs: set[ComponentRef] = set()
    schemes: set[str] = set()
    for op in ops:
        # Mapped (and written to YAML) once for its own document and the merged one.
        one = builder.mapped_operation(op)
        doc = builder.fragment(one)
        sources = builder.sources(doc, [op])
        files.append(
            OutputFile(
                f"openapi/operations/{naming.file_stem(op)}.yaml",
                _wrap(template, doc, sources),
                tuple(sources),
            )
        )
        paths.append([*_slot(op), one.path, one.method, one.item.text(ITEM_INDENT)])
        refs |= one.refs
        schemes |= one.schemes
    return files, paths, refs, schemes


def _webhook_entry(builder: _Builder, ev: Event) -> list[Any]:
    hook = builder.webhook(ev)
    return [
        *_slot(ev),
        naming.webhook_name(ev),
        yamlout.Reused(hook).text(HOOK_INDENT),
        component_keys(refs_in(hook)),
        sorted(schemes_in(hook.values())),
    ]


def _schema_entries(builder: _Builder, domain: str) -> dict[ComponentKey, list[Any]]:
    """The schemas of the models and enums a domain defines, written to YAML."""
    schemas: dict[ComponentKey, list[Any]] = {}
    spec = builder.spec
    for name in [*spec.models_in(domain), *spec.enums_in(domain), *spec.unions_in(domain)]:
        text = builder.type_schema(name).text(ITEM_INDENT)
        refs_of = [f"schemas/{n}" for n in builder.type_refs[name]]
        schemas[f"schemas/{name}"] = [text, refs_of, builder.type_file(name)]
    return schemas


def assemble(
    pieces: Mapping[str, Any], facts: Mapping[str, Any], options: Options
) -> list[OutputFile]:
    """The merged document, put together from the pieces' YAML text."""
    entries = sorted((e for piece in pieces.values() for e in piece["paths"]), key=_entry_slot)
    paths: dict[str, dict[str, Any]] = {}
    for _key, _major, path, method, text in entries:
        paths.setdefault(path, {})[method] = yamlout.Prerendered(text, ITEM_INDENT)
    hooks = sorted((e for piece in pieces.values() for e in piece["webhooks"]), key=_entry_slot)
    # A later contract with the same webhook name replaces the earlier one, refs and all.
    by_name = {e[2]: e for e in hooks}
    webhooks = {name: yamlout.Prerendered(e[3], HOOK_INDENT) for name, e in by_name.items()}

    refs: set[ComponentKey] = set()
    schemes: set[str] = set()
    files: set[str] = set()
    table: dict[ComponentKey, list[Any]] = dict(facts["components"])
    for piece in pieces.values():
        refs.update(piece["refs"])
        schemes.update(piece["schemes"])
        files.update(piece["files"])
        table.update(piece["schemas"])
    for e in by_name.values():
        refs.update(e[4])
        schemes.update(e[5])

    # The components reached, following references between components.
    reached = reachable(refs, lambda key: table[key][1])
    by_kind: dict[str, dict[str, Any]] = {"schemas": {}, "responses": {}}
    for key in sorted(reached):
        text, _, file = table[key]
        kind, _, name = key.partition("/")
        by_kind[kind][name] = yamlout.Prerendered(text, ITEM_INDENT)
        if file is not None:
            files.add(file)
    components: dict[str, Any] = {kind: named for kind, named in by_kind.items() if named}
    if schemes:
        components["securitySchemes"] = {
            n: yamlout.Prerendered(facts["schemes"][n], ITEM_INDENT) for n in sorted(schemes)
        }

    tags = sorted(d for d, piece in pieces.items() if piece["paths"] or piece["webhooks"])
    doc = document(options, None, tags, paths, webhooks, components)
    sources = sorted(files)
    template = environment("openapi", options.templates).get_template(DOCUMENT_TEMPLATE)
    return [OutputFile("openapi/openapi.yaml", _wrap(template, doc, sources), tuple(sources))]


def spliced_texts(piece: Mapping[str, Any]) -> Iterator[tuple[list[Any], int]]:
    """The slots of a piece whose YAML text the merged document holds verbatim (see
    ``contractgen.speed.splice``)."""
    for entry in piece["paths"]:
        yield entry, 4
    for entry in piece["webhooks"]:
        yield entry, 3
    for entry in piece["schemas"].values():
        yield entry, 0


def _entry_slot(entry: Sequence[Any]) -> tuple[str, int]:
    return entry[0], entry[1]


def render(spec: Spec, options: Options) -> list[OutputFile]:
    return render_surface(sys.modules[__name__], spec, options)
