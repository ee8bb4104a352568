"""Every valid name generates working code.

Python's keywords and builtins, pydantic's ``BaseModel`` attributes and the names
the generated modules import or define, each used as a field name (camelCased)
and as a model and an enum name (PascalCased), in one tree with an operation and
an event per type. The Python output must import with warnings as errors, pass
mypy --strict and pyright strict, be ruff-clean, dispatch, and round-trip wire
JSON; graphql-core must accept the SDL and openapi-spec-validator the document,
both with the wire names exactly as written.
"""

from __future__ import annotations

import ast
import asyncio
import builtins
import importlib
import json
import keyword
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from consumers.tools import npm_tool
from generated_packages import imported_from
from graphql import build_schema, validate_schema
from openapi_spec_validator import validate
from pydantic import BaseModel

from contractgen import naming
from contractgen.load import load
from contractgen.load.resolve import FIELD_RE, RESERVED_TYPE_NAMES, TYPE_NAME_RE
from contractgen.spec import Spec
from contractgen.surfaces import Options, OutputFile, graphql, openapi, python
from contractgen.surfaces.python._builtin_models import HELPERS

REPO = Path(__file__).resolve().parents[2]

#: Names asked for by name, beside the lists below: some Python ones, and the names
#: the OpenAPI and GraphQL surfaces derive for themselves in this tree.
ASKED = (
    *("modelConfig", "fields", "self", "schema", "validate", "copy", "json", "type", "Enum"),
    *("Problem", "ValidationProblem", "NamesErrorCode", "HolderInput", "ContextInput"),
)


def _spelled(names: list[str], spell: Any, valid: Any) -> list[str]:
    """Each name as it is if the format takes it, else spelled as the format wants;
    valid, and once (names equal up to case collide, which the loader refuses)."""
    out: dict[str, str] = {}
    for name in names:
        spelt = name if valid(name) else spell(name)
        if spelt and valid(spelt) and spelt.lower() not in out:
            out[spelt.lower()] = spelt
    return sorted(out.values())


def _defined(code: str) -> set[str]:
    """Every name a module imports or defines at its top level."""
    names: set[str] = set()
    for node in ast.parse(code).body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _bundled_python() -> list[OutputFile]:
    result = load(REPO / "contracts")
    assert result.spec is not None
    # The modules only (not the distribution's pyproject.toml and py.typed markers).
    return [f for f in python.render(result.spec, Options()) if f.path.endswith(".py")]


def _module_names() -> set[str]:
    """What the generated modules of the bundled contracts import or define."""
    return {n for f in _bundled_python() for n in _defined(f.content)} - {"__all__"}


def corpus_names() -> list[str]:
    return sorted(
        {
            *keyword.kwlist,
            *keyword.softkwlist,
            *dir(builtins),
            *dir(BaseModel),
            *_module_names(),
            *(n for names in HELPERS.values() for n in names),
            *ASKED,
        }
    )


NAMES = corpus_names()
FIELDS = _spelled(NAMES, naming.camel, FIELD_RE.match)
#: Python's PascalCase keywords are the only names the loader refuses (tested in
#: tests/load/bad); the surfaces' own names were reserved before.
REFUSED = RESERVED_TYPE_NAMES | {"False", "None", "True"}
TYPES = _spelled(NAMES, naming.pascal, lambda t: TYPE_NAME_RE.match(t) and t not in REFUSED)
ENUM_VALUES = ["TRUE", "FALSE", "NULL", "NONE", "NAME", "VALUE", "MRO"]

#: One wire value per scalar the holder's fields cycle through.
WIRE = {
    "String": "text",
    "Int": 7,
    "Float": 1.5,
    "Boolean": True,
    "Date": "2026-01-02",
    "DateTime": "2026-01-02T03:04:05Z",
    "JSON": {"a": [1, None]},
    "JSONObject": {"k": "v"},
    "EmailAddress": "a@b.c",
    "ID": "id_1",
    # format 1.1 (their Python helpers are names a type may take, too)
    "Int64": 2**40,
    "Decimal": "1.5",
    "UUID": "123e4567-e89b-12d3-a456-426614174000",
    "Bytes": "aGk=",
}
SCALARS = list(WIRE)


