"""The round trip as a test helper: import a document, validate the contracts (no
error), build them, and compare the regenerated OpenAPI document with the source
in everything the import says it carried.

Compared, for each carried operation: that it exists (method and path, up to
the names of path placeholders); its parameters (name, location, required,
schema); its request body and success response schemas, up to ``$ref`` names
and key order; its success status, its other 2xx and 3xx answers (each body's
schema, a redirect's Location header) and every error status. A node the import
reported as approximated or dropped (``Report.lost``) is not compared. Each
difference is located in both documents (file:line:col and JSON pointer).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from contractgen.cli import app
from contractgen.import_.command import Outcome, run
from contractgen.import_.openapi import ImportOptions
from contractgen.import_.source import Loc, Sources, is_url, resolve_ref
from contractgen.import_.types import ARRAY, NUMBER, SCALAR_OF, TEXT
from contractgen.load import load
from contractgen.load.yamlpos import parse
from contractgen.spec.vocabulary import REDIRECT_STATUSES

#: Schema keywords compared (others are either not carried, hence reported, or docs).
COMPARED = ("type", "format", "enum", "default", "description", *TEXT, *NUMBER, *ARRAY)
del SCALAR_OF


@dataclass(frozen=True)
class Difference:
    what: str
    source: str
    built: str

    def __str__(self) -> str:
        return f"{self.what}\n  source: {self.source}\n  built:  {self.built}"


@dataclass
class Trip:
    outcome: Outcome
    #: The regenerated OpenAPI document.
    built: Path
    differences: list[Difference]


class _Built:
    """The regenerated document, with positions."""

    def __init__(self, file: Path) -> None:
        doc = parse(file.read_bytes(), file.as_posix())
        assert doc.data is not None, doc.diagnostics
        self.data: dict[str, Any] = doc.data
        self.positions = doc.positions
        self.file = file.as_posix()

    def where(self, path: tuple[str | int, ...]) -> str:
        line, col = self.positions.of(path)
        return f"{self.file}:{line}:{col} {Loc('', path).pointer}"

    def deref(self, node: Any, path: tuple[str | int, ...]) -> tuple[Any, tuple[str | int, ...]]:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 50:
            parts = tuple(node["$ref"][2:].split("/"))
            node, path, seen = self.data, parts, seen + 1
            for p in parts:
                node = node[p]
        return node, path


def round_trip(
    doc: Path, work: Path, options: ImportOptions | None = None, surfaces: tuple[str, ...] = ()
) -> Trip:
    """surfaces: build only these (default: every surface)."""
    contracts, output = work / "contracts", work / "generated"
    outcome = run(doc, contracts, options or ImportOptions())
    errors = [d for d in outcome.diagnostics if d.is_error]
    assert outcome.ok, "\n".join(f"{d.file}:{d.line}: {d.code} {d.message}" for d in errors)
    loaded = load(contracts)
    assert loaded.ok, [f"{d.file}:{d.line}: {d.message}" for d in loaded.diagnostics]
    result = CliRunner().invoke(
        app,
        [
            "build",
            "--contracts",
            str(contracts),
            "--output",
            str(output),
            "--no-cache",
            *(f"--surface={s}" for s in surfaces),
        ],
    )
    assert result.exit_code == 0, result.output
    built = output / "openapi" / "openapi.yaml"
    return Trip(outcome, built, compare(outcome, built))


def compare(outcome: Outcome, built: Path) -> list[Difference]:
    """The differences between the source and a built document, in what was carried."""
    return _Comparer(outcome, _Built(built)).all()


BuiltPath = tuple[str | int, ...]
JSON = "application/json"


class _Comparer:
    def __init__(self, outcome: Outcome, built: _Built) -> None:
        self.result = outcome.result
        self.report = outcome.result.report
        self.sources: Sources = outcome.result.types.sources
        self.built = built
        self.diffs: list[Difference] = []
        self.seen: set[tuple[Loc, BuiltPath]] = set()

    def where(self, loc: Loc) -> str:
        line, col = self.sources.position(loc)
        return f"{self.sources.shown(loc.file)}:{line}:{col} {loc.pointer}"

    def differ(self, what: str, loc: Loc, path: BuiltPath) -> None:
        self.diffs.append(Difference(what, self.where(loc), self.built.where(path)))

    def all(self) -> list[Difference]:
        for carried in self.result.carried:
            rest = self.result.files[carried.file]["transport"]["rest"]
            path: BuiltPath = ("paths", rest["path"], carried.method.lower())
            item = self.built.data.get("paths", {}).get(rest["path"], {}).get(path[2])
            if item is None:
                self.differ("operation missing", carried.loc, ("paths",))
                continue
            op = self.sources.node(carried.loc)
            self.parameters(carried.parameters, item, path)
            self.body(op, carried.loc, item, path, carried.from_parameters)
            self.responses(op, carried.loc, item, path)
        for event in self.result.events:
            self.webhook(event)
        return self.diffs

    def webhook(self, event: Any) -> None:
        """A webhook carried as an event: its payload is the webhook's body."""
        name = self.result.files[event.file]["meta"]["key"]
        path: BuiltPath = ("webhooks", name, "post", "requestBody", "content", JSON, "schema")
        hook = self.built.data.get("webhooks", {}).get(name)
        if hook is None:
            self.differ("webhook missing", event.loc, ("webhooks",))
            return
        found = self.media(
            self.sources.node(event.loc)["post"]["requestBody"], event.loc.at("post", "requestBody")
        )
        if found is not None and not self.report.lost(found[1]):
            self.schema(
                found[0], found[1], hook["post"]["requestBody"]["content"][JSON]["schema"], path
            )

    def parameters(self, carried: Any, item: dict[str, Any], path: BuiltPath) -> None:
        built = {(p["in"], p["name"]): i for i, p in enumerate(item.get("parameters", []))}
        for (where, name), (built_name, loc, site) in carried:
            if self.report.lost(site):
                continue
            index = built.get((where, built_name))
            if index is None:
                self.differ(f"{where} parameter '{name}' is missing", loc, (*path, "parameters"))
                continue
            src, p, ppath = (
                self.sources.node(loc),
                item["parameters"][index],
                (*path, "parameters", index),
            )
            required = where == "path" or src.get("required") is True
            if required != p.get("required", False) and not self.report.lost(loc.at("schema")):
                self.differ(f"parameter '{name}': required {required}", loc, (*ppath, "required"))
            schema = p.get("schema") or p.get("content", {}).get("application/json", {}).get(
                "schema"
            )
            if "schema" in src:
                # (The surface writes a parameter's description beside its schema.)
                self.schema(src["schema"], loc.at("schema"), schema, (*ppath, "schema"), top=False)

    def media(self, holder: Any, loc: Loc) -> tuple[Any, Loc] | None:
        if isinstance(holder, dict) and "$ref" in holder:
            target = resolve_ref(self.sources, holder["$ref"], loc)
            if target is None:
                return None
            holder, loc = self.sources.node(target), target
        content = holder.get("content") if isinstance(holder, dict) else None
        if not isinstance(content, dict):
            return None
        for media in content:
            if media == "application/json" or media.endswith("+json"):
                return content[media].get("schema", True), loc.at("content", media, "schema")
        return None

    def body(
        self, op: Any, loc: Loc, item: dict[str, Any], path: BuiltPath, ignore: frozenset[str]
    ) -> None:
        found = self.media(op.get("requestBody"), loc.at("requestBody"))
        if found is None or self.report.lost(found[1]):
            return
        bpath = (*path, "requestBody", "content", "application/json", "schema")
        schema = item.get("requestBody", {}).get("content", {}).get("application/json", {})
        if "schema" not in schema:
            self.differ("request body is missing", found[1], (*path,))
            return
        self.schema(found[0], found[1], schema["schema"], bpath, ignore)

    def responses(self, op: Any, loc: Loc, item: dict[str, Any], path: BuiltPath) -> None:
        """The success and the other 2xx and 3xx answers, then the error statuses."""
        src = op.get("responses") or {}
        built = item.get("responses", {})
        statuses = [str(s) for s in src]
        rloc = loc.at("responses")
        answers = [s for s in statuses if s[:1] in "23"]
        built_answers = [str(s) for s in built if str(s)[:1] in "23"]
        for status in answers:
            if self.report.lost(rloc.at(status)):
                continue
            if status not in built_answers:
                self.differ(
                    f"answer {status} is missing, built {built_answers}",
                    rloc.at(status),
                    (*path, "responses"),
                )
                continue
            self.answer(src[status], rloc.at(status), built[status], (*path, "responses", status))
        extra = [s for s in built_answers if s not in answers]
        if extra and not self.report.lost(rloc):
            self.differ(f"answers {extra} are not in the source", rloc, (*path, "responses"))
        for status in statuses:
            lost = self.report.lost(rloc.at(status))
            if status[0] in "45" and status.isdigit() and status not in built and not lost:
                self.differ(
                    f"error status {status} is missing", rloc.at(status), (*path, "responses")
                )

    def answer(self, raw: Any, loc: Loc, built: dict[str, Any], path: BuiltPath) -> None:
        """One 2xx or 3xx answer: its body's schema, and a redirect's Location header."""
        found = self.media(raw, loc)
        if found is not None and not self.report.lost(found[1]):
            out = built.get("content", {}).get(JSON)
            if out is None:
                self.differ("response body is missing", found[1], path)
            else:
                self.schema(found[0], found[1], out["schema"], (*path, "content", JSON, "schema"))
        if int(path[-1]) in REDIRECT_STATUSES and "Location" not in built.get("headers", {}):
            self.differ("the redirect's Location header is missing", loc, path)

    def schema(
        self,
        src: Any,
        loc: Loc,
        built: Any,
        path: BuiltPath,
        ignore: frozenset[str] = frozenset(),
        top: bool = True,
    ) -> None:
        """Compares one source schema with the built one, following $refs on both sides."""
        while (
            isinstance(src, dict) and isinstance(src.get("$ref"), str) and not is_url(src["$ref"])
        ):
            target = resolve_ref(self.sources, src["$ref"], loc)
            if target is None:
                return
            src, loc = self.sources.node(target), target
        beside = {k: v for k, v in built.items() if k != "$ref"} if isinstance(built, dict) else {}
        built, path = self.built.deref(built, path)
        if beside and isinstance(built, dict):
            built = {**built, **beside}  # (what a $ref'd type's field says beside the $ref)
        if (loc, path) in self.seen or self.report.lost(loc) or not isinstance(src, dict):
            return
        self.seen.add((loc, path))
        if not isinstance(built, dict):
            self.differ("schema is missing", loc, path)
            return
        if "oneOf" in src:
            if not self.report.lost(loc.at("oneOf")):
                self.union(src, loc, built, path)
            return
        # A deprecated field's description gains a deprecation note.
        skip = () if top and not src.get("deprecated") else ("description",)
        for key in COMPARED:
            if key in src and key not in skip and not self.report.lost(loc.at(key)):
                want = _normal(src, key)
                if want != _normal(built, key):
                    self.differ(f"'{key}': {want!r} != {built.get(key)!r}", loc.at(key), path)
        for key in ("items", "additionalProperties"):
            if isinstance(src.get(key), dict) and not self.report.lost(loc.at(key)):
                self.schema(src[key], loc.at(key), built.get(key), (*path, key))
        if "properties" in src or "allOf" in src:
            self.properties(src, loc, built, path, ignore)

    def union(self, src: dict[str, Any], loc: Loc, built: dict[str, Any], path: BuiltPath) -> None:
        want = sorted((src.get("discriminator") or {}).get("mapping") or {})
        got = sorted((built.get("discriminator") or {}).get("mapping") or {})
        if want != got:
            self.differ(f"union tags {want} != {got}", loc, path)

    def properties(
        self,
        src: dict[str, Any],
        loc: Loc,
        built: dict[str, Any],
        path: BuiltPath,
        ignore: frozenset[str],
    ) -> None:
        if self.report.lost(loc.at("allOf")):
            return
        props = src.get("properties") or {}
        built_props = built.get("properties") or {}
        required = set(src.get("required") or [])
        built_required = set(built.get("required") or [])
        for prop, sub in props.items():
            ploc = loc.at("properties", prop)
            name = self.result.types.field_names.get(ploc, prop)
            if self.report.lost(ploc):
                continue
            if name not in built_props:
                self.differ(f"property '{prop}' is missing", ploc, (*path, "properties"))
                continue
            self.schema(sub, ploc, built_props[name], (*path, "properties", name))
            has_default = isinstance(sub, dict) and "default" in sub
            null = self.report.lost(ploc.at("type")) or self.report.lost(ploc.at("nullable"))
            if (prop in required) != (name in built_required) and not has_default and not null:
                self.differ(
                    f"property '{prop}': required {prop in required}", ploc, (*path, "required")
                )
        names = {self.result.types.field_names.get(loc.at("properties", p), p) for p in props}
        for extra in sorted(set(built_props) - names - ignore):
            self.differ(
                f"property '{extra}' is not in the source", loc, (*path, "properties", extra)
            )


def _normal(schema: dict[str, Any], key: str) -> Any:
    """A keyword's value, written one way: a type without null, 3.0 exclusive bounds as 3.1."""
    value = schema.get(key)
    if key == "type" and isinstance(value, list):
        rest = [v for v in value if v != "null"]
        return rest[0] if len(rest) == 1 else rest
    if key == "type" and value is None and "properties" in schema:
        return "object"
    if key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
        return schema.get("minimum" if key == "exclusiveMinimum" else "maximum") if value else None
    if key == "description" and isinstance(value, str):
        return value.strip()
    if key in ("minimum", "maximum"):
        flag = schema.get("exclusiveMinimum" if key == "minimum" else "exclusiveMaximum")
        return None if flag is True else value
    return value
