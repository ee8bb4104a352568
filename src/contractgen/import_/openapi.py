"""OpenAPI 3.0/3.1 operations -> contracts (the mapping is documented in docs/import.md).

GET becomes a query, POST, PUT, PATCH and DELETE commands; the method, the path
and the success status are kept in ``transport.rest``. Path, query and header
parameters and the JSON request body are merged into the input model; the
success response is the output; each 4xx/5xx response a declared error.
``security`` becomes ``policy.auth``. What has no place is a located loss.
"""

from __future__ import annotations

import http
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractgen import naming
from contractgen.diagnostics import Diagnostic
from contractgen.import_.examples import Named, collect
from contractgen.import_.report import Report
from contractgen.import_.source import Loc, Sources, resolve_ref
from contractgen.import_.types import Partial, Types
from contractgen.load.resolve import rest_path_ok
from contractgen.spec.vocabulary import (
    ANSWER_STATUSES,
    AUTH_ORDER,
    BODYLESS_STATUSES,
    MAIN_STATUSES,
    REDIRECT_STATUSES,
)

#: OpenAPI methods the contracts carry, and the kind of operation each makes.
KINDS = {
    "get": "query",
    "post": "command",
    "put": "command",
    "patch": "command",
    "delete": "command",
}
OTHER_METHODS = ("head", "options", "trace")
#: Keys of an operation object this module reads; any other is a located loss.
OPERATION_KEYS = frozenset(
    {"operationId", "summary", "description", "tags", "parameters", "requestBody"}
    | {"responses", "security", "deprecated"}
)
#: How security scheme types map to policy.auth (overridable per scheme name).
AUTH_OF_SCHEME = {"apiKey": "service", "http": "user", "oauth2": "user", "openIdConnect": "user"}
PLACEHOLDER = "(imported from {source}; to be written)"
_PLACE = re.compile(r"\{([^{}/]+)\}")


@dataclass(frozen=True)
class ImportOptions:
    domain: str | None = None
    tags: Sequence[str] = ()
    operations: Sequence[str] = ()
    strict: bool = False
    owners: Sequence[str] = ("imported",)
    stability: str = "experimental"
    #: Security scheme name -> policy.auth level, over the defaults (AUTH_OF_SCHEME).
    auth: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Carried:
    """One operation the import carried: where it is in the source, what it became."""

    loc: Loc
    method: str
    path: str
    key: str
    file: str
    #: Input fields made from parameters (they are not part of the source body).
    from_parameters: frozenset[str] = frozenset()
    #: (in, name) of each parameter carried -> (its name in the contract's REST surface,
    #: where it is defined, where the operation lists it).
    parameters: tuple[tuple[tuple[str, str], tuple[str, Loc, Loc]], ...] = ()


@dataclass
class ImportResult:
    domain: str
    #: Contract files (relative to the domain folder) -> their data.
    files: dict[str, dict[str, Any]]
    report: Report
    carried: list[Carried]
    types: Types
    errors: list[Diagnostic]
    #: The webhooks carried as events (path: the webhook's name).
    events: list[Carried] = field(default_factory=list)
    #: Contract file -> where each of its examples is in the source.
    example_locs: dict[str, list[Loc]] = field(default_factory=dict)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [*self.errors, *self.report.diagnostics]

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def domain_of(file: Path, wanted: str | None, title: Any) -> str:
    """--domain, else the file's name (less 'openapi'), else info.title, else 'api'."""
    if wanted:
        return wanted
    for text in (file.stem, str(title or "")):
        words = naming.words(text.replace(".", " "))
        name = "-".join(
            w.lower() for w in words if w.lower() not in ("openapi", "swagger", "api", "schema")
        )
        if name and name[0].isalpha():
            return name
    return "api"