def _holder_fields() -> dict[str, Any]:
    return {
        f: {
            "type": SCALARS[i % len(SCALARS)],
            "isOptional": i % 3 == 0,
            "isArray": i % 4 == 0,
            **({"uniqueItems": True} if i % 8 == 0 else {}),
            "description": f"The {f} field.",
        }
        for i, f in enumerate(FIELDS)
    }


def holder_wire() -> dict[str, Any]:
    """A wire value of the holder model: every field set."""
    out: dict[str, Any] = {}
    for f, spec in _holder_fields().items():
        value = WIRE[spec["type"]]
        out[f] = [value] if spec["isArray"] else value
    return out


def _meta(key: str, **extra: Any) -> dict[str, Any]:
    return {
        "key": key,
        "version": "1.0.0",
        "description": f"The {key} contract.",
        "stability": "beta",
        "owners": ["names"],
        **extra,
    }


def _operation(key: str, model: str, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    io: dict[str, Any] = {"input": model, "output": model}
    if errors:
        io["errors"] = errors
    return {
        "kind": "command",
        "meta": _meta(key, goal="Exercise a name.", context="Tests."),
        "io": io,
        "policy": {"auth": "user"},
    }


#: An error code whose class takes the name of the errors module's base class.
CONTRACT = {"CONTRACT": {"description": "The contract was broken.", "http": 409}}


def write_corpus(root: Path, types_as: str) -> Path:
    """The corpus tree: every type name as a model (with an operation and an event
    each) or as an enum (fields of one model)."""
    folder = root / "contracts" / "names"
    folder.mkdir(parents=True)
    models: dict[str, Any] = {"Holder": {"description": "Every field.", "fields": _holder_fields()}}
    files: dict[str, Any] = {}
    if types_as == "models":
        for i, t in enumerate(TYPES):
            fields = {"value": {"type": "String"}, "holder": {"type": "Holder", "isOptional": True}}
            models[t] = {"description": f"The {t} model.", "fields": fields}
            files[f"op.{t}"] = _operation("names." + naming.camel(t), t)
            files[f"ev.{t}"] = {
                "kind": "event",
                "meta": _meta(f"evt.e{i:03d}"),
                "payload": t,
            }
        # The bundled tree's operation: its handler, stub and error classes are
        # names the corpus also has as models.
        errors = {"METRIC_NOT_FOUND": {"description": "No metric.", "http": 404}, **CONTRACT}
        files["op.usage"] = _operation("usage.record", "Holder", errors)
        wire = holder_wire()  # an example with every field name as written
        files["op.usage"]["examples"] = [{"name": "every field", "input": wire, "output": wire}]
        enums: dict[str, Any] = {}
    else:
        enums = {t: {"description": f"The {t} enum.", "values": ENUM_VALUES} for t in TYPES}
        fields = {f"v{i}": {"type": t} for i, t in enumerate(TYPES)}
        fields["holder"] = {"type": "Holder", "isOptional": True}
        models["Kinds"] = {"description": "One field per enum.", "fields": fields}
        files["op.kinds"] = _operation("names.kinds", "Kinds", CONTRACT)
    files["types"] = {"kind": "models", "models": models, "enums": enums}
    for name, doc in files.items():
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
    _write_errs(root / "contracts" / "errs")
    return root / "contracts"


def _write_errs(folder: Path) -> None:
    """Domain 'errs': code CONTRACT's class is ContractError, and no type takes the name."""
    folder.mkdir()
    doc = _operation("errs.check", "ErrsValue", CONTRACT)
    doc["models"] = {"ErrsValue": {"description": "A value.", "fields": {"v": {"type": "String"}}}}
    (folder / "check.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")


# -- fixtures ----------------------------------------------------------------------------


class Corpus:
    def __init__(self, root: Path, types_as: str) -> None:
        result = load(write_corpus(root, types_as))
        assert result.ok, [str(d) for d in result.diagnostics[:5]]
        assert result.spec is not None
        self.spec: Spec = result.spec
        self.types_as = types_as
        self.python = root / "generated" / "python"
        for f in python.render(self.spec, Options()):
            path = root / "generated" / f.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f.content, encoding="utf-8")


@pytest.fixture(scope="module", params=["models", "enums"])
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus(tmp_path_factory.mktemp(f"names-{request.param}"), request.param)


@pytest.fixture(scope="module")
def package(corpus: Corpus) -> Iterator[ModuleType]:
    """The corpus package, imported with every warning an error."""
    with warnings.catch_warnings(), imported_from(corpus.python, "names", "errs") as modules:
        warnings.simplefilter("error")
        yield modules["names"]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": ""}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, check=False)


# -- the corpus itself -----------------------------------------------------------------------


def test_corpus_covers_every_list() -> None:
    assert len(FIELDS) > 200 and len(TYPES) > 200
    for name in ("str", "int", "date", "datetime", "list", "type", "self", "json", "copy"):
        assert name in FIELDS
    for name in ("modelConfig", "modelFields", "schema", "validate", "dict", "fields"):
        assert name in FIELDS
    own = {"Context", "BaseModel", "Field", "Registry", "Enum", "Any", "Annotated", "StrEnum"}
    own |= {"UsageRecordHandler", "UnimplementedUsageRecordHandler", "MetricNotFoundError"}
    own |= {"ContractError", "ConfigDict", "TypeAlias", "Protocol", "EventSink", "OperationInfo"}
    assert own <= set(TYPES)
    assert {"ERRORS", "EVENTS", "OPERATIONS"} <= set(TYPES)


# -- Python -------------------------------------------------------------------------------------


def test_python_imports_without_warnings_and_round_trips(
    corpus: Corpus, package: ModuleType
) -> None:
    holder = package.models.Holder
    wire = holder_wire()
    value = holder.model_validate(wire)
    assert value.model_dump(mode="json", by_alias=True) == wire
    assert set(holder.model_json_schema(by_alias=True)["properties"]) == set(FIELDS)
    # Python names: a field that would clash gets a trailing underscore.
    assert value.str_ == holder.model_validate(wire).str_
    for attribute, wire_name in [
        ("str_", "str"),
        ("date_", "date"),
        ("model_config_", "modelConfig"),
    ]:
        assert holder.model_fields[attribute].alias == wire_name
    assert holder.model_fields["id"].alias is None  # a builtin that clashes with nothing


def test_python_types_keep_their_names(corpus: Corpus, package: ModuleType) -> None:
    for t in TYPES:
        cls = getattr(package.models, t)
        assert cls.__name__ == t
        assert getattr(package, t) is cls, t  # the package exports the contract's type
    # The helpers a type displaced stay in their modules.
    runtime = sys.modules["contractgen_runtime"]
    assert package.handlers.Context is runtime.Context
    module = sys.modules["names.registry"]  # (``names.registry`` is the default registry)
    assert issubclass(module.Registry, runtime.Registry)
    if corpus.types_as == "enums":
        kinds = package.Kinds.model_validate({f"v{i}": "TRUE" for i in range(len(TYPES))})
        assert kinds.model_dump(mode="json")["v0"] == "TRUE"
        assert [m.value for m in getattr(package, TYPES[0])] == ENUM_VALUES


def test_python_error_code_takes_the_base_class_name(corpus: Corpus, package: ModuleType) -> None:
    """Code CONTRACT's class is ``ContractError``; the domain's base stays ``BASE_ERROR``."""
    errors = sys.modules["names.errors"]
    base = errors.BASE_ERROR
    runtime = sys.modules["contractgen_runtime"]
    assert errors.ContractError is not base and issubclass(errors.ContractError, base)
    assert issubclass(base, runtime.ContractError)
    assert errors.ContractError.code == "CONTRACT" and errors.ContractError.http_status == 409
    assert errors.error_class("CONTRACT") is errors.ContractError
    assert errors.error_class("NO_SUCH_CODE") is base
    assert sys.modules["names.registry"].Registry.base_error is base
    problem = base("broken").to_problem()
    assert problem["type"].startswith("urn:contractgen:names:error:")
    # (A contract's type takes the name ContractError in the package: it is one of TYPES.)
    assert package.ContractError is package.models.ContractError
    errs = importlib.import_module("errs")  # where no type does, the package exports the class
    assert errs.ContractError is errs.errors.ContractError is errs.error_class("CONTRACT")
    assert errs.errors.BASE_ERROR is sys.modules["errs.registry"].Registry.base_error
    assert errs.ContractError.__mro__[1] is errs.errors.BASE_ERROR