def import_openapi(file: Path, options: ImportOptions) -> ImportResult:
    """Maps an OpenAPI document (and the files its $refs reach) into contracts."""
    folder = file.parent
    shown = "" if str(folder) in ("", ".") else folder.as_posix()
    sources = Sources(folder, shown)
    report = Report(sources, options.strict)
    types = Types(sources, report)
    result = ImportResult(options.domain or "api", {}, report, [], types, sources.diagnostics)
    doc = sources.read(file.name)
    if doc is None:
        return result
    info = doc.data.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    result.domain = domain_of(file, options.domain, title)
    root = Loc(file.name)
    version = doc.data.get("openapi")
    if not (isinstance(version, str) and version[:4] in ("3.0.", "3.1.")):
        sources.error(
            "CG701",
            f"not an OpenAPI 3.0 or 3.1 document (openapi: {version!r})",
            root.at("openapi") if "openapi" in doc.data else root,
            "contractgen imports OpenAPI 3.0.x and 3.1.x; convert Swagger 2.0 first",
        )
        return result
    _Importer(result, doc.data, root, options).run()
    return result


class _Importer:
    def __init__(self, result: ImportResult, doc: dict[str, Any], root: Loc, opts: ImportOptions):
        self.result = result
        self.doc = doc
        self.root = root
        self.opts = opts
        self.report = result.report
        self.types = result.types
        self.sources: Sources = result.types.sources
        self.keys: set[str] = set()
        #: Output models that wrap a response that is not an object in 'value'.
        self.wrapped: set[str] = set()
        #: Example name -> its description, for the operation being mapped.
        self.described: dict[str, str] = {}
        #: Error code -> its HTTP status: one code means one status across the tree.
        self.error_status: dict[str, int] = {}
        self.schemes_used: dict[str, str] = {}
        #: The source schema of the operation's main success body (being mapped).
        self.main_schema: Any = None
        info = doc.get("info")
        version = str(info.get("version", "")) if isinstance(info, dict) else ""
        self.version = version if re.fullmatch(r"\d+\.\d+\.\d+", version) else "1.0.0"

    def run(self) -> None:
        self.top_level_losses()
        schemas = (self.doc.get("components") or {}).get("schemas") or {}
        for name in schemas if isinstance(schemas, dict) else ():
            ref = "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")
            self.types.ref_field({"$ref": ref}, self.root.at("components", "schemas", name), None)
        paths = self.doc.get("paths") or {}
        for path, item in paths.items() if isinstance(paths, dict) else ():
            self.path_item(path, item, self.root.at("paths", path))
        hooks = self.doc.get("webhooks") or {}
        for name, item in hooks.items() if isinstance(hooks, dict) else ():
            self.webhook(str(name), item, self.root.at("webhooks", name))
        self.scheme_losses()
        self.place_types()
        self.report.carry("operations", len(self.result.carried))
        self.report.carry("events", len(self.result.events))
        self.report.carry("models", len(self.types.models))
        self.report.carry("enums", len(self.types.enums))
        self.report.carry("unions", len(self.types.unions))

    def top_level_losses(self) -> None:
        read = {"openapi", "info", "paths", "components", "security", "webhooks"}
        for key in self.doc:
            if key not in read:
                self.report.drop(key, self.root.at(key), f"'{key}' is not carried")
        components = self.doc.get("components") or {}
        for kind in components if isinstance(components, dict) else ():
            if kind not in (
                "schemas",
                "securitySchemes",
                "parameters",
                "requestBodies",
                "responses",
            ):
                where = self.root.at("components", kind)
                self.report.drop(kind, where, f"components '{kind}' are not carried")

    def selected(self, op: dict[str, Any]) -> bool:
        if self.opts.operations and op.get("operationId") not in self.opts.operations:
            return False
        tags = op.get("tags") or []
        return not self.opts.tags or any(t in self.opts.tags for t in tags)

    def path_item(self, path: str, item: Any, loc: Loc) -> None:
        if isinstance(item, dict) and "$ref" in item:
            target = resolve_ref(self.sources, str(item["$ref"]), loc)
            if target is None:
                return
            item, loc = self.sources.node(target), target
        if not isinstance(item, dict):
            return
        for key, op in item.items():
            where = loc.at(key)
            if key in KINDS and isinstance(op, dict):
                if self.selected(op):
                    self.operation(path, key, op, where, item.get("parameters") or [], loc)
            elif key in OTHER_METHODS:
                self.report.drop("operations", where, f"{key.upper()} operations are not carried")
            elif key not in ("parameters", "summary", "description"):
                self.report.drop(key, where, f"path item key '{key}' is not carried")

    # -- one operation -------------------------------------------------------------

    def key_of(self, op: dict[str, Any], method: str, path: str) -> str:
        op_id = op.get("operationId")
        text = str(op_id) if op_id else f"{method} {path}"
        parts = [naming.camel(p) for p in re.split(r"[/.]", text) if naming.camel(p)]
        parts = [p if p[0].isalpha() else "n" + p for p in parts] or ["operation"]
        if len(parts) < 2:
            parts = [naming.camel(self.result.domain), *parts]
        key, n = ".".join(parts), 2
        while key in self.keys:
            key, n = ".".join(parts) + str(n), n + 1
        self.keys.add(key)
        return key

    def operation(
        self, path: str, method: str, op: dict[str, Any], loc: Loc, shared: Any, path_loc: Loc
    ) -> None:
        key = self.key_of(op, method, path)
        for k in op:
            if k not in OPERATION_KEYS:
                self.report.drop(k, loc.at(k), f"operation key '{k}' is not carried")
        built = _Input(self, key, method, loc)
        self.described = {}
        for param, where, site in self.parameters(shared, path_loc, op.get("parameters"), loc):
            built.parameter(param, where, site)
        rest_path = built.path(path)
        if rest_path is None:
            self.report.drop(
                "operations", loc, f"path '{path}' cannot be written as a contract path"
            )
            return
        if "requestBody" in op:
            built.body(op["requestBody"], loc.at("requestBody"))
        contract = self.contract(key, method, op, loc, built, rest_path)
        self.result.files[f"{key}.yaml"] = contract
        carried = Carried(
            loc,
            method.upper(),
            path,
            key,
            f"{key}.yaml",
            built.from_parameters,
            tuple(built.params.items()),
        )
        self.result.carried.append(carried)

    def parameters(
        self, shared: Any, path_loc: Loc, own: Any, loc: Loc
    ) -> list[tuple[dict[str, Any], Loc, Loc]]:
        """Path-level parameters, replaced by the operation's own of the same name and place:
        each with where it is defined and where this operation lists it."""
        found: dict[tuple[str, str], tuple[dict[str, Any], Loc, Loc]] = {}
        for items, where in ((shared, path_loc.at("parameters")), (own, loc.at("parameters"))):
            for index, param in enumerate(items if isinstance(items, list) else []):
                site = at = where.at(index)
                if isinstance(param, dict) and "$ref" in param:
                    target = resolve_ref(self.sources, str(param["$ref"]), at)
                    if target is None:
                        continue
                    param, at = self.sources.node(target), target
                if isinstance(param, dict) and isinstance(param.get("name"), str):
                    found[str(param.get("in")), param["name"]] = (param, at, site)
        return list(found.values())

    def contract(
        self, key: str, method: str, op: dict[str, Any], loc: Loc, built: _Input, rest_path: str
    ) -> dict[str, Any]:
        answers: Named = {}
        raw = op.get("responses")
        responses: dict[Any, Any] = raw if isinstance(raw, dict) else {}
        output, status, others = self.success(key, responses, loc.at("responses"), answers)
        meta = self.meta(key, method, op, built)
        io: dict[str, Any] = {"input": built.model_name(), "output": output}
        errors = self.errors(responses, loc.at("responses"))
        if errors:
            io["errors"] = errors
        rest: dict[str, Any] = {"method": method.upper(), "path": rest_path}
        if status != (204 if output is None else 200):
            rest["status"] = status
        if built.headers:
            rest["headers"] = dict(built.headers)
        if built.query:
            rest["query"] = list(built.query)
        if others:
            rest["responses"] = others
        policy = {"auth": self.auth(op, loc)}
        pairs = self.examples(key, built, io, answers)
        kind = KINDS[method]
        if kind == "query" and output is None:
            kind = "command"
            self.report.approximate(
                "operations", loc, "a GET without a JSON response is a command (a query has output)"
            )
        contract: dict[str, Any] = {"kind": kind, "meta": meta, "io": io, "policy": policy}
        contract["transport"] = {"rest": rest}
        if pairs:
            contract["examples"] = [example for example, _ in pairs]
            self.result.example_locs[f"{key}.yaml"] = [where for _, where in pairs]
        return contract

    def meta(self, key: str, method: str, op: dict[str, Any], built: _Input) -> dict[str, Any]:
        source = f"{self.sources.shown(built.loc.file)} {method.upper()} {built.source_path}"
        meta: dict[str, Any] = {"key": key, "version": self.version}
        if isinstance(op.get("summary"), str) and op["summary"].strip():
            meta["title"] = op["summary"].strip()
        text = op.get("description") or op.get("summary")
        meta["description"] = (
            text if isinstance(text, str) and text.strip() else (PLACEHOLDER.format(source=source))
        )
        meta["goal"] = PLACEHOLDER.format(source=source)
        meta["context"] = PLACEHOLDER.format(source=source)
        meta["stability"] = "deprecated" if op.get("deprecated") else self.opts.stability
        meta["owners"] = list(self.opts.owners)
        tags = [t for t in op.get("tags") or [] if isinstance(t, str)]
        if tags:
            meta["tags"] = tags
        return meta

    def examples(
        self, key: str, built: _Input, io: dict[str, Any], answers: Named
    ) -> list[tuple[dict[str, Any], Loc]]:
        """Contract examples from the body's and the success response's named examples,
        paired by name, their keys renamed as the fields (each with where it is)."""
        out: list[tuple[dict[str, Any], Loc]] = []
        for name in dict.fromkeys([*built.examples, *answers]):
            example: dict[str, Any] = {"name": name}
            if name in self.described:
                example["description"] = self.described[name]
            asked, answered = built.examples.get(name), answers.get(name)
            if asked is not None and io["input"] is not None:
                value = {built.body_field: asked[0]} if built.body_field else asked[0]
                example["input"] = self.types.wire_value(value, io["input"])
            if answered is not None and io["output"] is not None:
                value = {"value": answered[0]} if io["output"] in self.wrapped else answered[0]
                example["output"] = self.types.wire_value(value, io["output"])
            where = (asked or answered or (None, self.root))[1]
            out.append((example, where))
        return out

    # -- webhooks --------------------------------------------------------------------

    def webhook(self, name: str, item: Any, loc: Loc) -> None:
        """A webhook whose POST carries a JSON body becomes an event with that payload."""
        post = item.get("post") if isinstance(item, dict) else None
        body = post.get("requestBody") if isinstance(post, dict) else None
        found = None
        if isinstance(body, dict):
            holder, where = self.response(body, loc.at("post", "requestBody"))
            found = self.json_schema(holder, where)
        if not isinstance(post, dict) or found is None:
            self.report.drop("webhooks", loc, "a webhook without a JSON POST body is not carried")
            return
        for k in sorted(set(item) - {"post"}):
            self.report.drop("webhooks", loc.at(k), f"webhook '{k}' is not carried")
        for k in sorted(
            set(post) - {"summary", "description", "requestBody", "responses", "deprecated"}
        ):
            self.report.drop(k, loc.at("post", k), f"webhook key '{k}' is not carried")
        if "responses" in post:
            self.report.drop("status", loc.at("post", "responses"), "webhook responses")
        key = self.key_of({"operationId": name}, "post", name)
        partial, _ = self.types.field(found[0], found[1], naming.pascal(key) + "Payload", key)
        payload = str(partial["type"])
        if payload not in self.types.models or partial.get("isArray") or partial.get("isMap"):
            self.report.drop("webhooks", found[1], "a webhook body that is not an object")
            return
        text = post.get("description") or post.get("summary")
        meta: dict[str, Any] = {"key": key, "version": self.version}
        meta["description"] = (
            text
            if isinstance(text, str) and text.strip()
            else (PLACEHOLDER.format(source=f"{self.sources.shown(loc.file)} webhook {name}"))
        )
        meta["stability"] = "deprecated" if post.get("deprecated") else self.opts.stability
        meta["owners"] = list(self.opts.owners)
        self.result.files[f"{key}.yaml"] = {"kind": "event", "meta": meta, "payload": payload}
        self.result.events.append(Carried(loc, "POST", name, key, f"{key}.yaml"))

    # -- responses -----------------------------------------------------------------

    def response(self, value: Any, loc: Loc) -> tuple[dict[str, Any], Loc]:
        if isinstance(value, dict) and "$ref" in value:
            target = resolve_ref(self.sources, str(value["$ref"]), loc)
            if target is not None:
                return self.sources.node(target), target
            return {}, loc
        return (value if isinstance(value, dict) else {}), loc

    def json_schema(
        self, holder: dict[str, Any], loc: Loc, examples: Named | None = None
    ) -> tuple[Any, Loc] | None:
        """The JSON media type's schema of a response or body (its examples into
        examples, when given); other media types are lost."""
        content = holder.get("content") or {}
        chosen = None
        for media in content if isinstance(content, dict) else ():
            if chosen is None and (media == "application/json" or media.endswith("+json")):
                chosen = media
            else:
                self.report.drop(
                    "media type", loc.at("content", media), f"'{media}' is not carried"
                )
        if chosen is None:
            return None
        media_obj = content[chosen] if isinstance(content[chosen], dict) else {}
        for k in media_obj:
            where = loc.at("content", chosen, k)
            if examples is not None and k in ("example", "examples"):
                collect(self.sources, self.report, media_obj[k], where, examples, self.described)
            elif k != "schema":
                self.report.drop(k, where, f"'{k}' is not carried")
        return media_obj.get("schema", True), loc.at("content", chosen, "schema")

    def success(
        self, key: str, responses: dict[Any, Any], loc: Loc, examples: Named
    ) -> tuple[str | None, int, dict[str, Any]]:
        """The output, the main status (the first 2xx, else the first redirect) and the
        other 2xx and 3xx answers (rest.responses)."""
        ok = [s for s in responses if str(s).startswith("2")]
        moved = [s for s in responses if str(s).isdigit() and int(s) in REDIRECT_STATUSES]
        if not ok and not moved:
            self.report.approximate("status", loc, "no success response: the contract answers 204")
            return None, 204, {}
        main = (ok or moved)[0]
        text = str(main)
        status = int(text) if text.isdigit() else 200
        response, where = self.response(responses[main], loc.at(main))
        output, self.main_schema = None, None
        if text.startswith("2"):
            self.other_keys(response, where, ("description", "content"))
            found = self.json_schema(response, where, examples)
            output = None if found is None else self.output(key, *found)
            self.main_schema = None if found is None else found[0]
            self.response_description(output, key, response, where)
        else:
            self.bodyless(response, where, status)
            self.report.drop("description", where.at("description"), "the response description")
        if status not in MAIN_STATUSES or (status in BODYLESS_STATUSES and output is not None):
            self.report.approximate("status", loc.at(main), f"status {text} is 200")
            status = 200
        others = {}
        for other in responses:
            if other != main and str(other)[:1] in "23":
                answer = self.answer(key, str(other), responses[other], loc.at(other), output)
                if answer is not None:
                    others[str(other)] = answer
        return output, status, others

    def answer(
        self, key: str, text: str, raw: Any, loc: Loc, output: str | None
    ) -> dict[str, Any] | None:
        """Another 2xx or 3xx response as an entry of rest.responses (None: not carried)."""
        if not (text.isdigit() and int(text) in ANSWER_STATUSES):
            self.report.drop("status", loc, f"response '{text}' is not carried")
            return None
        status = int(text)
        response, where = self.response(raw, loc)
        desc = response.get("description")
        entry = {"description": desc if isinstance(desc, str) and desc.strip() else _phrase(status)}
        if status in BODYLESS_STATUSES:
            self.bodyless(response, where, status)
            return entry
        self.other_keys(response, where, ("description", "content"))
        found = self.json_schema(response, where)
        if found is None and output is None:
            self.report.drop("status", loc, f"status {text} without a body, beside a main one")
            return None
        if found is None:
            self.report.approximate("status", loc, f"status {text} is carried with the output")
            return entry
        if found[0] != self.main_schema:
            model = self.output(key, *found, name=naming.pascal(key) + f"Output{status}")
            if model != output:
                entry["output"] = model
        return entry

    def bodyless(self, response: dict[str, Any], loc: Loc, status: int) -> None:
        """What a response without a body in the contract loses: its content, and any
        header but a redirect's Location."""
        for k, value in response.items():
            if k == "headers" and isinstance(value, dict) and status in REDIRECT_STATUSES:
                for name in value:
                    if str(name).lower() != "location":
                        self.report.drop("headers", loc.at(k, name), f"header '{name}'")
            elif k == "content":
                self.report.drop("body", loc.at(k), f"status {status} answers without a body")
            elif k != "description":
                self.report.drop(k, loc.at(k), f"response '{k}' is not carried")

    def other_keys(self, response: dict[str, Any], loc: Loc, read: tuple[str, ...]) -> None:
        for k in response:
            if k not in read:
                self.report.drop(k, loc.at(k), f"response '{k}' is not carried")

    def response_description(
        self, output: str | None, key: str, response: dict[str, Any], loc: Loc
    ) -> None:
        """An output model of this operation alone takes the description; else it is lost."""
        text = response.get("description")
        if not isinstance(text, str) or not text.strip():
            return
        model = self.types.models.get(output or "")
        if model is not None and self.types.owner.get(output or "") == key:
            model.setdefault("description", text)
            if model["description"] == text:
                return
        self.report.drop("description", loc.at("description"), "the response description")

    def output(self, key: str, schema: Any, loc: Loc, name: str | None = None) -> str:
        name = name or naming.pascal(key) + "Output"
        partial, nullable = self.types.field(schema, loc, name, key)
        if nullable:
            self.report.drop("null", loc, "a null response body is not carried")
        if partial["type"] in self.types.models and not (
            partial.get("isArray") or partial.get("isMap")
        ):
            return str(partial["type"])
        self.report.approximate(
            "schema", loc, "a response that is not an object is wrapped in 'value'"
        )
        model = self.types.free(name)
        self.wrapped.add(model)
        self.types.models[model] = {"fields": {"value": partial}}
        self.types.owner[model] = key
        self.types.origin[model] = loc
        return model

    def errors(self, responses: Any, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for status in responses if isinstance(responses, dict) else ():
            text = str(status)
            if text[:1] in "23":
                continue  # (the success and the other answers)
            if not (text.isdigit() and 400 <= int(text) <= 599):
                self.report.drop("status", loc.at(status), f"response '{text}' is not carried")
                continue
            raw = responses[status]
            response, where = self.response(raw, loc.at(status))
            code = self.error_code(int(text), raw, out, self.error_status)
            phrase = _phrase(int(text))
            desc = response.get("description")
            entry = {"description": desc if isinstance(desc, str) and desc.strip() else phrase}
            out[code] = {**entry, "http": int(text)}
            if response.get("content"):
                self.report.approximate(
                    "error body", where.at("content"), "the error body is carried as problem+json"
                )
            for k in response:
                if k not in ("description", "content"):
                    self.report.drop(k, where.at(k), f"response '{k}' is not carried")
        return out

    @staticmethod
    def error_code(status: int, raw: Any, taken: dict[str, Any], tree: dict[str, int]) -> str:
        """From the $ref'd response's name, else the status's phrase; unique in the
        operation, and with one status across the tree (tree: code -> status)."""
        ref = raw.get("$ref") if isinstance(raw, dict) else None
        base = naming.upper_snake(str(ref).rsplit("/", 1)[-1]) if ref else ""
        base = base or naming.upper_snake(_phrase(status)) or f"HTTP_{status}"
        if not base[0].isalpha():
            base = "E_" + base
        code, n = base, 2
        if tree.get(code, status) != status:
            code = f"{base}_{status}"
        while code in taken or tree.get(code, status) != status:
            code, n = f"{base}_{status}_{n}", n + 1
        tree[code] = status
        return code

    # -- auth ----------------------------------------------------------------------

    def auth(self, op: dict[str, Any], loc: Loc) -> str:
        """The most open level any security requirement admits (AUTH_ORDER)."""
        if "security" in op:
            security, where = op["security"], loc.at("security")
        else:
            security, where = self.doc.get("security"), self.root.at("security")
        if not isinstance(security, list) or not security:
            return "anonymous"
        levels = []
        for index, req in enumerate(security):
            if not isinstance(req, dict) or not req:
                levels.append("anonymous")
                continue
            levels.append(max((self.scheme_level(n, where.at(index)) for n in req), key=_rank))
            if any(req.values()):
                self.report.drop("scopes", where.at(index), "OAuth scopes are not carried")
        if len(set(levels)) > 1:
            self.report.approximate(
                "auth", where, f"alternatives carried as '{min(levels, key=_rank)}'"
            )
        return min(levels, key=_rank)

    def scheme_level(self, name: str, loc: Loc) -> str:
        schemes = (self.doc.get("components") or {}).get("securitySchemes") or {}
        scheme = schemes.get(name) if isinstance(schemes, dict) else None
        if name in self.opts.auth:
            level = self.opts.auth[name]
        else:
            kind = scheme.get("type") if isinstance(scheme, dict) else None
            level = AUTH_OF_SCHEME.get(str(kind), "user")
        self.schemes_used[name] = level
        return level

    def scheme_losses(self) -> None:
        for name, level in sorted(self.schemes_used.items()):
            self.report.approximate(
                "security scheme",
                self.root.at("components", "securitySchemes", name),
                f"security scheme '{name}' is carried as policy.auth '{level}'",
                f"choose another level with --auth {name}=LEVEL",
            )

    # -- placing the types ---------------------------------------------------------

    def place_types(self) -> None:
        place_types(self.types, self.result.files)


def place_types(types: Types, files: dict[str, dict[str, Any]]) -> None:
    """Types one operation alone uses go into its file; the others into models.yaml."""
    shared: dict[str, Any] = {}
    sections = (("models", types.models), ("enums", types.enums), ("unions", types.unions))
    for section, table in sections:
        for name in sorted(table):
            owner = types.owner.get(name)
            file = f"{owner}.yaml" if owner and f"{owner}.yaml" in files else None
            target = files[file] if file else shared
            target.setdefault(section, {})[name] = table[name]
    if shared:
        files["models.yaml"] = {"kind": "models", **shared}


def _rank(level: str) -> int:
    return AUTH_ORDER.index(level)


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


#: Keys of a parameter object this module reads.
PARAMETER_KEYS = frozenset({"name", "in", "required", "schema", "description", "deprecated"})


class _Input:
    """The input model of one operation: its parameters, then its body's fields."""

    def __init__(self, importer: _Importer, key: str, method: str, loc: Loc) -> None:
        self.imp = importer
        self.types = importer.types
        self.report = importer.report
        self.key = key
        self.method = method
        self.loc = loc
        self.fields: dict[str, Partial] = {}
        self.path_names: dict[str, str] = {}
        self.headers: dict[str, str] = {}
        #: The fields of query parameters of a method with a body (transport.rest.query).
        self.query: list[str] = []
        self.from_parameters: frozenset[str] = frozenset()
        self.body_model: str | None = None
        self.source_path = ""
        self.params: dict[tuple[str, str], tuple[str, Loc, Loc]] = {}
        #: The request body's named examples, and the input field the body is (when it
        #: is not an object).
        self.examples: Named = {}
        self.body_field: str | None = None

    def parameter(self, param: dict[str, Any], loc: Loc, site: Loc) -> None:
        """One parameter, defined at loc and listed by this operation at site."""
        where, name = param.get("in"), str(param["name"])
        if where not in ("path", "query", "header"):
            self.report.drop("parameters", site, f"{where} parameter '{name}' is not carried")
            return
        if where == "header" and name.lower() in ("accept", "content-type", "authorization"):
            self.report.drop("parameters", site, f"header '{name}' is not a parameter in OpenAPI")
            return
        for k in sorted(set(param) - PARAMETER_KEYS):
            self.report.drop(k, loc.at(k), f"parameter '{k}' is not carried")
        hint = naming.pascal(self.key) + naming.pascal(name)
        partial, nullable = self.types.field(
            param.get("schema", True), loc.at("schema"), hint, self.key
        )
        if isinstance(param.get("description"), str):
            partial["description"] = param["description"]
        if param.get("deprecated") is True:
            partial["deprecated"] = True
        required = where == "path" or param.get("required") is True
        if (nullable or not required) and "default" not in partial:
            partial["isOptional"] = True
        field_name = self.name(name, loc.at("name"), quiet=where == "header")
        if where == "query" and self.method not in ("get", "delete"):
            self.query.append(field_name)
        if where == "header":
            self.headers[field_name] = name
        if where == "path":
            self.path_names[name] = field_name
        self.fields[field_name] = partial
        self.from_parameters = self.from_parameters | {field_name}
        self.params[where, name] = (name if where == "header" else field_name, loc, site)

    def name(self, wanted: str, loc: Loc, quiet: bool = False) -> str:
        """The input field for a parameter (a header keeps its name in transport.rest)."""
        name = naming.camel(wanted) or "param"
        if not name[0].isalpha():
            name = "p" + name
        name = naming.numbered(name, self.fields)
        if name != wanted and not quiet:
            self.report.approximate("name", loc, f"'{wanted}' is the input field '{name}'")
        return name

    def path(self, path: str) -> str | None:
        """The contract's path: placeholders renamed as their fields; None if it cannot be."""
        self.source_path = path
        written = _PLACE.sub(
            lambda m: "{" + self.path_names.get(m.group(1), m.group(1)) + "}", path
        )
        ok = rest_path_ok(written) and all(self.path_names.get(p) for p in _PLACE.findall(path))
        return written if ok else None

    def body(self, raw: Any, loc: Loc) -> None:
        body, where = self.imp.response(raw, loc)
        found = self.imp.json_schema(body, where, self.examples)
        for k in sorted(set(body) - {"content", "required", "description"}):
            self.report.drop(k, where.at(k), f"request body '{k}' is not carried")
        if found is None:
            return
        if self.method in ("get", "delete"):
            self.report.approximate(
                "body", where, f"a {self.method.upper()} body travels as query parameters"
            )
        if body.get("required") is not True:
            self.report.approximate("body", where, "an optional body is carried as required")
        name = naming.pascal(self.key) + "Input"
        partial, _ = self.types.field(found[0], found[1], name, self.key)
        model = partial["type"]
        if model not in self.types.models or partial.get("isArray") or partial.get("isMap"):
            self.report.approximate(
                "body", found[1], "a body that is not an object is the field 'body'"
            )
            self.body_field = self.name("body", found[1])
            self.fields[self.body_field] = partial
            return
        self.body_model = str(model)

    def model_name(self) -> str | None:
        """The input model: the body's own model when there are no parameters."""
        if self.body_model is not None and not self.fields:
            return self.body_model
        if not self.fields:
            return None
        if self.body_model is not None:
            body = self.types.models[self.body_model]["fields"]
            for prop, partial in body.items():
                if prop in self.fields:
                    self.report.approximate(
                        "name", self.loc, f"body field '{prop}' clashes with a parameter"
                    )
                    continue
                self.fields[prop] = partial
            if self.types.owner.get(self.body_model) == self.key:
                self.types.models[self.body_model]["fields"] = self.fields
                return self.body_model
        name = self.types.free(naming.pascal(self.key) + "Input")
        self.types.models[name] = {"fields": self.fields}
        if self.body_model is not None and "description" in self.types.models[self.body_model]:
            self.types.models[name]["description"] = self.types.models[self.body_model][
                "description"
            ]
        self.types.owner[name] = self.key
        self.types.origin[name] = self.loc
        return name