def test_python_dispatches_every_operation(corpus: Corpus, package: ModuleType) -> None:
    registry = sys.modules["names.registry"].Registry()
    ctx = sys.modules["contractgen_runtime"].Context("u", "user")

    class Echo:
        async def handle(self, input: Any, ctx: Any) -> Any:
            return input

    ops = corpus.spec.operations_in("names")
    for op in ops:
        registry.register(op.key, op.version, Echo())
    raw = {"value": "v", "holder": holder_wire()}
    for op in ops:
        sent = holder_wire() if op.input in ("Holder", "Kinds") else raw
        if op.input == "Kinds":
            sent = {f"v{i}": "NULL" for i in range(len(TYPES))}
        result = asyncio.run(registry.dispatch(op.key, op.version, sent, ctx))
        assert result.model_dump(mode="json", by_alias=True, exclude_none=True) == sent


def test_python_passes_mypy_strict(corpus: Corpus) -> None:
    proc = _run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "names",
            "errs",
            "contractgen_runtime",
        ],
        corpus.python,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr


def test_python_is_ruff_clean(corpus: Corpus) -> None:
    ruff = [sys.executable, "-m", "ruff"]
    rules = ["--select", "E,F,W,I,B,UP,SIM,RUF", "--ignore", "E501"]
    check = _run([*ruff, "check", "--isolated", *rules, "."], corpus.python)
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr
    fmt = _run([*ruff, "format", "--isolated", "--check", "--diff", "."], corpus.python)
    assert fmt.returncode == 0, fmt.stdout[-3000:] + fmt.stderr
    default = _run([*ruff, "check", "--isolated", "--no-cache", "."], corpus.python)
    assert default.returncode == 0, default.stdout[-3000:] + default.stderr


@pytest.fixture(scope="module")
def pyright() -> list[str]:
    """The pyright pinned in tests/consumers (fails in CI when not installed, skips elsewhere)."""
    return [str(npm_tool("pyright"))]


def test_python_passes_pyright_strict(corpus: Corpus, pyright: list[str]) -> None:
    config = {"typeCheckingMode": "strict", "pythonVersion": "3.11", "include": ["."]}
    (corpus.python / "pyrightconfig.json").write_text(json.dumps(config), "utf-8")
    proc = _run([*pyright, "--pythonpath", sys.executable, "--outputjson"], corpus.python)
    report = json.loads(proc.stdout)
    problems = [d for d in report["generalDiagnostics"] if d["severity"] != "information"]
    assert problems == [], problems[:10]
    assert report["summary"]["filesAnalyzed"] >= 11


# -- GraphQL and OpenAPI --------------------------------------------------------------------------


def test_graphql_accepts_the_sdl_with_the_wire_names(corpus: Corpus) -> None:
    files = {f.path: f.content for f in graphql.render(corpus.spec, Options())}
    schema = build_schema(files["graphql/schema.graphql"])
    assert validate_schema(schema) == []
    assert set(schema.type_map["Holder"].fields) == set(FIELDS)  # type: ignore[attr-defined]
    for t in TYPES:  # each name is the contract's type (derived names went elsewhere)
        found: Any = schema.type_map[t]
        if corpus.types_as == "models":
            assert set(found.fields) == {"value", "holder"}, t
        else:
            assert list(found.values) == ENUM_VALUES, t


def test_openapi_document_is_valid_with_the_wire_names(corpus: Corpus) -> None:
    files = {f.path: f.content for f in openapi.render(corpus.spec, Options())}
    doc = yaml.safe_load(files["openapi/openapi.yaml"])
    validate(doc)
    schemas = doc["components"]["schemas"]
    assert list(schemas["Holder"]["properties"]) == FIELDS
    if corpus.types_as == "models":
        path = doc["paths"]["/v1/usage/record"]["post"]
        examples = path["requestBody"]["content"]["application/json"]["examples"]
        assert [e["value"] for e in examples.values()] == [holder_wire()]
    for t in TYPES:  # each name is the contract's type (derived names went elsewhere)
        if corpus.types_as == "models":
            assert set(schemas[t]["properties"]) == {"value", "holder"}, t
        else:
            assert schemas[t]["enum"] == ENUM_VALUES, t
